"""Kelurahan boundaries of the configured pemda, for the offline maps (dashboard Wilayah, city scorecard).

``config/city.yaml`` names a GeoJSON (``boundaries:``, relative to the config folder) whose features carry
``kelurahan`` and ``kecamatan`` properties matching the master data. Without it, or when the file does
not match the master data, ``load_boundaries`` returns None and the surfaces keep their bar charts.

The kecamatan borders are the kelurahan edges that are not shared by two kelurahan of the same
kecamatan (the source's neighbouring polygons share their vertices exactly), so no geometry library
is needed.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Point = tuple[float, float]  # (lng, lat)


@dataclass(frozen=True)
class Area:
    kelurahan: str
    kecamatan: str
    code: str
    rings: tuple[tuple[Point, ...], ...]
    label: Point


@dataclass(frozen=True)
class Boundaries:
    areas: tuple[Area, ...]
    kecamatan_lines: tuple[tuple[Point, ...], ...]
    source: str
    license: str

    @property
    def aspect(self) -> float:
        """Width/height correction of a plain lng/lat plot at this latitude (1° of longitude is shorter)."""
        lat = sum(a.label[1] for a in self.areas) / len(self.areas)
        return math.cos(math.radians(lat))

    def bounds(self) -> tuple[float, float, float, float]:
        xs = [p[0] for a in self.areas for r in a.rings for p in r]
        ys = [p[1] for a in self.areas for r in a.rings for p in r]
        return min(xs), min(ys), max(xs), max(ys)


def _areas(gj: dict[str, Any]) -> list[Area]:
    out = []
    for f in gj.get("features", []):
        props, geom = f.get("properties") or {}, f.get("geometry") or {}
        polys = geom.get("coordinates") or []
        if geom.get("type") == "Polygon":
            polys = [polys]
        rings = tuple(tuple((float(x), float(y)) for x, y in ring) for poly in polys for ring in poly[:1])
        xs = [p[0] for r in rings for p in r]
        ys = [p[1] for r in rings for p in r]
        label = (float(props.get("label_lng", sum(xs) / len(xs))), float(props.get("label_lat", sum(ys) / len(ys))))
        out.append(Area(str(props["kelurahan"]), str(props["kecamatan"]), str(props.get("kode", "")), rings, label))
    return out


def _inside(pt: Point, ring: tuple[Point, ...]) -> bool:
    x, y = pt
    hit = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            hit = not hit
    return hit


def _beyond(p: Point, q: Point, a: Area, step: float = 3e-5) -> Point | None:
    """A point about 3 m beside the middle of edge p-q, on the side outside area ``a``."""
    mx, my = (p[0] + q[0]) / 2, (p[1] + q[1]) / 2
    dx, dy = q[0] - p[0], q[1] - p[1]
    norm = math.hypot(dx, dy)
    if norm == 0:
        return None
    nx, ny = -dy / norm * step, dx / norm * step
    for cand in ((mx + nx, my + ny), (mx - nx, my - ny)):
        if not any(_inside(cand, r) for r in a.rings):
            return cand
    return None


def kecamatan_lines(areas: list[Area]) -> list[tuple[Point, ...]]:
    """The kelurahan edges that border another kecamatan or the outside of the city, as 2-point lines:
    an edge stays when the point just beyond it lies in no kelurahan of the same kecamatan (neighbouring
    polygons need not share their vertices)."""
    lines = []
    for a in areas:
        same = [r for b in areas if b is not a and b.kecamatan == a.kecamatan for r in b.rings]
        for ring in a.rings:
            for p, q in zip(ring, ring[1:], strict=False):
                out = _beyond(p, q, a)
                if out is not None and not any(_inside(out, r) for r in same):
                    lines.append((p, q))
    return lines


def load_boundaries(config_dir: Path | str, city: dict[str, Any],
                    kecamatan: dict[str, list[str]] | None = None) -> Boundaries | None:
    """The configured boundaries, or None (none configured, file missing, or names that do not match
    the master data's kelurahan: a map with wrong names would mislead)."""
    rel = city.get("boundaries")
    if not rel:
        return None
    path = Path(config_dir) / str(rel)
    if not path.exists():
        return None
    gj = json.loads(path.read_text(encoding="utf-8"))
    areas = _areas(gj)
    if not areas:
        return None
    if kecamatan is not None:
        known = {k for kels in kecamatan.values() for k in kels}
        if {a.kelurahan for a in areas} != known:
            return None
    return Boundaries(tuple(areas), tuple(kecamatan_lines(areas)), str(gj.get("source", "")),
                      str(gj.get("license", "")))
