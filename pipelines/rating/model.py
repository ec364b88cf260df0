"""The rating model: dimensions, indicators, predikat bands (config/rating_model.yaml).

The official Kemendagri weights and thresholds are not public, so the model is a
transparent, editable file. It is validated on load; every problem is reported
with the file and the line it is on, so an evaluator can fix it without code.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

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
    description: str | None = None
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
    return _parse_cached(p.read_text(encoding="utf-8"), str(p))


@functools.lru_cache(maxsize=8)
def _parse_cached(text: str, source: str) -> RatingModel:
    # the model is frozen, so one parse serves every caller of the same text (about 0,1 s a parse)
    return parse_model(text, source=source)


def parse_model(text: str, source: str = MODEL_FILE) -> RatingModel:
    """Parse and validate model YAML text; raise RatingModelError naming the lines at fault.

    The schema is the pydantic models below (``_ModelFile``); every problem pydantic finds
    is translated into one Indonesian sentence with the YAML key path and its line."""
    try:
        lines = _key_lines(yaml.compose(text, Loader=yaml.SafeLoader))
        doc = yaml.safe_load(text)
    except _DuplicateKey as exc:
        raise RatingModelError(source, [(exc.line, exc.msg)]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise RatingModelError(source, [(line, f"bukan YAML yang sah ({getattr(exc, 'problem', exc)}).")]) from None
    try:
        spec = _ModelFile.model_validate(doc)
    except ValidationError as exc:
        raise RatingModelError(source, [_problem(e, doc, lines) for e in exc.errors()]) from None
    model = _to_model(spec, lines)
    return dataclasses.replace(model, source=source, sha256=hashlib.sha256(text.encode()).hexdigest())


# ----------------------------------------------------------------- YAML lines


class _DuplicateKey(Exception):
    def __init__(self, line: int, msg: str):
        self.line, self.msg = line, msg


Loc = tuple[str | int, ...]


def _key_lines(root: yaml.Node | None) -> dict[Loc, int]:
    """1-based line of every key path: a mapping key's own line, a list item's first line."""
    lines: dict[Loc, int] = {}

    def walk(node: yaml.Node, path: Loc) -> None:
        lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key = key_node.value
                line = key_node.start_mark.line + 1
                if path + (key,) in lines:
                    raise _DuplicateKey(line, f"kunci '{key}' muncul dua kali (pertama di baris {lines[path + (key,)]}).")
                lines[path + (key,)] = line
                walk(value_node, path + (key,))
        elif isinstance(node, yaml.SequenceNode):
            for i, child in enumerate(node.value):
                walk(child, path + (i,))

    if root is not None:
        walk(root, ())
    return lines


def _line_at(lines: dict[Loc, int], loc: Loc) -> int | None:
    """The line of ``loc`` or of its nearest ancestor that is written in the file."""
    for n in range(len(loc), -1, -1):
        if loc[:n] in lines:
            return lines[loc[:n]]
    return None


# ----------------------------------------------------------------- the schema (pydantic)


def _rule(problems: list[tuple[Loc, str]]) -> ValidationError:
    """Cross-field problems as one ValidationError (pydantic prefixes each loc with the model's own)."""
    return ValidationError.from_exception_data("rating_model", [
        {"type": PydanticCustomError("rating_rule", "{message}", {"message": msg}), "loc": loc, "input": None}
        for loc, msg in problems])


def _check_id(value: str) -> str:
    if not _ID_RE.match(value):
        raise PydanticCustomError("rating_value", "{message}", {
            "message": f"hanya boleh huruf kecil, angka dan garis bawah, diawali huruf (tertulis '{value}')."})
    return value


def _check_evidence_type(value: str) -> str:
    canon = evidence_type_of(value)
    if canon is None:
        raise PydanticCustomError("rating_value", "{message}", {
            "message": f"jenis dokumen '{value}' tidak dikenal; pilih dari: {', '.join(EVIDENCE_TYPES)}."})
    return canon


def _check_kpi(value: str) -> str:
    if value not in MEASURES:
        raise PydanticCustomError("rating_value", "{message}", {
            "message": f"KPI '{value}' tidak dikenal; pilih salah satu: {', '.join(MEASURES)}."})
    return value


Number = Annotated[float, Strict()]
Positive = Annotated[float, Strict(), Field(gt=0)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_check_id)]
EvidenceType = Annotated[str, AfterValidator(_check_evidence_type)]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, frozen=True)


class _BandSpec(_Spec):
    name: Text
    min: Annotated[float, Strict(), Field(ge=0, le=100)]
    max: Annotated[float, Strict(), Field(ge=0, le=100)]

    @model_validator(mode="after")
    def _ordered(self) -> _BandSpec:
        if self.max <= self.min:
            raise _rule([((), f"predikat '{self.name}': 'max' ({self.max:g}) harus lebih besar dari 'min' "
                                f"({self.min:g}).")])
        if self.name.lower() == NOT_ASSESSED.lower():
            raise _rule([((), f"'{NOT_ASSESSED}' bukan rentang nilai; ia dipakai otomatis bila tidak ada "
                                "bukti dukung.")])
        return self


class _DataIndicatorSpec(_Spec):
    id: Id
    label: Text
    weight: Positive
    source: Literal["data"]
    description: str | None = None
    kpi: Annotated[str, AfterValidator(_check_kpi)]
    direction: Literal["higher", "lower"]
    floor: Number
    target: Number
    compare: Literal["previous_year"] | None = None
    keep_level: Number | None = None
    on_null: Annotated[float, Strict(), Field(ge=0, le=100)] | None = None  # 'skip' = None: not counted

    @field_validator("on_null", mode="before")
    @classmethod
    def _skip_is_none(cls, value: Any) -> Any:
        return None if value == "skip" else value

    @model_validator(mode="after")
    def _range(self) -> _DataIndicatorSpec:
        where = f"indikator '{self.id}'"
        if MEASURES[self.kpi].unit == "rate" and self.compare is None:
            bad = [((k,), f"{where}: '{k}' untuk KPI berbentuk rasio ditulis sebagai pecahan 0–1 (mis. 0.95 "
                          f"untuk 95%), tertulis {x:g}.")
                   for k, x in (("floor", self.floor), ("target", self.target)) if not 0 <= x <= 1]
            if bad:
                raise _rule(bad[:1])
        problems: list[tuple[Loc, str]] = []
        if self.floor == self.target:
            problems.append((("target",), f"{where}: 'floor' dan 'target' sama ({self.floor:g}); tidak ada "
                                          "rentang untuk menilai. Buat 'target' berbeda dari 'floor'."))
        elif self.direction == "higher" and self.target < self.floor:
            problems.append((("target",), f"{where}: dengan direction 'higher', 'target' ({self.target:g}) harus "
                                          f"lebih besar dari 'floor' ({self.floor:g})."))
        elif self.direction == "lower" and self.target > self.floor:
            problems.append((("target",), f"{where}: dengan direction 'lower', 'target' ({self.target:g}) harus "
                                          f"lebih kecil dari 'floor' ({self.floor:g})."))
        if self.keep_level is not None and self.compare is None:
            problems.append((("keep_level",), f"{where}: 'keep_level' hanya berlaku bersama "
                                              "'compare: previous_year'."))
        if problems:
            raise _rule(problems)
        return self


class _EvidenceIndicatorSpec(_Spec):
    id: Id
    label: Text
    weight: Positive
    source: Literal["evidence"]
    description: str | None = None
    document: Text
    types: Annotated[list[EvidenceType], Field(min_length=1)]
    required_count: Annotated[int, Strict(), Field(ge=1)] = 1
    count: Literal["documents", "events"] = "documents"
    required_types: list[EvidenceType] | None = None
    renew_each_year: Annotated[bool, Strict()] = False

    @model_validator(mode="after")
    def _required_in_types(self) -> _EvidenceIndicatorSpec:
        missing = [t for t in self.required_types or () if t not in self.types]
        if missing:
            raise _rule([(("required_types",), f"indikator '{self.id}': jenis wajib '{t}' harus juga ada di "
                                               "'types'.") for t in missing])
        return self


_IndicatorSpec = Annotated[_DataIndicatorSpec | _EvidenceIndicatorSpec, Field(discriminator="source")]


class _DimensionSpec(_Spec):
    id: Id
    label: Text
    weight: Positive
    description: str | None = None
    indicators: Annotated[list[_IndicatorSpec], Field(min_length=1)]

    @model_validator(mode="after")
    def _weights_sum_to_100(self) -> _DimensionSpec:
        total = sum(i.weight for i in self.indicators)
        if abs(total - 100) > 1e-9:
            raise _rule([(("indicators",), f"bobot indikator di dimensi '{self.id}' berjumlah {total:g}, harus "
                                           f"100 ({', '.join(f'{i.id} {i.weight:g}' for i in self.indicators)}).")])
        return self


class _OpdItemSpec(_Spec):
    id: Text
    weight: Positive


class _OpdModelSpec(_Spec):
    description: str | None = None
    indicators: Annotated[list[_OpdItemSpec], Field(min_length=1)]


class _EffortSpec(_Spec):
    verify_document: Positive = DEFAULT_EFFORT["verify_document"]
    upload_document: Positive = DEFAULT_EFFORT["upload_document"]
    complaint: Positive = DEFAULT_EFFORT["complaint"]
    department: Positive = DEFAULT_EFFORT["department"]
    channel: Positive = DEFAULT_EFFORT["channel"]
    rating: Positive = DEFAULT_EFFORT["rating"]
    half_day: Positive = DEFAULT_EFFORT["half_day"]


class _ModelFile(_Spec):
    name: Text
    version: str | None = None
    disclaimer: str | None = None
    min_sample: Any = None  # refused when written: one minimum sample for every figure, sla.yaml's
    predikat: Annotated[list[_BandSpec], Field(min_length=1)]
    dimensions: Annotated[list[_DimensionSpec], Field(min_length=1)]
    opd_model: _OpdModelSpec | None = None
    what_if_effort: _EffortSpec = _EffortSpec()

    @field_validator("min_sample")
    @classmethod
    def _no_min_sample(cls, value: Any) -> Any:
        raise _rule([((), "'min_sample' tidak lagi diatur di berkas model: satu ambang berlaku untuk semua angka "
                          "(peringkat, data tidak cukup, nilai OPD, indikator), yaitu kpi.min_sample di sla.yaml. "
                          "Hapus baris ini.")])

    @field_validator("predikat")
    @classmethod
    def _bands_cover_0_to_100(cls, bands: list[_BandSpec]) -> list[_BandSpec]:
        problems: list[tuple[Loc, str]] = []
        names = [b.name.lower() for b in bands]
        problems += [((i,), f"nama predikat '{b.name}' dipakai lebih dari sekali.")
                     for i, b in enumerate(bands) if names.count(b.name.lower()) > 1]
        order = sorted(range(len(bands)), key=lambda i: bands[i].min)
        low, high = bands[order[0]], bands[order[-1]]
        if low.min != 0:
            problems.append(((order[0],), f"predikat terendah '{low.name}' harus mulai dari 0 (tertulis {low.min:g})."))
        if high.max != 100:
            problems.append(((order[-1],), f"predikat tertinggi '{high.name}' harus sampai 100 (tertulis {high.max:g})."))
        for ia, ib in zip(order, order[1:], strict=False):
            a, b = bands[ia], bands[ib]
            if a.max > b.min:
                problems.append(((ib,), f"rentang predikat '{b.name}' ({b.min:g}–{b.max:g}) tumpang tindih dengan "
                                        f"'{a.name}' ({a.min:g}–{a.max:g}); 'max' '{a.name}' harus sama dengan 'min' "
                                        f"'{b.name}'."))
            elif a.max < b.min:
                problems.append(((ib,), f"ada celah antara predikat '{a.name}' (sampai {a.max:g}) dan '{b.name}' "
                                        f"(mulai {b.min:g}); nilai {a.max:g}–{b.min:g} tidak punya predikat. Samakan "
                                        f"'max' '{a.name}' dengan 'min' '{b.name}'."))
        if problems:
            raise _rule(problems)
        return bands

    @field_validator("dimensions")
    @classmethod
    def _dimensions_sum_to_100(cls, dims: list[_DimensionSpec]) -> list[_DimensionSpec]:
        problems: list[tuple[Loc, str]] = []
        seen: dict[str, tuple[int, int]] = {}
        for di, d in enumerate(dims):
            for ii, ind in enumerate(d.indicators):
                if ind.id in seen:
                    first = seen[ind.id]
                    problems.append(((di, "indicators", ii, "id"), f"id indikator '{ind.id}' sudah dipakai (dimensi "
                                     f"'{dims[first[0]].id}', indikator ke-{first[1] + 1})."))
                seen.setdefault(ind.id, (di, ii))
        total = sum(d.weight for d in dims)
        if abs(total - 100) > 1e-9:
            problems.append(((), f"bobot dimensi berjumlah {total:g}, harus 100 "
                                 f"({', '.join(f'{d.label} {d.weight:g}' for d in dims)})."))
        if problems:
            raise _rule(problems)
        return dims

    @model_validator(mode="after")
    def _opd_model_is_per_department(self) -> _ModelFile:
        if self.opd_model is None:
            return self
        by_id = {i.id: i for d in self.dimensions for i in d.indicators}
        problems: list[tuple[Loc, str]] = []
        for n, item in enumerate(self.opd_model.indicators):
            ind = by_id.get(item.id)
            loc = ("opd_model", "indicators", n, "id")
            if ind is None:
                problems.append((loc, f"opd_model: indikator '{item.id}' tidak ada di dimensi mana pun."))
            elif not isinstance(ind, _DataIndicatorSpec) or ind.compare or not MEASURES[ind.kpi].per_department:
                problems.append((loc, f"opd_model: indikator '{item.id}' tidak dapat dihitung per OPD (harus "
                                      "indikator data tanpa perbandingan tahun, dari KPI yang ada per OPD)."))
        total = sum(i.weight for i in self.opd_model.indicators)
        if not problems and abs(total - 100) > 1e-9:
            problems.append((("opd_model", "indicators"), f"bobot indikator opd_model berjumlah {total:g}, harus 100."))
        if problems:
            raise _rule(problems)
        return self


# ----------------------------------------------------------------- pydantic errors in Bahasa Indonesia

_TAGGED: dict[str, type[BaseModel]] = {"data": _DataIndicatorSpec, "evidence": _EvidenceIndicatorSpec}
_HINTS = {
    "source": "'data' (dari KPI) atau 'evidence' (bukti dukung)",
    "direction": "'higher' (makin tinggi makin baik) atau 'lower' (makin rendah makin baik)",
    "count": "'documents' (per dokumen) atau 'events' (per kegiatan, yaitu tanggal dokumen yang berbeda)",
    "compare": "'previous_year' (dibanding tahun sebelumnya)",
    "on_null": "angka 0–100 atau 'skip'",
    "predikat": "daftar rentang nilai, mis. - {name: Baik, min: 70, max: 85}",
    "dimensions": "daftar dimensi",
    "indicators": "daftar indikator",
    "types": "daftar jenis dokumen, mis. [SK]",
    "required_types": "daftar jenis dokumen",
}
_NUMBER_ERRORS = {"float_type", "float_parsing", "int_type", "int_parsing", "int_from_float", "finite_number"}
_BOUNDS = {"greater_than": ("gt", "lebih dari"), "greater_than_equal": ("ge", "paling kecil"),
           "less_than": ("lt", "kurang dari"), "less_than_equal": ("le", "paling besar")}


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for a in get_args(annotation) for m in _models_in(a)]


def _spec_at(loc: Loc) -> type[BaseModel] | None:
    """The schema class of the mapping at ``loc`` (a pydantic loc, union tags included)."""
    cls: type[BaseModel] | None = _ModelFile
    for el in loc:
        if isinstance(el, int):
            continue
        if cls is None and el in _TAGGED:
            cls = _TAGGED[el]
            continue
        field = cls.model_fields.get(el) if cls else None
        found = _models_in(field.annotation) if field else []
        cls = found[0] if len(found) == 1 else None
    return cls


def _yaml_loc(loc: Loc) -> Loc:
    """Pydantic's loc without the union tag it inserts after an indicator's list index."""
    return tuple(el for i, el in enumerate(loc)
                 if not (el in _TAGGED and i >= 2 and isinstance(loc[i - 1], int) and loc[i - 2] == "indicators"))


def _where(loc: Loc, doc: Any) -> str:
    """The YAML key path in words: "dimensi 'b' › indikator 'med' › weight"."""
    if not loc:
        return "tingkat teratas"
    parts: list[str] = []
    node = doc
    for i, el in enumerate(loc):
        parent = loc[i - 1] if i else None
        item = node[el] if isinstance(node, list) and isinstance(el, int) and el < len(node) else None
        if isinstance(el, int):
            named = item.get("id") or item.get("name") if isinstance(item, dict) else None
            kind = {"dimensions": "dimensi", "indicators": "indikator", "predikat": "predikat"}.get(parent)
            label = f"{kind} '{named}'" if kind and named else f"{kind or parent} ke-{el + 1}"
            parts[-1:] = [f"opd_model {label}"] if parts[-1:] == ["opd_model › indicators"] else [label]
        else:
            parts.append(f"{parts.pop()} › {el}" if parts == ["opd_model"] else str(el))
            item = node.get(el) if isinstance(node, dict) else None
        node = item
    return " › ".join(parts)


def _problem(err: Any, doc: Any, lines: dict[Loc, int]) -> tuple[int | None, str]:
    """(line, Indonesian sentence) for one pydantic error."""
    kind, ctx, value = err["type"], err.get("ctx") or {}, err.get("input")
    loc = _yaml_loc(tuple(err["loc"]))
    key = next((el for el in reversed(loc) if isinstance(el, str)), "")
    if kind in ("missing", "extra_forbidden"):
        where = _where(loc[:-1], doc)
        if kind == "missing":
            return _line_at(lines, loc[:-1]), f"{where} wajib punya '{key}'."
        allowed = ", ".join(sorted((_spec_at(tuple(err["loc"])[:-1]) or _ModelFile).model_fields))
        return _line_at(lines, loc), f"kunci '{key}' tidak dikenal di {where}; yang boleh: {allowed}."
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        at = loc + ("source",) if isinstance(value, dict) and "source" in value else loc
        if kind == "union_tag_not_found":
            return _line_at(lines, at), f"{_where(loc, doc)} wajib punya 'source': {_HINTS['source']}."
        return (_line_at(lines, at),
                f"{_where(loc, doc)}: 'source' harus {_HINTS['source']}, tertulis {value.get('source')!r}.")
    if kind == "rating_rule":
        return _line_at(lines, loc), ctx["message"]
    return _line_at(lines, loc), f"{_where(loc, doc)}: {_sentence(kind, ctx, value, key)}"


def _sentence(kind: str, ctx: dict, value: Any, key: str) -> str:
    shown = f"(tertulis {value!r})"
    if kind in _NUMBER_ERRORS:
        whole = kind.startswith("int")
        return f"harus berupa {'bilangan bulat' if whole else _HINTS.get(key, 'angka')} {shown}."
    if kind in _BOUNDS:
        bound, words = _BOUNDS[kind]
        return f"harus {words} {fmt.number(ctx[bound])} {shown}."
    if kind in ("bool_type", "bool_parsing"):
        return f"harus true atau false {shown}."
    if kind == "literal_error":
        return f"harus {_HINTS.get(key, str(ctx.get('expected', '')).replace(' or ', ' atau '))}, tertulis {value!r}."
    if kind in ("list_type", "too_short"):
        return f"harus berupa {_HINTS.get(key, 'daftar')} yang tidak kosong {shown}."
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"harus berupa pemetaan (kunci: nilai) {shown}."
    if kind in ("string_type", "string_too_short"):
        return f"harus berupa teks yang tidak kosong {shown}."
    if kind == "value_error" or kind == "rating_value":
        return ctx.get("message") or f"nilai tidak sah {shown}."
    return f"nilai tidak sah {shown}."


# ----------------------------------------------------------------- schema → RatingModel


def _to_model(spec: _ModelFile, lines: dict[Loc, int]) -> RatingModel:
    bands = tuple(Band(b.name, float(b.min), float(b.max)) for b in sorted(spec.predikat, key=lambda b: -b.min))
    dims = tuple(
        Dimension(d.id, d.label, float(d.weight), d.description or "",
                  tuple(_to_indicator(i, d.id, lines.get(("dimensions", di, "indicators", ii), 0))
                        for ii, i in enumerate(d.indicators)),
                  lines.get(("dimensions", di), 0))
        for di, d in enumerate(spec.dimensions))
    if spec.opd_model is None:  # default: the data indicators of the dimension named 'output', with their weights
        out = [d for d in dims if d.id == "output"]
        opd = tuple((i.id, i.weight) for i in (out[0].indicators if out else ())
                    if i.data and MEASURES[i.data.kpi].per_department and not i.data.compare)
    else:
        opd = tuple((i.id, float(i.weight)) for i in spec.opd_model.indicators)
    return RatingModel(
        name=spec.name, version=spec.version or "", disclaimer=spec.disclaimer or DEFAULT_DISCLAIMER,
        bands=bands, dimensions=dims, opd_indicators=opd,
        effort=tuple((k, float(getattr(spec.what_if_effort, k))) for k in DEFAULT_EFFORT),
    )


def _to_indicator(i: _DataIndicatorSpec | _EvidenceIndicatorSpec, dim: str, line: int) -> Indicator:
    data = ev = None
    if isinstance(i, _DataIndicatorSpec):
        on_null = None if i.on_null in (None, "skip") else float(i.on_null)
        data = DataSpec(i.kpi, i.direction, float(i.floor), float(i.target), i.compare,
                        None if i.keep_level is None else float(i.keep_level), on_null)
    else:
        ev = EvidenceSpec(i.document, tuple(i.types), i.required_count, i.count, tuple(i.required_types or ()),
                          i.renew_each_year)
    return Indicator(i.id, i.label, dim, float(i.weight), i.source, data, ev, i.description or "", line)
