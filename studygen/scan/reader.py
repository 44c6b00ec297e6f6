"""One scanned page → which sheet it is, and the state of every box on it.

1. Find and decode the QR code (any rotation: the code's own corners say which
   way is up); it names quiz, version, page, fingerprint (and student).
2. From the code's corners, predict the four corner marks, find each one
   nearby, and fit the homography layout-points → image-pixels to them.  The
   code's corners must agree with that fit, or the page is refused: a wrong
   alignment would read the wrong boxes.
3. Sample each box's interior (and the paper just above and below it, as its
   local white) through the homography, normalise between the paper's white
   and the corner marks' black, and classify: clearly filled, clearly empty,
   or unsure.  Two thresholds with a gap between them; the gap goes to a person.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np

from studygen.scan.images import ScanPage
from studygen.scan.layouts import Layout, LBox, LPage, SheetSet
from studygen.sheetlayout import Payload, layout_key, parse_payload

FILLED, EMPTY, UNSURE = "filled", "empty", "unsure"

# Box interior sampling (points): inset from the printed outline, and a grid of samples.
INSET = 1.6
SAMPLES = 10
RING = 2.0  # the local paper white is sampled this far above and below each box
# Darkness (0 = paper, 1 = the corner marks' black) above which a sample is ink / a trace of something.
INK = 0.33
TRACE = 0.15
# Classification: a box is filled when this share of its interior is ink (a fill, a bold cross)...
FILLED_COVER = 0.30
# ... or when at least this share is ink that spans the box and is dark (a bold tick or cross).
STROKE_COVER = 0.12
STROKE_SPAN = 0.6
STROKE_DARK = 0.5
# A box is empty when almost no sample shows even a trace; anything between is for a person.
EMPTY_TRACE = 0.03
EMPTY_INK = 0.01
ALIGN_TOLERANCE_PT = 4.0


@dataclass(frozen=True, slots=True)
class BoxRead:
    box: LBox
    state: str
    ink: float  # share of the interior that is ink
    trace: float  # share showing any trace
    dark: float  # mean darkness of the ink samples
    confidence: float


@dataclass
class PageRead:
    source: str
    status: str  # "ok", "blank", "rejected"
    why: str = ""
    payload: Payload | None = None
    layout: Layout | None = None
    page: LPage | None = None
    boxes: list[BoxRead] = field(default_factory=list)
    thumbnail: str = ""  # data: URI of a small picture of a rejected page
    readings: dict[int, Any] = field(default_factory=dict)  # item number -> decide.Reading (0: student ID)
    _image: np.ndarray | None = None
    _h: np.ndarray | None = None

    def crop(self, rect: tuple[float, float, float, float], zoom: float = 4.0, pad: float = 5.0) -> str:
        """A data: URI PNG of a layout rectangle, upright and zoomed, for the report."""
        if self._image is None or self._h is None:
            return ""
        x, y, w, h = rect
        x, y, w, h = x - pad, y - pad, w + 2 * pad, h + 2 * pad
        out_w, out_h = max(1, int(w * zoom)), max(1, int(h * zoom))
        # output pixel -> layout point -> image pixel
        to_layout = np.array([[1 / zoom, 0, x], [0, 1 / zoom, y], [0, 0, 1]], dtype=np.float64)
        m = self._h @ to_layout
        patch = cv2.warpPerspective(
            self._image,
            m,
            (out_w, out_h),
            flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
            borderValue=255,
        )
        return _png_uri(patch)

    def release(self) -> None:
        self._image = None


def _png_uri(image: np.ndarray) -> str:
    ok, data = cv2.imencode(".png", image)
    return "data:image/png;base64," + base64.b64encode(data.tobytes()).decode("ascii") if ok else ""


def _thumbnail(image: np.ndarray) -> str:
    h, w = image.shape[:2]
    s = 360 / max(h, w)
    small = cv2.resize(image, (max(1, int(w * s)), max(1, int(h * s))), interpolation=cv2.INTER_AREA)
    return _png_uri(small)


_DETECTOR: cv2.QRCodeDetector | None = None


def _decode(det: cv2.QRCodeDetector, image: np.ndarray) -> tuple[str, np.ndarray | None]:
    try:
        text, pts, _ = det.detectAndDecode(image)
    except cv2.error:
        return "", None
    if text and pts is not None and pts.size == 8:
        return text, pts.reshape(4, 2).astype(np.float64)
    return "", None


def _detect_qr(image: np.ndarray, qr_pt: float = 72.0, paper_long_pt: float = 842.0) -> tuple[str, np.ndarray | None]:
    """The code's text and its four corners (in the code's own order: TL, TR, BR, BL) in image pixels.

    Searching a whole page for a code is slow and easily distracted by the boxes, so candidates are
    found first as the densest code-sized squares of a tiny copy of the page (a QR code is about half
    ink, far more than anything else printed), and the detector runs on a crop around each, at about
    150 dpi; the whole page is searched only if every candidate fails.
    """
    global _DETECTOR
    if _DETECTOR is None:
        _DETECTOR = cv2.QRCodeDetector()
    det = _DETECTOR
    h, w = image.shape[:2]
    ppp = max(h, w) / (paper_long_pt * 1.04)  # the scanner usually sees a little more than the paper
    f = max(1, round(ppp / 0.5))  # an integer factor keeps OpenCV's area reduction fast
    t = 1.0 / f
    tiny = cv2.resize(image, None, fx=t, fy=t, interpolation=cv2.INTER_AREA)
    _, dark = cv2.threshold(tiny, 0, 1.0, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    k = max(3, int(qr_pt * 0.5 * 0.8))
    density = cv2.boxFilter(dark.astype(np.float32), -1, (k, k), borderType=cv2.BORDER_CONSTANT)
    s = min(1.0, 2.1 / ppp)
    half = int(qr_pt * ppp * 0.95)
    for _ in range(3):
        _, best, _, (cx, cy) = cv2.minMaxLoc(density)
        if best < 0.3:
            break
        density[max(0, cy - k) : cy + k + 1, max(0, cx - k) : cx + k + 1] = 0
        x, y = int(cx / t), int(cy / t)
        x0, y0 = max(0, x - half), max(0, y - half)
        crop = image[y0 : y + half, x0 : x + half]
        small = crop if s == 1.0 else cv2.resize(crop, None, fx=s, fy=s, interpolation=cv2.INTER_AREA)
        for attempt in (small, None):
            if attempt is None:
                _, attempt = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
            text, pts = _decode(det, attempt)
            if text and pts is not None:
                return text, pts / s + (x0, y0)
    s = min(1.0, 1200 / max(h, w))
    small = image if s == 1.0 else cv2.resize(image, None, fx=s, fy=s, interpolation=cv2.INTER_AREA)
    text, pts = _decode(det, small)
    return (text, pts / s) if text and pts is not None else ("", None)


def _is_blank(image: np.ndarray) -> bool:
    small = cv2.resize(image, (300, int(300 * image.shape[0] / image.shape[1]) or 1), interpolation=cv2.INTER_AREA)
    white = float(np.percentile(small, 90))
    if white < 40:
        return False
    return float(np.mean(small < white * 0.6)) < 0.002


def _find_mark(image: np.ndarray, centre: np.ndarray, side: float) -> np.ndarray | None:
    """The centroid of the solid square nearest `centre`, or None if there is no such square."""
    h, w = image.shape[:2]
    half = int(side * 2.5)
    cx, cy = round(centre[0]), round(centre[1])
    x0, y0, x1, y1 = max(0, cx - half), max(0, cy - half), min(w, cx + half), min(h, cy + half)
    if x1 - x0 < side or y1 - y0 < side:
        return None
    win = image[y0:y1, x0:x1]
    _, binary = cv2.threshold(win, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    n, _, stats, cents = cv2.connectedComponentsWithStats(binary, connectivity=8)
    best, best_d = None, 1e18
    area = side * side
    for i in range(1, n):
        bw, bh, a = stats[i, cv2.CC_STAT_WIDTH], stats[i, cv2.CC_STAT_HEIGHT], stats[i, cv2.CC_STAT_AREA]
        if not (0.5 * area <= a <= 1.7 * area and 0.65 * side <= bw <= 1.6 * side and 0.65 * side <= bh <= 1.6 * side):
            continue
        if a < 0.7 * bw * bh:
            continue
        c = cents[i] + (x0, y0)
        d = float(np.hypot(*(c - centre)))
        if d < best_d:
            best, best_d = c, d
    if best is None or best_d > side * 2.2:
        return None
    return np.asarray(best, dtype=np.float64)


def _project(h: np.ndarray, pts: np.ndarray) -> np.ndarray:
    return cv2.perspectiveTransform(pts.reshape(-1, 1, 2).astype(np.float64), h).reshape(-1, 2)


def _centre(r: tuple[float, float, float, float]) -> tuple[float, float]:
    return (r[0] + r[2] / 2, r[1] + r[3] / 2)


def read_page(scan: ScanPage, sheets: SheetSet, quiz_id: str, *, keep_image: bool = True) -> PageRead:
    """Everything one page says, or why it says nothing that can be trusted.

    Three steps, each of which can reject the page with its reason: which
    sheet it is (the code), where its boxes are (code and corner marks
    agreeing), then what each box holds.
    """
    if scan.image is None:
        return PageRead(scan.source, "rejected", scan.error)
    image = scan.image
    which = _identify(scan.source, image, sheets, quiz_id)
    if isinstance(which, PageRead):
        return which
    payload, layout, page, qr_px = which
    hm = _align(scan.source, image, payload, layout, page, qr_px)
    if isinstance(hm, PageRead):
        return hm
    blurred = cv2.blur(image, (3, 3))
    boxes, problem = _classify(blurred, hm, page)
    if problem:
        return PageRead(
            scan.source, "rejected", problem, payload=payload, layout=layout, page=page, thumbnail=_thumbnail(image)
        )
    read = PageRead(scan.source, "ok", payload=payload, layout=layout, page=page, boxes=boxes)
    if keep_image:
        read._image, read._h = image, hm
    return read


def _identify(
    source: str, image: np.ndarray, sheets: SheetSet, quiz_id: str
) -> tuple[Payload, Layout, LPage, np.ndarray] | PageRead:
    """Which sheet page this is, from its code: payload, layout and page, and the code's corners in pixels.

    Or the page's rejection (blank, no code, another quiz or build, a page
    the manifest does not have): nothing after this can be trusted without it.
    """
    text, qr_px = _detect_qr(image)
    if not text or qr_px is None:
        if _is_blank(image):
            return PageRead(source, "blank", "a blank page (no print, no marks): skipped")
        return PageRead(
            source,
            "rejected",
            "no readable sheet code (QR) on this page: rescan it flatter, at 200-300 dpi, or enter its answers by hand",
            thumbnail=_thumbnail(image),
        )
    payload = parse_payload(text)
    if payload is None:
        return PageRead(
            source,
            "rejected",
            f"the code says {text[:60]!r}: not a studygen answer sheet",
            thumbnail=_thumbnail(image),
        )
    if payload.quiz != quiz_id:
        return PageRead(
            source,
            "rejected",
            f"a sheet of quiz {payload.quiz!r}, not of {quiz_id!r}: scan it with that quiz's manifest",
            payload=payload,
            thumbnail=_thumbnail(image),
        )
    if payload.fingerprint != sheets.fingerprint:
        return PageRead(
            source,
            "rejected",
            f"a sheet from another build (fingerprint {payload.fingerprint}, this manifest's is {sheets.fingerprint}): "
            "its boxes and keys may differ; scan it with the manifest of the build it was printed from",
            payload=payload,
            thumbnail=_thumbnail(image),
        )
    layout = sheets.layouts.get(layout_key(payload.version, bool(payload.student)))
    if layout is None or payload.pages != len(layout.pages):
        return PageRead(
            source,
            "rejected",
            f"version {payload.version!r} page {payload.page}/{payload.pages} is not in this manifest",
            payload=payload,
            thumbnail=_thumbnail(image),
        )
    return payload, layout, layout.pages[payload.page - 1], qr_px


def _align(
    source: str, image: np.ndarray, payload: Payload, layout: Layout, page: LPage, qr_px: np.ndarray
) -> np.ndarray | PageRead:
    """The layout-point → image-pixel perspective, from the four corner marks, checked against the code.

    The code alone gives only rotation, scale and shift (used to find the
    marks); the marks give the perspective; the code must land back where
    the layout has it, or the page is creased or stretched.  Or the
    page's rejection, when it is too coarse or any of this fails.
    """
    qr_side_pt = page.qr[2]
    px_per_pt = float(np.mean(np.linalg.norm(qr_px - np.roll(qr_px, 1, axis=0), axis=1))) / qr_side_pt
    if px_per_pt < 1.6:  # below ~115 dpi the boxes are a few pixels wide
        return PageRead(
            source,
            "rejected",
            f"scanned at about {px_per_pt * 72:.0f} dpi; scan at 150-300 dpi",
            payload=payload,
            layout=layout,
            page=page,
            thumbnail=_thumbnail(image),
        )

    qx, qy, qs, _ = page.qr
    qr_pt = np.array([[qx, qy], [qx + qs, qy], [qx + qs, qy + qs], [qx, qy + qs]], dtype=np.float64)
    # Only rotation, scale and shift from the small code: a perspective fitted to it would extrapolate badly.
    affine, _ = cv2.estimateAffinePartial2D(qr_pt, qr_px)
    if affine is None:
        return PageRead(
            source,
            "rejected",
            "the sheet code's corners are inconsistent: rescan the page",
            payload=payload,
            thumbnail=_thumbnail(image),
        )
    h0 = np.vstack([affine, [0.0, 0.0, 1.0]])
    marks_pt = np.array([_centre(m) for m in page.marks], dtype=np.float64)
    predicted = _project(h0, marks_pt)
    found = []
    for i, c in enumerate(predicted):
        m = _find_mark(image, c, page.marks[i][2] * px_per_pt)
        if m is None:
            return PageRead(
                source,
                "rejected",
                f"corner mark {i + 1} of 4 not found (the page is cut off, folded or written on there?): rescan it",
                payload=payload,
                layout=layout,
                page=page,
                thumbnail=_thumbnail(image),
            )
        found.append(m)
    hm = cv2.getPerspectiveTransform(marks_pt.astype(np.float32), np.array(found, dtype=np.float32)).astype(np.float64)
    inv = np.linalg.inv(hm)
    back = _project(inv, qr_px)
    error = float(np.max(np.linalg.norm(back - qr_pt, axis=1)))
    if error > ALIGN_TOLERANCE_PT:
        return PageRead(
            source,
            "rejected",
            f"the corner marks and the code disagree by {error:.1f} pt (a creased or stretched page?): rescan it",
            payload=payload,
            layout=layout,
            page=page,
            thumbnail=_thumbnail(image),
        )
    return hm


def _grid(x: float, y: float, w: float, h: float, n: int) -> np.ndarray:
    xs = np.linspace(x, x + w, n)
    ys = np.linspace(y, y + h, n)
    gx, gy = np.meshgrid(xs, ys)
    return np.stack([gx.ravel(), gy.ravel()], axis=1)


_OFFSETS: dict[tuple[float, float], tuple[np.ndarray, np.ndarray]] = {}


def _templates(w: float, h: float) -> tuple[np.ndarray, np.ndarray]:
    """Sample offsets of a box of this size: its interior grid, and its ring above and below."""
    key = (round(w, 2), round(h, 2))
    cached = _OFFSETS.get(key)
    if cached is None:
        inner = _grid(INSET, INSET, w - 2 * INSET, h - 2 * INSET, SAMPLES)
        xs = np.linspace(1.0, w - 1.0, 6)
        ring = np.concatenate([np.stack([xs, np.full(6, -RING)], axis=1), np.stack([xs, np.full(6, h + RING)], axis=1)])
        cached = (inner, ring)
        _OFFSETS[key] = cached
    return cached


def _sample(image: np.ndarray, h: np.ndarray, pts: np.ndarray) -> np.ndarray:
    px = _project(h, pts).astype(np.float32)
    mx = px[:, 0].reshape(1, -1).copy()
    my = px[:, 1].reshape(1, -1).copy()
    return cv2.remap(image, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=255).ravel()


def _classify(image: np.ndarray, h: np.ndarray, page: LPage) -> tuple[list[BoxRead], str]:
    n_in = SAMPLES * SAMPLES
    inner_pts, ring_pts = [], []
    for b in page.boxes:
        inner, ring = _templates(b.rect[2], b.rect[3])
        origin = np.array(b.rect[:2])
        inner_pts.append(inner + origin)
        ring_pts.append(ring + origin)
    black_pts = np.concatenate([_grid(m[0] + 3, m[1] + 3, m[2] - 6, m[3] - 6, 5) for m in page.marks])
    all_pts = np.concatenate([black_pts, *inner_pts, *ring_pts]) if page.boxes else black_pts
    values = _sample(image, h, all_pts).astype(np.float32)
    nb = len(black_pts)
    black = float(np.median(values[:nb]))
    if not page.boxes:
        return [], ""
    inner_v = values[nb : nb + n_in * len(page.boxes)].reshape(len(page.boxes), n_in)
    ring_v = values[nb + n_in * len(page.boxes) :].reshape(len(page.boxes), -1)
    white_page = float(np.percentile(ring_v, 90))
    if white_page - black < 60:
        return [], f"too little contrast between paper and print ({white_page - black:.0f} of 255): rescan darker"
    white = np.maximum(np.median(ring_v, axis=1), white_page - 0.15 * (white_page - black))
    span = (white - black)[:, None]
    d = np.clip((white[:, None] - inner_v) / span, 0.0, 1.0)
    ink_mask = d > INK
    ink = ink_mask.mean(axis=1)
    trace = (d > TRACE).mean(axis=1)
    dark = np.where(ink_mask.any(axis=1), (d * ink_mask).sum(axis=1) / np.maximum(1, ink_mask.sum(axis=1)), 0.0)
    grid = ink_mask.reshape(len(page.boxes), SAMPLES, SAMPLES)
    span_x = grid.any(axis=1).mean(axis=1)
    span_y = grid.any(axis=2).mean(axis=1)
    out = []
    for i, b in enumerate(page.boxes):
        k, t, dk = float(ink[i]), float(trace[i]), float(dark[i])
        stroke = k >= STROKE_COVER and span_x[i] >= STROKE_SPAN and span_y[i] >= STROKE_SPAN and dk >= STROKE_DARK
        if k >= FILLED_COVER or stroke:
            state, conf = FILLED, min(1.0, 0.5 + (k - STROKE_COVER) / 0.5)
        elif t < EMPTY_TRACE and k < EMPTY_INK:
            state, conf = EMPTY, 1.0 - 0.5 * t / EMPTY_TRACE
        else:
            state, conf = UNSURE, 0.0
        out.append(BoxRead(b, state, k, t, dk, round(conf, 3)))
    return out, ""
