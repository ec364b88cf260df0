"""Reading one mapping profile with errors a user can act on.

A profile error is one paragraph in Bahasa Indonesia naming the profile file and,
where it can be known, the line: bad YAML (with what the parser saw, in words),
an unknown key (with the closest valid key), a value of the wrong type, a
missing required key, and every check ``parse_profile`` makes. Never a traceback.

Unknown keys are found without a hand-kept list of valid ones: the profile is
parsed from dictionaries that remember which keys the parser asked for; a key
the parser never asked for is unknown. So a new profile option added to
``parse_profile`` is known here the moment it is read (see ``TrackedDict``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz, process

from pipelines.masterdata import ConfigError

DOC_HINT = "format profil: docs/pipeline.md, bagian 5"

# Keys whose values are free-form names (labels, field names), not options.
FREE_FORM = {("status", "labels"), ("fields",)}

# The types of the options every profile has; options added later are type-checked by
# parse_profile itself (a wrong type that makes it fail is still reported as one paragraph).
_BOOL = (bool,)
_STR = (str,)
_NUM_STR = (str, int, float)
_LIST_OR_STR = (list, str)
_MAP = (dict,)
OPTION_TYPES: dict[tuple[str, ...], tuple[type, ...]] = {
    ("name",): _NUM_STR,
    ("label",): _NUM_STR,
    ("source_system",): _STR,
    ("mapping",): _STR,
    ("has_verification_step",): _BOOL,
    ("formats",): _LIST_OR_STR,
    ("file_patterns",): _LIST_OR_STR,
    ("fields",): _MAP,
    ("channel",): _MAP,
    ("channel", "fixed"): _NUM_STR,
    ("channel", "column_default"): _NUM_STR,
    ("channel", "from_file_name"): _BOOL,
    ("channel", "from_title"): _BOOL,
    ("channel", "sources"): _LIST_OR_STR,
    ("status",): _MAP,
    ("status", "labels"): _MAP,
    ("status", "required"): _BOOL,
    ("status", "when_missing"): _STR,
    ("dates",): _MAP,
    ("dates", "day_first"): _BOOL,
    ("dates", "timezone"): _STR,
    ("dates", "has_time"): _BOOL,
}
FIELD_OPTION_TYPES: dict[str, tuple[type, ...]] = {"aliases": _LIST_OR_STR, "required": _BOOL}
REQUIRED_KEYS = ("source_system", "fields")

_TYPE_WORDS = {
    bool: "true atau false",
    str: "teks",
    int: "bilangan",
    float: "bilangan",
    list: "daftar, mis. [a, b]",
    dict: "pemetaan (kunci: nilai di baris-baris berikutnya, menjorok ke dalam)",
}
_FOUND_WORDS = {bool: "true/false", str: "teks", int: "bilangan", float: "bilangan", list: "daftar", dict: "pemetaan"}

# What PyYAML says, in words a user understands.
_YAML_PROBLEMS = (
    ("found character '\\t'", "ada karakter tab; YAML hanya boleh menjorok dengan spasi"),
    ("mapping values are not allowed", "ada tanda titik dua (:) di tempat yang tidak diharapkan; nilai yang memuat "
     "titik dua harus diberi tanda kutip, dan setiap kunci harus di baris sendiri"),
    ("could not find expected ':'", "tanda titik dua (:) sesudah sebuah kunci tidak ditemukan"),
    ("did not find expected key", "indentasi tidak rata atau ada baris yang bukan 'kunci: nilai'"),
    ("did not find expected ',' or ']'", "daftar [ ... ] tidak ditutup dengan benar (kurang ']' atau ',')"),
    ("did not find expected ',' or '}'", "pemetaan { ... } tidak ditutup dengan benar (kurang '}' atau ',')"),
    ("found unexpected end of stream", "tanda kutip tidak ditutup sampai akhir berkas"),
    ("while scanning a quoted scalar", "tanda kutip tidak ditutup"),
    ("found duplicate anchor", "jangkar (&) yang sama dipakai dua kali"),
    ("found undefined alias", "rujukan (*) ke jangkar yang tidak ada"),
    ("block sequence entries are not allowed", "butir daftar (-) di tempat yang tidak diharapkan; periksa indentasi"),
    ("expected <block end>", "indentasi tidak rata"),
)


class TrackedDict(dict):
    """A dict that remembers the keys read from it (``get``, ``[]``, ``in``, or all of them by iterating)."""

    def __init__(self, *a: Any, **kw: Any):
        super().__init__(*a, **kw)
        self.queried: set[str] = set()
        self.iterated = False

    def get(self, key: Any, default: Any = None) -> Any:
        self.queried.add(key)
        return super().get(key, default)

    def __getitem__(self, key: Any) -> Any:
        self.queried.add(key)
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        self.queried.add(key)  # type: ignore[arg-type]
        return super().__contains__(key)

    def _all(self) -> None:
        self.iterated = True

    def items(self):  # type: ignore[override]
        self._all()
        return super().items()

    def keys(self):  # type: ignore[override]
        self._all()
        return super().keys()

    def values(self):  # type: ignore[override]
        self._all()
        return super().values()

    def __iter__(self):
        self._all()
        return super().__iter__()


def track(value: Any) -> Any:
    """``value`` with every dict inside replaced by a TrackedDict."""
    if isinstance(value, dict):
        return TrackedDict({k: track(v) for k, v in value.items()})
    if isinstance(value, list):
        return [track(v) for v in value]
    return value


# ---------------------------------------------------------------- line numbers
class LineIndex:
    """Line numbers (1-based) of keys and scalar values in a YAML text."""

    def __init__(self, text: str):
        self.paths: dict[tuple[str, ...], int] = {}
        self.words: dict[str, int] = {}
        try:
            root = yaml.compose(text)
        except yaml.YAMLError:
            root = None
        if root is not None:
            self._walk(root, ())

    def _walk(self, node: yaml.Node, path: tuple[str, ...]) -> None:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                key = str(k.value)
                self.paths.setdefault((*path, key), k.start_mark.line + 1)
                self.words.setdefault(key, k.start_mark.line + 1)
                self._walk(v, (*path, key))
        elif isinstance(node, yaml.SequenceNode):
            for v in node.value:
                self._walk(v, path)
        elif isinstance(node, yaml.ScalarNode):
            self.words.setdefault(str(node.value), node.start_mark.line + 1)

    def line_of(self, path: tuple[str, ...]) -> int | None:
        return self.paths.get(tuple(str(p) for p in path))

    def line_in_message(self, message: str) -> int | None:
        """The line of the first quoted key or value a message names."""
        for tok in re.findall(r"'([^']+)'|\"([^\"]+)\"", message):
            word = tok[0] or tok[1]
            if "." in word:  # status.labels -> the deepest key
                line = self.line_of(tuple(word.split(".")))
                if line:
                    return line
            if word in self.words:
                return self.words[word]
        return None


# ---------------------------------------------------------------- messages
def profile_error(path: Path, problem: str, line: int | None = None, todo: str | None = None) -> ConfigError:
    """One paragraph: where (file, line), what is wrong, what to do."""
    where = f"Profil pemetaan {path}" + (f", baris {line}" if line else "")
    problem = problem.strip().rstrip(".")
    todo = (todo or "Perbaiki berkas itu, lalu jalankan perintahnya lagi").rstrip(".")
    sep = " " if problem.endswith("?") else ". "
    return ConfigError(f"{where}: {problem}{sep}{todo} ({DOC_HINT}).")


def _yaml_problem(exc: yaml.YAMLError) -> tuple[str, int | None]:
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark is not None else None
    raw = " ".join(str(getattr(exc, a, "") or "") for a in ("context", "problem"))
    for needle, words in _YAML_PROBLEMS:
        if needle in raw:
            return words, line
    seen = (getattr(exc, "problem", None) or str(exc)).strip()
    return f"isinya bukan YAML yang sah (pengurai YAML: \"{seen}\")", line


def _closest(word: str, choices: set[str]) -> str | None:
    names = sorted(c for c in choices if isinstance(c, str))
    if not names:
        return None
    best = process.extractOne(word, names, scorer=fuzz.ratio)
    return best[0] if best and best[1] >= 60 else None


def _type_text(expected: tuple[type, ...]) -> str:
    words: list[str] = []
    for t in expected:
        w = _TYPE_WORDS[t]
        if w not in words:
            words.append(w)
    return " atau ".join(words)


def _key_text(path: tuple[str, ...]) -> str:
    return ".".join(str(p) for p in path)


# ---------------------------------------------------------------- checks
def check_types(data: dict, path: Path, lines: LineIndex) -> None:
    """Options of the wrong type (``channel: WhatsApp`` where a mapping is expected, ``day_first: ya``)."""
    for key_path, expected in OPTION_TYPES.items():
        node: Any = data
        for part in key_path[:-1]:
            node = dict.get(node, part) if isinstance(node, dict) else None
        if not isinstance(node, dict) or key_path[-1] not in dict.keys(node):
            continue
        _check_one(dict.__getitem__(node, key_path[-1]), expected, key_path, path, lines)
    fields = dict.get(data, "fields")
    if isinstance(fields, dict):
        for fname, spec in dict.items(fields):
            if spec is None or isinstance(spec, list):
                continue
            if not isinstance(spec, dict):
                raise profile_error(
                    path,
                    f"'fields.{fname}' berisi {_FOUND_WORDS.get(type(spec), type(spec).__name__)} "
                    f"{spec!r}, padahal harus berupa daftar ejaan judul kolom atau pemetaan dengan 'aliases'",
                    lines.line_of(("fields", fname)),
                    f"Tulis misalnya `{fname}: {{aliases: [Judul Kolom]}}`, lalu jalankan perintahnya lagi",
                )
            for opt, expected in FIELD_OPTION_TYPES.items():
                if opt in dict.keys(spec):
                    _check_one(dict.__getitem__(spec, opt), expected, ("fields", fname, opt), path, lines)


def _check_one(value: Any, expected: tuple[type, ...], key_path: tuple[str, ...], path: Path, lines: LineIndex) -> None:
    bool_as_number = isinstance(value, bool) and bool not in expected
    if value is None or (isinstance(value, expected) and not bool_as_number):
        return
    found = _FOUND_WORDS.get(type(value), type(value).__name__)
    raise profile_error(
        path,
        f"'{_key_text(key_path)}' harus berupa {_type_text(expected)}, tetapi berisi {found} {value!r}",
        lines.line_of(key_path),
    )


def check_required(data: dict, path: Path) -> None:
    missing = [k for k in REQUIRED_KEYS if dict.get(data, k) in (None, "", {}, [])]
    if missing:
        keys = " dan ".join(f"'{k}'" for k in missing)
        raise profile_error(
            path,
            f"kunci wajib {keys} belum ada",
            None,
            "Tambahkan kunci itu (contoh lengkap: config/profiles/lapor.yaml), lalu jalankan perintahnya lagi",
        )


def unknown_keys(tree: Any, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], str, set[str]]]:
    """(path, key, keys the parser asked for at that level) for every key the parser never read."""
    out: list[tuple[tuple[str, ...], str, set[str]]] = []
    if isinstance(tree, TrackedDict):
        free = prefix in FREE_FORM
        for k, v in dict.items(tree):
            if not free and not tree.iterated and k not in tree.queried:
                out.append((prefix, str(k), {str(q) for q in tree.queried}))
            out.extend(unknown_keys(v, (*prefix, str(k))))
    elif isinstance(tree, list):
        for v in tree:
            out.extend(unknown_keys(v, prefix))
    return out


def _known_at(prefix: tuple[str, ...], queried: set[str]) -> set[str]:
    known = set(queried)
    if not prefix:
        known |= {p[0] for p in OPTION_TYPES}
    elif len(prefix) == 1:
        known |= {p[1] for p in OPTION_TYPES if len(p) == 2 and p[0] == prefix[0]}
    elif prefix[0] == "fields":
        known |= set(FIELD_OPTION_TYPES)
    return known


def unknown_key_error(tree: Any, path: Path, lines: LineIndex, *, only_misspelt: bool = False) -> ConfigError | None:
    """The first key the parser never read, with the closest valid key.

    ``only_misspelt``: after the parser stopped early (so later options were not asked for
    yet), report only a key that looks like a misspelling of a known key that is absent."""
    for prefix, key, queried in unknown_keys(tree):
        known = _known_at(prefix, queried)
        if key in known:
            continue
        near = _closest(key, known)
        if only_misspelt and (near is None or near in _keys_at(tree, prefix)):
            continue
        full = _key_text((*prefix, key))
        where = f" di bagian '{_key_text(prefix)}'" if prefix else ""
        hint = f"; maksud Anda '{near}'?" if near else f"; kunci yang dikenal{where}: {', '.join(sorted(known))}"
        return profile_error(
            path,
            f"kunci '{full}' tidak dikenal{hint}",
            lines.line_of((*prefix, key)),
            "Perbaiki ejaan kunci itu atau hapus barisnya, lalu jalankan perintahnya lagi",
        )
    return None


def _keys_at(tree: Any, prefix: tuple[str, ...]) -> set[str]:
    node = tree
    for part in prefix:
        node = dict.get(node, part) if isinstance(node, dict) else None
    return {str(k) for k in dict.keys(node)} if isinstance(node, dict) else set()


# ---------------------------------------------------------------- the loader
def load_profile_file(path: Path, parse: Callable[[dict, Path], Any]) -> Any:
    """Read, check and parse one profile file; every problem is one ConfigError paragraph."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise profile_error(path, "berkas tidak tersimpan sebagai UTF-8", None,
                            "Simpan ulang berkas sebagai teks UTF-8, lalu jalankan perintahnya lagi") from None
    except OSError as exc:
        raise profile_error(path, f"berkas tidak dapat dibaca ({exc.strerror or exc})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        problem, line = _yaml_problem(exc)
        raise profile_error(path, f"tidak dapat dibaca sebagai YAML: {problem}", line) from None
    lines = LineIndex(text)
    if not isinstance(data, dict):
        found = "kosong" if data is None else f"berisi {_FOUND_WORDS.get(type(data), type(data).__name__)}"
        raise profile_error(path, f"isi berkas harus berupa pemetaan YAML (kunci: nilai), tetapi {found}")
    check_types(data, path, lines)
    tree = track(data)
    try:
        profile = parse(tree, path)
    except ConfigError as exc:
        # A misspelt key is usually the cause of a later complaint ("fields" written "field").
        raise (unknown_key_error(tree, path, lines, only_misspelt=True) or _reworded(exc, path, lines)) from None
    except (AttributeError, TypeError, ValueError, KeyError) as exc:
        raise (unknown_key_error(tree, path, lines, only_misspelt=True) or profile_error(
            path, f"isinya tidak berbentuk seperti yang diharapkan ({type(exc).__name__}: {exc})"
        )) from None
    check_required(data, path)
    err = unknown_key_error(tree, path, lines)
    if err is not None:
        raise err
    return profile


def _reworded(exc: ConfigError, path: Path, lines: LineIndex) -> ConfigError:
    """parse_profile's own message, as a paragraph with the file path, the line and the closest valid value."""
    msg = str(exc)
    prefix = f"profil {path.name}: "
    body = msg[len(prefix):] if msg.startswith(prefix) else msg
    if "source_system" in body and "ditemukan ''" in body:
        return profile_error(path, "kunci wajib 'source_system' belum ada (isi: lapor, rekap, open311 "
                                   "atau nama sumber baru seperti aduan_wa)")
    body = body.rstrip(". ")
    choices = re.search(r"salah satu dari ([^.()]+)", body)
    found = re.findall(r"'([^']+)'", body)
    if choices and found:
        options = {c.strip() for c in choices.group(1).split(",") if c.strip()}
        wrong = [w for w in found if w not in options]
        near = _closest(wrong[-1], options) if wrong else None
        if near:
            if len(options) > 10:  # the long list of canonical fields: the suggestion is enough
                body = body[: choices.start()].rstrip("; ").removesuffix("gunakan").rstrip("; ")
            body += f"; maksud Anda '{near}'?"
    return profile_error(path, body, lines.line_in_message(body))
