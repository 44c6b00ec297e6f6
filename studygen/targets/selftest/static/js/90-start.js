/* 90-start.js — Start: wire the tabs and every part, then open the view the URL asks for.
 */

// ------------------------------------------------------------------ start

Array.prototype.forEach.call(document.querySelectorAll('.tab'), function (tab) {
  tab.addEventListener('click', function () { showView(tab.getAttribute('data-view'), true); });
});
setupFilters();
practice.init();
quiz.init();
cards.init();
setupProgress();
// A quiz left open in the Quiz view (in progress or on its results) reopens there after a reload.
if (!reading.init()) showView(quiz.reopens() ? 'quiz' : 'practice', false);
document.documentElement.classList.add('js');
