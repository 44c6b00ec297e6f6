"""An example reading, written for studygen's tests (not curated course content), in three forms.

The same words are laid out as a saved web page (with menus, a cookie banner, scripts and a
footer around the article) and as a two-page PDF (running header, footer with page numbers,
words split by end-of-line hyphens), so the tests can check that `studygen new` extracts
exactly the reading from each.
"""

from __future__ import annotations

from pathlib import Path

TITLE = "The Concert of Europe and the limits of great-power management"
PARAGRAPHS = [
    "After the defeat of Napoleon in 1815, the great powers met at the Congress of Vienna and agreed to "
    "consult one another before changing the map of Europe. Prince Klemens von Metternich of Austria hoped "
    "that regular conferences would keep the peace among Austria, Prussia, Russia and Britain.",
    "The British foreign secretary Viscount Castlereagh wrote in 1818 that the powers should meet "
    "\u201cat fixed periods\u201d to discuss their common interests. The system held, with strains, for "
    "nearly four decades, although Britain withdrew from the congresses after 1822.",
    "Historians disagree about why it worked. Some credit a shared fear of revolution; others point to a "
    "balance of power that made unilateral action too costly. The Crimean War of 1853 is usually taken "
    "as the moment the Concert broke down, when Russia and the Ottoman Empire went to war and Britain and "
    "France joined in.",
    "The lesson most often drawn is a modest one: international cooperation among rivals is possible when "
    "each believes the others will also exercise restraint, and it decays once that belief is lost.",
]
TEXT = "\n\n".join(PARAGRAPHS) + "\n"


def html_page() -> str:
    body = "\n".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{TITLE} | Example Review</title>
<script>window.track = function () {{ document.title = "tracked"; }};</script>
<style>nav {{ color: red }}</style></head>
<body>
<header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/subscribe">Subscribe now</a></nav></header>
<div class="cookie">We use cookies to improve your experience. Accept all cookies</div>
<main><article>
<h1>{TITLE}</h1>
{body}
</article></main>
<aside><h2>Most read</h2><ul><li><a href="/a">Ten things about trade you never knew</a></li>
<li><a href="/b">Election night live blog and reactions</a></li></ul></aside>
<footer><p>Copyright 2025 Example Review. All rights reserved. Contact the newsroom at news@example.org</p></footer>
<script>track();</script>
</body></html>
"""


def pdf_bytes(path: Path) -> None:
    """Two A4 pages set line by line, so that line ends (and hyphen splits) are known exactly."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), pagesize=A4, invariant=True)
    width, height = A4
    lines_by_page = [
        [
            "After the defeat of Napoleon in 1815, the great powers met at the Congress of Vi-",
            "enna and agreed to consult one another before changing the map of Europe. Prince",
            "Klemens von Metternich of Austria hoped that regular conferences would keep the",
            "peace among Austria, Prussia, Russia and Britain.",
            "",
            "The British foreign secretary Viscount Castlereagh wrote in 1818 that the powers",
            "should meet \u201cat fixed periods\u201d to discuss their common interests. The system held,",
            "with strains, for nearly four decades, although Britain withdrew from the congress-",
            "es after 1822.",
        ],
        [
            "Historians disagree about why it worked. Some credit a shared fear of revolution;",
            "others point to a balance of power that made unilateral action too costly. The",
            "Crimean War of 1853 is usually taken as the moment the Concert broke down, when",
            "Russia and the Ottoman Empire went to war and Britain and France joined in.",
            "",
            "The lesson most often drawn is a modest one: international cooperation among ri-",
            "vals is possible when each believes the others will also exercise restraint, and it",
            "decays once that belief is lost.",
        ],
    ]
    for number, lines in enumerate(lines_by_page, start=1):
        canvas.setFont("Helvetica", 8)
        canvas.drawString(72, height - 40, "Example Review of International Affairs \u00b7 Vol. 3")
        canvas.drawCentredString(width / 2, 30, f"Page {number} of 2")
        canvas.setFont("Helvetica", 11)
        y = height - 100
        for line in lines:
            if line:
                canvas.drawString(72, y, line)
            y -= 15
        canvas.showPage()
    canvas.save()
