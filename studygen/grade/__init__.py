"""Grading and item analysis: responses CSV + quiz manifest -> grades, statistics, reports.

Flow (one way, like the rest of studygen): `manifest.load_manifest` and
`responses.read_responses` validate the inputs; `analysis.grade` scores them
with the rules in `scoring`; `analysis.analyse` pools statistics by bank
question id; `csvout` returns bytes and `report.report_context` the report's
content, which the HTML and PDF formats draw (`studygen.targets.html`,
`studygen.targets.pdf.report`) with the course's paper and fonts; the `grade`
command hands the bytes to `studygen.writer`.  See docs/grading.md.
"""
