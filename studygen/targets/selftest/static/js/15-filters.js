/* 15-filters.js — The topic / difficulty / level filters shared by Practice and Quiz.
 */

// ------------------------------------------------------------------ filters

var topicLabels = {};
DATA.topics.forEach(function (t) { topicLabels[t[0]] = t[1]; });

function setupFilters() {
  var topic = $('filter-topic');
  DATA.topics.forEach(function (t) { topic.appendChild(el('option', { value: t[0], text: t[1] })); });
  var bloom = $('filter-bloom');
  DATA.blooms.forEach(function (b) {
    bloom.appendChild(el('option', { value: b, text: t('st_level_' + b) }));
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
  $('filter-count').textContent = n === 1 ? t('st_match_one') : t('st_match_many', { n: n });
}
