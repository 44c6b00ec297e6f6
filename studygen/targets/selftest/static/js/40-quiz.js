/* 40-quiz.js — Quiz: N random gradable questions, no feedback until the score and the review.
 *
 * The run (question ids, answers given, flags, position) is saved with the progress after every step, so a
 * reload brings back the quiz in progress, its "before you submit" list or its results.  An answer is final
 * once submitted; a question can be skipped or flagged and is listed before the quiz is submitted.
 */

// ------------------------------------------------------------------ quiz

var quiz = (function () {
  var run = null;      // progress.quiz while a quiz is open
  var widget = null;
  var QUESTION_BY_ID = {};
  QUESTIONS.forEach(function (q) { QUESTION_BY_ID[q.id] = q; });

  function save() {
    progress.quiz = run;
    if (!run) delete progress.quiz;
    saveProgress();
  }

  function question(i) { return QUESTION_BY_ID[run.ids[i]]; }
  function answered(id) { return Object.prototype.hasOwnProperty.call(run.answers, id); }
  function flagged(id) { return run.flags.indexOf(id) >= 0; }
  function answeredCount() { return run.ids.filter(answered).length; }
  function unanswered() { return run.ids.filter(function (id) { return !answered(id); }); }

  function panel(name) {
    // One of the setup form, the running quiz, the list before submitting and the results is shown.
    $('quiz-setup').hidden = name !== 'setup';
    $('quiz-run').hidden = name !== 'run';
    $('quiz-pending').hidden = name !== 'pending';
    $('quiz-result').hidden = name !== 'result';
  }

  function begin(ids) {
    run = { ids: ids, answers: {}, flags: [], pos: 0, finished: false, pending: false, open: true, at: 0 };
    save();
    showRun('');
    announce($('quiz-live'), t('st_quiz_started', { n: ids.length }));
    focusNode($('quiz-question').querySelector('.question-heading'));
  }

  function start(event) {
    event.preventDefault();
    var pool = filtered().filter(function (q) { return q.type !== 'essay'; });
    if (!pool.length) {
      announce($('quiz-live'), t('st_quiz_none'));
      return;
    }
    var size = Math.floor(Number($('quiz-size').value));
    if (!isFinite(size) || size < 1) size = 10;
    begin(shuffle(pool).slice(0, Math.min(size, pool.length)).map(function (q) { return q.id; }));
  }

  function updateProgress() {
    var done = answeredCount();
    var bar = $('quiz-progress-bar');
    bar.max = run.ids.length;
    bar.value = done;
    $('quiz-progress-text').textContent = t('st_quiz_progress', { answered: done, total: run.ids.length, flagged: run.flags.length });
    var id = run.ids[run.pos];
    $('quiz-flag').textContent = flagged(id) ? t('st_quiz_unflag') : t('st_quiz_flag');
    $('quiz-flag').setAttribute('aria-pressed', flagged(id) ? 'true' : 'false');
    var badge = $('quiz-question').querySelector('.flag-badge');
    if (badge) badge.hidden = !flagged(id);
  }

  function showRun(message) {
    run.pending = false;
    run.finished = false;
    panel('run');
    var q = question(run.pos);
    // The reading opens on this question's text, but highlights nothing: that would give the answer.
    reading.setBank(q.bank);
    $('quiz-message').hidden = true;
    $('quiz-status').textContent = message || '';
    widget = renderQuestion($('quiz-question'), q, t('st_question_x_of_y', { n: run.pos + 1, total: run.ids.length }), $('quiz-live'));
    var heading = $('quiz-question').querySelector('.question-heading');
    heading.parentNode.insertBefore(el('p', { className: 'flag-badge', text: t('st_quiz_flagged') }), heading.nextSibling);
    var last = unanswered().length === 1;
    $('quiz-submit').textContent = t(last ? 'st_quiz_submit_last' : 'st_quiz_submit');
    updateProgress();
    save();
  }

  function nextOpen(from) {
    // The next unanswered question after `from`; past the last one the student sees the list instead.
    for (var i = from + 1; i < run.ids.length; i += 1) if (!answered(run.ids[i])) return i;
    return -1;
  }

  function goOn() {
    var next = nextOpen(run.pos);
    if (next >= 0) {
      run.pos = next;
      showRun('');
      announce($('quiz-live'), t('st_question_x_of_y', { n: next + 1, total: run.ids.length }));
      focusNode($('quiz-question').querySelector('.question-heading'));
    } else if (unanswered().length) {
      showPending();
    } else {
      finish();
    }
  }

  function submit(event) {
    event.preventDefault();
    if (!widget || !run) return;
    var q = question(run.pos);
    if (!widget.answered()) {
      // Said on screen too, not only to screen readers: a silent button looks broken.
      $('quiz-message').textContent = t('st_quiz_answer_first');
      $('quiz-message').hidden = false;
      announce($('quiz-live'), t('st_quiz_answer_first'));
      return;
    }
    $('quiz-message').hidden = true;
    var correct = widget.grade() === true;
    recordAnswer(q.id, correct);
    run.answers[q.id] = { correct: correct, yours: widget.yours(), expected: widget.expected(), ordered: !!widget.ordered };
    save();
    goOn();
  }

  function skip() {
    if (!run) return;
    goOn();
  }

  function toggleFlag() {
    var id = run.ids[run.pos];
    if (flagged(id)) run.flags.splice(run.flags.indexOf(id), 1); else run.flags.push(id);
    updateProgress();
    save();
    announce($('quiz-live'), flagged(id) ? t('st_quiz_flagged') : t('st_quiz_unflagged'));
  }

  function showPending(quiet) {
    widget = null;
    run.pending = true;
    save();
    panel('pending');
    var open = unanswered();
    $('quiz-pending-intro').textContent = t('st_quiz_pending_intro', { answered: answeredCount(), total: run.ids.length });
    var listNode = $('quiz-pending-list');
    clear(listNode);
    run.ids.forEach(function (id, i) {
      var isOpen = !answered(id);
      if (!isOpen && !flagged(id)) return;
      var state = isOpen ? (flagged(id) ? 'st_quiz_state_flagged' : 'st_quiz_state_unanswered') : 'st_quiz_state_flagged_answered';
      var text = t('st_quiz_goto', { n: i + 1, state: t(state), stem: QUESTION_BY_ID[id].stem });
      // An answer is final once submitted, so only the questions still open are links back.
      var item = isOpen
        ? el('button', { type: 'button', className: 'link-button', 'data-pos': String(i), text: text,
          onclick: function () { run.pos = i; showRun(''); focusNode($('quiz-question').querySelector('.question-heading')); } })
        : el('span', { text: text });
      listNode.appendChild(el('li', { className: isOpen ? 'open' : 'answered' }, [item]));
    });
    if (!listNode.firstChild) listNode.appendChild(el('li', { text: t('st_quiz_pending_none') }));
    $('quiz-back').hidden = !open.length;
    if (quiet !== true) focusNode($('quiz-pending-heading'));
  }

  function back() {
    var open = unanswered();
    if (!open.length) return;
    var pos = run.ids.indexOf(open[0]);
    run.pos = pos;
    showRun('');
    focusNode($('quiz-question').querySelector('.question-heading'));
  }

  function results() {
    var total = 0;
    var score = 0;
    var rows = run.ids.map(function (id) {
      var q = QUESTION_BY_ID[id];
      var a = run.answers[id];
      total += q.points;
      if (a && a.correct) score += q.points;
      return { q: q, answered: !!a, correct: !!(a && a.correct), flagged: flagged(id), mine: !!(a && a.mine),
        yours: a ? a.yours : [], expected: a ? a.expected : null, ordered: !!(a && a.ordered) };
    });
    return { rows: rows, score: score, total: total };
  }

  function finish() {
    widget = null;
    var r = results();
    var missed = r.rows.filter(function (row) { return !row.correct; });
    run.at = Date.now();
    progress.quizzes.push({ at: run.at, score: r.score, total: r.total, count: r.rows.length,
      missed: missed.map(function (row) { return row.q.id; }) });
    if (progress.quizzes.length > 50) progress.quizzes.splice(0, progress.quizzes.length - 50);
    run.finished = true;
    run.pending = false;
    save();
    showResults();
    focusNode($('quiz-result-heading'));
  }

  function topicTable(rows) {
    // One row per topic in the course's topic order; a question with two topics counts in both.
    var tally = {};
    rows.forEach(function (row) {
      row.q.topics.forEach(function (tid) {
        var c = tally[tid] || (tally[tid] = { right: 0, total: 0 });
        c.total += 1;
        if (row.correct) c.right += 1;
      });
    });
    var body = $('quiz-topics').querySelector('tbody');
    clear(body);
    DATA.topics.forEach(function (topic) {
      var c = tally[topic[0]];
      if (!c) return;
      var pct = Math.round((c.right / c.total) * 100);
      body.appendChild(el('tr', { className: c.right === c.total ? 'all-right' : 'some-wrong' }, [
        el('th', { scope: 'row', text: topic[1] }),
        el('td', { text: t('st_quiz_topic_row', { right: c.right, total: c.total, percent: pct }) })
      ]));
    });
  }

  function showResults() {
    panel('result');
    var r = results();
    var pct = r.total ? Math.round((r.score / r.total) * 100) : 0;
    var message = t('st_quiz_score', { score: fmt(r.score), total: fmt(r.total), percent: pct });
    $('quiz-score').textContent = message;
    topicTable(r.rows);
    var review = $('quiz-review');
    clear(review);
    // The mistakes, the questions left open, and any the student flagged (right or not) to look at again.
    var shown = r.rows.filter(function (row) { return !row.correct || row.flagged || row.mine; });
    shown.forEach(function (row) {
      var li = el('li', { className: 'review-item' + (row.correct ? ' right' : '') }, [el('p', { className: 'stem', text: row.q.stem })]);
      if (row.flagged) li.appendChild(el('p', { className: 'flag-note', text: t('st_quiz_flagged_note') }));
      if (row.correct) li.appendChild(el('p', { className: 'verdict', text: row.mine ? t('st_counted_right') : t('st_verdict_right') }));
      li.appendChild(el('p', { className: 'label', text: t('st_your_answer') }));
      li.appendChild(row.answered ? answerList(row.yours, row.ordered) : el('p', { className: 'not-answered', text: t('st_quiz_not_answered') }));
      if (!row.correct && row.expected) {
        li.appendChild(el('p', { className: 'label', text: row.q.type === 'short_answer' ? L.accepted_answers : t('st_correct_answer') }));
        li.appendChild(answerList(row.expected, row.ordered));
      }
      if (row.mine || (!row.correct && row.answered && SELF_JUDGED_TYPES[row.q.type])) li.appendChild(selfJudged(row));
      explanationBlock(row.q, openPassage).forEach(function (n) { li.appendChild(n); });
      review.appendChild(li);
    });
    var missed = r.rows.filter(function (row) { return !row.correct; });
    $('quiz-no-mistakes').hidden = missed.length > 0;
    var retry = $('quiz-retry');
    retry.hidden = !missed.length;
    retry.textContent = missed.length === 1 ? t('st_quiz_retry_one') : t('st_quiz_retry', { n: missed.length });
    $('quiz-again').classList.toggle('primary', !missed.length);
    announce($('quiz-live'), message);
    return message;
  }

  function selfJudged(row) {
    // The same "I was right" as in practice: the student's call, said so, and undoable.
    var id = row.q.id;
    var box = el('div', { className: 'override' });
    if (row.mine) {
      box.appendChild(el('p', { className: 'mine-note', text: t('st_counted_right_note') }));
      box.appendChild(el('button', { type: 'button', className: 'quiz-undo', 'data-qid': id, text: t('st_undo_override'),
        onclick: function () { judge(id, false); } }));
    } else {
      box.appendChild(el('p', { className: 'hint', text: t('st_i_was_right_hint') }));
      box.appendChild(el('button', { type: 'button', className: 'quiz-override', 'data-qid': id, text: t('st_i_was_right'),
        onclick: function () { judge(id, true); } }));
    }
    return box;
  }

  function judge(id, mine) {
    var a = run.answers[id];
    if (!a) return;
    a.correct = mine;
    if (mine) a.mine = true; else delete a.mine;
    overrideAnswer(id, mine);
    // The quiz's line in the history follows: its score and its list of misses.
    var r = results();
    progress.quizzes.forEach(function (h) {
      if (h.at !== run.at) return;
      h.score = r.score;
      h.missed = r.rows.filter(function (row) { return !row.correct; }).map(function (row) { return row.q.id; });
    });
    save();
    showResults();
    var again = $('quiz-review').querySelector((mine ? '.quiz-undo' : '.quiz-override') + '[data-qid="' + id + '"]');
    if (again) again.focus();
    announce($('quiz-live'), mine ? t('st_counted_right') : t('st_override_undone'));
  }

  function retry() {
    var missed = results().rows.filter(function (row) { return !row.correct; }).map(function (row) { return row.q.id; });
    if (missed.length) begin(shuffle(missed));
  }

  function again() {
    run = null;
    save();
    panel('setup');
    focusNode($('quiz-size'));
  }

  function resume() {
    run = progress.quiz;
    if (!run.finished && !run.pending && answered(run.ids[run.pos])) {
      // Left between saving an answer and showing the next question: go on to an open one.
      var open = unanswered();
      if (!open.length) { finish(); return; }
      var next = nextOpen(run.pos);
      run.pos = next >= 0 ? next : run.ids.indexOf(open[0]);
    }
    if (run.finished) showResults();
    else if (run.pending) showPending(true);
    else showRun(t('st_quiz_resumed', { answered: answeredCount(), total: run.ids.length }));
  }

  return {
    init: function () {
      $('quiz-setup').addEventListener('submit', start);
      $('quiz-run').addEventListener('submit', submit);
      $('quiz-skip').addEventListener('click', skip);
      $('quiz-flag').addEventListener('click', toggleFlag);
      $('quiz-finish').addEventListener('click', showPending);
      $('quiz-submit-all').addEventListener('click', finish);
      $('quiz-back').addEventListener('click', back);
      $('quiz-retry').addEventListener('click', retry);
      $('quiz-again').addEventListener('click', again);
      $('quiz-size').max = String(QUESTIONS.length || 1);
      $('quiz-size').value = String(Math.min(10, QUESTIONS.length || 1));
      // Remember whether the student was in the quiz, so a reload reopens it there.
      Array.prototype.forEach.call(document.querySelectorAll('.tab'), function (tab) {
        tab.addEventListener('click', function () {
          // "Reset progress" replaced the progress object: the quiz it held is gone too.
          if (run && progress.quiz !== run) {
            run = null;
            widget = null;
            panel('setup');
          }
          if (!run) return;
          run.open = tab.getAttribute('data-view') === 'quiz';
          save();
        });
      });
      if (progress.quiz) resume();
    },
    // True when a reload should reopen the Quiz view: a quiz was open there, unfinished or on its results.
    reopens: function () { return !!(run && run.open); }
  };
}());

function fmt(n) { return Math.round(n * 100) / 100 + ''; }
