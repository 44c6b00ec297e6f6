/* 10-storage.js — Progress in localStorage: one versioned key per course, sanitised entry by entry on load,
 * degrading to in-memory progress when storage is blocked, full or corrupt.
 */

// ------------------------------------------------------------------ progress storage

function emptyProgress() {
  return { v: PROGRESS_VERSION, answers: {}, quizzes: [], boxes: {}, session: 0 };
}

function isCount(n) { return typeof n === 'number' && isFinite(n) && n >= 0 && Math.floor(n) === n; }

var QUESTION_IDS = {};
QUESTIONS.forEach(function (q) { QUESTION_IDS[q.id] = true; });
var CARD_IDS = {};
CARDS.forEach(function (c) { CARD_IDS[c.id] = true; });

function sanitize(raw) {
  // Keep every well-formed entry, drop the rest: one bad entry must not cost a student all progress.
  if (!raw || typeof raw !== 'object' || raw.v !== PROGRESS_VERSION) return null;
  var p = emptyProgress();
  var answers = raw.answers && typeof raw.answers === 'object' ? raw.answers : {};
  Object.keys(answers).forEach(function (id) {
    var a = answers[id];
    if (!QUESTION_IDS[id]) return;  // a question the banks no longer have: dropped quietly
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
    if (!CARD_IDS[id]) return;
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

function migrate() {
  // Progress saved before it was keyed by course alone moves to the course's key, once.
  var keys = DATA.legacyStorageKeys || [];
  for (var i = 0; i < keys.length; i += 1) {
    var old = window.localStorage.getItem(keys[i]);
    if (old === null) continue;
    window.localStorage.setItem(DATA.storageKey, old);
    window.localStorage.removeItem(keys[i]);
    return old;
  }
  return null;
}

function loadProgress() {
  var raw;
  try {
    raw = window.localStorage.getItem(DATA.storageKey);
    if (raw === null) raw = migrate();
  } catch (e) {
    storage.usable = false;
    showNotice(t('st_storage_blocked'));
    return emptyProgress();
  }
  if (raw === null) return emptyProgress();
  var parsed = null;
  try { parsed = sanitize(JSON.parse(raw)); } catch (e) { parsed = null; }
  if (parsed) return parsed;
  showNotice(t('st_storage_unreadable'));
  return emptyProgress();
}

function saveProgress() {
  if (!storage.usable) return;
  try {
    window.localStorage.setItem(DATA.storageKey, JSON.stringify(progress));
  } catch (e) {
    storage.usable = false;
    showNotice(t('st_storage_refused'));
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
