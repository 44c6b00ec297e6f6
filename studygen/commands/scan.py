"""`studygen scan`: read scanned answer sheets into responses.csv; everything unsure goes to a person."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from studygen.errors import EXIT_OK, EXIT_PROBLEMS, StudygenError
from studygen.grade.manifest import MAX_MANIFEST_BYTES, Manifest, load_manifest
from studygen.writer import Writer

if TYPE_CHECKING:
    from studygen.scan.images import ScanPage
    from studygen.scan.layouts import SheetSet
    from studygen.scan.reader import PageRead


_WORKER: tuple[SheetSet, Manifest] | None = None


def _read_one(page: ScanPage, sheets: SheetSet, manifest: Manifest) -> PageRead:
    from studygen.scan.decide import prepare
    from studygen.scan.reader import read_page

    read = read_page(page, sheets, manifest.quiz)
    prepare(read, manifest, sheets.id_digits)  # crops taken, pixels released: what travels back is small
    return read


def _init_worker(sheets: SheetSet, manifest: Manifest) -> None:
    global _WORKER
    _WORKER = (sheets, manifest)


def _read_in_worker(page: ScanPage) -> PageRead:
    assert _WORKER is not None, "worker used before _init_worker"
    return _read_one(page, *_WORKER)


def run(args: argparse.Namespace) -> int:
    """Load the manifest's sheets and roster, check every scan file, read its pages, decide, write, summarise.

    Reading is its own step (`_read_pages`) because it is the slow one and
    the one that can fan out to worker processes; scan files are all checked
    before any page is read, so a bad file fails fast.
    """
    from studygen.scan import images
    from studygen.scan.decide import Overrides, decide, read_overrides, review_csv
    from studygen.scan.layouts import parse_sheets
    from studygen.scan.report import render_report
    from studygen.sources.files import read_bounded

    manifest_path = Path(args.manifest)
    manifest = load_manifest(manifest_path)  # validated: shape, keys, versions
    data = json.loads(read_bounded(manifest_path, MAX_MANIFEST_BYTES).decode("utf-8-sig"))
    sheets = parse_sheets(data, str(manifest_path))
    roster = _roster(sheets, args.roster)
    overrides = read_overrides(Path(args.overrides), args.overrides) if args.overrides else Overrides()
    for scan in args.scans:
        try:
            images.check_file(Path(scan))
        except images.ScanFileError as exc:
            raise StudygenError(str(exc)) from None
    pages = _read_pages(args.scans, args.jobs, sheets, manifest)
    outcome = decide(manifest, pages, sheets.id_digits, roster, overrides, args.overrides or "")

    out = Path(args.out)
    writer = Writer(out)
    writer.add("responses.csv", outcome.responses)
    writer.add("needs-review.csv", review_csv(outcome))
    writer.add(
        "scan-report.html",
        render_report(outcome, quiz=manifest.quiz, fingerprint=sheets.fingerprint, scans=list(args.scans)),
    )
    for path in writer.commit():
        print(path)
    n_read = sum(1 for s in outcome.sheets if s.read)
    print(
        f"studygen scan: {len(pages)} page(s): {n_read} sheet(s) read, {len(outcome.review)} decision(s) to review, "
        f"{outcome.rejected} page(s) rejected, {outcome.skipped_blank} blank page(s) skipped",
        file=sys.stderr,
    )
    if outcome.review:
        print(
            f"studygen scan: decide the rows of {out / 'needs-review.csv'} (see {out / 'scan-report.html'}) "
            "in an overrides file and run again with --overrides FILE",
            file=sys.stderr,
        )
    return EXIT_OK if outcome.complete else EXIT_PROBLEMS


def _roster(sheets: SheetSet, roster_arg: str | None) -> dict[str, tuple[str, str]]:
    """Folded student ID → (ID, name): the manifest's roster, with --roster's students added over it."""
    from studygen.sources.roster import read_roster

    roster = dict(sheets.roster)
    if roster_arg:
        from studygen.sources.roster import fold_id

        for s in read_roster(Path(roster_arg), roster_arg).students:
            roster[fold_id(s.student_id)] = (s.student_id, s.name)
    return roster


def _read_pages(scans: Sequence[str], jobs: int, sheets: SheetSet, manifest: Manifest) -> list[PageRead]:
    """Every page of every scan file read, in scan order, in this process or `jobs` workers, with a progress bar."""
    from tqdm import tqdm

    from studygen.scan import images

    def stack() -> Iterator[images.ScanPage]:
        for scan in scans:
            yield from images.pages(Path(scan), scan)

    pages: list[PageRead] = []
    bar = tqdm(unit="page", file=sys.stderr, disable=not sys.stderr.isatty(), leave=False)
    try:
        if jobs <= 1:
            for page in stack():
                pages.append(_read_one(page, sheets, manifest))
                bar.update()
        else:
            import multiprocessing as mp

            methods = mp.get_all_start_methods()
            ctx = mp.get_context("fork" if "fork" in methods else None)
            with ctx.Pool(jobs, initializer=_init_worker, initargs=(sheets, manifest)) as pool:
                for read in pool.imap(_read_in_worker, stack(), chunksize=1):  # scan order kept
                    pages.append(read)
                    bar.update()
    finally:
        bar.close()
    return pages
