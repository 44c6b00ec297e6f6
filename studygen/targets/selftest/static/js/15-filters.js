/* 15-filters.js — The topic / difficulty / level filters shared by Practice and Quiz.
 */

// ------------------------------------------------------------------ filters

var topicLabels = {};
DATA.topics.forEach(function (t) { topicLabels[t[0]] = t[1]; });

// Question types in the order the bank format lists them, shown only when present.
var TYPES = ['single_choice', 'multiple_response', 'true_false', 'short_answer', 'matching', 'ordering',
  'fill_blank', 'essay'];

function setupFilters() {
  var readingFilter = $('filter-reading');
  if (readingFilter) {
    DATA.banks.forEach(function (b, i) { readingFilter.appendChild(el('option', { value: String(i), text: b.reading })); });
  }
  var type = $('filter-type');
  TYPES.forEach(function (name) {
    if (QUESTIONS.some(function (q) { return q.type === name; })) {
      type.appendChild(el('option', { value: name, text: t('st_type_' + name) }));
    }
  });
  var topic = $('filter-topic');
  DATA.topics.forEach(function (t) { topic.appendChild(el('option', { value: t[0], text: t[1] })); });
  var bloom = $('filter-bloom');
  DATA.blooms.forEach(function (b) {
    bloom.appendChild(el('option', { value: b, text: t('st_level_' + b) }));
  });
  FILTERS.forEach(function (id) {
    if ($(id)) $(id).addEventListener('change', function () { updateFilterCount(); practice.restart(); });
  });
  // On a phone the open panel pushes the question below the fold: it starts folded there.  The
  // stylesheet's phone layout says so (--fold-filters), so the breakpoint lives in one place.
  var panel = $('filter-panel');
  if (window.getComputedStyle(panel).getPropertyValue('--fold-filters').trim() === '1') panel.open = false;
  updateFilterCount();
}

var FILTERS = ['filter-reading', 'filter-type', 'filter-topic', 'filter-difficulty', 'filter-bloom'];

function clearFilters() {
  FILTERS.forEach(function (id) { if ($(id)) $(id).value = ''; });
  updateFilterCount();
}

function filtered() {
  var bank = $('filter-reading') ? $('filter-reading').value : '';
  var type = $('filter-type').value;
  var topic = $('filter-topic').value;
  var difficulty = $('filter-difficulty').value;
  var bloom = $('filter-bloom').value;
  return QUESTIONS.filter(function (q) {
    return (!bank || String(q.bank) === bank) && (!type || q.type === type) &&
      (!topic || q.topics.indexOf(topic) >= 0) &&
      (!difficulty || String(q.difficulty) === difficulty) &&
      (!bloom || q.bloom === bloom);
  });
}

function updateFilterCount() {
  var n = filtered().length;
  var text = n === 1 ? t('st_match_one') : t('st_match_many', { n: n });
  $('filter-count').textContent = text;
  // The folded panel still says how many questions the filters leave.
  $('filter-summary').textContent = t('st_filters_folded', { count: text });
}

// The filters as saved with a practice round, so a reload shows the round with the filters that made it.
function filterValues() {
  var values = {};
  FILTERS.forEach(function (id) { if ($(id) && $(id).value) values[id] = $(id).value; });
  return values;
}

function setFilterValues(values) {
  FILTERS.forEach(function (id) {
    var select = $(id);
    if (!select) return;
    var wanted = Object.prototype.hasOwnProperty.call(values, id) ? values[id] : '';
    // A value this build no longer offers (a topic renamed away) falls back to "any".
    var offered = Array.prototype.some.call(select.options, function (o) { return o.value === wanted; });
    select.value = offered ? wanted : '';
  });
  updateFilterCount();
}
