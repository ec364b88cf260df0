"""Header-row detection and profile choice.

For every profile and every one of the first rows of each sheet, count the
header cells that name a canonical field of the profile (tolerant matching:
case, spaces, dots, underscores and punctuation ignored; a merged group
header above a sub-header is combined: "Tanggal" over "Selesai" ->
"Tanggal Selesai"). The profile whose required fields are all present wins;
ties go to the profile whose file-name pattern matches, then the more
specific profile (more required fields), then the one that maps more columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipelines.ingest.errors import FileRefused, refuse
from pipelines.ingest.profiles import FIELD_LABELS, Profile
from pipelines.ingest.readers import FileInfo, Grid


@dataclass
class HeaderMatch:
    profile: Profile
    grid: Grid
    header_pos: int  # index in grid.head
    header_row: int  # 1-based row number of the header (0 for JSON keys)
    columns: dict[str, int]  # canonical field -> column index (c<i>)
    headers: dict[int, str]  # column index -> header text as written
    missing_required: list[str]
    unmapped: list[str] = field(default_factory=list)  # non-empty headers no field claims
    duplicates: list[str] = field(default_factory=list)  # headers naming a field already taken

    @property
    def n_required_ok(self) -> int:
        return len([f for f in self.profile.required_fields if f in self.columns])

    @property
    def ok(self) -> bool:
        return not self.missing_required


def _map_row(profile: Profile, row: list[str], above: list[str] | None) -> tuple[dict[str, int], dict[int, str], list[str], list[str]]:
    columns: dict[str, int] = {}
    headers: dict[int, str] = {}
    unmapped: list[str] = []
    dups: list[str] = []
    ffill = ""
    for i, cell in enumerate(row):
        cell = (cell or "").strip()
        if len(cell) > 60:  # complaint text, not a header
            cell = ""
        up = (above[i] if above and i < len(above) else "") or ""
        up = up.strip()
        if up:
            ffill = up
        f = profile.field_for_header(cell) if cell else None
        text = cell
        if f is None and above is not None:
            if cell and ffill:
                f = profile.field_for_header(f"{ffill} {cell}")
                text = f"{ffill} {cell}" if f else cell
            elif not cell and up:
                f = profile.field_for_header(up)  # header merged vertically over two rows
                text = up if f else ""
        if not text:
            continue
        headers[i] = text
        if f is None:
            unmapped.append(text)
        elif f in columns:
            dups.append(text)
        else:
            columns[f] = i
    return columns, headers, unmapped, dups


def best_header(profile: Profile, grid: Grid) -> HeaderMatch | None:
    """The header row of ``grid`` that maps the most fields of ``profile``."""
    best: HeaderMatch | None = None
    best_key = None
    for pos, row in enumerate(grid.head):
        if best is not None and best.ok and pos > best.header_pos + 1:
            break  # a complete header was found; only the row below it may still combine with it
        above = grid.head[pos - 1] if pos > 0 else None
        columns, headers, unmapped, dups = _map_row(profile, row, above)
        if not columns:
            continue
        missing = [f for f in profile.required_fields if f not in columns]
        hm = HeaderMatch(profile, grid, pos, grid.head_rows[pos], columns, headers, missing, unmapped, dups)
        key = (hm.n_required_ok, len([f for f in columns if f != "row_no"]))
        if best_key is None or key > best_key:
            best, best_key = hm, key
    return best


def choose_profile(
    info: FileInfo, profiles: list[Profile], file_name: str, rel_path: str, forced: str | None = None
) -> list[HeaderMatch]:
    """The header matches (one per usable sheet) of the profile that fits the file.

    Raises FileRefused with the closest profile's missing columns when none fits.
    """
    cands = [p for p in profiles if (forced is None or p.name == forced)]
    if forced and not cands:
        raise refuse(file_name, "no_profile", f"profil {forced!r} tidak ada di config/profiles",
                     f"Pilih salah satu profil yang tersedia ({', '.join(p.name for p in profiles)})")
    usable = [p for p in cands if info.kind in p.formats]
    scored: list[tuple[tuple, Profile, list[HeaderMatch]]] = []
    closest: tuple[tuple, HeaderMatch] | None = None
    for p in usable:
        matches = [m for m in (best_header(p, g) for g in info.grids) if m is not None]
        good = [m for m in matches if m.ok]
        for m in matches:
            k = (m.n_required_ok - len(m.profile.required_fields), len(m.columns))
            if closest is None or k > closest[0]:
                closest = (k, m)
        if good:
            key = (
                p.matches_file_name(rel_path),
                len(p.required_fields),
                max(len(m.columns) for m in good),
            )
            scored.append((key, p, good))
    if scored:
        scored.sort(key=lambda t: t[0], reverse=True)
        return scored[0][2]
    raise _no_profile(file_name, info, usable or cands, closest[1] if closest else None)


def _no_profile(file_name: str, info: FileInfo, profiles: list[Profile], closest: HeaderMatch | None) -> FileRefused:
    if not profiles:
        return refuse(
            file_name,
            "no_profile",
            f"tidak ada profil pemetaan untuk berkas {info.kind.upper()}",
            "Tambahkan format ini ke 'formats' sebuah profil di config/profiles (lihat docs/pipeline.md, bagian 5)",
        )
    if closest is None:
        seen = [c for c in (info.grids[0].head[0] if info.grids and info.grids[0].head else []) if c][:8]
        return refuse(
            file_name,
            "no_profile",
            "tidak ada baris judul kolom yang dikenali oleh profil pemetaan mana pun"
            + (f" (baris pertama berisi: {', '.join(seen)})" if seen else ""),
            "Pastikan berkas memuat baris judul kolom seperti \"Tanggal Laporan\", \"Isi Laporan\", \"Status\"; "
            "untuk format baru salin salah satu berkas di config/profiles menjadi profil baru dan tambahkan "
            "ejaan judul kolom Anda di 'aliases' (lihat docs/pipeline.md, bagian 5)",
        )
    p = closest.profile
    miss = "; ".join(f"{FIELD_LABELS.get(f, f)} (mis. {p.aliases_text(f, 3)})" for f in closest.missing_required)
    where = f" pada baris {closest.header_row}" if closest.header_row else ""
    seen = ", ".join(f'"{h}"' for h in list(closest.headers.values())[:10])
    return refuse(
        file_name,
        "missing_columns",
        f"tidak cocok dengan profil pemetaan mana pun. Paling mirip profil '{p.label}' (judul kolom{where}: {seen}), "
        f"tetapi kolom wajib berikut tidak ditemukan: {miss}",
        f"Ubah judul kolom di berkas agar memakai salah satu ejaan itu, atau salin config/profiles/{p.path.name} "
        "menjadi profil baru dan tambahkan ejaan judul kolom Anda di 'aliases' (lihat docs/pipeline.md, bagian 5)",
    )
