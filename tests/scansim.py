"""Simulated students and a simulated print-and-scan, for the scanner's tests and benchmark.

Sheets are the real PDFs rasterised by pdfium (what a printer would put on
paper); marks are drawn where the manifest's layout says the boxes are, in
the ways students really mark (fills of varying darkness and coverage, ticks,
crosses, scribbles, half-erased marks, stray dots); then the page goes
through what a scanner does (rotation by quarter turns, skew, scale, offset,
blur, noise, grey paper, JPEG).  Every mark has a ground truth: "clear" marks
must be read, "ambiguous" ones must go to review, and nothing else may happen.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import pypdfium2 as pdfium

CLEAR_KINDS = ("fill_pen", "fill_pencil", "fill_light", "fill_partial", "cross", "tick", "scribble")
AMBIGUOUS_KINDS = ("half_erased", "faint_dot", "smudge")


def rasterise(pdf: bytes, dpi: float) -> list[np.ndarray]:
    doc = pdfium.PdfDocument(pdf)
    try:
        out = []
        for i in range(len(doc)):
            img = doc[i].render(scale=dpi / 72, grayscale=True).to_numpy()
            out.append(np.array(img[:, :, 0] if img.ndim == 3 else img, dtype=np.uint8))
        return out
    finally:
        doc.close()


@dataclass(frozen=True)
class Mark:
    rect: tuple[float, float, float, float]  # layout points
    kind: str


def _pts(rect: tuple[float, float, float, float], k: float, rel: list[tuple[float, float]]) -> np.ndarray:
    x, y, w, h = rect
    return np.array([[(x + u * w) * k, (y + v * h) * k] for u, v in rel], dtype=np.float64)


def draw_mark(ink: np.ndarray, mark: Mark, dpi: float, rng: np.random.Generator) -> None:
    """Add one mark's darkness (0..1) to `ink`, a float32 image of the page (drawn in a patch around the box)."""
    k = dpi / 72
    bx, by, w, h = mark.rect
    pad = 6.0
    px0, py0 = max(0, int((bx - pad) * k)), max(0, int((by - pad) * k))
    px1, py1 = min(ink.shape[1], int((bx + w + pad) * k) + 1), min(ink.shape[0], int((by + h + pad) * k) + 1)
    layer = np.zeros((py1 - py0, px1 - px0), np.float32)
    rect = (bx - px0 / k, by - py0 / k, w, h)  # the box in the patch's own coordinates
    x, y = rect[0], rect[1]
    kind = mark.kind
    mark = Mark(rect, kind)

    def jit(v: float, s: float = 0.06) -> float:
        return v + float(rng.normal(0, s))

    def line(points: np.ndarray, width_pt: float, value: float) -> None:
        cv2.polylines(
            layer,
            [np.round(points * 16).astype(np.int32)],
            False,
            value,
            max(1, round(width_pt * k)),
            lineType=cv2.LINE_AA,
            shift=4,
        )

    if kind.startswith("fill") or kind == "half_erased":
        darkness = {
            "fill_pen": rng.uniform(0.85, 1.0),
            "fill_pencil": rng.uniform(0.6, 0.8),
            "fill_light": rng.uniform(0.45, 0.58),
            "fill_partial": rng.uniform(0.7, 1.0),
            "half_erased": 1.0,
        }[kind]
        cover = rng.uniform(0.55, 0.75) if kind == "fill_partial" else rng.uniform(0.85, 1.05)
        rows = int(max(4, h * k / 2.5))
        for r in range(rows):
            v0 = (1 - cover) / 2 + cover * r / max(1, rows - 1)
            line(
                _pts(mark.rect, k, [(jit(0.5 - cover / 2), jit(v0, 0.02)), (jit(0.5 + cover / 2), jit(v0, 0.02))]),
                rng.uniform(1.2, 2.0),
                darkness,
            )
        if kind == "half_erased":
            residual = rng.uniform(0.24, 0.34)
            blotch = cv2.GaussianBlur(rng.uniform(0.6, 1.0, layer.shape).astype(np.float32), (0, 0), 2 * k)
            layer *= residual * blotch / max(1e-6, float(blotch.max()))
    elif kind == "cross":
        value = rng.uniform(0.7, 1.0)
        wd = rng.uniform(1.1, 1.6)
        line(_pts(mark.rect, k, [(jit(0.08), jit(0.08)), (jit(0.92), jit(0.92))]), wd, value)
        line(_pts(mark.rect, k, [(jit(0.92), jit(0.08)), (jit(0.08), jit(0.92))]), wd, value)
    elif kind == "tick":
        value = rng.uniform(0.75, 1.0)
        line(
            _pts(mark.rect, k, [(jit(0.12), jit(0.5)), (jit(0.4), jit(0.9)), (jit(0.95), jit(0.05))]),
            rng.uniform(1.3, 1.8),
            value,
        )
    elif kind == "scribble":
        value = rng.uniform(0.7, 1.0)
        pts = [(rng.uniform(0.1, 0.9), rng.uniform(0.1, 0.9)) for _ in range(9)]
        line(_pts(mark.rect, k, pts), rng.uniform(1.0, 1.5), value)
    elif kind == "faint_dot":
        cx, cy = (x + w * rng.uniform(0.35, 0.65)) * k, (y + h * rng.uniform(0.35, 0.65)) * k
        cv2.circle(
            layer,
            (int(cx), int(cy)),
            max(1, int(rng.uniform(1.3, 1.8) * k)),
            rng.uniform(0.5, 0.8),
            -1,
            lineType=cv2.LINE_AA,
        )
    elif kind == "smudge":
        x0, y0 = int((x + 1.5) * k), int((y + 1.5) * k)
        x1, y1 = int((x + w - 1.5) * k), int((y + h - 1.5) * k)
        cv2.rectangle(layer, (x0, y0), (x1, y1), rng.uniform(0.2, 0.3), -1)
    else:
        raise ValueError(kind)
    np.maximum(ink[py0:py1, px0:px1], layer, out=ink[py0:py1, px0:px1])


@dataclass(frozen=True)
class ScanSettings:
    quarter_turns: int = 0
    skew_deg: float = 0.0
    scale: float = 1.0
    offset: tuple[float, float] = (0.0, 0.0)  # pixels
    blur: float = 0.0
    noise: float = 0.0
    paper: int = 250
    jpeg: int = 0  # quality, 0 = PNG
    colour: bool = False


def random_settings(rng: np.random.Generator) -> ScanSettings:
    return ScanSettings(
        quarter_turns=int(rng.integers(0, 4)),
        skew_deg=float(rng.uniform(-5, 5)),
        scale=float(rng.uniform(0.95, 1.05)),
        offset=(float(rng.uniform(-40, 40)), float(rng.uniform(-40, 40))),
        blur=float(rng.uniform(0, 1.0)),
        noise=float(rng.uniform(0, 8)),
        paper=int(rng.integers(215, 252)),
        jpeg=int(rng.choice([0, 55, 70, 85])),
        colour=bool(rng.integers(0, 2)),
    )


def scan_pixels(page: np.ndarray, ink: np.ndarray, s: ScanSettings, rng: np.random.Generator) -> np.ndarray:
    """Pencil on paper, then a scanner: the scanned pixels (grey, or BGR when `s.colour`)."""
    paper = page.astype(np.float32) * (s.paper / 255.0)
    img = paper * (1 - ink) + 25.0 * ink
    # The scanner sees a little more than the paper (its glass or feeder is wider): a lid-grey border.
    pad = int(0.04 * max(img.shape))
    img = cv2.copyMakeBorder(img, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=float(s.paper) - 8)
    h, w = img.shape
    centre = (w / 2 + s.offset[0], h / 2 + s.offset[1])
    m = cv2.getRotationMatrix2D((w / 2, h / 2), s.skew_deg, s.scale)
    m[:, 2] += (centre[0] - w / 2, centre[1] - h / 2)
    img = cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=float(s.paper))
    if s.blur > 0.05:
        img = cv2.GaussianBlur(img, (0, 0), s.blur)
    if s.noise > 0:
        noise = np.empty(img.shape, np.float32)
        cv2.setRNGSeed(int(rng.integers(0, 2**31)))
        cv2.randn(noise, 0.0, s.noise)
        img += noise
    img = np.clip(img, 0, 255).astype(np.uint8)
    img = np.ascontiguousarray(np.rot90(img, s.quarter_turns))
    if s.colour:
        img = cv2.merge([np.clip(img.astype(np.int16) + d, 0, 255).astype(np.uint8) for d in (-6, 0, 4)])
    return img


def print_and_scan(page: np.ndarray, ink: np.ndarray, s: ScanSettings, rng: np.random.Generator) -> bytes:
    """Pencil on paper, then a scanner: returns an encoded image file (PNG or JPEG)."""
    img = scan_pixels(page, ink, s, rng)
    if s.jpeg:
        ok, data = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, s.jpeg])
    else:
        ok, data = cv2.imencode(".png", img)
    assert ok
    return data.tobytes()


LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass
class Student:
    """What one simulated student (and marker) meant, and the boxes to mark for it."""

    student_id: str
    version: str
    cells: dict[int, str]  # item number -> the responses-CSV cell they meant
    credit: dict[int, float]  # item number -> fraction of the points earned (all-or-nothing rules)
    marks: list[tuple[int, Mark]]  # sheet page, mark
    ambiguous: set[int]  # items with a deliberately ambiguous mark (must go to review)


def plan_student(
    manifest: dict, layout_key: str, student_id: str, rng: np.random.Generator, ambiguous_rate: float = 0.0
) -> Student:
    """Choose answers (right about 60% of the time), then the boxes that say them."""
    layout = manifest["sheets"]["layouts"][layout_key]
    version = layout["version"]
    items = {i["number"]: i for v in manifest["versions"] if v["label"] == version for i in v["items"]}
    boxes: dict[tuple, tuple[int, list[float]]] = {}
    for page in layout["pages"]:
        for b in page["boxes"]:
            key = (
                ("id", b["id_digit"], b["value"])
                if "id_digit" in b
                else (b["item"], b.get("part", 0), b.get("letter"), b.get("score"))
            )
            boxes[key] = (page["page"], b["rect"])
    chosen: list[tuple] = []
    cells: dict[int, str] = {}
    credit: dict[int, float] = {}
    for n, it in items.items():
        t, key, opts = it["type"], it["correct"], it["options"]
        right = rng.random() < 0.6
        if t in ("single_choice", "true_false"):
            pick = (
                key[0]
                if right or rng.random() < 0.2
                else str(rng.choice([c for c in LETTERS[: len(opts)] if c != key[0]]))
            )
            if rng.random() < 0.08:
                pick = ""
            cells[n] = pick
            credit[n] = 1.0 if pick == key[0] else 0.0
            chosen += [(n, 0, pick, None)] if pick else []
        elif t == "multiple_response":
            marked = set(key) if right else {c for c in LETTERS[: len(opts)] if rng.random() < 0.5}
            cells[n] = "".join(sorted(marked))
            credit[n] = 1.0 if marked == set(key) else 0.0
            chosen += [(n, 0, c, None) for c in sorted(marked)]
        elif t in ("matching", "ordering"):
            rows = len(it.get("prompts", [])) if t == "matching" else len(opts)
            seq = list(key) if right else [str(rng.choice(list(LETTERS[: len(opts)]))) for _ in range(rows)]
            cells[n] = "".join(seq)
            credit[n] = 1.0 if seq == list(key) else 0.0
            chosen += [(n, r + 1, c, None) for r, c in enumerate(seq)]
        elif t == "essay":
            scores = sorted({k[3] for k in boxes if k[0] == n})
            s = float(rng.choice(scores))
            cells[n] = f"{s:g}"
            credit[n] = s / it["points"] if it["points"] else 0.0
            chosen.append((n, 0, None, s))
        else:  # short answer, fill in: the marker's ticks
            parts = len(key) if t == "fill_blank" else 1
            oks = [bool(rng.random() < 0.6) for _ in range(parts)]
            share = it["points"] / parts
            for k, ok in enumerate(oks):
                chosen.append((n, k + 1 if t == "fill_blank" else 0, None, round(share, 4) if ok else 0.0))
            credit[n] = sum(oks) / parts
            cells[n] = "|".join("right" if ok else "wrong" for ok in oks)
    marks: list[tuple[int, Mark]] = []
    for key in chosen:
        page, rect = boxes[key]
        marks.append((page, Mark(tuple(rect), str(rng.choice(CLEAR_KINDS)))))
    if not layout["personal"]:
        for k, digit in enumerate(student_id):
            for page in layout["pages"]:  # every page repeats the ID grid
                for b in page["boxes"]:
                    if b.get("id_digit") == k + 1 and b.get("value") == int(digit):
                        kind = str(rng.choice(("fill_pen", "fill_pencil")))
                        marks.append((page["page"], Mark(tuple(b["rect"]), kind)))
    ambiguous: set[int] = set()
    if ambiguous_rate:
        chosen_rects = {tuple(m.rect) for _, m in marks}
        for key, (page, rect) in boxes.items():
            if key[0] != "id" and tuple(rect) not in chosen_rects and rng.random() < ambiguous_rate:
                marks.append((page, Mark(tuple(rect), str(rng.choice(AMBIGUOUS_KINDS)))))
                ambiguous.add(key[0])
    return Student(student_id, version, cells, credit, marks, ambiguous)


def filled_pages(
    pdf_pages: list[np.ndarray], student: Student, dpi: float, rng: np.random.Generator
) -> list[np.ndarray]:
    """The darkness of the student's marks, one float image per page."""
    out = []
    for number, page in enumerate(pdf_pages, start=1):
        ink = np.zeros(page.shape, np.float32)
        for p, mark in student.marks:
            if p == number:
                draw_mark(ink, mark, dpi, rng)
        out.append(ink)
    return out


def sheet_images(
    pdf_pages: list[np.ndarray],
    student: Student,
    dpi: float,
    rng: np.random.Generator,
    settings: ScanSettings | None = None,
) -> list[bytes]:
    """The student's filled pages, each through a (random, unless given) scan, as image files."""
    inks = filled_pages(pdf_pages, student, dpi, rng)
    return [
        print_and_scan(p, ink, settings or random_settings(rng), rng) for p, ink in zip(pdf_pages, inks, strict=True)
    ]
