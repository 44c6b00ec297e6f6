/* 50-cards.js — Flashcards with Leitner boxes: a card in box b is due every 2^(b-1) sessions.
 */

// ------------------------------------------------------------------ flashcards (Leitner boxes)

// Boxes are the scheduler's business; students see how well they know the cards.
var STAGES = ['st_boxes_new', 'st_boxes_learning', 'st_boxes_learning', 'st_boxes_known', 'st_boxes_mastered'];

function stageLines() {
  var counts = {};
  CARDS.forEach(function (c) {
    var key = STAGES[(progress.boxes[c.id] || { box: 1 }).box - 1];
    counts[key] = (counts[key] || 0) + 1;
  });
  return STAGES.filter(function (key, i) { return STAGES.indexOf(key) === i; })
    .map(function (key) { return t(key, { n: counts[key] || 0 }); });
}

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
    var list = $('box-counts');
    clear(list);
    stageLines().forEach(function (line) { list.appendChild(el('li', { text: line })); });
  }

  function quoteSide(c) {
    return c.kind === 'fact' ? c.sources.map(function (s) { return t('st_quoted', { text: s.text }); }).join(' ') : c.back;
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
      status.textContent = t('st_cards_none');
      box.hidden = true;
      $('card-flip').hidden = true;
      $('cards-next-session').hidden = true;
      return;
    }
    if (!card) {
      status.textContent = t('st_cards_done', { session: progress.session });
      box.hidden = true;
      $('card-flip').hidden = true;
      $('cards-next-session').hidden = false;
      return;
    }
    status.textContent = due.length === 1 ? t('st_cards_due_one', { session: progress.session })
      : t('st_cards_due', { session: progress.session, n: due.length });
    box.hidden = false;
    $('card-flip').hidden = false;
    $('cards-next-session').hidden = true;
    var kind = card.kind === 'fact' ? t('st_card_fact') : t('st_card_term');
    $('card-kind').textContent = card.background ? kind + ' · ' + L.beyond_reading : kind;
    $('card-kind').className = 'card-kind' + (card.background ? ' is-background' : '');
    if (card.date) {
      // the study guide's date label (studygen.dates); a bracketed part is inferred, the legend says so
      $('card-kind').appendChild(el('span', {
        className: 'card-date', text: ' · ' + card.date, title: card.dateInferred ? L.dates_legend : undefined
      }));
    }
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
    announce($('cards-live'), t('st_card_answer', { answer: face(card, false) }));
  }

  function grade(knew) {
    if (!card || !flipped) return;
    var s = state(card);
    var box = knew ? Math.min(BOX_COUNT, s.box + 1) : 1;
    progress.boxes[card.id] = { box: box, seen: progress.session };
    saveProgress();
    due.shift();
    var message = knew ? t('st_card_up') : t('st_card_again');
    show();
    announce($('cards-live'), message);
    if (card) $('card-flip').focus(); else $('cards-next-session').focus();
  }

  function nextSession() {
    progress.session += 1;
    saveProgress();
    collect();
    show();
    announce($('cards-live'), t('st_cards_session_started', { session: progress.session }));
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
