/* 25-feedback.js — Feedback after a check: verdict, the right answer, option notes, explanation, background and
 * the source passages with links into the reading.
 */

// ------------------------------------------------------------------ feedback

function answerList(items, ordered) {
  return el(ordered ? 'ol' : 'ul', { className: 'answer-list' }, items.map(function (t) { return el('li', { text: t }); }));
}

function sourceBlock(q, sources, onLink) {
  var box = el('div', { className: 'sources' }, [el('p', { className: 'label', text: L.source })]);
  sources.forEach(function (s) {
    var quote = el('blockquote', { className: 'passage' }, [el('p', { text: s.text })]);
    box.appendChild(quote);
    if (s.anchor) {
      var n = document.getElementById(s.anchor);
      var where = n ? ' (paragraph ' + n.getAttribute('data-n') + ')' : '';
      box.appendChild(el('p', { className: 'passage-link' }, [el('a', {
        href: '#' + s.anchor, text: 'Show this passage in the reading' + where,
        onclick: function (event) { event.preventDefault(); onLink(q, sources, s.anchor); }
      })]));
    }
  });
  return box;
}

function explanationBlock(q, onLink) {
  var parts = [el('p', { className: 'label', text: L.explanation }), el('p', { text: q.explanation })];
  if (q.background) {
    parts.push(el('div', { className: 'background' }, [el('p', { className: 'label', text: L.background }), el('p', { text: q.background })]));
  }
  if (q.sources.length) parts.push(sourceBlock(q, q.sources, onLink));
  return parts;
}

function renderFeedback(container, q, widget, correct) {
  clear(container);
  var verdict;
  if (correct === null) verdict = 'Not graded: compare your answer with the guidance below.';
  else verdict = correct ? 'Correct.' : 'Not quite.';
  container.className = 'feedback ' + (correct === null ? 'ungraded' : correct ? 'right' : 'wrong');
  container.appendChild(el('p', { className: 'verdict', text: verdict }));
  if (correct === false || correct === null) {
    var label = widget.expectedLabel || (widget.expected().length > 1 && !widget.ordered ? 'Correct answers' : 'Correct answer');
    if (correct === false && q.type === 'short_answer') label = L.accepted_answers;
    container.appendChild(el('p', { className: 'label', text: label }));
    container.appendChild(answerList(widget.expected(), widget.ordered));
  }
  widget.notes().forEach(function (note) { container.appendChild(el('p', { className: 'option-note', text: note })); });
  explanationBlock(q, openPassage).forEach(function (n) { container.appendChild(n); });
}
