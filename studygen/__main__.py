"""`python -m studygen`: the same command line as the `studygen` script."""

import sys

from studygen.cli import main

sys.exit(main())
