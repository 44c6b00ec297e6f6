"""Scan files → grayscale pages, one at a time, whatever the file is.

PDFs (what most copiers and scanners write) are rasterised with pdfium at
200 dpi; PNG, JPEG and (multi-page) TIFF files are decoded by OpenCV.  Every
file comes from outside: its size is bounded before reading, pixel counts are
bounded before decoding, and any decoder failure becomes a rejected page with
the reason, never a traceback.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from studygen.sources.files import FileProblem, read_bounded

MAX_SCAN_BYTES = 1024 * 1024 * 1024
MAX_PAGES_PER_FILE = 5000
PDF_DPI = 200.0
MAX_PIXELS = 60_000_000  # a Letter page at 600 dpi is 34 Mpx; anything far larger is not a sheet
cv2.setNumThreads(1)  # one page per core: the command parallelises pages, not pixels


@dataclass(frozen=True, slots=True)
class ScanPage:
    """One page of one scan file: its pixels, or why there are none."""

    source: str  # "scans/mon.pdf#3" (page of a PDF or TIFF) or "scans/p7.jpg"
    image: np.ndarray | None
    error: str = ""


class ScanFileError(Exception):
    """The file cannot be opened at all (missing, a folder, too large)."""


def _kind(head: bytes) -> str:
    if head.startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    return ""


def check_file(path: Path) -> None:
    """Fail early (the command cannot run) for a scan path that is not a readable regular file."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ScanFileError(f"{path}: no such scan file") from None
    except OSError as exc:
        raise ScanFileError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if path.is_dir():
        raise ScanFileError(f"{path}: is a folder; name the scan files (e.g. {path}/*.pdf)")
    if info.st_size > MAX_SCAN_BYTES:
        raise ScanFileError(f"{path}: {info.st_size} bytes; split scans larger than {MAX_SCAN_BYTES} bytes")


def pages(path: Path, shown: str) -> Iterator[ScanPage]:
    try:
        raw = read_bounded(path, MAX_SCAN_BYTES)
    except FileProblem as problem:
        yield ScanPage(shown, None, f"cannot read the file: {problem.reason}")
        return
    kind = _kind(raw[:2048])
    if kind == "pdf":
        yield from _pdf_pages(raw, shown)
    elif kind == "tiff":
        yield from _tiff_pages(raw, shown)
    elif kind in ("png", "jpeg"):
        yield _image_page(raw, shown)
    else:
        yield ScanPage(shown, None, "not a PDF, PNG, JPEG or TIFF file")


def _image_page(raw: bytes, shown: str) -> ScanPage:
    try:
        image = cv2.imdecode(np.frombuffer(raw, np.uint8), cv2.IMREAD_GRAYSCALE)
    except cv2.error as exc:
        return ScanPage(shown, None, f"the image cannot be decoded ({_short(exc)})")
    if image is None or image.size == 0:
        return ScanPage(shown, None, "the image cannot be decoded (damaged or truncated?)")
    return _checked(shown, image)


def _tiff_pages(raw: bytes, shown: str) -> Iterator[ScanPage]:
    try:
        ok, images = cv2.imdecodemulti(np.frombuffer(raw, np.uint8), cv2.IMREAD_GRAYSCALE)
    except cv2.error as exc:
        yield ScanPage(shown, None, f"the TIFF file cannot be decoded ({_short(exc)})")
        return
    if not ok or not images:
        yield ScanPage(shown, None, "the TIFF file cannot be decoded (damaged, or an unsupported compression?)")
        return
    for i, image in enumerate(images[:MAX_PAGES_PER_FILE]):
        yield _checked(f"{shown}#{i + 1}" if len(images) > 1 else shown, image)


def _checked(shown: str, image: np.ndarray) -> ScanPage:
    if image.ndim != 2 or image.dtype != np.uint8:
        if image.ndim == 3:
            image = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.shape[2] >= 3 else image[:, :, 0]
        if image.dtype != np.uint8:
            image = (255.0 * (image - image.min()) / max(1e-9, float(np.ptp(image)))).astype(np.uint8)
    h, w = image.shape[:2]
    if min(h, w) < 300:
        return ScanPage(shown, None, f"the image is only {w}x{h} pixels; scan at 150-300 dpi")
    return ScanPage(shown, np.ascontiguousarray(image))


def _pdf_pages(raw: bytes, shown: str) -> Iterator[ScanPage]:
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(raw)
    except Exception as exc:  # pdfium raises PdfiumError, and ValueError for some broken files
        yield ScanPage(shown, None, f"the PDF cannot be opened ({_short(exc)})")
        return
    try:
        n = len(doc)
        if n == 0:
            yield ScanPage(shown, None, "the PDF has no pages")
        for i in range(min(n, MAX_PAGES_PER_FILE)):
            where = f"{shown}#{i + 1}"
            try:
                page = doc[i]
                w, h = page.get_size()
                scale = PDF_DPI / 72.0
                if not (0 < w < 5000 and 0 < h < 5000) or w * h * scale * scale > MAX_PIXELS:
                    yield ScanPage(where, None, f"the page is {w:.0f}x{h:.0f} points; not a sheet")
                    continue
                bitmap = page.render(scale=scale, grayscale=True)
                pixels = bitmap.to_numpy()
                image = np.array(pixels[:, :, 0] if pixels.ndim == 3 else pixels, dtype=np.uint8)
                del pixels
                bitmap.close()  # pdfium keeps bitmaps and decoded images per page until closed
                page.close()
                yield _checked(where, image)
            except Exception as exc:  # one bad page must not stop the stack
                yield ScanPage(where, None, f"the page cannot be rasterised ({_short(exc)})")
        if n > MAX_PAGES_PER_FILE:
            yield ScanPage(
                f"{shown}#{MAX_PAGES_PER_FILE + 1}", None, f"more than {MAX_PAGES_PER_FILE} pages; split the file"
            )
    finally:
        doc.close()


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return (text[:120] + "...") if len(text) > 120 else (text or type(exc).__name__)
