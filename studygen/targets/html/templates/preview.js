/* studygen serve: live updates, "what quotes this sentence", and a fact snippet from a selection.
   Every text from the bank reaches the page through textContent; requests go only to this page's origin. */
(function () {
  "use strict";
  var status = document.getElementById("status");
  var current = document.getElementById("app").getAttribute("data-version");

  function marksFor(section) {
    var node = section && section.querySelector("script.marks");
    if (!node) { return {}; }
    try { return JSON.parse(node.textContent); } catch (e) { return {}; }
  }

  function poll() {
    fetch("/version", { cache: "no-store" }).then(function (r) { return r.json(); }).then(function (j) {
      status.classList.remove("down");
      if (String(j.version) === String(current)) { return null; }
      return fetch("/", { cache: "no-store" }).then(function (r) { return r.text(); }).then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("app");
        if (!fresh) { return; }
        var y = window.scrollY;
        document.getElementById("app").replaceWith(document.adoptNode(fresh));
        current = fresh.getAttribute("data-version");
        window.scrollTo(0, y);
        status.textContent = "Updated at " + new Date().toLocaleTimeString() + "; watching for changes.";
      });
    }).catch(function () {
      status.classList.add("down");
      status.textContent = "The preview server is not answering (stopped?). Start `studygen serve` again.";
    });
  }
  setInterval(poll, 500);

  function point(target) {
    var s = target.closest && target.closest(".s");
    if (!s) { return; }
    var section = s.closest("section.bank");
    var panel = section.querySelector(".pointing");
    var marks = marksFor(section);
    var ids = (s.getAttribute("data-marks") || "").split(" ").filter(Boolean);
    panel.textContent = "";
    var h = document.createElement("p");
    h.textContent = ids.length ? "Quoted by " + ids.length + ":" : "Nothing in the bank quotes this sentence yet.";
    panel.appendChild(h);
    if (!ids.length) { return; }
    var ul = document.createElement("ul");
    ids.forEach(function (id) {
      var m = marks[id] || { kind: "", text: "" };
      var li = document.createElement("li");
      var b = document.createElement("strong");
      b.textContent = m.kind + " " + id;
      li.appendChild(b);
      li.appendChild(document.createTextNode(": " + m.text));
      ul.appendChild(li);
    });
    panel.appendChild(ul);
  }
  document.addEventListener("mouseover", function (e) { point(e.target); });
  document.addEventListener("focusin", function (e) { point(e.target); });

  /* A YAML double-quoted scalar: JSON string syntax is a subset of it; line and paragraph
     separators are escaped too, because YAML would read them as line breaks. */
  function yamlString(text) {
    return JSON.stringify(text).replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
  }

  function selected() {
    var sel = window.getSelection();
    if (!sel || sel.isCollapsed || !sel.rangeCount) { return; }
    var node = sel.getRangeAt(0).commonAncestorContainer;
    var el = node.nodeType === 1 ? node : node.parentElement;
    var reading = el && el.closest(".reading");
    var section = reading && reading.closest("section.bank");
    if (!section) { return; }
    var clone = sel.getRangeAt(0).cloneContents();
    clone.querySelectorAll(".pn").forEach(function (n) { n.remove(); });
    var text = (clone.textContent || "").replace(/\s+/g, " ").trim();
    if (!text) { return; }
    var bank = section.getAttribute("data-bank");
    var box = section.querySelector(".snippet");
    box.hidden = false;
    box.querySelector("textarea").value =
      "  - id: F-" + bank + "-new   # choose an id\n" +
      "    statement: \"\"   # the fact in your own words\n" +
      "    quotes:\n" +
      "      - " + yamlString(text) + "\n";
    var verdict = box.querySelector(".verbatim");
    verdict.textContent = "Checking the quote against the reading…";
    fetch("/verify?bank=" + encodeURIComponent(bank) + "&q=" + encodeURIComponent(text), { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (j) {
        verdict.textContent = j.verbatim
          ? "✓ Verbatim in the reading: studygen check will accept this quote."
          : "✗ Not verbatim in the reading (does it cross a link or a paragraph?): trim it.";
      })
      .catch(function () { verdict.textContent = ""; });
  }
  document.addEventListener("mouseup", selected);
  document.addEventListener("keyup", function (e) { if (e.shiftKey) { selected(); } });

  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest("button.copy");
    if (!button) { return; }
    var area = button.parentElement.querySelector("textarea");
    area.select();
    if (navigator.clipboard) { navigator.clipboard.writeText(area.value).catch(function () {}); }
  });
})();
