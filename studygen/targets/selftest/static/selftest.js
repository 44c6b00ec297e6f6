/* studygen self-test: practice, quiz, flashcards, reading view and progress, all offline.
 *
 * Why it is written this way:
 * - A classic script (not a module): module scripts are blocked on file:// pages.
 * - Bank text is untrusted: it only ever reaches the page through textContent and
 *   DOM construction, never innerHTML, so a stem like "<img src=x onerror=...>" stays text.
 * - Paragraph anchors and quote offsets were computed at build time with the same
 *   normalisation the checker uses; this script only splits text nodes.
 * - Progress lives under one versioned localStorage key; storage that is missing,
 *   blocked (some file:// setups throw) or corrupt degrades to in-memory progress.
 */
(function () {
  'use strict';

  var DATA = JSON.parse(document.getElementById('bank-data').textContent);
  var L = DATA.labels;
  var QUESTIONS = DATA.questions;
  var CARDS = DATA.cards;
  var BOX_COUNT = 5;
  var PROGRESS_VERSION = 1;
  var reducedMotion = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;

  // ------------------------------------------------------------------ DOM helpers

  function $(id) { return document.getElementById(id); }

  function el(tag, props, children) {
    var node = document.createElement(tag);
    if (props) {
      Object.keys(props).forEach(function (key) {
        var value = props[key];
        if (value === undefined || value === null || value === false) return;
        if (key === 'text') node.textContent = value;
        else if (key === 'className') node.className = value;
        else if (key.indexOf('on') === 0) node.addEventListener(key.slice(2), value);
        else node.setAttribute(key, value === true ? '' : String(value));
      });
    }
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function announce(region, message) {
    // Clearing first makes screen readers repeat a message that did not change.
    region.textContent = '';
    window.setTimeout(function () { region.textContent = message; }, 30);
  }

  function focusNode(node) {
    if (!node) return;
    node.focus({ preventScroll: true });
    node.scrollIntoView({ block: 'start', behavior: reducedMotion ? 'auto' : 'smooth' });
  }

  var uid = 0;
  function nextId(prefix) { uid += 1; return prefix + '-' + uid; }

  function shuffle(list) {
    var a = list.slice();
    for (var i = a.length - 1; i > 0; i -= 1) {
      var j = Math.floor(Math.random() * (i + 1));
      var t = a[i]; a[i] = a[j]; a[j] = t;
    }
    return a;
  }

  // ------------------------------------------------------------------ answer normalisation

  // The one answer rule (studygen/text/answers.py), run from the data the build ships (answers.js).
  var ANSWERS = StudygenAnswers.make(DATA.answerRule);

  function accepts(list, given, caseSensitive, rivals) {
    return ANSWERS.judge(given, list, caseSensitive, rivals || []).right;
  }

  // ------------------------------------------------------------------ progress storage

  function emptyProgress() {
    return { v: PROGRESS_VERSION, answers: {}, quizzes: [], boxes: {}, session: 0 };
  }

  function isCount(n) { return typeof n === 'number' && isFinite(n) && n >= 0 && Math.floor(n) === n; }

  function sanitize(raw) {
    // Keep every well-formed entry, drop the rest: one bad entry must not cost a student all progress.
    if (!raw || typeof raw !== 'object' || raw.v !== PROGRESS_VERSION) return null;
    var p = emptyProgress();
    var answers = raw.answers && typeof raw.answers === 'object' ? raw.answers : {};
    Object.keys(answers).forEach(function (id) {
      var a = answers[id];
      if (a && isCount(a.right) && isCount(a.wrong) && typeof a.last === 'boolean') {
        p.answers[id] = { right: a.right, wrong: a.wrong, last: a.last };
      }
    });
    (Array.isArray(raw.quizzes) ? raw.quizzes : []).forEach(function (q) {
      if (q && isCount(q.at) && typeof q.score === 'number' && typeof q.total === 'number' && Array.isArray(q.missed)) {
        p.quizzes.push({ at: q.at, score: q.score, total: q.total, count: isCount(q.count) ? q.count : 0,
          missed: q.missed.filter(function (m) { return typeof m === 'string'; }) });
      }
    });
    var boxes = raw.boxes && typeof raw.boxes === 'object' ? raw.boxes : {};
    Object.keys(boxes).forEach(function (id) {
      var b = boxes[id];
      if (b && isCount(b.box) && b.box >= 1 && b.box <= BOX_COUNT && isCount(b.seen)) {
        p.boxes[id] = { box: b.box, seen: b.seen };
      }
    });
    p.session = isCount(raw.session) ? raw.session : 0;
    return p;
  }

  var storage = { usable: true };
  var progress = loadProgress();

  function showNotice(message) {
    var n = $('notice');
    n.textContent = message;
    n.hidden = false;
  }

  function loadProgress() {
    var raw;
    try {
      raw = window.localStorage.getItem(DATA.storageKey);
    } catch (e) {
      storage.usable = false;
      showNotice('This browser does not let the page save progress here, so your progress lasts only until you close the page.');
      return emptyProgress();
    }
    if (raw === null) return emptyProgress();
    var parsed = null;
    try { parsed = sanitize(JSON.parse(raw)); } catch (e) { parsed = null; }
    if (parsed) return parsed;
    showNotice('Your saved progress could not be read, so it starts afresh.');
    return emptyProgress();
  }

  function saveProgress() {
    if (!storage.usable) return;
    try {
      window.localStorage.setItem(DATA.storageKey, JSON.stringify(progress));
    } catch (e) {
      storage.usable = false;
      showNotice('Your progress could not be saved (the browser refused), so it lasts only until you close the page.');
    }
  }

  function recordAnswer(id, correct) {
    var a = progress.answers[id] || { right: 0, wrong: 0, last: correct };
    if (correct) a.right += 1; else a.wrong += 1;
    a.last = correct;
    progress.answers[id] = a;
    saveProgress();
  }

  function isMiss(q) {
    var a = progress.answers[q.id];
    return !!a && a.last === false;
  }

  // ------------------------------------------------------------------ filters

  var topicLabels = {};
  DATA.topics.forEach(function (t) { topicLabels[t[0]] = t[1]; });

  function setupFilters() {
    var topic = $('filter-topic');
    DATA.topics.forEach(function (t) { topic.appendChild(el('option', { value: t[0], text: t[1] })); });
    var bloom = $('filter-bloom');
    DATA.blooms.forEach(function (b) {
      bloom.appendChild(el('option', { value: b, text: b.charAt(0).toUpperCase() + b.slice(1) }));
    });
    ['filter-topic', 'filter-difficulty', 'filter-bloom'].forEach(function (id) {
      $(id).addEventListener('change', function () { updateFilterCount(); practice.restart(); });
    });
    updateFilterCount();
  }

  function filtered() {
    var topic = $('filter-topic').value;
    var difficulty = $('filter-difficulty').value;
    var bloom = $('filter-bloom').value;
    return QUESTIONS.filter(function (q) {
      return (!topic || q.topics.indexOf(topic) >= 0) &&
        (!difficulty || String(q.difficulty) === difficulty) &&
        (!bloom || q.bloom === bloom);
    });
  }

  function updateFilterCount() {
    var n = filtered().length;
    $('filter-count').textContent = n === 1 ? '1 question matches.' : n + ' questions match.';
  }

  // ------------------------------------------------------------------ question widgets

  function metaLine(q) {
    var parts = q.topics.map(function (t) { return topicLabels[t] || t; });
    parts.push('Difficulty ' + q.difficulty + ' of 3');
    parts.push('Bloom: ' + q.bloom);
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
    if (multiple) fieldset.appendChild(el('p', { className: 'instruction', text: 'Select all that apply.' }));
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
    if (correct) row.appendChild(el('span', { className: 'badge good', text: chosen ? '✓ right' : '✓ correct answer' }));
    else if (chosen) row.appendChild(el('span', { className: 'badge bad', text: '✗ your answer' }));
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
    fieldset.appendChild(el('div', { className: 'field' }, [el('label', { for: id, text: 'Your answer' }), input]));
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
    fieldset.appendChild(el('p', { className: 'instruction', text: 'Choose the match for each item.' }));
    var selects = q.pairs.map(function (pair) {
      var id = nextId('match');
      var select = el('select', { id: id }, [el('option', { value: '', text: 'Choose a match' })]);
      choices.forEach(function (c, i) { select.appendChild(el('option', { value: String(i), text: c })); });
      fieldset.appendChild(el('div', { className: 'match-row' }, [el('label', { for: id, text: pair[0] }), select]));
      return select;
    });
    function picked(i) { return selects[i].value === '' ? '' : choices[Number(selects[i].value)]; }
    return {
      answered: function () { return selects.every(function (s) { return s.value !== ''; }); },
      grade: function () { return q.pairs.every(function (p, i) { return picked(i) === p[1]; }); },
      yours: function () { return q.pairs.map(function (p, i) { return p[0] + ' → ' + (picked(i) || '(no answer)'); }); },
      expected: function () { return q.pairs.map(function (p) { return p[0] + ' → ' + p[1]; }); },
      notes: function () { return []; },
      disable: function () { selects.forEach(function (s) { s.disabled = true; }); }
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
    fieldset.appendChild(el('p', { className: 'instruction', text: 'Put the items in the right order with the Move up and Move down buttons.' }));
    var list = el('ol', { className: 'order-list' });
    fieldset.appendChild(list);

    function move(from, delta, direction) {
      var to = from + delta;
      if (locked || to < 0 || to >= order.length) {
        announce(live, 'That item cannot move further ' + direction + '.');
        return;
      }
      var item = order.splice(from, 1)[0];
      order.splice(to, 0, item);
      render();
      list.children[to].querySelector('button[data-dir="' + direction + '"]').focus();
      announce(live, '“' + item + '” moved to position ' + (to + 1) + ' of ' + order.length + '.');
    }

    function render() {
      clear(list);
      order.forEach(function (text, i) {
        var up = el('button', { type: 'button', className: 'move', 'data-dir': 'up', 'aria-label': 'Move up: ' + text,
          'aria-disabled': locked || i === 0 ? 'true' : null, text: 'Move up',
          onclick: function () { move(i, -1, 'up'); } });
        var down = el('button', { type: 'button', className: 'move', 'data-dir': 'down', 'aria-label': 'Move down: ' + text,
          'aria-disabled': locked || i === order.length - 1 ? 'true' : null, text: 'Move down',
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
        'aria-label': 'Blank ' + n, 'data-blank': String(n - 1), size: 14 });
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
      yours: function () { return q.blanks.map(function (_, i) { return '(' + (i + 1) + ') ' + value(i).trim(); }); },
      expected: function () {
        return q.blanks.map(function (accepted, i) { return '(' + (i + 1) + ') ' + accepted.join(' or '); });
      },
      notes: function () { return []; },
      disable: function () { inputs.forEach(function (i) { i.readOnly = true; }); }
    };
  }

  function essayWidget(q, fieldset) {
    var id = nextId('essay');
    var area = el('textarea', { id: id, rows: 5 });
    fieldset.appendChild(el('div', { className: 'field' }, [el('label', { for: id, text: 'Your answer (not graded: compare it with the guidance)' }), area]));
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

  // ------------------------------------------------------------------ views

  var VIEWS = ['practice', 'quiz', 'cards', 'reading', 'progress'];
  var currentView = 'practice';
  var returnView = 'practice';
  var cardsSessionStarted = false;

  function showView(name, focus) {
    if (name !== 'reading') {
      returnView = name;
      dropParagraphHash();
    }
    currentView = name;
    VIEWS.forEach(function (v) { $('view-' + v).hidden = v !== name; });
    Array.prototype.forEach.call(document.querySelectorAll('.tab'), function (tab) {
      if (tab.getAttribute('data-view') === name) tab.setAttribute('aria-current', 'page');
      else tab.removeAttribute('aria-current');
    });
    $('filters').hidden = !(name === 'practice' || name === 'quiz');
    if (name === 'cards') cards.enter();
    if (name === 'progress') renderProgress();
    if (name === 'reading') reading.enter();
    if (focus) focusNode($(name + '-heading'));
  }

  function dropParagraphHash() {
    // A reload should reopen the view the student is in, not the last passage they looked at.
    var id = window.location.hash.slice(1);
    var target = id ? document.getElementById(decodeURIComponent(id)) : null;
    if (!target || !target.classList.contains('para')) return;
    try {
      window.history.replaceState(null, '', window.location.pathname + window.location.search);
    } catch (e) {
      // Some file:// setups refuse history changes; the stale hash is harmless.
    }
  }

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
        announce(live, 'No gradable questions match the filters. Change the filters to start a quiz.');
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
      announce(live, 'Quiz started: ' + items.length + ' questions.');
      focusNode($('quiz-question').querySelector('.question-heading'));
    }

    function show() {
      var q = items[index];
      reading.setContext(q);
      widget = renderQuestion($('quiz-question'), q, 'Question ' + (index + 1) + ' of ' + items.length, $('quiz-live'));
      $('quiz-submit').textContent = index === items.length - 1 ? 'Submit and see the score' : 'Submit answer';
    }

    function submit(event) {
      event.preventDefault();
      if (!widget) return;
      var q = items[index];
      if (!widget.answered()) {
        announce($('quiz-live'), 'Answer the question before submitting.');
        return;
      }
      var correct = widget.grade() === true;
      recordAnswer(q.id, correct);
      results.push({ q: q, correct: correct, yours: widget.yours(), expected: widget.expected(), ordered: !!widget.ordered });
      index += 1;
      if (index < items.length) {
        show();
        announce($('quiz-live'), 'Answer recorded. Question ' + (index + 1) + ' of ' + items.length + '.');
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
      var message = 'You scored ' + fmt(score) + ' out of ' + fmt(total) + ' points (' + pct + '%).';
      $('quiz-score').textContent = message;
      var review = $('quiz-review');
      clear(review);
      missed.forEach(function (r) {
        var li = el('li', { className: 'review-item' }, [
          el('p', { className: 'stem', text: r.q.stem }),
          el('p', { className: 'label', text: 'Your answer' }), answerList(r.yours, r.ordered),
          el('p', { className: 'label', text: r.q.type === 'short_answer' ? L.accepted_answers : 'Correct answer' }),
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

  // ------------------------------------------------------------------ flashcards (Leitner boxes)

  var cards = (function () {
    var due = [];
    var card = null;
    var flipped = false;

    function interval(box) { return Math.pow(2, box - 1); }

    function state(c) { return progress.boxes[c.id] || { box: 1, seen: -1 }; }

    function isDue(c) {
      var s = state(c);
      return s.seen < 0 || progress.session - s.seen >= interval(s.box);
    }

    function collect() {
      due = CARDS.filter(isDue);
      due.sort(function (a, b) { return state(a).box - state(b).box; });
    }

    function renderBoxes() {
      var counts = [0, 0, 0, 0, 0];
      CARDS.forEach(function (c) { counts[state(c).box - 1] += 1; });
      var list = $('box-counts');
      clear(list);
      counts.forEach(function (n, i) {
        list.appendChild(el('li', { text: 'Box ' + (i + 1) + ': ' + n + (n === 1 ? ' card' : ' cards') }));
      });
    }

    function quoteSide(c) {
      return c.kind === 'fact' ? c.sources.map(function (s) { return '“' + s.text + '”'; }).join(' ') : c.back;
    }

    function face(c, front) {
      var reverse = $('cards-reverse').checked;
      return (front !== reverse) ? c.front : quoteSide(c);
    }

    function show() {
      card = due[0] || null;
      flipped = false;
      var status = $('cards-status');
      var box = $('card');
      $('card-right').hidden = true;
      $('card-wrong').hidden = true;
      renderBoxes();
      if (!CARDS.length) {
        status.textContent = 'This course has no facts or glossary terms to practise.';
        box.hidden = true;
        $('card-flip').hidden = true;
        $('cards-next-session').hidden = true;
        return;
      }
      if (!card) {
        status.textContent = 'Session ' + progress.session + ': no more cards are due. Start the next session to review again.';
        box.hidden = true;
        $('card-flip').hidden = true;
        $('cards-next-session').hidden = false;
        return;
      }
      var s = state(card);
      status.textContent = 'Session ' + progress.session + ': ' + due.length + (due.length === 1 ? ' card' : ' cards') +
        ' due. This card is in box ' + s.box + '.';
      box.hidden = false;
      $('card-flip').hidden = false;
      $('cards-next-session').hidden = true;
      var kind = card.kind === 'fact' ? 'Fact' : 'Glossary term';
      $('card-kind').textContent = card.background ? kind + ' · ' + L.background : kind;
      $('card-kind').className = 'card-kind' + (card.background ? ' is-background' : '');
      $('card-front').textContent = face(card, true);
      var back = $('card-back');
      clear(back);
      back.hidden = true;
      // A fact's answer side *is* its quotes: show them once, with their links into the reading.
      var reverse = $('cards-reverse').checked;
      if (reverse || card.kind !== 'fact') back.appendChild(el('p', { className: 'card-answer', text: face(card, false) }));
      if (card.sources.length) back.appendChild(sourceBlock(card, card.sources, openPassage));
    }

    function flip() {
      if (!card) return;
      flipped = true;
      $('card-back').hidden = false;
      $('card-flip').hidden = true;
      $('card-right').hidden = false;
      $('card-wrong').hidden = false;
      reading.setCardContext(card);
      $('card-right').focus();
      announce($('cards-live'), 'Answer: ' + face(card, false));
    }

    function grade(knew) {
      if (!card || !flipped) return;
      var s = state(card);
      var box = knew ? Math.min(BOX_COUNT, s.box + 1) : 1;
      progress.boxes[card.id] = { box: box, seen: progress.session };
      saveProgress();
      due.shift();
      var message = knew ? 'Moved up to box ' + box + '.' : 'Back to box 1.';
      show();
      announce($('cards-live'), message);
      if (card) $('card-flip').focus(); else $('cards-next-session').focus();
    }

    function nextSession() {
      progress.session += 1;
      saveProgress();
      collect();
      show();
      announce($('cards-live'), 'Session ' + progress.session + ' started.');
      if (card) $('card-flip').focus();
    }

    return {
      init: function () {
        $('card-flip').addEventListener('click', flip);
        $('card-right').addEventListener('click', function () { grade(true); });
        $('card-wrong').addEventListener('click', function () { grade(false); });
        $('cards-next-session').addEventListener('click', nextSession);
        $('cards-reverse').addEventListener('change', function () { collect(); show(); });
      },
      enter: function () {
        // Each sitting (page load) that opens the flashcards is one Leitner session.
        if (!cardsSessionStarted) {
          cardsSessionStarted = true;
          progress.session += 1;
          saveProgress();
        }
        collect();
        show();
      },
      render: renderBoxes
    };
  }());

  // ------------------------------------------------------------------ reading view

  var reading = (function () {
    var context = null;   // { bank, sources, label }
    var pending = null;   // sources chosen by the last passage link

    function article(bank) { return $('reading-' + bank); }

    function unmark() {
      Array.prototype.forEach.call(document.querySelectorAll('.column p.para.has-mark'), function (p) {
        p.textContent = p.textContent;
        p.classList.remove('has-mark');
      });
    }

    function mark(sources) {
      unmark();
      var byPara = {};
      sources.forEach(function (s) {
        s.marks.forEach(function (m) { (byPara[m[0]] = byPara[m[0]] || []).push([m[1], m[2]]); });
      });
      Object.keys(byPara).forEach(function (anchor) {
        var p = document.getElementById(anchor);
        if (!p) return;
        var text = p.textContent;
        var ranges = byPara[anchor].sort(function (a, b) { return a[0] - b[0]; });
        var merged = [];
        ranges.forEach(function (r) {
          var last = merged[merged.length - 1];
          if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
          else merged.push([r[0], r[1]]);
        });
        clear(p);
        var pos = 0;
        merged.forEach(function (r) {
          if (r[0] > pos) p.appendChild(document.createTextNode(text.slice(pos, r[0])));
          p.appendChild(el('mark', { text: text.slice(r[0], r[1]) }));
          pos = r[1];
        });
        if (pos < text.length) p.appendChild(document.createTextNode(text.slice(pos)));
        p.classList.add('has-mark');
      });
    }

    function showBank(bank) {
      Array.prototype.forEach.call(document.querySelectorAll('.column'), function (a) {
        a.hidden = Number(a.getAttribute('data-bank')) !== bank;
      });
      var choice = $('reading-choice');
      if (choice) choice.value = String(bank);
    }

    function enter() {
      var ctx = pending || context;
      pending = null;
      var info = $('reading-context');
      if (ctx && ctx.label) {
        showBank(ctx.bank);
        mark(ctx.sources);
        info.textContent = ctx.sources.some(function (s) { return s.marks.length; })
          ? 'Highlighted: the passages behind “' + ctx.label + '”.'
          : 'The passages behind “' + ctx.label + '” could not be located in this text.';
        info.hidden = false;
      } else {
        if (ctx) showBank(ctx.bank);
        unmark();
        info.hidden = true;
      }
      $('reading-back').hidden = false;
    }

    function goToHash(fromLink) {
      var id = decodeURIComponent(window.location.hash.slice(1));
      var target = id ? document.getElementById(id) : null;
      if (!target || !target.classList.contains('para')) return false;
      var bank = Number(target.parentNode.getAttribute('data-bank'));
      // A shared #p-12 link opens the bare paragraph; in-page links carry their question's passages.
      if (!pending) {
        pending = fromLink !== false && context && context.bank === bank ? context : { bank: bank, sources: [], label: '' };
      }
      showView('reading', false);
      focusNode(target);
      return true;
    }

    return {
      init: function () {
        window.addEventListener('hashchange', function () { goToHash(true); });
        $('reading-back').addEventListener('click', function () {
          showView(returnView, true);
        });
        var choice = $('reading-choice');
        if (choice) {
          choice.addEventListener('change', function () {
            var bank = Number(choice.value);
            showBank(bank);
            if (!context || context.bank !== bank) unmark(); else mark(context.sources);
          });
        }
        return goToHash(false);
      },
      setContext: function (q) { context = { bank: q.bank, sources: q.sources, label: q.stem }; },
      setCardContext: function (c) { context = { bank: c.bank, sources: c.sources, label: c.front }; },
      linkTo: function (label, item, sources) {
        pending = { bank: item.bank, sources: sources, label: label };
        context = pending;
      },
      enter: enter,
      goToHash: goToHash
    };
  }());

  function openPassage(item, sources, anchor) {
    reading.linkTo(item.stem || item.front, item, sources);
    // Setting the hash keeps the Back button and shareable #p-12 links working; when the
    // hash is already that anchor no hashchange fires, so open the reading directly.
    if (window.location.hash === '#' + anchor) reading.goToHash(true);
    else window.location.hash = anchor;
  }

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

  // ------------------------------------------------------------------ start

  Array.prototype.forEach.call(document.querySelectorAll('.tab'), function (tab) {
    tab.addEventListener('click', function () { showView(tab.getAttribute('data-view'), true); });
  });
  setupFilters();
  practice.init();
  quiz.init();
  cards.init();
  setupProgress();
  if (!reading.init()) showView('practice', false);
  document.documentElement.classList.add('js');
}());
