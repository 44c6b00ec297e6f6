/* 25-feedback.js — Feedback after a check: verdict, the right answer, option notes, explanation, background and
 * the source passages with links into the reading.
 */

// ------------------------------------------------------------------ feedback

function answerList(items, ordered) {
  return el(ordered ? 'ol' : 'ul', { className: 'answer-list' }, items.map(function (t) { return el('li', { text: t }); }));
}

// Passages shown before "show more": all of them when there are at most this many plus one
// (hiding a single passage behind a button saves nothing), else this many.
var PASSAGES_SHOWN = 2;

function passageItem(item, passage, onLink) {
  var parts = [el('blockquote', { className: 'passage' }, [el('p', { text: passage.text })])];
  if (passage.anchor) {
    parts.push(el('p', { className: 'passage-link' }, [el('a', {
      href: '#' + passage.anchor, text: t('st_show_passage_n', { n: passage.n }),
      onclick: function (event) { event.preventDefault(); onLink(item, item.sources, passage.anchor, event.currentTarget); }
    })]));
  }
  return parts;
}

// The passages behind an item (grouped at build time: each paragraph once, the key one first).
// Also takes the older (item, sources, onLink) call: the passages come from the item either way.
function sourceBlock(item, onLinkOrSources, olderOnLink) {
  var onLink = typeof onLinkOrSources === 'function' ? onLinkOrSources : olderOnLink;
  var list = item.passages || [];
  var box = el('div', { className: 'sources' }, [el('p', { className: 'label', text: list.length > 1 ? t('st_sources') : L.source })]);
  var shown = list.length <= PASSAGES_SHOWN + 1 ? list.length : PASSAGES_SHOWN;
  list.slice(0, shown).forEach(function (p) { passageItem(item, p, onLink).forEach(function (n) { box.appendChild(n); }); });
  var rest = list.slice(shown);
  if (rest.length) {
    var more = el('details', { className: 'more-passages' }, [
      el('summary', { text: rest.length === 1 ? t('st_sources_more_one') : t('st_sources_more', { n: rest.length }) })
    ]);
    rest.forEach(function (p) { passageItem(item, p, onLink).forEach(function (n) { more.appendChild(n); }); });
    box.appendChild(more);
  }
  return box;
}

function explanationBlock(q, onLink) {
  var parts = [el('p', { className: 'label', text: L.explanation }), el('p', { text: q.explanation })];
  if (q.background) {
    parts.push(el('div', { className: 'background' }, [el('p', { className: 'label', text: L.beyond_reading }), el('p', { text: q.background })]));
  }
  if (q.passages && q.passages.length) parts.push(sourceBlock(q, onLink));
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
