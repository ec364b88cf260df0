"""The rating model: dimensions, indicators, predikat bands (config/rating_model.yaml).

The official Kemendagri weights and thresholds are not public, so the model is a
transparent, editable file. It is validated on load; every problem is reported
with the file and the line it is on, so an evaluator can fix it without code.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from pipelines import fmt
from pipelines.masterdata import ConfigError
from pipelines.rating.measures import MEASURES
from pipelines.settings import resolve_config_dir

MODEL_FILE = "rating_model.yaml"

# Document types of the evidence register (bukti dukung), as stored and shown.
EVIDENCE_TYPES = (
    "Perwali", "SK", "SOP", "undangan", "notulen", "daftar hadir", "foto", "laporan", "surat edaran", "lainnya",
)

# Relative effort of one unit of each kind of change, for the what-if (editable in the model file).
DEFAULT_EFFORT = {
    "verify_document": 1.0,  # verify a document already submitted
    "upload_document": 2.0,  # produce and upload one more document
    "complaint": 0.25,  # handle one complaint differently (answer, resolve, on time)
    "department": 3.0,  # get one more OPD to answer its complaints
    "channel": 5.0,  # bring one more channel's complaints into the recap
    "rating": 0.5,  # one more satisfied pelapor rating
    "half_day": 2.0,  # half a working day off a median/p90 duration
}

NOT_ASSESSED = "Tidak dinilai"
INSUFFICIENT = "data tidak cukup"
DEFAULT_DISCLAIMER = "Estimasi model, bukan nilai resmi Kemendagri"

_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")


def evidence_type_of(raw: object) -> str | None:
    """The canonical evidence type for a spelling ('sk', 'Daftar_Hadir', 'surat-edaran'), else None."""
    key = re.sub(r"[\s_\-]+", " ", str(raw or "")).strip().lower()
    for t in EVIDENCE_TYPES:
        if t.lower() == key:
            return t
    return None


class RatingModelError(ConfigError):
    """The rating model file is malformed; ``problems`` lists (line, message)."""

    def __init__(self, source: str, problems: list[tuple[int | None, str]]):
        self.source = source
        self.problems = sorted(problems, key=lambda p: (p[0] or 0))
        lines = [f"{source} baris {ln}: {msg}" if ln else f"{source}: {msg}" for ln, msg in self.problems]
        super().__init__(
            "Model penilaian tidak dapat dipakai. Perbaiki berkasnya lalu coba lagi:\n  " + "\n  ".join(lines)
        )


# ----------------------------------------------------------------- line-aware YAML


class _LDict(dict):
    """A mapping that remembers the line (1-based) of itself and of each key."""

    line: int = 0
    key_lines: dict


class _LList(list):
    line: int = 0
    item_lines: list


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _LDict:
    loader.flatten_mapping(node)
    out = _LDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in out:
            raise _DuplicateKey(line, f"kunci '{key}' muncul dua kali (pertama di baris {out.key_lines[key]}).")
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = line
    return out


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> _LList:
    out = _LList(loader.construct_object(c, deep=True) for c in node.value)
    out.line = node.start_mark.line + 1
    out.item_lines = [c.start_mark.line + 1 for c in node.value]
    return out


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


class _DuplicateKey(Exception):
    def __init__(self, line: int, msg: str):
        self.line, self.msg = line, msg


# ----------------------------------------------------------------- the model


@dataclass(frozen=True)
class Band:
    name: str
    min: float  # inclusive
    max: float  # exclusive, except the top band (inclusive 100)


@dataclass(frozen=True)
class DataSpec:
    kpi: str  # a key of measures.MEASURES
    direction: str  # higher | lower
    floor: float  # value scoring 0
    target: float  # value scoring 100
    compare: str | None = None  # previous_year: the value is (this year - previous year)
    keep_level: float | None = None  # with compare: current value at/over this level scores 100
    on_null: float | None = None  # score when the value is null (None: indicator not counted)


@dataclass(frozen=True)
class EvidenceSpec:
    document: str  # what the document is, for sentences ("SK tim pengelola pengaduan")
    types: tuple[str, ...]  # accepted document types
    required_count: int  # documents (or events) needed for a full score
    count: str  # documents | events (events = distinct document dates)
    required_types: tuple[str, ...]  # each must be present for a full score
    renew_each_year: bool  # True: only records for the evaluation year count


@dataclass(frozen=True)
class Indicator:
    id: str
    label: str
    dimension: str
    weight: float  # within its dimension (the weights of a dimension sum to 100)
    source: str  # data | evidence
    data: DataSpec | None
    evidence: EvidenceSpec | None
    description: str = ""
    line: int = 0


@dataclass(frozen=True)
class Dimension:
    id: str
    label: str
    weight: float  # the dimension weights sum to 100
    description: str
    indicators: tuple[Indicator, ...]
    line: int = 0


@dataclass(frozen=True)
class RatingModel:
    name: str
    version: str
    disclaimer: str
    bands: tuple[Band, ...]  # highest first
    dimensions: tuple[Dimension, ...]
    opd_indicators: tuple[tuple[str, float], ...]  # (indicator id, weight) of the OPD model
    effort: tuple[tuple[str, float], ...] = tuple(DEFAULT_EFFORT.items())  # what-if effort per unit
    source: str = ""
    sha256: str = ""

    @property
    def indicators(self) -> list[Indicator]:
        return [i for d in self.dimensions for i in d.indicators]

    def indicator(self, indicator_id: str) -> Indicator:
        for i in self.indicators:
            if i.id == indicator_id:
                return i
        raise KeyError(indicator_id)

    def dimension(self, dimension_id: str) -> Dimension:
        for d in self.dimensions:
            if d.id == dimension_id:
                return d
        raise KeyError(dimension_id)

    @property
    def evidence_indicators(self) -> list[Indicator]:
        return [i for i in self.indicators if i.source == "evidence"]

    @property
    def band_names(self) -> list[str]:
        return [b.name for b in self.bands]

    def band(self, name: str) -> Band:
        key = name.strip().lower()
        for b in self.bands:
            if b.name.lower() == key:
                return b
        raise KeyError(name)

    def band_for(self, score: float) -> str:
        """The predikat of a total score. Scores are compared at 6 decimals so a total
        that is 85 on paper is not pushed below a boundary by float rounding."""
        s = round(float(score), 6)
        for b in self.bands:
            if s >= b.min:
                return b.name
        return self.bands[-1].name

    def bands_text(self) -> str:
        """'Sangat Baik ≥ 85, Baik ≥ 70, Sedang ≥ 55, Kurang < 55' from the bands in force."""
        parts = [f"{b.name} ≥ {fmt.number(b.min)}" for b in self.bands[:-1]]
        if len(self.bands) > 1:
            parts.append(f"{self.bands[-1].name} < {fmt.number(self.bands[-2].min)}")
        else:
            parts.append(self.bands[-1].name)
        return ", ".join(parts)

    def band_rank(self, name: str) -> int:
        """0 for the lowest band; 'Tidak dinilai' (or unknown) is -1."""
        names = [b.name for b in reversed(self.bands)]
        return names.index(name) if name in names else -1


# ----------------------------------------------------------------- loading


def model_path(config_dir: str | Path | None = None) -> Path:
    return resolve_config_dir(config_dir) / MODEL_FILE


def load_model(path: str | Path | None = None, *, config_dir: str | Path | None = None) -> RatingModel:
    """Load and validate the rating model (default ``<config-dir>/rating_model.yaml``)."""
    p = Path(path) if path else model_path(config_dir)
    if not p.exists():
        raise ConfigError(
            f"Berkas model penilaian {p} tidak ditemukan. Salin config/rating_model.yaml dari proyek ke direktori "
            "konfigurasi, lalu sesuaikan."
        )
    return parse_model(p.read_text(encoding="utf-8"), source=str(p))


def parse_model(text: str, source: str = MODEL_FILE) -> RatingModel:
    """Parse and validate model YAML text; raise RatingModelError naming the lines at fault."""
    try:
        doc = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - _LineLoader is a SafeLoader subclass
    except _DuplicateKey as exc:
        raise RatingModelError(source, [(exc.line, exc.msg)]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise RatingModelError(source, [(line, f"bukan YAML yang sah ({getattr(exc, 'problem', exc)}).")]) from None
    v = _Validator(source)
    model = v.model(doc)
    if v.problems:
        raise RatingModelError(source, v.problems)
    assert model is not None
    return dataclasses.replace(model, source=source, sha256=hashlib.sha256(text.encode()).hexdigest())


def _line(container: Any, key: Any = None) -> int | None:
    if key is not None and isinstance(container, _LDict):
        return container.key_lines.get(key, container.line)
    return getattr(container, "line", None)


def _is_number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


class _Validator:
    def __init__(self, source: str):
        self.source = source
        self.problems: list[tuple[int | None, str]] = []

    def err(self, line: int | None, msg: str) -> None:
        self.problems.append((line, msg))

    def mapping(self, x: Any, where: str, line: int | None) -> bool:
        if not isinstance(x, dict):
            self.err(line, f"{where} harus berupa pemetaan (kunci: nilai).")
            return False
        return True

    def keys(self, m: _LDict, allowed: set[str], required: set[str], where: str) -> None:
        for k in m:
            if k not in allowed:
                self.err(_line(m, k), f"kunci '{k}' tidak dikenal di {where}; yang boleh: {', '.join(sorted(allowed))}.")
        for k in sorted(required - set(m)):
            self.err(_line(m), f"{where} wajib punya '{k}'.")

    def number(self, m: _LDict, key: str, where: str, *, positive: bool = False, lo=None, hi=None) -> float | None:
        if key not in m:
            return None
        x = m[key]
        if not _is_number(x):
            self.err(_line(m, key), f"'{key}' di {where} harus berupa angka (tertulis {x!r}).")
            return None
        if positive and x <= 0:
            self.err(_line(m, key), f"'{key}' di {where} harus lebih dari 0 (tertulis {x}).")
        if lo is not None and x < lo or hi is not None and x > hi:
            self.err(_line(m, key), f"'{key}' di {where} harus antara {lo} dan {hi} (tertulis {x}).")
        return float(x)

    # -------------------------------------------------------------- top level
    def model(self, doc: Any) -> RatingModel | None:
        if not self.mapping(doc, "berkas model", 1):
            return None
        if "min_sample" in doc:  # one minimum sample for every figure: sla.yaml's (kpi.min_sample)
            self.err(_line(doc, "min_sample"), "'min_sample' tidak lagi diatur di berkas model: satu ambang "
                     "berlaku untuk semua angka (peringkat, data tidak cukup, nilai OPD, indikator), yaitu "
                     "kpi.min_sample di sla.yaml. Hapus baris ini.")
        self.keys(doc, {"name", "version", "disclaimer", "min_sample", "predikat", "dimensions", "opd_model",
                        "what_if_effort"},
                  {"name", "predikat", "dimensions"}, "tingkat teratas")
        bands = self.bands(doc.get("predikat"), _line(doc, "predikat"))
        dims = self.dimensions(doc.get("dimensions"), _line(doc, "dimensions"))
        opd = self.opd_model(doc.get("opd_model"), _line(doc, "opd_model"), dims)
        effort = dict(DEFAULT_EFFORT)
        raw_eff = doc.get("what_if_effort")
        if raw_eff is not None and self.mapping(raw_eff, "'what_if_effort'", _line(doc, "what_if_effort")):
            self.keys(raw_eff, set(DEFAULT_EFFORT), set(), "what_if_effort")
            for k in DEFAULT_EFFORT:
                v = self.number(raw_eff, k, "what_if_effort", positive=True)
                if v is not None and v > 0:
                    effort[k] = v
        return RatingModel(
            name=str(doc.get("name") or "Model penilaian"),
            version=str(doc.get("version") or ""),
            disclaimer=str(doc.get("disclaimer") or DEFAULT_DISCLAIMER),
            bands=bands,
            dimensions=dims,
            opd_indicators=opd,
            effort=tuple(effort.items()),
        )

    # -------------------------------------------------------------- bands
    def bands(self, raw: Any, line: int | None) -> tuple[Band, ...]:
        if not isinstance(raw, list) or not raw:
            self.err(line, "'predikat' harus berupa daftar rentang nilai, mis. - {name: Baik, min: 70, max: 85}.")
            return ()
        out: list[tuple[Band, int | None]] = []
        for i, b in enumerate(raw):
            bl = raw.item_lines[i] if isinstance(raw, _LList) else line
            if not self.mapping(b, "setiap predikat", bl):
                continue
            self.keys(b, {"name", "min", "max"}, {"name", "min", "max"}, f"predikat ke-{i + 1}")
            lo = self.number(b, "min", "predikat", lo=0, hi=100)
            hi = self.number(b, "max", "predikat", lo=0, hi=100)
            name = str(b.get("name") or "").strip()
            if lo is None or hi is None or not name:
                continue
            if hi <= lo:
                self.err(bl, f"predikat '{name}': 'max' ({hi:g}) harus lebih besar dari 'min' ({lo:g}).")
                continue
            if name.lower() == NOT_ASSESSED.lower():
                self.err(bl, f"'{NOT_ASSESSED}' bukan rentang nilai; ia dipakai otomatis bila tidak ada bukti dukung.")
            out.append((Band(name, lo, hi), bl))
        names = [b.name.lower() for b, _ in out]
        for (b, bl) in out:
            if names.count(b.name.lower()) > 1:
                self.err(bl, f"nama predikat '{b.name}' dipakai lebih dari sekali.")
        out.sort(key=lambda t: t[0].min)
        if out:
            if out[0][0].min != 0:
                self.err(out[0][1], f"predikat terendah '{out[0][0].name}' harus mulai dari 0 (tertulis {out[0][0].min:g}).")
            if out[-1][0].max != 100:
                self.err(out[-1][1], f"predikat tertinggi '{out[-1][0].name}' harus sampai 100 (tertulis {out[-1][0].max:g}).")
        for (a, _al), (b, bl) in zip(out, out[1:], strict=False):
            if a.max > b.min:
                self.err(bl, f"rentang predikat '{b.name}' ({b.min:g}–{b.max:g}) tumpang tindih dengan '{a.name}' "
                             f"({a.min:g}–{a.max:g}); 'max' '{a.name}' harus sama dengan 'min' '{b.name}'.")
            elif a.max < b.min:
                self.err(bl, f"ada celah antara predikat '{a.name}' (sampai {a.max:g}) dan '{b.name}' (mulai {b.min:g}); "
                             f"nilai {a.max:g}–{b.min:g} tidak punya predikat. Samakan 'max' '{a.name}' dengan 'min' '{b.name}'.")
        return tuple(b for b, _ in reversed(out))

    # -------------------------------------------------------------- dimensions
    def dimensions(self, raw: Any, line: int | None) -> tuple[Dimension, ...]:
        if not isinstance(raw, list) or not raw:
            self.err(line, "'dimensions' harus berupa daftar dimensi.")
            return ()
        dims: list[Dimension] = []
        seen_ids: dict[str, int | None] = {}
        total = 0.0
        for i, d in enumerate(raw):
            dl = raw.item_lines[i] if isinstance(raw, _LList) else line
            if not self.mapping(d, "setiap dimensi", dl):
                continue
            self.keys(d, {"id", "label", "weight", "description", "indicators"}, {"id", "label", "weight", "indicators"},
                      f"dimensi ke-{i + 1}")
            did = str(d.get("id") or "")
            if did and not _ID_RE.match(did):
                self.err(_line(d, "id"), f"id dimensi '{did}' hanya boleh huruf kecil, angka dan garis bawah.")
            w = self.number(d, "weight", f"dimensi '{did}'", positive=True)
            total += w or 0
            inds = self.indicators(d.get("indicators"), _line(d, "indicators"), did, seen_ids)
            dims.append(Dimension(did, str(d.get("label") or did), w or 0, str(d.get("description") or ""),
                                  tuple(inds), dl or 0))
        if abs(total - 100) > 1e-9:
            self.err(line, f"bobot dimensi berjumlah {total:g}, harus 100 "
                           f"({', '.join(f'{d.label} {d.weight:g}' for d in dims)}).")
        return tuple(dims)

    def indicators(self, raw: Any, line: int | None, dim: str, seen: dict[str, int | None]) -> list[Indicator]:
        if not isinstance(raw, list) or not raw:
            self.err(line, f"dimensi '{dim}': 'indicators' harus berupa daftar indikator.")
            return []
        out: list[Indicator] = []
        total = 0.0
        for i, e in enumerate(raw):
            il = raw.item_lines[i] if isinstance(raw, _LList) else line
            if not self.mapping(e, "setiap indikator", il):
                continue
            iid = str(e.get("id") or "")
            where = f"indikator '{iid or i + 1}'"
            src = e.get("source")
            common = {"id", "label", "weight", "source", "description"}
            data_keys = {"kpi", "direction", "floor", "target", "compare", "keep_level", "on_null"}
            ev_keys = {"document", "types", "required_count", "count", "required_types", "renew_each_year"}
            if src == "data":
                self.keys(e, common | data_keys, {"id", "label", "weight", "source", "kpi", "direction", "floor", "target"}, where)
            elif src == "evidence":
                self.keys(e, common | ev_keys, {"id", "label", "weight", "source", "document", "types"}, where)
            else:
                self.err(_line(e, "source") if "source" in e else il,
                         f"{where}: 'source' harus 'data' (dari KPI) atau 'evidence' (bukti dukung), tertulis {src!r}.")
                continue
            if iid and not _ID_RE.match(iid):
                self.err(_line(e, "id"), f"id indikator '{iid}' hanya boleh huruf kecil, angka dan garis bawah.")
            if iid in seen:
                self.err(_line(e, "id"), f"id indikator '{iid}' sudah dipakai di baris {seen[iid]}.")
            seen[iid] = _line(e, "id")
            w = self.number(e, "weight", where, positive=True)
            total += w or 0
            data = self.data_spec(e, where) if src == "data" else None
            ev = self.evidence_spec(e, where) if src == "evidence" else None
            out.append(Indicator(iid, str(e.get("label") or iid), dim, w or 0, src, data, ev,
                                 str(e.get("description") or ""), il or 0))
        if abs(total - 100) > 1e-9:
            self.err(line, f"bobot indikator di dimensi '{dim}' berjumlah {total:g}, harus 100 "
                           f"({', '.join(f'{i.id} {i.weight:g}' for i in out)}).")
        return out

    def data_spec(self, e: _LDict, where: str) -> DataSpec | None:
        kpi = e.get("kpi")
        ok = True
        if kpi not in MEASURES:
            self.err(_line(e, "kpi"), f"{where}: KPI '{kpi}' tidak dikenal; pilih salah satu: {', '.join(MEASURES)}.")
            ok = False
        direction = e.get("direction")
        if direction not in ("higher", "lower"):
            self.err(_line(e, "direction"), f"{where}: 'direction' harus 'higher' (makin tinggi makin baik) atau "
                                            f"'lower' (makin rendah makin baik), tertulis {direction!r}.")
            ok = False
        floor = self.number(e, "floor", where)
        target = self.number(e, "target", where)
        if floor is None or target is None:
            return None
        compare = e.get("compare")
        if kpi in MEASURES and MEASURES[kpi].unit == "rate" and compare is None:
            for k, x in (("floor", floor), ("target", target)):
                if not 0 <= x <= 1:
                    self.err(_line(e, k), f"{where}: '{k}' untuk KPI berbentuk rasio ditulis sebagai pecahan 0–1 "
                                          f"(mis. 0.95 untuk 95%), tertulis {x:g}.")
                    return None
        if floor == target:
            self.err(_line(e, "target"), f"{where}: 'floor' dan 'target' sama ({floor:g}); tidak ada rentang untuk "
                                         "menilai. Buat 'target' berbeda dari 'floor'.")
            ok = False
        elif direction == "higher" and target < floor:
            self.err(_line(e, "target"), f"{where}: dengan direction 'higher', 'target' ({target:g}) harus lebih besar "
                                         f"dari 'floor' ({floor:g}).")
            ok = False
        elif direction == "lower" and target > floor:
            self.err(_line(e, "target"), f"{where}: dengan direction 'lower', 'target' ({target:g}) harus lebih kecil "
                                         f"dari 'floor' ({floor:g}).")
            ok = False
        if compare is not None and compare != "previous_year":
            self.err(_line(e, "compare"), f"{where}: 'compare' hanya boleh 'previous_year', tertulis {compare!r}.")
            ok = False
        keep = self.number(e, "keep_level", where)
        if keep is not None and compare is None:
            self.err(_line(e, "keep_level"), f"{where}: 'keep_level' hanya berlaku bersama 'compare: previous_year'.")
            ok = False
        on_null = e.get("on_null")
        if on_null is not None and on_null != "skip":
            on_null = self.number(e, "on_null", where, lo=0, hi=100)
        if not ok:
            return None
        return DataSpec(str(kpi), str(direction), floor, target, compare, keep,
                        None if on_null in (None, "skip") else float(on_null))

    def evidence_spec(self, e: _LDict, where: str) -> EvidenceSpec | None:
        ok = True
        types_raw = e.get("types")
        types: list[str] = []
        if not isinstance(types_raw, list) or not types_raw:
            self.err(_line(e, "types"), f"{where}: 'types' harus daftar jenis dokumen, mis. [SK].")
            ok = False
        else:
            for t in types_raw:
                canon = evidence_type_of(t)
                if canon is None:
                    self.err(_line(e, "types"), f"{where}: jenis dokumen '{t}' tidak dikenal; pilih dari: "
                                                f"{', '.join(EVIDENCE_TYPES)}.")
                    ok = False
                else:
                    types.append(canon)
        req_types: list[str] = []
        rt = e.get("required_types") or []
        if not isinstance(rt, list):
            self.err(_line(e, "required_types"), f"{where}: 'required_types' harus berupa daftar.")
            ok = False
        else:
            for t in rt:
                canon = evidence_type_of(t)
                if canon is None:
                    self.err(_line(e, "required_types"), f"{where}: jenis dokumen '{t}' tidak dikenal; pilih dari: "
                                                         f"{', '.join(EVIDENCE_TYPES)}.")
                    ok = False
                elif canon not in types:
                    self.err(_line(e, "required_types"), f"{where}: jenis wajib '{canon}' harus juga ada di 'types'.")
                    ok = False
                else:
                    req_types.append(canon)
        n = e.get("required_count", 1)
        if not isinstance(n, int) or isinstance(n, bool) or n < 1:
            self.err(_line(e, "required_count"), f"{where}: 'required_count' harus bilangan bulat ≥ 1 (tertulis {n!r}).")
            ok = False
        count = e.get("count", "documents")
        if count not in ("documents", "events"):
            self.err(_line(e, "count"), f"{where}: 'count' harus 'documents' (per dokumen) atau 'events' (per kegiatan, "
                                        f"yaitu tanggal dokumen yang berbeda), tertulis {count!r}.")
            ok = False
        renew = e.get("renew_each_year", False)
        if not isinstance(renew, bool):
            self.err(_line(e, "renew_each_year"), f"{where}: 'renew_each_year' harus true atau false.")
            ok = False
        if not ok:
            return None
        return EvidenceSpec(str(e.get("document")), tuple(types), int(n), str(count), tuple(req_types), bool(renew))

    # -------------------------------------------------------------- OPD model
    def opd_model(self, raw: Any, line: int | None, dims: tuple[Dimension, ...]) -> tuple[tuple[str, float], ...]:
        by_id = {i.id: i for d in dims for i in d.indicators}
        if raw is None:
            # Default: the data indicators of the dimension named 'output', with their weights.
            out = [d for d in dims if d.id == "output"]
            return tuple((i.id, i.weight) for i in (out[0].indicators if out else ())
                         if i.data and MEASURES[i.data.kpi].per_department and not i.data.compare)
        if not self.mapping(raw, "'opd_model'", line):
            return ()
        self.keys(raw, {"indicators", "description"}, {"indicators"}, "opd_model")
        items = raw.get("indicators")
        if not isinstance(items, list) or not items:
            self.err(_line(raw, "indicators"), "opd_model: 'indicators' harus daftar {id, weight}.")
            return ()
        out_list: list[tuple[str, float]] = []
        total = 0.0
        n_before = len(self.problems)
        for i, it in enumerate(items):
            il = items.item_lines[i] if isinstance(items, _LList) else line
            if not self.mapping(it, "setiap indikator opd_model", il):
                continue
            self.keys(it, {"id", "weight"}, {"id", "weight"}, f"opd_model indikator ke-{i + 1}")
            iid = str(it.get("id") or "")
            ind = by_id.get(iid)
            if ind is None:
                self.err(_line(it, "id"), f"opd_model: indikator '{iid}' tidak ada di dimensi mana pun.")
                continue
            if ind.source == "data" and ind.data is None:
                out_list.append((iid, float(it.get("weight") or 0)))  # its own spec is already reported
                total += float(it.get("weight") or 0) if _is_number(it.get("weight")) else 0
                continue
            if ind.data is None or ind.data.compare or not MEASURES[ind.data.kpi].per_department:
                self.err(_line(it, "id"), f"opd_model: indikator '{iid}' tidak dapat dihitung per OPD (harus indikator "
                                          "data tanpa perbandingan tahun, dari KPI yang ada per OPD).")
                continue
            w = self.number(it, "weight", f"opd_model '{iid}'", positive=True)
            total += w or 0
            out_list.append((iid, w or 0))
        if abs(total - 100) > 1e-9 and len(self.problems) == n_before:
            self.err(_line(raw, "indicators"), f"bobot indikator opd_model berjumlah {total:g}, harus 100.")
        return tuple(out_list)
