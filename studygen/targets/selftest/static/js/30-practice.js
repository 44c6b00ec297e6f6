/* 30-practice.js — Practice: one question at a time with instant feedback.
 *
 * A practice round is a fixed list of question ids, built when the student changes the filters or the order
 * (reading order or shuffled with the session's seed, optionally missed and unanswered first) and saved with
 * the position, so a reload continues where the student was.  The list does not re-sort while they answer.
 */

// ------------------------------------------------------------------ practice

function primary(button) {
  // One primary action at a time: Check before an answer is checked, Next after.
  ['practice-check', 'practice-next'].forEach(function (id) { $(id).classList.toggle('primary', $(id) === button); });
}

// Typed answers are the ones a strict rule can wrongly refuse (a typo, another spelling): they get "I was right".
var SELF_JUDGED_TYPES = { short_answer: true, fill_blank: true };

function lastResultText(q) {
  var a = progress.answers[q.id];
  if (!a) return t('st_lasttime_none');
  if (a.last) return a.mine ? t('st_lasttime_mine') : t('st_lasttime_right');
  return t('st_lasttime_wrong');
}

function lastResultClass(q) {
  var a = progress.answers[q.id];
  return 'last-result ' + (!a ? 'none' : a.last ? 'right' : 'wrong');
}

var practice = (function () {
  var list = [];
  var index = 0;
  var widget = null;
  var checked = false;

  function byId() {
    var map = {};
    QUESTIONS.forEach(function (q) { map[q.id] = q; });
    return map;
  }

  function rank(q) {
    // Missed at the last attempt first, then never tried, then right last time.
    var a = progress.answers[q.id];
    if (!a) return 1;
    return a.last ? 2 : 0;
  }

  function build() {
    var all = filtered();
    if ($('misses-only').checked) all = all.filter(isMiss);
    if ($('practice-shuffle').checked) all = seededShuffle(all, sessionSeed);
    if ($('practice-missed-first').checked) {
      // A stable sort by rank keeps the reading (or shuffled) order inside each group.
      all = all.map(function (q, i) { return [rank(q), i, q]; })
        .sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; })
        .map(function (x) { return x[2]; });
    }
    return all;
  }

  function save() {
    progress.practice = {
      ids: list.map(function (q) { return q.id; }),
      pos: index,
      done: checked,
      shuffle: $('practice-shuffle').checked,
      missedFirst: $('practice-missed-first').checked,
      missesOnly: $('misses-only').checked,
      seed: sessionSeed,
      filters: filterValues()
    };
    saveProgress();
  }

  function current() { return list[index] || null; }

  function status(message) {
    $('practice-status').textContent = message || '';
  }

  function show() {
    var container = $('practice-question');
    var feedback = $('practice-feedback');
    clear(feedback);
    feedback.className = 'feedback';
    checked = false;
    $('practice-check').disabled = false;
    if (!list.length) {
      clear(container);
      widget = null;
      var why = $('misses-only').checked ? t('st_no_misses') : t('st_no_questions');
      container.appendChild(el('p', { className: 'empty', text: why }));
      $('practice-check').disabled = true;
      $('practice-prev').disabled = true;
      $('practice-next').disabled = true;
      return;
    }
    var q = current();
    // Until the question is checked the reading shows no highlight: it would give the answer away.
    reading.setBank(q.bank);
    // A status from the last question (an ordering move) must not linger under this one.
    $('practice-live').textContent = '';
    primary($('practice-check'));
    widget = renderQuestion(container, q, t('st_question_x_of_y', { n: index + 1, total: list.length }), $('practice-live'));
    if (q.type !== 'essay') {
      // How it went last time, before this attempt (essays are never graded, so they have none).
      var meta = container.querySelector('.meta');
      var badge = el('span', { className: lastResultClass(q), text: lastResultText(q) });
      if (meta) meta.appendChild(badge); else container.appendChild(el('p', {}, [badge]));
    }
    $('practice-prev').disabled = list.length < 2;
    $('practice-next').disabled = list.length < 2;
  }

  function restart() {
    list = build();
    index = 0;
    checked = false;
    status('');
    show();
    save();
  }

  function startOver() {
    if ($('practice-shuffle').checked) newSessionSeed();
    restart();
    status(t('st_started_over', { total: list.length }));
    focusNode($('practice-question').querySelector('.question-heading'));
  }

  function step(delta) {
    if (!list.length) return;
    index = (index + delta + list.length) % list.length;
    status('');
    show();
    save();
    focusNode($('practice-question').querySelector('.question-heading'));
  }

  function overrideBlock(q, feedback) {
    var box = el('div', { className: 'override' });
    var verdict = feedback.querySelector('.verdict');
    function offer() {
      clear(box);
      box.appendChild(el('p', { className: 'hint', text: t('st_i_was_right_hint') }));
      box.appendChild(el('button', { type: 'button', id: 'practice-override', text: t('st_i_was_right'), onclick: function () {
        overrideAnswer(q.id, true);
        feedback.className = 'feedback right mine';
        verdict.textContent = t('st_counted_right');
        decided();
        announce($('practice-live'), t('st_counted_right'));
        $('practice-undo').focus();
      } }));
    }
    function decided() {
      clear(box);
      box.appendChild(el('p', { className: 'mine-note', text: t('st_counted_right_note') }));
      box.appendChild(el('button', { type: 'button', id: 'practice-undo', text: t('st_undo_override'), onclick: function () {
        overrideAnswer(q.id, false);
        feedback.className = 'feedback wrong';
        verdict.textContent = t('st_verdict_wrong');
        offer();
        announce($('practice-live'), t('st_override_undone'));
        $('practice-override').focus();
      } }));
    }
    offer();
    return box;
  }

  function check(event) {
    event.preventDefault();
    var q = current();
    if (!q || !widget) return;
    var feedback = $('practice-feedback');
    if (checked) {
      // Enter after checking goes on, as the Next button (now the primary one) does.
      if (list.length > 1) step(1); else announce($('practice-live'), t('st_already_checked'));
      return;
    }
    if (!widget.answered()) {
      feedback.className = 'feedback';
      clear(feedback);
      feedback.appendChild(el('p', { className: 'verdict', text: t('st_answer_first') }));
      return;
    }
    var correct = widget.grade();
    checked = true;
    widget.disable();
    if (correct !== null) recordAnswer(q.id, correct);
    renderFeedback(feedback, q, widget, correct);
    if (correct === false && SELF_JUDGED_TYPES[q.type]) {
      // Under the accepted answers, so the student compares before deciding.
      var after = feedback.querySelector('.answer-list') || feedback.querySelector('.verdict');
      feedback.insertBefore(overrideBlock(q, feedback), after ? after.nextSibling : feedback.firstChild);
    }
    reading.setContext(q);
    if (list.length > 1) primary($('practice-next'));
    save();
  }

  function resume(saved) {
    // The saved round, plus any question a rebuild added since (a new week's reading) at its end.
    $('practice-shuffle').checked = saved.shuffle;
    $('practice-missed-first').checked = saved.missedFirst;
    $('misses-only').checked = saved.missesOnly;
    setFilterValues(saved.filters);
    var questions = byId();
    list = saved.ids.map(function (id) { return questions[id]; });
    var have = {};
    list.forEach(function (q) { have[q.id] = true; });
    build().forEach(function (q) { if (!have[q.id]) list.push(q); });
    index = saved.pos < list.length ? saved.pos : 0;
    // A question already checked before the reload is done: go on to the next one.
    if (saved.done && list.length > 1) index = (index + 1) % list.length;
    show();
    save();
    if (list.length && (index > 0 || saved.done)) status(t('st_resumed', { n: index + 1, total: list.length }));
  }

  return {
    init: function () {
      $('practice-form').addEventListener('submit', check);
      $('practice-prev').addEventListener('click', function () { step(-1); });
      $('practice-next').addEventListener('click', function () { step(1); });
      $('misses-only').addEventListener('change', restart);
      // Shuffle uses this session's seed, so on, off and on again within a session gives the same order.
      $('practice-shuffle').addEventListener('change', restart);
      $('practice-missed-first').addEventListener('change', restart);
      $('practice-restart').addEventListener('click', startOver);
      if (progress.practice) resume(progress.practice); else restart();
    },
    restart: restart,
    reviewMisses: function () {
      $('misses-only').checked = true;
      restart();
    },
    current: current
  };
}());
