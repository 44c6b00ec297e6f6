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
if (!reading.init()) showView('practice', false);
document.documentElement.classList.add('js');
