"""The benchmark's table (Bahasa Indonesia, numbers as 1.234,5)."""

from __future__ import annotations

from typing import Any

from pipelines import fmt
from pipelines.bench.pages import PAGES

MIB = 2**20


def _s(x: float | None, d: int = 2) -> str:
    return "–" if x is None else f"{fmt.number(x, d)} s"


def _ms(x: float | None) -> str:
    return "–" if x is None else f"{fmt.number(x, 0)} ms"


def _mib(x: float | None) -> str:
    return "–" if x is None else f"{fmt.number(x / MIB, 0)} MiB"


def _x(x: float | None) -> str:
    return "–" if x is None else f"{fmt.number(x, 1)}×"


def rows_of(result: dict[str, Any]) -> list[tuple[str, list[str]]]:
    R = result["sizes"]

    def col(fn) -> list[str]:
        out = []
        for r in R:
            try:
                out.append(fn(r))
            except (KeyError, TypeError):
                out.append("–")
        return out

    def inc(r: dict, which: int, fn) -> str:
        incs = sorted(r["incremental"], key=lambda i: i["export_rows"])
        return fn(incs[which]) if incs else "–"

    def kind(r: dict) -> str:
        return "kota" if r.get("kind", "kota") == "kota" else f"provinsi, {r['pemda_count']} pemda"

    rows: list[tuple[str, list[str]]] = [
        ("Instalasi", col(kind)),
        ("Simulasi + tulis ekspor", col(lambda r: _s(r["generate"]["simulate_s"] + r["generate"].get("csv_write_s", 0)))),
        ("Berkas CSV", col(lambda r: _mib(r["generate"]["csv_bytes"]))),
        ("  jumlah berkas", col(lambda r: fmt.number(r["generate"].get("files", 1)))),
        ("Ingest CSV (baca + kanonisasi)", col(lambda r: _s(r["ingest_csv"]["seconds"]))),
        ("  baris per detik", col(lambda r: fmt.number(r["ingest_csv"]["rows_per_s"]))),
        ("DuckDB read_csv (acuan)", col(lambda r: _s(r["read_csv"]["seconds"]))),
        ("  rasio ingest / read_csv", col(lambda r: _x(r["ratios"]["ingest_csv_vs_read_csv"]))),
        ("  rasio waktu CPU", col(lambda r: _x(r["ratios"]["ingest_csv_vs_read_csv_cpu"]))),
        ("Ingest XLSX", col(lambda r: _s(r["ingest_xlsx"]["seconds"]) if r["ingest_xlsx"] else "dilewati")),
        ("Bangun + validasi", col(lambda r: _s(r["build"]["seconds"]))),
        ("  di antaranya validasi (GE)", col(lambda r: _s(r["build"]["validate_s"]))),
        ("Ingest + bangun (monev run dari awal)", col(lambda r: _s(r["build"]["total_s"]))),
        ("  waktu CPU monev run", col(lambda r: _s(r["province_run"]["cpu_s"]))),
        ("  langkah provinsi (provinsi.duckdb)", col(lambda r: _s(r["province_run"]["province_s"]))),
        ("  baris masuk = baris keluar", col(lambda r: "ya" if r["build"]["complaints"] == r["rows"]
                                              == r["read_csv"]["rows"] else "TIDAK")),
        ("Memori puncak ingest CSV", col(lambda r: _mib(r["ingest_csv"]["peak_rss_bytes"]))),
        ("Memori puncak bangun + validasi", col(lambda r: _mib(r["build_run"]["peak_rss_bytes"]))),
        ("Memori puncak ingest XLSX", col(lambda r: _mib(r["ingest_xlsx"]["peak_rss_bytes"]) if r["ingest_xlsx"] else "–")),
        ("Memori puncak monev run (seluruhnya)", col(lambda r: _mib(r["ingest_run"]["peak_rss_bytes"]))),
        ("Ukuran gudang data", col(lambda r: _mib(r["warehouse_bytes"]))),
        ("  provinsi.duckdb", col(lambda r: _mib(r["province_db_bytes"]))),
        ("Provinsi: peringkat, periode bawaan (tersimpan)", col(lambda r: _ms(r["province_pages"]["ranking_stored"]["warm_ms"]))),
        ("Provinsi: tren 4 ukuran (tersimpan)", col(lambda r: _ms(r["province_pages"]["trends_stored"]["warm_ms"]))),
        ("Provinsi: peringkat, periode lain (dihitung)", col(lambda r: _ms(r["province_pages"]["ranking_fresh"]["warm_ms"]))),
        ("Provinsi: tren 1 ukuran, periode lain (dihitung)", col(lambda r: _ms(r["province_pages"]["trend_fresh"]["warm_ms"]))),
        ("Pemda yang diukur (KPI, halaman, rapor)", col(lambda r: "seluruhnya" if r.get("kind", "kota") == "kota" else
                                                     f"{r['largest_pemda']['name']} ({fmt.number(r['largest_pemda']['rows'])})")),
        ("monev kpi (proses baru)", col(lambda r: _s(r["kpi"]["cli_s"]))),
        ("KPI JSON lengkap, dingin", col(lambda r: _s(r["kpi"]["cold_s"], 3))),
        ("KPI JSON lengkap, hangat", col(lambda r: _s(r["kpi"]["warm_s"], 3))),
        ("SQL langsung KPI utama (acuan)", col(lambda r: _s(r["bare_sql"]["warm_s"], 3))),
        ("pandas: muat semua baris + KPI", col(lambda r: _s(r["pandas"]["total_s"]))),
        ("  (pandas.read_csv ekspor saja)", col(lambda r: _s(r["pandas"]["read_csv_s"]))),
        ("  KPI lebih cepat dari pandas", col(lambda r: _x(r["ratios"]["kpi_speedup_vs_pandas"]))),
        ("  SQL langsung lebih cepat dari pandas", col(lambda r: _x(r["ratios"]["bare_sql_speedup_vs_pandas"]))),
        ("  angka KPI utama sama", col(lambda r: "ya" if all(r["headline_agree"].values()) else "TIDAK")),
    ]
    for p in PAGES:
        rows.append((f"Halaman {p} (hangat)", col(lambda r, p=p: _ms(r["pages"][p]["warm_ms"]))))
    rows.append(("Rapor kota + 1 OPD (PDF, XLSX)",
                 col(lambda r: _s(r["scorecard"]["seconds"]) if r["scorecard"] else "dilewati")))
    for which, label in ((0, "terkecil"), (-1, "terbesar")):
        rows += [
            (f"Ekspor bulanan baru, pemda {label}", col(lambda r, w=which: inc(
                r, w, lambda i: f"{i['name']}: {fmt.number(i['export_rows'])} baris"))),
            ("  monev run lagi", col(lambda r, w=which: inc(r, w, lambda i: _s(i["wall_s"])))),
            ("  pemda itu / langkah provinsi", col(lambda r, w=which: inc(
                r, w, lambda i: f"{_s(i['pemda_s'])} / {_s(i['province_s'])}"))),
            ("  dibangun ulang / dilewati", col(lambda r, w=which: inc(
                r, w, lambda i: f"{', '.join(i['rebuilt']) or '–'} / {fmt.number(i['skipped'])}"))),
            ("  memori puncak", col(lambda r, w=which: inc(r, w, lambda i: _mib(i["peak_rss_bytes"])))),
        ]
    return rows


def table(result: dict[str, Any]) -> str:
    head = ["Ukuran", *[f"{fmt.number(r['rows'])} pengaduan" for r in result["sizes"]]]
    body = rows_of(result)
    widths = [max(len(head[0]), *(len(k) for k, _ in body))]
    for i in range(len(result["sizes"])):
        widths.append(max(len(head[i + 1]), *(len(v[i]) for _, v in body)))

    def line(cells: list[str]) -> str:
        return "  ".join([cells[0].ljust(widths[0]), *(c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True))])

    out = [line(head), "  ".join("-" * w for w in widths)]
    out += [line([k, *v]) for k, v in body]
    sc = result["scaling"]
    out.append("")
    out.append(f"Eksponen skala {fmt.number(sc['from'])} → {fmt.number(sc['to'])} (kemiringan log-log; 1 = linear): "
               + ", ".join(f"{k} {fmt.number(v, 2)}" for k, v in sc.items()
                           if k not in ("from", "to", "upper") and v is not None))
    up = {k: v for k, v in sc.get("upper", {}).items() if v is not None}
    if up:
        out.append("Eksponen antara dua ukuran terbesar: " + ", ".join(f"{k} {fmt.number(v, 2)}" for k, v in up.items()))
    out.append("")
    seen = None
    for t in result["targets"]:
        if t["rows"] != seen:
            seen = t["rows"]
            out.append(f"Target pada {fmt.number(seen)} pengaduan:")
        mark = "–" if t["met"] is None else ("TERCAPAI" if t["met"] else "TIDAK")
        v = "–" if t["value"] is None else fmt.number(t["value"], 2)
        out.append(f"  {t['label']}: {v} ({mark})")
    m = result["machine"]
    out.append("")
    out.append(f"Mesin: {m['cpu']}, {m['cpu_count']} inti, {_mib(m['memory_bytes'])} RAM; beban rata-rata "
               f"awal {m['loadavg_start'][0]}, akhir {m.get('loadavg_end', ['?'])[0]}; "
               f"DuckDB {m['duckdb']}, polars {m['polars']}, pandas {m['pandas']}.")
    return "\n".join(out)
