/* 60-reading.js — The reading view: highlighting a question's passages (offsets computed at build time) and
 * following #p-N links.  Opening the reading adds a history entry, so the browser's Back button (the
 * natural gesture on a phone) leaves the reading and returns to the question, at the link followed.
 */

// ------------------------------------------------------------------ reading view

var reading = (function () {
  var context = null;   // { bank, sources, label }
  var pending = null;   // sources chosen by the last passage link
  var shownAnchor = '';  // the paragraph the last link or #p-N opened
  var returnFocus = null;  // the link that opened the reading: where going back lands

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
        ? t('st_reading_marked', { label: ctx.label })
        : t('st_reading_unlocated', { label: ctx.label });
      info.hidden = false;
    } else {
      if (ctx) showBank(ctx.bank);
      unmark();
      info.hidden = true;
    }
    $('reading-bar').hidden = false;  // hidden without JavaScript: the button would do nothing
  }

  function paraTarget() {
    var id = window.location.hash.slice(1);
    var target = id ? document.getElementById(decodeURIComponent(id)) : null;
    return target && target.classList.contains('para') ? target : null;
  }

  function goToHash(fromLink) {
    var target = paraTarget();
    if (!target) return false;
    shownAnchor = target.id;
    var bank = Number(target.parentNode.getAttribute('data-bank'));
    // A shared #p-12 link opens the bare paragraph; in-page links carry their question's passages.
    if (!pending) {
      pending = fromLink !== false && context && context.bank === bank ? context : { bank: bank, sources: [], label: '' };
    }
    routing = true;
    showView('reading', false);
    routing = false;
    focusNode(target);
    return true;
  }

  function leave() {
    // Back where the student was: the link they followed if it is still on screen, else the view's heading.
    routing = true;
    showView(returnView, false);
    routing = false;
    shownAnchor = '';
    var link = returnFocus;
    returnFocus = null;
    if (link && document.body.contains(link) && link.getClientRects().length) {
      link.focus({ preventScroll: true });
      link.scrollIntoView({ block: 'center' });
    } else {
      focusNode($(returnView + '-heading'));
    }
  }

  // One rule for Back, Forward and typed #p-N alike: the reading shows exactly when the current
  // history entry is a passage (#p-N) or an entry the Reading tab added.
  function route() {
    var target = paraTarget();
    if (target) {
      if (currentView !== 'reading' || shownAnchor !== target.id) goToHash(true);
      return;
    }
    if (isReadingEntry()) {
      if (currentView !== 'reading') { routing = true; showView('reading', true); routing = false; }
      return;
    }
    if (currentView === 'reading') leave();
  }

  return {
    init: function () {
      window.addEventListener('popstate', route);
      window.addEventListener('hashchange', route);
      $('reading-back').addEventListener('click', function () {
        // Through history when the reading has its own entry, so Back and this button agree.
        if (isReadingEntry()) {
          try { window.history.back(); return; } catch (e) { /* fall through: leave directly */ }
        }
        leave();
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
    setBank: function (bank) { context = { bank: bank, sources: [], label: '' }; },
    setCardContext: function (c) { context = { bank: c.bank, sources: c.sources, label: c.statement || c.front }; },
    linkTo: function (label, item, sources, link) {
      pending = { bank: item.bank, sources: sources, label: label };
      context = pending;
      returnFocus = link || null;
    },
    enter: enter,
    goToHash: goToHash
  };
}());

function openPassage(item, sources, anchor, link) {
  reading.linkTo(item.stem || item.statement || item.front, item, sources, link);
  // A new history entry #p-12: Back returns to the question and the link stays shareable.
  if (pushReadingEntry('#' + anchor)) { reading.goToHash(true); return; }
  // History refused (some file:// setups): the hash still works; when it is already that
  // anchor no hashchange fires, so open the reading directly.
  if (window.location.hash === '#' + anchor) reading.goToHash(true);
  else window.location.hash = anchor;
}
