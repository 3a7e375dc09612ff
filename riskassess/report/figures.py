"""The report's pictures as data — the probability–impact matrix, the grade ranges, the index against
its bands — drawn as SVG (HTML) by a template and as PNG (DOCX) with Pillow. Markers carry only
numbers (the factor's row in 样表1), so the pictures need no font for Chinese and read in greyscale:
cells are shaded light to dark by level, before is hollow, after is filled, an arrow joins them.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

CELL = 64
MARGIN = 56
SHADES = ("#ffffff", "#e6e6e6", "#c8c8c8", "#a0a0a0", "#707070")  # one per level, lowest first


@dataclass(frozen=True)
class Marker:
    number: int
    x: float
    y: float
    filled: bool


@dataclass(frozen=True)
class Arrow:
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True)
class Matrix:
    size: int
    cells: list[tuple[int, int, str]]  # x, y, fill
    markers: list[Marker]
    arrows: list[Arrow]


def _cell_xy(p: int, i: int) -> tuple[int, int]:
    """Top-left of the cell for probability p (rows, high at the top) and impact i (columns)."""
    return MARGIN + (i - 1) * CELL, MARGIN + (5 - p) * CELL


def matrix(record: Mapping[str, Any]) -> Matrix:
    """Cells shaded by level (from the factors' own levels where known) and each applicable factor placed
    before and after measures."""
    levels = list((record.get("labels") or {}).get("levels", {}))
    shade: dict[tuple[int, int], str] = {}
    applicable = [f for f in record["result"]["factors"] if f["applies"]]
    for f in applicable:
        for stage in ("initial", "post_measure"):
            e = f.get(stage)
            if e and e.get("level") in levels:
                idx = levels.index(e["level"]) * (len(SHADES) - 1) // max(len(levels) - 1, 1)
                shade[(e["probability"], e["impact"])] = SHADES[idx]
    cells = []
    for p in range(1, 6):
        for i in range(1, 6):
            x, y = _cell_xy(p, i)
            default = SHADES[min(4, (p * i - 1) * len(SHADES) // 25)]
            cells.append((x, y, shade.get((p, i), default)))
    slots: dict[tuple[int, int], int] = {}
    markers, arrows = [], []
    for n, f in enumerate(applicable, 1):
        points = []
        for stage, filled in (("initial", False), ("post_measure", True)):
            e = f.get(stage)
            if not e:
                continue
            key = (e["probability"], e["impact"])
            k = slots.get(key, 0)
            slots[key] = k + 1
            x, y = _cell_xy(*key)
            mx, my = x + 14 + (k % 3) * 18, y + 14 + (k // 3 % 3) * 18
            markers.append(Marker(n, mx, my, filled))
            points.append((mx, my))
        if len(points) == 2 and points[0] != points[1]:
            arrows.append(Arrow(*points[0], *points[1]))
    return Matrix(MARGIN * 2 + 5 * CELL, cells, markers, arrows)


@dataclass(frozen=True)
class Band:
    grade: str
    start: float
    end: float


def index_values(record: Mapping[str, Any]) -> tuple[float, float, list[Band]] | None:
    """(R before, R after, the bands) of the index method, if the record has one."""
    found: dict[str, tuple[float, list[tuple[str, float]]]] = {}
    for stage in ("initial", "post_measure"):
        for d in record["result"]["scoring"].get(stage, []):
            if d["method"] != "index":
                continue
            value = next((float(Fraction(s["exact"])) for s in d["steps"] if s.get("step") == "index"), None)
            bands = [(s["grade"], float(s["test"].split()[-1])) for s in d["steps"] if s.get("step") == "band"]
            if value is not None:
                found[stage] = (value, bands)
    if "initial" not in found:
        return None
    grades = list((record.get("labels") or {}).get("grades", {}))
    cuts = found["initial"][1]
    starts = [0.0, *[c for _, c in cuts]]
    names = [grades[0] if grades else "", *[g for g, _ in cuts]]
    result = [Band(n, s, e) for n, s, e in zip(names, starts, [*starts[1:], 1.0], strict=True)]
    post = found.get("post_measure", found["initial"])[0]
    return found["initial"][0], post, result


def matrix_png(record: Mapping[str, Any]) -> bytes:
    """The matrix as a PNG for documents that cannot hold SVG (DOCX)."""
    from PIL import Image, ImageDraw, ImageFont

    m = matrix(record)
    scale = 3  # print resolution
    img = Image.new("RGB", (m.size * scale, m.size * scale), "white")
    draw = ImageDraw.Draw(img)
    font = ImageFont.load_default(size=13 * scale)
    for x, y, fill in m.cells:
        draw.rectangle([x * scale, y * scale, (x + CELL) * scale, (y + CELL) * scale], fill=fill, outline="black",
                       width=scale)
    for k in range(1, 6):
        x, y = _cell_xy(1, k)
        draw.text(((x + CELL / 2) * scale, (y + CELL + 14) * scale), str(k), fill="black", font=font, anchor="mm")
        x, y = _cell_xy(k, 1)
        draw.text(((x - 16) * scale, (y + CELL / 2) * scale), str(k), fill="black", font=font, anchor="mm")
    draw.text(((MARGIN + 5 * CELL / 2) * scale, (MARGIN + 5 * CELL + 36) * scale), "I", fill="black", font=font,
              anchor="mm")
    draw.text(((MARGIN - 40) * scale, (MARGIN + 5 * CELL / 2) * scale), "P", fill="black", font=font, anchor="mm")
    for a in m.arrows:
        draw.line([a.x1 * scale, a.y1 * scale, a.x2 * scale, a.y2 * scale], fill="black", width=2 * scale)
    for mk in m.markers:
        r = 8 * scale
        box = [mk.x * scale - r, mk.y * scale - r, mk.x * scale + r, mk.y * scale + r]
        draw.ellipse(box, fill="black" if mk.filled else "white", outline="black", width=scale)
        draw.text((mk.x * scale, mk.y * scale), str(mk.number), fill="white" if mk.filled else "black",
                  font=ImageFont.load_default(size=10 * scale), anchor="mm")
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()


def index_png(record: Mapping[str, Any]) -> bytes | None:
    """The composite index before and after measures against its bands (numbers only; grade names go in
    the caption), or None when the record has no index."""
    from PIL import Image, ImageDraw, ImageFont

    found = index_values(record)
    if found is None:
        return None
    before, after, bands = found
    scale, width, left = 3, 600, 40
    img = Image.new("RGB", (width * scale, 150 * scale), "white")
    draw = ImageDraw.Draw(img)
    font = ImageFont.load_default(size=12 * scale)
    for row, value in enumerate((before, after)):
        top = (20 + row * 60) * scale
        for k, band in enumerate(bands):
            x0 = (left + band.start * (width - 2 * left)) * scale
            x1 = (left + band.end * (width - 2 * left)) * scale
            draw.rectangle([x0, top, x1, top + 24 * scale], fill=SHADES[min(4, 2 * k)], outline="black",
                           width=scale)
        x = (left + min(value, 1.0) * (width - 2 * left)) * scale
        draw.line([x, top - 6 * scale, x, top + 30 * scale], fill="black", width=3 * scale)
        draw.text((x, top + 40 * scale), f"R = {value:.3f}", fill="black", font=font, anchor="mm")
        draw.text((14 * scale, top + 12 * scale), str(row + 1), fill="black", font=font, anchor="mm")
    for band in bands[1:]:
        x = (left + band.start * (width - 2 * left)) * scale
        draw.text((x, 8 * scale), f"{band.start:g}", fill="black", font=font, anchor="mm")
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()
