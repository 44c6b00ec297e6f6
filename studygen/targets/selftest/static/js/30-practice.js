/* 30-practice.js — Practice: one question at a time with instant feedback.
 */

// ------------------------------------------------------------------ practice

function primary(button) {
  // One primary action at a time: Check before an answer is checked, Next after.
  ['practice-check', 'practice-next'].forEach(function (id) { $(id).classList.toggle('primary', $(id) === button); });
}

var practice = (function () {
  var list = [];
  var index = 0;
  var widget = null;
  var checked = false;

  function pool() {
    var all = filtered();
    return $('misses-only').checked ? all.filter(isMiss) : all;
  }

  function current() { return list[index] || null; }

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
    $('practice-prev').disabled = list.length < 2;
    $('practice-next').disabled = list.length < 2;
  }

  function restart() {
    list = pool();
    index = 0;
    show();
  }

  function step(delta) {
    if (!list.length) return;
    index = (index + delta + list.length) % list.length;
    show();
    focusNode($('practice-question').querySelector('.question-heading'));
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
    reading.setContext(q);
    if (list.length > 1) primary($('practice-next'));
  }

  return {
    init: function () {
      $('practice-form').addEventListener('submit', check);
      $('practice-prev').addEventListener('click', function () { step(-1); });
      $('practice-next').addEventListener('click', function () { step(1); });
      $('misses-only').addEventListener('change', restart);
      restart();
    },
    restart: restart,
    reviewMisses: function () {
      $('misses-only').checked = true;
      restart();
    },
    current: current
  };
}());
