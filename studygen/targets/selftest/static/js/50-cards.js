/* 50-cards.js — Flashcards with Leitner boxes: a card in box b is due every 2^(b-1) sessions.
 */

// ------------------------------------------------------------------ flashcards (Leitner boxes)

var cards = (function () {
  var due = [];
  var card = null;
  var flipped = false;

  function interval(box) { return Math.pow(2, box - 1); }

  function state(c) { return progress.boxes[c.id] || { box: 1, seen: -1 }; }

  function isDue(c) {
    var s = state(c);
    return s.seen < 0 || progress.session - s.seen >= interval(s.box);
  }

  function collect() {
    due = CARDS.filter(isDue);
    due.sort(function (a, b) { return state(a).box - state(b).box; });
  }

  function renderBoxes() {
    var counts = [0, 0, 0, 0, 0];
    CARDS.forEach(function (c) { counts[state(c).box - 1] += 1; });
    var list = $('box-counts');
    clear(list);
    counts.forEach(function (n, i) {
      list.appendChild(el('li', { text: 'Box ' + (i + 1) + ': ' + n + (n === 1 ? ' card' : ' cards') }));
    });
  }

  function quoteSide(c) {
    return c.kind === 'fact' ? c.sources.map(function (s) { return '“' + s.text + '”'; }).join(' ') : c.back;
  }

  function face(c, front) {
    var reverse = $('cards-reverse').checked;
    return (front !== reverse) ? c.front : quoteSide(c);
  }

  function show() {
    card = due[0] || null;
    flipped = false;
    var status = $('cards-status');
    var box = $('card');
    $('card-right').hidden = true;
    $('card-wrong').hidden = true;
    renderBoxes();
    if (!CARDS.length) {
      status.textContent = 'This course has no facts or glossary terms to practise.';
      box.hidden = true;
      $('card-flip').hidden = true;
      $('cards-next-session').hidden = true;
      return;
    }
    if (!card) {
      status.textContent = 'Session ' + progress.session + ': no more cards are due. Start the next session to review again.';
      box.hidden = true;
      $('card-flip').hidden = true;
      $('cards-next-session').hidden = false;
      return;
    }
    var s = state(card);
    status.textContent = 'Session ' + progress.session + ': ' + due.length + (due.length === 1 ? ' card' : ' cards') +
      ' due. This card is in box ' + s.box + '.';
    box.hidden = false;
    $('card-flip').hidden = false;
    $('cards-next-session').hidden = true;
    var kind = card.kind === 'fact' ? 'Fact' : 'Glossary term';
    $('card-kind').textContent = card.background ? kind + ' · ' + L.background : kind;
    $('card-kind').className = 'card-kind' + (card.background ? ' is-background' : '');
    $('card-front').textContent = face(card, true);
    var back = $('card-back');
    clear(back);
    back.hidden = true;
    // A fact's answer side *is* its quotes: show them once, with their links into the reading.
    var reverse = $('cards-reverse').checked;
    if (reverse || card.kind !== 'fact') back.appendChild(el('p', { className: 'card-answer', text: face(card, false) }));
    if (card.sources.length) back.appendChild(sourceBlock(card, card.sources, openPassage));
  }

  function flip() {
    if (!card) return;
    flipped = true;
    $('card-back').hidden = false;
    $('card-flip').hidden = true;
    $('card-right').hidden = false;
    $('card-wrong').hidden = false;
    reading.setCardContext(card);
    $('card-right').focus();
    announce($('cards-live'), 'Answer: ' + face(card, false));
  }

  function grade(knew) {
    if (!card || !flipped) return;
    var s = state(card);
    var box = knew ? Math.min(BOX_COUNT, s.box + 1) : 1;
    progress.boxes[card.id] = { box: box, seen: progress.session };
    saveProgress();
    due.shift();
    var message = knew ? 'Moved up to box ' + box + '.' : 'Back to box 1.';
    show();
    announce($('cards-live'), message);
    if (card) $('card-flip').focus(); else $('cards-next-session').focus();
  }

  function nextSession() {
    progress.session += 1;
    saveProgress();
    collect();
    show();
    announce($('cards-live'), 'Session ' + progress.session + ' started.');
    if (card) $('card-flip').focus();
  }

  return {
    init: function () {
      $('card-flip').addEventListener('click', flip);
      $('card-right').addEventListener('click', function () { grade(true); });
      $('card-wrong').addEventListener('click', function () { grade(false); });
      $('cards-next-session').addEventListener('click', nextSession);
      $('cards-reverse').addEventListener('change', function () { collect(); show(); });
    },
    enter: function () {
      // Each sitting (page load) that opens the flashcards is one Leitner session.
      if (!cardsSessionStarted) {
        cardsSessionStarted = true;
        progress.session += 1;
        saveProgress();
      }
      collect();
      show();
    },
    render: renderBoxes
  };
}());
