"""`studygen serve`: the live preview of the course's banks (see studygen/serve.py)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from studygen.serve import serve


def run(args: argparse.Namespace) -> int:
    editor = args.editor if args.editor is not None else os.environ.get("STUDYGEN_EDITOR", "")
    return serve(Path(args.config), args.port, editor)
