"""Everything that reads user files: banks, readings, the course file, measured statistics.

`DEFAULT_BANKS` and `DEFAULT_CONFIG` are where those inputs are looked for when a
command is not told (the CLI's help text and the commands share them).
"""

DEFAULT_BANKS = "question_banks"
DEFAULT_CONFIG = "studygen.yaml"
