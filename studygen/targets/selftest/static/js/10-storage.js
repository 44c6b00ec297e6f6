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
      // `mine`: the last result is the student's own "I was right" (optional; older pages drop it harmlessly).
      if (a.mine === true && a.last === true) p.answers[id].mine = true;
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
  var round = sanitizePractice(raw.practice);
  if (round) p.practice = round;
  var run = sanitizeQuiz(raw.quiz);
  if (run) p.quiz = run;
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
  delete a.mine;
  progress.answers[id] = a;
  saveProgress();
}

function overrideAnswer(id, mine) {
  // "I was right" turns the attempt just recorded as wrong into a right one (and Undo turns it back).
  // The student decides: the page records that it was their call (`mine`), and never does it by itself.
  var a = progress.answers[id];
  if (!a) return;
  if (mine && !a.mine && a.last === false && a.wrong > 0) {
    a.wrong -= 1; a.right += 1; a.last = true; a.mine = true;
  } else if (!mine && a.mine && a.right > 0) {
    a.right -= 1; a.wrong += 1; a.last = false; delete a.mine;
  } else {
    return;
  }
  saveProgress();
}

// ------------------------------------------------------------------ saved practice round and quiz run

// Both are optional parts of the one progress object, so a page from before them reads the rest intact.
function knownIds(list) {
  if (!Array.isArray(list)) return [];
  var seen = {};
  return list.filter(function (id) {
    if (typeof id !== 'string' || !QUESTION_IDS[id] || seen[id]) return false;
    seen[id] = true;
    return true;
  });
}

function stringList(list) {
  return Array.isArray(list) ? list.filter(function (s) { return typeof s === 'string'; }) : null;
}

function sanitizePractice(raw) {
  if (!raw || typeof raw !== 'object') return null;
  var filters = {};
  var rawFilters = raw.filters && typeof raw.filters === 'object' ? raw.filters : {};
  Object.keys(rawFilters).forEach(function (k) { if (typeof rawFilters[k] === 'string') filters[k] = rawFilters[k]; });
  var ids = knownIds(raw.ids);
  return {
    ids: ids,
    pos: isCount(raw.pos) && raw.pos < ids.length ? raw.pos : 0,
    done: raw.done === true,
    shuffle: raw.shuffle === true,
    missedFirst: raw.missedFirst === true,
    missesOnly: raw.missesOnly === true,
    seed: isCount(raw.seed) ? raw.seed : 0,
    filters: filters
  };
}

function sanitizeQuiz(raw) {
  if (!raw || typeof raw !== 'object') return null;
  var ids = knownIds(raw.ids);
  if (!ids.length) return null;
  var answers = {};
  var rawAnswers = raw.answers && typeof raw.answers === 'object' ? raw.answers : {};
  ids.forEach(function (id) {
    var a = rawAnswers[id];
    if (!a || typeof a.correct !== 'boolean') return;
    var yours = stringList(a.yours);
    var expected = stringList(a.expected);
    if (!yours || !expected) return;
    answers[id] = { correct: a.correct, yours: yours, expected: expected, ordered: a.ordered === true };
    if (a.mine === true && a.correct) answers[id].mine = true;
  });
  return {
    ids: ids,
    answers: answers,
    flags: knownIds(raw.flags).filter(function (id) { return ids.indexOf(id) >= 0; }),
    pos: isCount(raw.pos) && raw.pos < ids.length ? raw.pos : 0,
    finished: raw.finished === true,
    pending: raw.pending === true,
    open: raw.open === true,
    at: isCount(raw.at) ? raw.at : 0
  };
}

// The shuffle seed lasts one browser session (sessionStorage): reloads keep the same order,
// a new session shuffles afresh.  Blocked storage falls back to a seed for this page only.
var SEED_KEY = DATA.storageKey + '.seed';
var sessionSeed = (function () {
  var key = SEED_KEY;
  function fresh() { return Math.floor(Math.random() * 4294967295); }
  try {
    var stored = window.sessionStorage.getItem(key);
    if (stored !== null && /^[0-9]+$/.test(stored)) return Number(stored);
    var seed = fresh();
    window.sessionStorage.setItem(key, String(seed));
    return seed;
  } catch (e) {
    return fresh();
  }
}());

function newSessionSeed() {
  // "Start over" with Shuffle on asks for another order: the session keeps the new seed.
  sessionSeed = (sessionSeed + 0x9e3779b9) % 4294967296;
  try { window.sessionStorage.setItem(SEED_KEY, String(sessionSeed)); } catch (e) { /* in memory */ }
  return sessionSeed;
}

function seededShuffle(list, seed) {
  // mulberry32: a small, well-mixed PRNG, so one seed always gives one order.
  var state = seed >>> 0;
  function next() {
    state = (state + 0x6d2b79f5) >>> 0;
    var z = state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  }
  var a = list.slice();
  for (var i = a.length - 1; i > 0; i -= 1) {
    var j = Math.floor(next() * (i + 1));
    var tmp = a[i]; a[i] = a[j]; a[j] = tmp;
  }
  return a;
}

function isMiss(q) {
  var a = progress.answers[q.id];
  return !!a && a.last === false;
}
