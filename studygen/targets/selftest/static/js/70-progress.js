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
    [t('st_answered'), t('st_x_of_y', { n: answered.length, total: gradable })],
    [t('st_last_right'), String(lastRight)],
    [t('st_last_missed'), String(misses)],
    [t('st_quizzes_taken'), String(progress.quizzes.length)],
    [t('st_card_sessions'), String(progress.session)]
  ];
  if (CARDS.length) rows.push([t('st_cards_boxes'), stageLines().join(', ')]);
  rows.forEach(function (r) {
    summary.appendChild(el('div', { className: 'summary-row' }, [el('dt', { text: r[0] }), el('dd', { text: r[1] })]));
  });
  var review = $('review-misses');
  review.textContent = misses ? t('st_review_misses_n', { n: misses }) : t('st_review_misses');
  review.setAttribute('aria-disabled', misses ? 'false' : 'true');
  var history = $('quiz-history');
  clear(history);
  progress.quizzes.slice().reverse().forEach(function (q) {
    var when = new Date(q.at);
    var pct = q.total ? Math.round((q.score / q.total) * 100) : 0;
    var row = t('st_history_row', { when: when.toLocaleString(), score: fmt(q.score), total: fmt(q.total), percent: pct });
    history.appendChild(el('li', { text: q.missed.length ? t('st_history_missed', { row: row, n: q.missed.length }) : row }));
  });
  $('quiz-history-empty').hidden = progress.quizzes.length > 0;
}

function setupProgress() {
  $('review-misses').addEventListener('click', function () {
    if (!QUESTIONS.some(isMiss)) {
      announce($('progress-live'), t('st_no_misses_yet'));
      return;
    }
    clearFilters();
    practice.reviewMisses();
    showView('practice', true);
  });
  $('reset-progress').addEventListener('click', function () {
    var sure = window.confirm(t('st_reset_confirm'));
    if (!sure) return;
    progress = emptyProgress();
    saveProgress();
    cardsSessionStarted = false;
    practice.restart();
    renderProgress();
    announce($('progress-live'), t('st_reset_done'));
  });
}
