/* 25-feedback.js — Feedback after a check: verdict, the right answer, option notes, explanation, background and
 * the source passages with links into the reading.
 */

// ------------------------------------------------------------------ feedback

function answerList(items, ordered) {
  return el(ordered ? 'ol' : 'ul', { className: 'answer-list' }, items.map(function (t) { return el('li', { text: t }); }));
}

function sourceBlock(q, sources, onLink) {
  var box = el('div', { className: 'sources' }, [el('p', { className: 'label', text: sources.length > 1 ? t('st_sources') : L.source })]);
  sources.forEach(function (s) {
    var quote = el('blockquote', { className: 'passage' }, [el('p', { text: s.text })]);
    box.appendChild(quote);
    if (s.anchor) {
      var n = document.getElementById(s.anchor);
      var text = n ? t('st_show_passage_n', { n: n.getAttribute('data-n') }) : t('st_show_passage');
      box.appendChild(el('p', { className: 'passage-link' }, [el('a', {
        href: '#' + s.anchor, text: text,
        onclick: function (event) { event.preventDefault(); onLink(q, sources, s.anchor); }
      })]));
    }
  });
  return box;
}

function explanationBlock(q, onLink) {
  var parts = [el('p', { className: 'label', text: L.explanation }), el('p', { text: q.explanation })];
  if (q.background) {
    parts.push(el('div', { className: 'background' }, [el('p', { className: 'label', text: L.beyond_reading }), el('p', { text: q.background })]));
  }
  if (q.sources.length) parts.push(sourceBlock(q, q.sources, onLink));
  return parts;
}

function renderFeedback(container, q, widget, correct) {
  clear(container);
  var verdict;
  if (correct === null) verdict = t('st_verdict_essay');
  else verdict = correct ? t('st_verdict_right') : t('st_verdict_wrong');
  container.className = 'feedback ' + (correct === null ? 'ungraded' : correct ? 'right' : 'wrong');
  container.appendChild(el('p', { className: 'verdict', text: verdict }));
  if (correct === false || correct === null) {
    var label = widget.expectedLabel || (widget.expected().length > 1 && !widget.ordered ? t('st_correct_answers') : t('st_correct_answer'));
    if (correct === false && q.type === 'short_answer') label = L.accepted_answers;
    container.appendChild(el('p', { className: 'label', text: label }));
    container.appendChild(answerList(widget.expected(), widget.ordered));
  }
  widget.notes().forEach(function (note) { container.appendChild(el('p', { className: 'option-note', text: note })); });
  explanationBlock(q, openPassage).forEach(function (n) { container.appendChild(n); });
}
