/* studygen self-test: when a typed answer counts (built into selftest.js ahead of the page script).
 *
 * The rule lives in Python (studygen/text/answers.py) and reaches the page as data in the
 * payload's `answerRule`: fold tables, the digit separators and the typo thresholds.  This
 * part only runs the rule's generic steps with that data — NFC, a per-character table
 * lookup, and an edit distance — so the practice page and the graded quiz cannot disagree
 * (tests/js/answer_rule.js runs this file beside the Python rule on the same strings).
 */
var StudygenAnswers = (function () {
  'use strict';

  function has(obj, key) { return Object.prototype.hasOwnProperty.call(obj, key); }

  function make(rule) {
    var steps = rule.typoSteps;
    var drop = {};
    Array.from(rule.drop).forEach(function (c) { drop[c] = true; });

    function fold(c, caseSensitive) {
      if (caseSensitive && has(rule.keepCase, c)) return rule.keepCase[c];
      if (has(drop, c)) return '';
      return has(rule.fold, c) ? rule.fold[c] : c;
    }

    function key(text, caseSensitive) {
      var folded = [];
      Array.from(String(text).normalize('NFC')).forEach(function (c) {
        Array.prototype.push.apply(folded, Array.from(fold(c, caseSensitive)));
      });
      var last = folded.length - 1;
      return folded.filter(function (c, i) {
        if (rule.digitSeparators.indexOf(c) < 0) return true;
        return i > 0 && i < last && rule.digits.indexOf(folded[i - 1]) >= 0 && rule.digits.indexOf(folded[i + 1]) >= 0;
      });
    }

    function allowance(k) {
      if (k.some(function (c) { return rule.digits.indexOf(c) >= 0; })) return 0;
      var allowed = 0;
      steps.forEach(function (step) { if (k.length >= step[0]) allowed = step[1]; });
      return allowed;
    }

    // Optimal string alignment distance over code points, or limit + 1 once it is exceeded.
    function distance(a, b, limit) {
      if (Math.abs(a.length - b.length) > limit) return limit + 1;
      var prev2 = [];
      var prev = [];
      var i, j;
      for (j = 0; j <= b.length; j += 1) prev.push(j);
      for (i = 1; i <= a.length; i += 1) {
        var cur = [i];
        var low = i;
        for (j = 1; j <= b.length; j += 1) {
          var cost = a[i - 1] === b[j - 1] ? 0 : 1;
          var v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
          if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
          cur.push(v);
          if (v < low) low = v;
        }
        if (low > limit) return limit + 1;
        prev2 = prev;
        prev = cur;
      }
      return Math.min(prev[b.length], limit + 1);
    }

    function near(g, k) {
      var allowed = allowance(k);
      return allowed > 0 && distance(g, k, allowed) <= allowed;
    }

    // {right, exact, nearest, edits}: the same verdict as studygen.text.answers.judge.
    function judge(given, accepted, caseSensitive, rivals) {
      var wrong = { right: false, exact: false, nearest: '', edits: 0 };
      var g = key(given, caseSensitive);
      if (!g.length) return wrong;
      var gs = g.join('');
      var keys = accepted.map(function (a) { return [a, key(a, caseSensitive)]; });
      for (var n = 0; n < keys.length; n += 1) {
        if (keys[n][1].join('') === gs) return { right: true, exact: true, nearest: keys[n][0], edits: 0 };
      }
      if (caseSensitive) return wrong;
      var best = wrong;
      keys.forEach(function (pair) {
        var allowed = allowance(pair[1]);
        if (!allowed) return;
        var d = distance(g, pair[1], allowed);
        if (d <= allowed && (!best.right || d < best.edits)) best = { right: true, exact: false, nearest: pair[0], edits: d };
      });
      if (!best.right) return wrong;
      var acceptedKeys = keys.map(function (pair) { return pair[1].join(''); });
      var clash = (rivals || []).some(function (r) {
        var rk = key(r, caseSensitive);
        var rs = rk.join('');
        if (acceptedKeys.indexOf(rs) >= 0) return false;
        return rs === gs || near(g, rk);
      });
      return clash ? wrong : best;
    }

    function rivalsOf(blanks, index) {
      var out = [];
      blanks.forEach(function (accepted, j) { if (j !== index) out.push.apply(out, accepted); });
      return out;
    }

    return { key: function (t, cs) { return key(t, cs).join(''); }, judge: judge, rivalsOf: rivalsOf };
  }

  return { make: make };
}());
