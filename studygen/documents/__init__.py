"""What each document says, built once and format-neutral (study guide, discussion, outline, ...).

The document registries (`DOCUMENTS`, `FORMATS`, `RENDERERS` and their lookups) are in
`studygen.registry`, at the bottom of the layers: the course-file loader reads their names to
validate `documents:` and quiz `formats:`, and must not depend on the documents it names.
"""
