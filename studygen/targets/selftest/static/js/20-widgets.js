/* 20-widgets.js — One widget per question type.  Each returns the same small interface the views drive:
 * answered(), grade(), yours(), expected(), notes(), disable().  Typed answers are judged by the
 * shipped answer rule (answers.js), never by a rule of this script's own.
 */

// ------------------------------------------------------------------ answer normalisation

// The one answer rule (studygen/text/answers.py), run from the data the build ships (answers.js).
var ANSWERS = StudygenAnswers.make(DATA.answerRule);

function accepts(list, given, caseSensitive, rivals) {
  return ANSWERS.judge(given, list, caseSensitive, rivals || []).right;
}

// ------------------------------------------------------------------ question widgets

function metaLine(q) {
  var parts = q.topics.map(function (t) { return topicLabels[t] || t; });
  parts.push(t('st_difficulty_x', { n: q.difficulty }));
  return el('p', { className: 'meta', text: parts.join(' · ') });
}

function orderOptions(options) {
  // Shuffle the unpinned options into the unpinned slots; pinned ones ("None of the above") stay put.
  var free = shuffle(options.filter(function (o) { return !o.pinned; }));
  return options.map(function (o) { return o.pinned ? o : free.shift(); });
}

function choiceWidget(q, fieldset, multiple) {
  var shown = orderOptions(q.options.map(function (o, i) { return { text: o.text, pinned: o.pinned, index: i }; }));
  var name = nextId('choice');
  var inputs = [];
  if (multiple) fieldset.appendChild(el('p', { className: 'instruction', text: t('st_select_all') }));
  var list = el('div', { className: 'options' });
  var rows = [];
  shown.forEach(function (o) {
    var id = nextId('opt');
    var input = el('input', { type: multiple ? 'checkbox' : 'radio', name: name, id: id, value: String(o.index) });
    inputs.push(input);
    var row = el('div', { className: 'option' }, [input, el('label', { for: id, text: o.text })]);
    rows.push(row);
    list.appendChild(row);
  });
  fieldset.appendChild(list);
  function chosen() {
    return inputs.filter(function (i) { return i.checked; }).map(function (i) { return Number(i.value); });
  }
  return {
    answered: function () { return chosen().length > 0; },
    grade: function () {
      var picked = chosen().sort(function (a, b) { return a - b; });
      var right = q.options.map(function (o, i) { return o.correct ? i : -1; }).filter(function (i) { return i >= 0; });
      return picked.length === right.length && picked.every(function (v, i) { return v === right[i]; });
    },
    yours: function () { return chosen().map(function (i) { return q.options[i].text; }); },
    expected: function () { return q.options.filter(function (o) { return o.correct; }).map(function (o) { return o.text; }); },
    notes: function () {
      return chosen().map(function (i) { return q.options[i]; }).filter(function (o) { return o.feedback; })
        .map(function (o) { return o.text + ': ' + o.feedback; });
    },
    disable: function () {
      inputs.forEach(function (input, k) {
        input.disabled = true;
        markOption(rows[k], q.options[Number(input.value)].correct, input.checked);
      });
    }
  };
}

function markOption(row, correct, chosen) {
  // After checking, say in words (not colour alone) which options were right.
  if (correct) row.appendChild(el('span', { className: 'badge good', text: chosen ? t('st_badge_right') : t('st_badge_correct') }));
  else if (chosen) row.appendChild(el('span', { className: 'badge bad', text: t('st_badge_yours') }));
}

function trueFalseWidget(q, fieldset) {
  var name = nextId('tf');
  var rows = [];
  var inputs = [true, false].map(function (value) {
    var id = nextId('opt');
    var input = el('input', { type: 'radio', name: name, id: id, value: String(value) });
    var row = el('div', { className: 'option' }, [input, el('label', { for: id, text: value ? L.true : L.false })]);
    rows.push(row);
    fieldset.appendChild(row);
    return input;
  });
  function picked() {
    if (inputs[0].checked) return true;
    if (inputs[1].checked) return false;
    return null;
  }
  return {
    answered: function () { return picked() !== null; },
    grade: function () { return picked() === q.answer; },
    yours: function () { var p = picked(); return p === null ? [] : [p ? L.true : L.false]; },
    expected: function () { return [q.answer ? L.true : L.false]; },
    notes: function () { return []; },
    disable: function () {
      inputs.forEach(function (input, k) {
        input.disabled = true;
        markOption(rows[k], (k === 0) === q.answer, input.checked);
      });
    }
  };
}

function shortAnswerWidget(q, fieldset) {
  var id = nextId('short');
  var input = el('input', { type: 'text', id: id, autocomplete: 'off', spellcheck: 'false', className: 'text-answer' });
  fieldset.appendChild(el('div', { className: 'field' }, [el('label', { for: id, text: t('st_your_answer') }), input]));
  return {
    answered: function () { return input.value.trim() !== ''; },
    grade: function () { return accepts(q.accepted, input.value, q.caseSensitive); },
    yours: function () { return [input.value.trim()]; },
    expected: function () { return q.accepted.slice(); },
    expectedLabel: L.accepted_answers,
    notes: function () { return []; },
    disable: function () { input.readOnly = true; }
  };
}

function matchingWidget(q, fieldset) {
  var seen = {};
  var rights = q.pairs.map(function (p) { return p[1]; }).concat(q.distractors).filter(function (r) {
    if (seen[r]) return false;
    seen[r] = true;
    return true;
  });
  var choices = shuffle(rights);
  fieldset.appendChild(el('p', { className: 'instruction', text: t('st_match_instruction') }));
  var rows = [];
  var selects = q.pairs.map(function (pair) {
    var id = nextId('match');
    var select = el('select', { id: id }, [el('option', { value: '', text: t('st_choose_match') })]);
    choices.forEach(function (c, i) { select.appendChild(el('option', { value: String(i), text: c })); });
    var row = el('div', { className: 'match-row' }, [el('label', { for: id, text: pair[0] }), select]);
    rows.push(row);
    fieldset.appendChild(row);
    return select;
  });

  function markRow(i) {
    // After checking, the choice becomes plain text (a disabled select cuts long text off) and the
    // row says in words, not colour alone, whether it was right and, if not, what the match is.
    var chosen = picked(i);
    var right = q.pairs[i][1];
    var ok = chosen === right;
    var select = selects[i];
    select.disabled = true;
    select.hidden = true;
    var badge = ok ? t('st_match_right') : chosen ? t('st_match_wrong', { right: right }) : t('st_match_missing', { right: right });
    rows[i].classList.add(ok ? 'is-right' : 'is-wrong');
    rows[i].appendChild(el('div', { className: 'match-result' }, [
      el('p', { className: 'match-chosen', text: chosen || t('st_no_answer') }),
      el('p', { className: 'badge ' + (ok ? 'good' : 'bad'), text: badge })
    ]));
  }
  function picked(i) { return selects[i].value === '' ? '' : choices[Number(selects[i].value)]; }
  return {
    answered: function () { return selects.every(function (s) { return s.value !== ''; }); },
    grade: function () { return q.pairs.every(function (p, i) { return picked(i) === p[1]; }); },
    yours: function () { return q.pairs.map(function (p, i) { return p[0] + ' → ' + (picked(i) || t('st_no_answer')); }); },
    expected: function () { return q.pairs.map(function (p) { return p[0] + ' → ' + p[1]; }); },
    notes: function () { return []; },
    disable: function () { selects.forEach(function (s, i) { markRow(i); }); }
  };
}

function orderingWidget(q, fieldset, live) {
  var order = q.items.slice();
  if (order.length > 1) {
    // Never start in the right order: that would give the answer away.
    var tries = 0;
    do { order = shuffle(q.items); tries += 1; } while (tries < 20 && order.join('\u0000') === q.items.join('\u0000'));
    if (order.join('\u0000') === q.items.join('\u0000')) order = q.items.slice().reverse();
  }
  var locked = false;
  fieldset.appendChild(el('p', { className: 'instruction', text: t('st_order_instruction') }));
  var list = el('ol', { className: 'order-list' });
  fieldset.appendChild(list);

  function move(from, delta, direction) {
    var to = from + delta;
    if (locked || to < 0 || to >= order.length) {
      announce(live, t(direction === 'up' ? 'st_cannot_move_up' : 'st_cannot_move_down'));
      return;
    }
    var item = order.splice(from, 1)[0];
    order.splice(to, 0, item);
    render();
    list.children[to].querySelector('button[data-dir="' + direction + '"]').focus();
    announce(live, t('st_moved', { item: item, n: to + 1, total: order.length }));
  }

  function render() {
    clear(list);
    order.forEach(function (text, i) {
      var up = el('button', { type: 'button', className: 'move', 'data-dir': 'up', 'aria-label': t('st_move_up_item', { item: text }),
        'aria-disabled': locked || i === 0 ? 'true' : null, text: t('st_move_up'),
        onclick: function () { move(i, -1, 'up'); } });
      var down = el('button', { type: 'button', className: 'move', 'data-dir': 'down', 'aria-label': t('st_move_down_item', { item: text }),
        'aria-disabled': locked || i === order.length - 1 ? 'true' : null, text: t('st_move_down'),
        onclick: function () { move(i, 1, 'down'); } });
      list.appendChild(el('li', { className: 'order-item' }, [el('span', { className: 'order-text', text: text }),
        el('span', { className: 'order-buttons' }, [up, down])]));
    });
  }
  render();
  return {
    answered: function () { return true; },
    grade: function () { return order.every(function (t, i) { return t === q.items[i]; }); },
    yours: function () { return order.slice(); },
    expected: function () { return q.items.slice(); },
    ordered: true,
    notes: function () { return []; },
    disable: function () { locked = true; render(); }
  };
}

function fillBlankWidget(q, fieldset) {
  var inputs = [];
  var line = el('p', { className: 'fill-text' });
  // Text and blank indexes alternate (split at build time by studygen/text/blanks.py).
  q.segments.forEach(function (part) {
    if (typeof part === 'string') {
      if (part) line.appendChild(document.createTextNode(part));
      return;
    }
    var n = part + 1;
    var input = el('input', { type: 'text', className: 'blank', autocomplete: 'off', spellcheck: 'false',
      'aria-label': t('st_blank_n', { n: n }), 'data-blank': String(n - 1), size: 14 });
    inputs.push(input);
    line.appendChild(input);
  });
  fieldset.appendChild(line);
  function value(i) {
    var input = inputs.filter(function (x) { return Number(x.getAttribute('data-blank')) === i; })[0];
    return input ? input.value : '';
  }
  return {
    answered: function () { return inputs.every(function (i) { return i.value.trim() !== ''; }); },
    grade: function () {
      return q.blanks.every(function (accepted, i) {
        return accepts(accepted, value(i), false, ANSWERS.rivalsOf(q.blanks, i));
      });
    },
    yours: function () { return q.blanks.map(function (_, i) { return t('st_blank_answers', { n: i + 1, answers: value(i).trim() }); }); },
    expected: function () {
      return q.blanks.map(function (accepted, i) { return t('st_blank_answers', { n: i + 1, answers: accepted.join(t('st_or')) }); });
    },
    notes: function () { return []; },
    disable: function () { inputs.forEach(function (i) { i.readOnly = true; }); }
  };
}

function essayWidget(q, fieldset) {
  var id = nextId('essay');
  var area = el('textarea', { id: id, rows: 5 });
  fieldset.appendChild(el('div', { className: 'field' }, [el('label', { for: id, text: t('st_essay_answer') }), area]));
  return {
    answered: function () { return true; },
    grade: function () { return null; },
    yours: function () { return [area.value]; },
    expected: function () { return [q.guidance]; },
    expectedLabel: L.guidance,
    notes: function () { return []; },
    disable: function () { area.readOnly = true; }
  };
}

function renderQuestion(container, q, heading, live) {
  clear(container);
  container.appendChild(el('h3', { className: 'question-heading', tabindex: '-1', text: heading }));
  container.appendChild(metaLine(q));
  var fieldset = el('fieldset', { className: 'question type-' + q.type }, [el('legend', { className: 'stem', text: q.stem })]);
  container.appendChild(fieldset);
  switch (q.type) {
    case 'single_choice': return choiceWidget(q, fieldset, false);
    case 'multiple_response': return choiceWidget(q, fieldset, true);
    case 'true_false': return trueFalseWidget(q, fieldset);
    case 'short_answer': return shortAnswerWidget(q, fieldset);
    case 'matching': return matchingWidget(q, fieldset);
    case 'ordering': return orderingWidget(q, fieldset, live);
    case 'fill_blank': return fillBlankWidget(q, fieldset);
    default: return essayWidget(q, fieldset);
  }
}
