/* 30-practice.js — Practice: one question at a time with instant feedback.
 */

// ------------------------------------------------------------------ practice

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
      var why = $('misses-only').checked ? 'No missed questions match the filters. Well done!' : 'No questions match the filters.';
      container.appendChild(el('p', { className: 'empty', text: why }));
      $('practice-check').disabled = true;
      $('practice-prev').disabled = true;
      $('practice-next').disabled = true;
      return;
    }
    var q = current();
    reading.setContext(q);
    widget = renderQuestion(container, q, 'Question ' + (index + 1) + ' of ' + list.length, $('practice-live'));
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
      announce($('practice-live'), 'Already checked. Choose Next question to go on.');
      return;
    }
    if (!widget.answered()) {
      feedback.className = 'feedback';
      clear(feedback);
      feedback.appendChild(el('p', { className: 'verdict', text: 'Answer the question first, then check it.' }));
      return;
    }
    var correct = widget.grade();
    checked = true;
    widget.disable();
    if (correct !== null) recordAnswer(q.id, correct);
    renderFeedback(feedback, q, widget, correct);
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
