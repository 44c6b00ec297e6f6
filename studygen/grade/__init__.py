"""Grading and item analysis: responses CSV + quiz manifest -> grades, statistics, reports.

Flow (one way, like the rest of studygen): `manifest.load_manifest` and
`responses.read_responses` validate the inputs; `analysis.grade` scores them
with the rules in `scoring`; `analysis.analyse` pools statistics by bank
question id; `csvout`, `report_html` and `report_pdf` return bytes; the
`grade` command hands those to `studygen.writer`.  See docs/grading.md.
"""
