"""PDF documents (reportlab): quizzes and keys per version, study guides, discussion handouts.

Renderers return bytes and never write; the build hands them to the writer.
Text that no embedded font can draw is reported as a `MissingGlyphWarning`
(see `warnings`), which the build prints.
"""

from __future__ import annotations

from studygen.targets.pdf.discussion import render_discussion_pdf
from studygen.targets.pdf.guide import render_study_guide_pdf
from studygen.targets.pdf.markup import MissingGlyphWarning
from studygen.targets.pdf.quiz import render_quiz_pdfs

__all__ = ["MissingGlyphWarning", "render_discussion_pdf", "render_quiz_pdfs", "render_study_guide_pdf"]
