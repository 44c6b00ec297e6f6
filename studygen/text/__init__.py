"""Pure text rules every layer shares (answers, blanks, letters); no other package import.

One concept, one module: grading, the checker, the renderers and the self-test page's
payload all ask these functions, so two copies cannot drift apart.
"""
