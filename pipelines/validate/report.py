"""The data-quality report (`monev check`), read from the published warehouse.

Per file and per source: rows, loaded, quarantined, warnings by rule; the rows
held in quarantine with what to do; unmatched names with suggestions; the
complaints whose status or timestamps contradict each other; freshness per
source. When the last run did not publish, the report says so first.
"""

from __future__ import annotations

import json
from typing import Any

from pipelines import fmt
from pipelines.ingest import unknown_labels as ul
from pipelines.ingest.profiles import load_profiles
from pipelines.masterdata import ConfigError, MasterData, load_master_data
from pipelines.safe_text import shown_name
from pipelines.settings import Paths
from pipelines.validate.rules import RULES
from pipelines.warehouse import open_readonly


def _rows(con, sql: str) -> list[dict[str, Any]]:
    cur = con.execute(sql)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def last_run(paths: Paths) -> dict[str, Any] | None:
    p = paths.runs_dir / "latest.json"
    if not p.exists():
        return None
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None


def quality_report(paths: Paths) -> dict[str, Any]:
    """Everything `monev check` shows, as plain JSON-able values.

    From the published warehouse; when the last run was held back by the publish
    gate, from that run's own report (the rows that stopped it), with a note.
    """
    lr = last_run(paths)
    if lr and lr.get("status") == "blocked":
        p = paths.runs_dir / str(lr.get("run_id")) / "quality.json"
        if p.exists():
            report = json.loads(p.read_text(encoding="utf-8"))
            report["last_run"] = _last_run_note(lr)
            report["published"] = False
            add_unknown_labels(report, paths)
            report["pemda_warnings"] = _pemda_warnings(lr)
            return report
    con = open_readonly(paths)
    try:
        report = report_from_connection(con)
    finally:
        con.close()
    report["published"] = True
    if lr and lr.get("status") != "published":
        report["last_run"] = _last_run_note(lr)
    add_unknown_labels(report, paths)
    report["pemda_warnings"] = _pemda_warnings(lr)
    return report


def _pemda_warnings(lr: dict[str, Any] | None) -> list[str]:
    """Files of the last run that name another pemda (pipelines.pemda.mismatch), one paragraph each."""
    return [w for f in (lr or {}).get("files", []) if f.get("status") == "ok" for w in f.get("pemda_warnings") or []]


def add_unknown_labels(report: dict[str, Any], paths: Paths) -> None:
    """Each distinct unknown label once (from the per-row quarantine and warnings), with the
    closest known label from the configuration and the YAML snippets to paste."""
    profile_of = {f["file_name"]: f.get("profile") for f in report.get("files", [])}
    labels = ul.from_findings([*report.get("quarantine", []), *report.get("warnings", [])], profile_of)
    md: MasterData | None = None
    prof_paths: dict[str | None, Any] = {}
    try:
        md = load_master_data(paths.config_dir)
        prof_paths = {p.name: p.path for p in load_profiles(paths.config_dir)}
    except ConfigError:
        pass  # the report still lists the labels, without suggestions
    if md is not None:
        ul.suggest(labels, md)
    report["unknown_labels"] = [u.to_json() for u in labels]
    report["label_snippets"] = ul.snippets(
        labels, prof_paths, category_map=md is not None and (md.config_dir / "category_map.yaml").exists())
    report["unknown_label_lines"] = ul.render(labels, md, prof_paths)
    report.setdefault("totals", {})["unknown_labels"] = len(labels)


def _last_run_note(lr: dict[str, Any]) -> dict[str, Any]:
    return {
        "run_id": lr.get("run_id"),
        "status": lr.get("status"),
        "message": lr.get("message"),
        "refused_files": [
            {"file": f["rel_path"], "message": f["message"]} for f in lr.get("files", []) if f["status"] == "refused"
        ],
    }


def report_from_connection(con) -> dict[str, Any]:
    """The report from an open warehouse (published, or a build held back by the gate)."""
    snap = _rows(con, "SELECT snapshot_id, as_of, built_at, complaints, files FROM snapshot")
    files = _rows(con, "SELECT * FROM quality_files ORDER BY snapshot_date, file_name")
    by_rule = _rows(con, "SELECT file_hash, rule, severity, rows FROM quality_rules ORDER BY file_hash, rule")
    for f in files:
        f["quarantine_by_rule"] = {
            r["rule"]: r["rows"] for r in by_rule if r["file_hash"] == f["file_hash"] and r["severity"] == "blocking"
        }
        f["warnings_by_rule"] = {
            r["rule"]: r["rows"] for r in by_rule if r["file_hash"] == f["file_hash"] and r["severity"] == "warning"
        }
    report = {
        "snapshot": snap[0] if snap else None,
        "last_run": None,
        "files": files,
        "sources": _rows(con, "SELECT * FROM quality_sources ORDER BY source"),
        "quarantine": _rows(
            con,
            "SELECT file_name, sheet, source_row, column_name, field, rule, observed, message, status, released_by,"
            " complaint_key FROM quarantine ORDER BY file_name, sheet NULLS FIRST, source_row, rule",
        ),
        "warnings": _rows(
            con,
            "SELECT layer, file_name, sheet, source_row, column_name, field, rule, observed, message, complaint_key"
            " FROM warnings WHERE layer <> 'curated' ORDER BY file_name, sheet NULLS FIRST, source_row, rule",
        ),
        "unmatched_names": _rows(con, "SELECT * FROM unmatched_names ORDER BY kind, raw_value"),
        "contradictions": _rows(
            con,
            "SELECT complaint_key, file_name, source_row, rule, field, observed, message"
            " FROM quality_contradictions ORDER BY complaint_key, rule",
        ),
    }
    held = [q for q in report["quarantine"] if q["status"] == "held"]
    report["totals"] = {
        "files": len(files),
        "rows_read": sum(f["rows_read"] for f in files),
        "rows_loaded": sum(f["rows_loaded"] for f in files),
        "rows_quarantined": sum(f["rows_quarantined"] for f in files),
        "rows_held": len({(q["file_name"], q["sheet"], q["source_row"]) for q in held}),
        "rows_skipped": sum(f["rows_skipped"] for f in files),
        "warnings": len(report["warnings"]),
        "unmatched_names": len(report["unmatched_names"]),
        "contradictions": len(report["contradictions"]),
        "stale_sources": [s["source"] for s in report["sources"] if s["is_stale"]],
    }
    return report


def render_table(rep: dict[str, Any]) -> str:
    """The report as text for the terminal (Bahasa Indonesia)."""
    out = _head_lines(rep)
    out += _file_lines(rep)
    out += _quarantine_lines(rep)
    out += _name_lines(rep)
    out += _warning_lines(rep)
    out.append("")
    known = ", ".join(sorted(RULES))
    out.append(f"Aturan yang diperiksa: {known}.")
    # names from outside (file names, written values): control characters and bidi overrides escaped
    return "\n".join(shown_name(line) for s in out for line in str(s).split("\n"))


def _head_lines(rep: dict[str, Any]) -> list[str]:
    out: list[str] = []
    snap = rep.get("snapshot")
    lr = rep.get("last_run")
    if lr:
        out.append(f"PERHATIAN: proses terakhir ({lr['run_id']}) tidak menerbitkan gudang data: {lr['message']}")
        if not rep.get("published", True):
            out.append("Laporan di bawah ini dari pembangunan yang ditahan itu (belum terbit).")
        for f in lr["refused_files"]:
            out.append(f"  - {f['message']}")
        out.append("")
    if snap:
        out.append(
            f"Gudang data: snapshot {snap['snapshot_id']}, data per {fmt.date_long(snap['as_of'])}, "
            f"{fmt.number(snap['complaints'])} pengaduan dari {fmt.number(snap['files'])} berkas."
        )
    if rep.get("pemda_warnings"):
        out.append("")
        out.append("Berkas yang menyebut pemda lain:")
        out += [f"  - {w}" for w in rep["pemda_warnings"]]
    return out


def _file_lines(rep: dict[str, Any]) -> list[str]:
    out = ["", "Per berkas (dibaca = dimuat + karantina + dilewati):"]
    for f in rep["files"]:
        share = fmt.percent(f["blocking_share"])
        out.append(
            f"  {f['file_name']}: dibaca {fmt.number(f['rows_read'])}, dimuat {fmt.number(f['rows_loaded'])}, "
            f"karantina {fmt.number(f['rows_quarantined'])} (ditahan {share}), dilewati {fmt.number(f['rows_skipped'])}, "
            f"peringatan {fmt.number(f['warnings'])}"
        )
        for rule, n in sorted({**f["quarantine_by_rule"], **f["warnings_by_rule"]}.items()):
            sev = "karantina" if rule in f["quarantine_by_rule"] else "peringatan"
            out.append(f"      {rule} ({sev}): {fmt.number(n)}")
    out.append("")
    out.append("Kesegaran sumber:")
    for s in rep["sources"]:
        stale = " - BASI, minta ekspor baru" if s["is_stale"] else ""
        out.append(
            f"  {s['label']}: ekspor terakhir {fmt.date_long(s['latest_export'])} "
            f"({fmt.number(s['days_since'])} hari lalu), {fmt.number(s['complaints'])} pengaduan{stale}"
        )
    return out


def _quarantine_lines(rep: dict[str, Any]) -> list[str]:
    """Held rows one line each, except unknown labels: those are listed once each below."""
    held = [q for q in rep["quarantine"] if q["status"] == "held"]
    out = ["", f"Karantina ({fmt.number(len(held))} temuan ditahan):"]
    grouped = [q for q in held if q["rule"] in ul.RULE_KINDS]
    out += [f"  - {q['message']}" for q in held if q["rule"] not in ul.RULE_KINDS]
    if grouped:
        out.append(f"  - {fmt.number(len(grouped))} baris dengan label tak dikenal: lihat \"Label tak dikenal\" di bawah")
    rel = [q for q in rep["quarantine"] if q["status"] == "released"]
    if rel:
        out.append(f"  ({fmt.number(len(rel))} temuan sudah dilepas karena berkas perbaikan sudah dimuat)")
    return out


def _name_lines(rep: dict[str, Any]) -> list[str]:
    """Unmatched kecamatan/kelurahan names, then every unknown label once (OPD and category among them)."""
    out: list[str] = []
    names = [n for n in rep["unmatched_names"] if n["kind"] not in ul.KINDS]
    if names:
        out += ["", "Nama yang tidak cocok dengan data induk:"]
        for n in names:
            sug = ", ".join(n["suggestions"]) or "-"
            out.append(f"  - {n['kind']} \"{n['raw_value']}\" ({fmt.number(n['rows'])} baris, "
                       f"{', '.join(n['files'])}); saran: {sug}")
    if rep.get("unknown_label_lines"):
        out.append("")
        out += rep["unknown_label_lines"]
    return out


def _warning_lines(rep: dict[str, Any]) -> list[str]:
    out: list[str] = []
    warn_all = rep["warnings"]
    warn = [w for w in warn_all if w["rule"] not in ul.RULE_KINDS]
    if warn_all:
        out.append("")
        out.append(f"Peringatan ({fmt.number(len(warn_all))}; baris tetap dimuat):")
        if len(warn) < len(warn_all):
            out.append(f"  - {fmt.number(len(warn_all) - len(warn))} baris dengan label tak dikenal: lihat "
                       "\"Label tak dikenal\" di atas")
        out += [f"  - {w['message']}" for w in warn[:200]]
        if len(warn) > 200:
            out.append(f"  ... dan {fmt.number(len(warn) - 200)} lagi (gunakan --format json untuk semuanya)")
    if rep["contradictions"]:
        out.append("")
        out.append(f"Status/tanggal yang saling bertentangan ({fmt.number(len(rep['contradictions']))}):")
        out += [f"  - {c['complaint_key']}: {c['message']}" for c in rep["contradictions"][:200]]
    return out
