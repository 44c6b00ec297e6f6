/* 40-quiz.js — Quiz: N random gradable questions, no feedback until the score and the review of mistakes.
 */

// ------------------------------------------------------------------ quiz

var quiz = (function () {
  var items = [];
  var index = 0;
  var widget = null;
  var results = [];

  function start(event) {
    event.preventDefault();
    var pool = filtered().filter(function (q) { return q.type !== 'essay'; });
    var live = $('quiz-live');
    if (!pool.length) {
      announce(live, t('st_quiz_none'));
      return;
    }
    var size = Math.floor(Number($('quiz-size').value));
    if (!isFinite(size) || size < 1) size = 10;
    items = shuffle(pool).slice(0, Math.min(size, pool.length));
    index = 0;
    results = [];
    $('quiz-setup').hidden = true;
    $('quiz-result').hidden = true;
    $('quiz-run').hidden = false;
    show();
    announce(live, t('st_quiz_started', { n: items.length }));
    focusNode($('quiz-question').querySelector('.question-heading'));
  }

  function show() {
    var q = items[index];
    // The reading opens on this question's text, but highlights nothing: that would give the answer.
    reading.setBank(q.bank);
    $('quiz-message').hidden = true;
    widget = renderQuestion($('quiz-question'), q, t('st_question_x_of_y', { n: index + 1, total: items.length }), $('quiz-live'));
    $('quiz-submit').textContent = t(index === items.length - 1 ? 'st_quiz_submit_last' : 'st_quiz_submit');
  }

  function submit(event) {
    event.preventDefault();
    if (!widget) return;
    var q = items[index];
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
    results.push({ q: q, correct: correct, yours: widget.yours(), expected: widget.expected(), ordered: !!widget.ordered });
    index += 1;
    if (index < items.length) {
      show();
      announce($('quiz-live'), t('st_quiz_recorded', { n: index + 1, total: items.length }));
      focusNode($('quiz-question').querySelector('.question-heading'));
    } else {
      finish();
    }
  }

  function finish() {
    widget = null;
    var total = 0;
    var score = 0;
    results.forEach(function (r) { total += r.q.points; if (r.correct) score += r.q.points; });
    var missed = results.filter(function (r) { return !r.correct; });
    progress.quizzes.push({ at: Date.now(), score: score, total: total, count: results.length,
      missed: missed.map(function (r) { return r.q.id; }) });
    if (progress.quizzes.length > 50) progress.quizzes.splice(0, progress.quizzes.length - 50);
    saveProgress();
    $('quiz-run').hidden = true;
    $('quiz-result').hidden = false;
    var pct = total ? Math.round((score / total) * 100) : 0;
    var message = t('st_quiz_score', { score: fmt(score), total: fmt(total), percent: pct });
    $('quiz-score').textContent = message;
    var review = $('quiz-review');
    clear(review);
    missed.forEach(function (r) {
      var li = el('li', { className: 'review-item' }, [
        el('p', { className: 'stem', text: r.q.stem }),
        el('p', { className: 'label', text: t('st_your_answer') }), answerList(r.yours, r.ordered),
        el('p', { className: 'label', text: r.q.type === 'short_answer' ? L.accepted_answers : t('st_correct_answer') }),
        answerList(r.expected, r.ordered)
      ]);
      explanationBlock(r.q, openPassage).forEach(function (n) { li.appendChild(n); });
      review.appendChild(li);
    });
    $('quiz-no-mistakes').hidden = missed.length > 0;
    announce($('quiz-live'), message);
    focusNode($('quiz-result-heading'));
  }

  function again() {
    $('quiz-result').hidden = true;
    $('quiz-setup').hidden = false;
    focusNode($('quiz-size'));
  }

  return {
    init: function () {
      $('quiz-setup').addEventListener('submit', start);
      $('quiz-run').addEventListener('submit', submit);
      $('quiz-again').addEventListener('click', again);
      $('quiz-size').max = String(QUESTIONS.length || 1);
      $('quiz-size').value = String(Math.min(10, QUESTIONS.length || 1));
    }
  };
}());

function fmt(n) { return Math.round(n * 100) / 100 + ''; }
