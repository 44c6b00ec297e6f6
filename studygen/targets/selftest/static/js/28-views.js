/* 28-views.js — Switching between the five views (tabs), and keeping a reload on the view the student is in.
 */

// ------------------------------------------------------------------ views

var VIEWS = ['practice', 'quiz', 'cards', 'reading', 'progress'];
var currentView = 'practice';
var returnView = 'practice';
var cardsSessionStarted = false;
var routing = false;  // true while the history router (60-reading.js) switches views itself

// Each visit to the reading gets its own history entry, so the browser's Back button leaves it.
function pushReadingEntry(url) {
  try {
    window.history.pushState({ studygenReading: true }, '', url);
    return true;
  } catch (e) {
    return false;  // some file:// setups refuse history changes
  }
}

function isReadingEntry() {
  var state = window.history.state;
  return !!(state && state.studygenReading);
}

function showView(name, focus) {
  if (name !== 'reading') {
    returnView = name;
    dropParagraphHash();
  } else if (currentView !== 'reading' && !routing && !isReadingEntry()) {
    pushReadingEntry(window.location.href);  // the Reading tab: Back returns to where the student was
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
  // Left by a tab rather than Back, the entry stops being a reading entry too.
  var id = window.location.hash.slice(1);
  var target = id ? document.getElementById(decodeURIComponent(id)) : null;
  var isPara = target && target.classList.contains('para');
  if (!isPara && !(isReadingEntry() && !routing)) return;
  try {
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
  } catch (e) {
    // Some file:// setups refuse history changes; the stale hash is harmless.
  }
}
