/* 70-progress.js — The Progress view: what has been answered, missed and reviewed, and reset.
 */

// ------------------------------------------------------------------ progress view

function renderProgress() {
  var summary = $('progress-summary');
  clear(summary);
  var answered = QUESTIONS.filter(function (q) { return progress.answers[q.id]; });
  var lastRight = answered.filter(function (q) { return progress.answers[q.id].last; }).length;
  var misses = QUESTIONS.filter(isMiss).length;
  var gradable = QUESTIONS.filter(function (q) { return q.type !== 'essay'; }).length;
  var rows = [
    ['Questions answered', answered.length + ' of ' + gradable],
    ['Right at the last attempt', String(lastRight)],
    ['Missed at the last attempt', String(misses)],
    ['Quizzes taken', String(progress.quizzes.length)],
    ['Flashcard sessions', String(progress.session)]
  ];
  var counts = [0, 0, 0, 0, 0];
  CARDS.forEach(function (c) { counts[(progress.boxes[c.id] || { box: 1 }).box - 1] += 1; });
  rows.push(['Flashcards per box', counts.map(function (n, i) { return 'box ' + (i + 1) + ': ' + n; }).join(', ')]);
  rows.forEach(function (r) {
    summary.appendChild(el('div', { className: 'summary-row' }, [el('dt', { text: r[0] }), el('dd', { text: r[1] })]));
  });
  var review = $('review-misses');
  review.textContent = misses ? 'Review my misses (' + misses + ')' : 'Review my misses';
  review.setAttribute('aria-disabled', misses ? 'false' : 'true');
  var history = $('quiz-history');
  clear(history);
  progress.quizzes.slice().reverse().forEach(function (q) {
    var when = new Date(q.at);
    var pct = q.total ? Math.round((q.score / q.total) * 100) : 0;
    history.appendChild(el('li', { text: when.toLocaleString() + ': ' + fmt(q.score) + ' of ' + fmt(q.total) +
      ' points (' + pct + '%)' + (q.missed.length ? ', ' + q.missed.length + ' missed' : '') }));
  });
  $('quiz-history-empty').hidden = progress.quizzes.length > 0;
}

function setupProgress() {
  $('review-misses').addEventListener('click', function () {
    if (!QUESTIONS.some(isMiss)) {
      announce($('progress-live'), 'No misses to review yet.');
      return;
    }
    $('filter-topic').value = '';
    $('filter-difficulty').value = '';
    $('filter-bloom').value = '';
    updateFilterCount();
    practice.reviewMisses();
    showView('practice', true);
  });
  $('reset-progress').addEventListener('click', function () {
    var sure = window.confirm('Reset all progress? Your answers, quiz results and flashcard boxes will be deleted.');
    if (!sure) return;
    progress = emptyProgress();
    saveProgress();
    cardsSessionStarted = false;
    practice.restart();
    renderProgress();
    announce($('progress-live'), 'Progress reset.');
  });
}
