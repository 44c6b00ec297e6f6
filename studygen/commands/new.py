"""`studygen new`: a reading (text, web page or PDF) → seed text, metadata, bank skeleton, course entry.

Everything is prepared in memory and checked first (the id, that nothing would be overwritten,
that the skeleton loads as a bank); only then are the files written.  If a write fails half-way,
the files this run created are removed again, so a failed `new` leaves the project as it was.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
from pathlib import Path

from studygen.errors import StudygenError
from studygen.model import ID_PATTERN
from studygen.scaffold import ReadingInfo, bank_yaml, meta_yaml
from studygen.sources.bankschema import DATE_PATTERN, URL_PATTERN
from studygen.sources.extract import Extracted, extract
from studygen.writer import write_atomic

_SHOW = 12  # lines of each report shown in the terminal; the rest are counted


def _check_args(args: argparse.Namespace) -> None:
    if not re.match(ID_PATTERN, args.id) or "/" in args.id or "\\" in args.id or ".." in args.id:
        raise StudygenError(
            f"--id {args.id!r}: use letters, digits, '-' and '_' (it names seeds/ID.txt and question_banks/ID.yaml)"
        )
    if not re.match(DATE_PATTERN, args.date):
        raise StudygenError(f"--date {args.date!r}: give the publication date as YYYY-MM-DD (or YYYY-MM, YYYY)")
    if args.url and not re.match(URL_PATTERN, args.url):
        raise StudygenError(f"--url {args.url!r}: give an http:// or https:// address")
    for name in ("title", "author", "publication"):
        if not getattr(args, name).strip():
            raise StudygenError(f"--{name} must not be empty")


def _report(found: Extracted, source: Path) -> None:
    words = len(found.text.split())
    paragraphs = len([p for p in found.text.split("\n\n") if p.strip()])
    out = sys.stderr
    print(f"studygen new: {words} words in {paragraphs} paragraphs from {source} ({found.kind})", file=out)
    if found.dropped:
        print(f"  left out {len(found.dropped)} line(s) that are not the reading's text; check them:", file=out)
        for line in found.dropped[:_SHOW]:
            print(f"    - {line[:110]}", file=out)
        if len(found.dropped) > _SHOW:
            print(f"    ... and {len(found.dropped) - _SHOW} more", file=out)
    if found.joins:
        print(f"  rejoined {len(found.joins)} word(s) split at a line end; check them:", file=out)
        for line in found.joins[:_SHOW]:
            print(f"    - {line}", file=out)
        if len(found.joins) > _SHOW:
            print(f"    ... and {len(found.joins) - _SHOW} more", file=out)


def run(args: argparse.Namespace) -> int:
    from studygen.sources.banks import load_bank
    from studygen.sources.courseedit import add_bank

    _check_args(args)
    config = Path(args.config)
    root = config.parent if config.exists() else Path.cwd()
    seed = root / "seeds" / f"{args.id}.txt"
    meta = root / "seeds" / f"{args.id}.meta.yaml"
    bank = root / "question_banks" / f"{args.id}.yaml"
    taken = [p for p in (seed, meta, bank) if p.exists()]
    if taken:
        raise StudygenError(
            f"id {args.id!r} is taken: {', '.join(str(p) for p in taken)} already exist(s); "
            "choose another --id (studygen new never overwrites)"
        )
    source = Path(args.source)
    found = extract(source)
    info = ReadingInfo(args.id, args.title.strip(), args.author.strip(), args.publication.strip(), args.date, args.url)
    info = ReadingInfo(**{**info.__dict__, "source_name": source.name})
    files = {
        seed: found.text.encode("utf-8"),
        meta: meta_yaml(info).encode("utf-8"),
        bank: bank_yaml(info, found.text, args.suggest).encode("utf-8"),
    }
    course_text = None
    rel_bank = bank.relative_to(root).as_posix()
    if config.exists():
        course_text = add_bank(config.read_text(encoding="utf-8"), rel_bank, str(config))
    _report(found, source)
    written: list[Path] = []
    try:
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, data)
            written.append(path)
        loaded, problems = load_bank(bank)
        if loaded is None:
            from studygen.check.report import render

            sys.stderr.write(render(problems, "text"))
            raise StudygenError("the new bank skeleton does not load (a bug in studygen new); nothing was kept")
        if course_text is not None:
            write_atomic(config, course_text.encode("utf-8"))
    except BaseException:
        for path in written:
            with contextlib.suppress(OSError):
                path.unlink()
        raise
    for path in written:
        print(f"wrote {path}", file=sys.stderr)
    if course_text is not None:
        print(f"added {rel_bank} to the banks of {config}", file=sys.stderr)
    else:
        print(f"no course file {config}: list {rel_bank} under banks: in yours", file=sys.stderr)
    print(
        f"next: curate {rel_bank} (facts with verbatim quotes, then questions); "
        "`studygen serve` previews it as you save, `studygen check` verifies it",
        file=sys.stderr,
    )
    return 0
