import sys

from studygen.cli import main

sys.exit(main())
