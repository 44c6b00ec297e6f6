/* 50-cards.js — Flashcards that ask for recall, with Leitner boxes: a card in box b is due every 2^(b-1) sessions.
 *
 * A fact card hides one detail of the statement (the cloze chosen at build time by studygen/recall.py,
 * the same prompt the Anki deck asks); its back shows that detail, the whole statement and the passage.
 * A card the student did not know comes back a few cards later in the same session.
 */

// ------------------------------------------------------------------ flashcards (Leitner boxes)

// Boxes are the scheduler's business; students see how well they know the cards.
var STAGES = ['st_boxes_new', 'st_boxes_learning', 'st_boxes_learning', 'st_boxes_known', 'st_boxes_mastered'];
// A card the student did not know is asked again after this many other cards (or at the end).
var AGAIN_AFTER = 4;

function stageLines(list) {
  var counts = {};
  (list || CARDS).forEach(function (c) {
    var key = STAGES[(progress.boxes[c.id] || { box: 1 }).box - 1];
    counts[key] = (counts[key] || 0) + 1;
  });
  return STAGES.filter(function (key, i) { return STAGES.indexOf(key) === i; })
    .map(function (key) { return t(key, { n: counts[key] || 0 }); });
}

function cardBox(c) { return (progress.boxes[c.id] || { box: 1 }).box; }

// Known or mastered (box 4 or 5): what the Progress page counts as a known card.
function cardKnown(c) { return cardBox(c) >= 4; }

var cards = (function () {
  var due = [];
  var card = null;
  var flipped = false;
  var again = {};  // ids asked again this session, not yet known

  function interval(box) { return Math.pow(2, box - 1); }

  function state(c) { return progress.boxes[c.id] || { box: 1, seen: -1 }; }

  function isDue(c, session) {
    var s = state(c);
    return s.seen < 0 || (session === undefined ? progress.session : session) - s.seen >= interval(s.box);
  }

  function collect() {
    due = CARDS.filter(function (c) { return isDue(c); });
    due.sort(function (a, b) { return state(a).box - state(b).box; });
    again = {};
  }

  function renderBoxes() {
    var list = $('box-counts');
    clear(list);
    stageLines().forEach(function (line) { list.appendChild(el('li', { text: line })); });
  }

  function reversed() { return $('cards-reverse').checked; }

  // The question above the card: what the student is asked to recall.
  function ask(c) {
    if (reversed()) return t(c.kind === 'fact' ? 'st_card_ask_reverse_fact' : 'st_card_ask_reverse_term');
    return c.kind === 'fact' ? t('st_card_ask_' + c.detail) : t('st_card_ask_term');
  }

  // The front: a fact's statement with its detail blanked, or the term; reversed, the detail or definition.
  function frontNodes(c) {
    if (reversed()) return [c.back];
    if (c.kind !== 'fact') return [c.front];
    return [c.cloze[0],
      el('span', { className: 'cloze' }, [
        el('span', { 'aria-hidden': 'true', text: t('st_card_blank_mark') }),
        el('span', { className: 'visually-hidden', text: t('st_card_blank') })
      ]),
      c.cloze[2]];
  }

  // Words for screen readers and the reading's context line.
  function frontText(c) {
    if (reversed()) return c.back;
    return c.kind === 'fact' ? c.cloze[0] + t('st_card_blank') + c.cloze[2] : c.front;
  }

  function answerText(c) {
    if (!reversed()) return c.back;
    return c.kind === 'fact' ? c.statement : c.front;
  }

  function showBack(c) {
    var back = $('card-back');
    clear(back);
    back.appendChild(el('p', { className: 'card-answer', text: answerText(c) }));
    if (c.kind === 'fact' && !reversed()) {
      // The whole statement, the recalled detail marked: the fact in the reading's words.
      back.appendChild(el('p', { className: 'card-statement' },
        [c.cloze[0], el('mark', { text: c.cloze[1] }), c.cloze[2]]));
    }
    if (c.passages && c.passages.length) back.appendChild(sourceBlock(c, openPassage));
  }

  function status() {
    var n = due.length;
    var left = Object.keys(again).filter(function (id) { return due.some(function (c) { return c.id === id; }); }).length;
    if (left) {
      return n === 1 ? t('st_cards_due_again_one', { session: progress.session })
        : t('st_cards_due_again', { session: progress.session, n: n, again: left });
    }
    return n === 1 ? t('st_cards_due_one', { session: progress.session })
      : t('st_cards_due', { session: progress.session, n: n });
  }

  function show() {
    card = due[0] || null;
    flipped = false;
    var box = $('card');
    ['card-right', 'card-almost', 'card-wrong'].forEach(function (id) { $(id).hidden = true; });
    $('card-back').hidden = true;
    clear($('card-back'));
    renderBoxes();
    if (!CARDS.length) {
      $('cards-status').textContent = t('st_cards_none');
      box.hidden = true;
      $('card-flip').hidden = true;
      $('cards-next-session').hidden = true;
      return;
    }
    if (!card) {
      $('cards-status').textContent = t('st_cards_done', { session: progress.session });
      box.hidden = true;
      $('card-flip').hidden = true;
      $('cards-next-session').hidden = false;
      return;
    }
    $('cards-status').textContent = status();
    box.hidden = false;
    $('card-flip').hidden = false;
    $('cards-next-session').hidden = true;
    var kind = card.kind === 'fact' ? t('st_card_fact') : t('st_card_term');
    if (card.background) kind += ' · ' + L.beyond_reading;
    if (again[card.id]) kind += ' · ' + t('st_card_second_look');
    $('card-kind').textContent = kind;
    $('card-kind').className = 'card-kind' + (card.background ? ' is-background' : '');
    if (card.date && card.detail !== 'date') {
      // the study guide's date label (studygen.dates), unless the date is what the card asks for
      // (or, reversed, already its front)
      $('card-kind').appendChild(el('span', {
        className: 'card-date', text: ' · ' + card.date, title: card.dateInferred ? L.dates_legend : undefined
      }));
    }
    $('card-ask').textContent = ask(card);
    var front = $('card-front');
    clear(front);
    frontNodes(card).forEach(function (n) { front.appendChild(typeof n === 'string' ? document.createTextNode(n) : n); });
  }

  function flip() {
    if (!card || flipped) return;
    flipped = true;
    showBack(card);
    $('card-back').hidden = false;
    $('card-flip').hidden = true;
    ['card-right', 'card-almost', 'card-wrong'].forEach(function (id) { $(id).hidden = false; });
    reading.setCardContext(card);
    // Focus on the answer itself: a second Space or Enter must not grade the card by accident.
    $('card-back').focus({ preventScroll: true });
    announce($('cards-live'), t('st_card_answer', { answer: answerText(card) }));
  }

  // grade: 0 did not know (back to box 1, again in a few cards), 1 almost (same box), 2 knew (one box up).
  function grade(how) {
    if (!card || !flipped) return;
    var s = state(card);
    var box = s.box;
    // A card asked again this session starts from box 1 whatever the answer: it was not known today.
    if (how === 0 || again[card.id]) box = 1;
    else if (how === 2) box = Math.min(BOX_COUNT, s.box + 1);
    progress.boxes[card.id] = { box: box, seen: progress.session };
    saveProgress();
    var graded = due.shift();
    if (how === 0) {
      again[graded.id] = true;
      due.splice(Math.min(AGAIN_AFTER, due.length), 0, graded);
    } else {
      delete again[graded.id];
    }
    var message = [t('st_card_again'), t('st_card_almost_done'), t('st_card_up')][how];
    show();
    if (card) {
      announce($('cards-live'), message + ' ' + t('st_card_next', { front: frontText(card) }));
      $('card-flip').focus();
    } else {
      announce($('cards-live'), message + ' ' + $('cards-status').textContent);
      $('cards-next-session').focus();
    }
  }

  function nextSession() {
    progress.session += 1;
    saveProgress();
    collect();
    show();
    announce($('cards-live'), t('st_cards_session_started', { session: progress.session }) +
      (card ? ' ' + t('st_card_next', { front: frontText(card) }) : ''));
    if (card) $('card-flip').focus();
  }

  // Space/Enter flips; 1 or Left arrow: did not know; 2: almost; 3 or Right arrow: knew.
  function onKey(event) {
    if (currentView !== 'cards' || event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) return;
    var target = event.target;
    var tag = target && target.tagName ? target.tagName.toLowerCase() : '';
    if (tag === 'input' && target.type === 'text' || tag === 'textarea' || tag === 'select' || (target && target.isContentEditable)) return;
    var key = event.key;
    if (key === ' ' || key === 'Enter') {
      // A focused button, link, checkbox or summary does its own thing with these keys.
      if (tag === 'button' || tag === 'a' || tag === 'input' || tag === 'summary') return;
      if (!card || flipped) return;
      event.preventDefault();
      flip();
      return;
    }
    var how = { '1': 0, ArrowLeft: 0, '2': 1, '3': 2, ArrowRight: 2 }[key];
    if (how === undefined || !card || !flipped) return;
    event.preventDefault();
    grade(how);
  }

  return {
    init: function () {
      $('card-flip').addEventListener('click', flip);
      $('card-right').addEventListener('click', function () { grade(2); });
      $('card-almost').addEventListener('click', function () { grade(1); });
      $('card-wrong').addEventListener('click', function () { grade(0); });
      $('cards-next-session').addEventListener('click', nextSession);
      $('cards-reverse').addEventListener('change', function () { collect(); show(); });
      document.addEventListener('keydown', onKey);
    },
    enter: function () {
      // Each sitting (page load) that opens the flashcards is one Leitner session; coming back
      // from the reading (or another tab) keeps the card on screen and the cards asked again.
      if (!cardsSessionStarted) {
        cardsSessionStarted = true;
        progress.session += 1;
        saveProgress();
        collect();
        show();
        return;
      }
      renderBoxes();
    },
    // How many cards are due now: the rest of this sitting's session, or what the next one will ask.
    dueCount: function () {
      if (cardsSessionStarted) return due.length;
      return CARDS.filter(function (c) { return isDue(c, progress.session + 1); }).length;
    },
    render: renderBoxes
  };
}());
