/* 28-views.js — Switching between the five views (tabs), and keeping a reload on the view the student is in.
 */

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
