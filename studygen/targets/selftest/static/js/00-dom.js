/* 00-dom.js — The page's data (parsed once from #bank-data) and the DOM helpers every part uses:
 * el() builds elements and fills them with textContent only, so bank text can never become markup.
 */

var DATA = JSON.parse(document.getElementById('bank-data').textContent);
var L = DATA.labels;
var QUESTIONS = DATA.questions;
var CARDS = DATA.cards;
var BOX_COUNT = 5;
var PROGRESS_VERSION = 1;
var reducedMotion = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;

// ------------------------------------------------------------------ DOM helpers

function $(id) { return document.getElementById(id); }

// Every word the page shows is a course label (studygen/course.py DEFAULT_LABELS, overridable in
// studygen.yaml); `{name}` fields are filled here, `{{` and `}}` are literal braces, as in Python.
function t(key, values) {
  var text = Object.prototype.hasOwnProperty.call(L, key) ? L[key] : key;
  return text.replace(/\{\{|\}\}|\{([a-z_]+)\}/g, function (m, name) {
    if (m === '{{') return '{';
    if (m === '}}') return '}';
    return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : m;
  });
}

function el(tag, props, children) {
  var node = document.createElement(tag);
  if (props) {
    Object.keys(props).forEach(function (key) {
      var value = props[key];
      if (value === undefined || value === null || value === false) return;
      if (key === 'text') node.textContent = value;
      else if (key === 'className') node.className = value;
      else if (key.indexOf('on') === 0) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : String(value));
    });
  }
  (children || []).forEach(function (child) {
    if (child === null || child === undefined) return;
    node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  });
  return node;
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

function announce(region, message) {
  // Clearing first makes screen readers repeat a message that did not change.
  region.textContent = '';
  window.setTimeout(function () { region.textContent = message; }, 30);
}

function focusNode(node) {
  if (!node) return;
  node.focus({ preventScroll: true });
  node.scrollIntoView({ block: 'start', behavior: reducedMotion ? 'auto' : 'smooth' });
}

var uid = 0;
function nextId(prefix) { uid += 1; return prefix + '-' + uid; }

function shuffle(list) {
  var a = list.slice();
  for (var i = a.length - 1; i > 0; i -= 1) {
    var j = Math.floor(Math.random() * (i + 1));
    var t = a[i]; a[i] = a[j]; a[j] = t;
  }
  return a;
}
