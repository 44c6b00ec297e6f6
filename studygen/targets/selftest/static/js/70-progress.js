/* 70-progress.js — The Progress view: what to do next, how well each topic is known, the overall counts,
 * quiz history and reset.  Everything is said in a student's words: no boxes, no taxonomy levels.
 */

// ------------------------------------------------------------------ progress view

function gradable(q) { return q.type !== 'essay'; }

// How well a set of questions and cards is known, 0..1: a question counts when its last answer was
// right, a card by how far it has climbed (new 0, mastered 1).  null when nothing was tried yet.
function mastery(questions, cardList) {
  var tried = questions.some(function (q) { return progress.answers[q.id]; }) ||
    cardList.some(function (c) { return progress.boxes[c.id]; });
  var total = questions.length + cardList.length;
  if (!tried || !total) return null;
  var sum = 0;
  questions.forEach(function (q) { var a = progress.answers[q.id]; if (a && a.last) sum += 1; });
  cardList.forEach(function (c) { sum += (cardBox(c) - 1) / (BOX_COUNT - 1); });
  return sum / total;
}

function masteryWord(m) {
  if (m === null) return t('st_mastery_none');
  var word = m < 0.4 ? t('st_mastery_low') : m < 0.75 ? t('st_mastery_mid') : t('st_mastery_high');
  return t('st_mastery_percent', { word: word, percent: Math.round(m * 100) });
}

function practiseTopic(topic) {
  // Through the filters' own change handler, so Practice restarts exactly as if the student chose it.
  clearFilters();
  $('misses-only').checked = false;
  var select = $('filter-topic');
  select.value = topic;
  select.dispatchEvent(new Event('change'));
  showView('practice', true);
}

function topicRow(topic, label) {
  var questions = QUESTIONS.filter(function (q) { return gradable(q) && q.topics.indexOf(topic) >= 0; });
  var cardList = CARDS.filter(function (c) { return (c.topics || []).indexOf(topic) >= 0; });
  if (!questions.length && !cardList.length) return null;
  var m = mastery(questions, cardList);
  var level = m === null ? 'none' : m < 0.4 ? 'low' : m < 0.75 ? 'mid' : 'high';
  var parts = [];
  if (questions.length) {
    var right = questions.filter(function (q) { var a = progress.answers[q.id]; return a && a.last; }).length;
    var missed = questions.filter(isMiss).length;
    var fresh = questions.filter(function (q) { return !progress.answers[q.id]; }).length;
    parts.push(t('st_topic_questions', { right: right, total: questions.length }));
    if (missed) parts.push(t('st_topic_missed', { n: missed }));
    if (fresh) parts.push(t('st_topic_new', { n: fresh }));
  }
  if (cardList.length) {
    var learning = cardList.filter(function (c) { return !cardKnown(c) && cardBox(c) > 1; }).length;
    parts.push(t('st_topic_cards', { known: cardList.filter(cardKnown).length, total: cardList.length, learning: learning }));
  }
  var bar = el('div', { className: 'bar', 'aria-hidden': 'true' }, [el('span', { className: 'bar-fill' })]);
  bar.firstChild.style.width = Math.round((m || 0) * 100) + '%';
  var children = [
    el('div', { className: 'topic-head' }, [
      el('h4', { className: 'topic-name', text: label }),
      el('p', { className: 'mastery mastery-' + level, text: masteryWord(m) })
    ]),
    bar,
    el('p', { className: 'topic-line', text: parts.join(' · ') })
  ];
  if (questions.length) {
    children.push(el('button', { type: 'button', className: 'small', text: t('st_topic_practise'),
      'aria-label': t('st_topic_practise_named', { topic: label }),
      onclick: function () { practiseTopic(topic); } }));
  }
  return el('li', { className: 'topic', 'data-topic': topic }, children);
}

function renderDue(misses, fresh) {
  var list = $('progress-due');
  clear(list);
  var dueCards = cards.dueCount();
  var lines = [];
  if (CARDS.length) {
    lines.push(dueCards === 0 ? t('st_due_cards_none') : dueCards === 1 ? t('st_due_cards_one') : t('st_due_cards', { n: dueCards }));
  }
  if (misses) lines.push(misses === 1 ? t('st_due_misses_one') : t('st_due_misses', { n: misses }));
  if (fresh) lines.push(fresh === 1 ? t('st_due_new_one') : t('st_due_new', { n: fresh }));
  if (!misses && !fresh) lines.push(t('st_due_all_done'));
  lines.forEach(function (line) { list.appendChild(el('li', { text: line })); });
  $('study-cards').hidden = !CARDS.length;
}

function renderProgress() {
  var summary = $('progress-summary');
  clear(summary);
  var answered = QUESTIONS.filter(function (q) { return progress.answers[q.id]; });
  var lastRight = answered.filter(function (q) { return progress.answers[q.id].last; }).length;
  var misses = QUESTIONS.filter(isMiss).length;
  var total = QUESTIONS.filter(gradable).length;
  var fresh = QUESTIONS.filter(function (q) { return gradable(q) && !progress.answers[q.id]; }).length;
  renderDue(misses, fresh);
  var topics = $('progress-topics');
  clear(topics);
  DATA.topics.forEach(function (tp) {
    var row = topicRow(tp[0], tp[1]);
    if (row) topics.appendChild(row);
  });
  var rows = [
    [t('st_answered'), t('st_x_of_y', { n: answered.length, total: total })],
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
  $('study-cards').addEventListener('click', function () { showView('cards', true); });
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
