"""`studygen schema`: publish the bank JSON Schema for editors."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from studygen.errors import StudygenError
from studygen.sources.bankschema import bank_schema
from studygen.writer import write_atomic


def run(args: argparse.Namespace) -> int:
    text = json.dumps(bank_schema(), indent=2, ensure_ascii=False) + "\n"
    if args.out and args.out != "-":
        try:
            write_atomic(Path(args.out), text.encode("utf-8"))
        except OSError as exc:
            raise StudygenError(f"cannot write {args.out}: {exc.strerror or exc}") from exc
    else:
        sys.stdout.write(text)
    return 0
