"""Which pemda of a province an export belongs to, from what the file itself says.

Two places name the pemda (input-formats.md 1a, pipelines.pemda.mismatch): the Laporan Ringkas title
block (`Nama Instansi`) and the `Kota/Kabupaten` column. A file is routed only when exactly one pemda
of the province is named: by the title block, or else by more than half of the rows' Kota/Kabupaten.
Anything else is a refusal that says what the file names and asks for --pemda.
"""

from __future__ import annotations

from pipelines.masterdata import load_master_data
from pipelines.pemda.mismatch import MAJORITY, FilePemda, names_this_pemda
from pipelines.province import Pemda, Province, ProvinceError


def route_file(province: Province, facts: FilePemda | None, file_name: str) -> Pemda:
    """The one pemda the file names; ProvinceError (what it names, what to do) otherwise."""
    mds = [(p, load_master_data(p.paths.config_dir)) for p in province.pemda]
    ask = f"Sebutkan pemdanya: --pemda KODE (mis. --pemda {province.pemda[0].kode})."
    if facts is None:
        raise ProvinceError(f"Berkas {file_name} tidak menyebut pemdanya. {ask}")
    if facts.nama_instansi:
        hits = [p for p, md in mds if names_this_pemda(facts.nama_instansi, md)]
        if len(hits) == 1:
            return hits[0]
        if not hits:
            raise ProvinceError(f"Berkas {file_name}: kop berkas menyebut Nama Instansi \"{facts.nama_instansi[:80]}\", "
                                f"yang bukan pemda mana pun di {province.name}. {ask}")
    if facts.rows:
        shares = {p.kode: sum(n for k, n in facts.kota.items() if names_this_pemda(k, md)) / facts.rows
                  for p, md in mds}
        best = [p for p, _ in mds if shares[p.kode] > MAJORITY]
        if len(best) == 1:
            return best[0]
    said = facts.nama_instansi or ", ".join(k for k, _ in facts.kota.most_common(3)) or "tidak ada"
    raise ProvinceError(f"Berkas {file_name} tidak dapat dipastikan milik satu pemda (yang disebut: {said[:120]}). {ask}")
