"""What an upload will do and what it did: before saving, whether the file is identical to (or a newer
export of) one already loaded; after the build, what changed (complaints added, statuses updated, the
new data date), compared with the warehouse as it was when the build was started."""

from __future__ import annotations

import hashlib
from typing import Any

import streamlit as st

from dashboard import data
from pipelines import fmt

BEFORE_KEY = "unggah.before"


def file_hash(content: bytes) -> str:
    """The warehouse's file hash (input_files.file_hash): the first 16 hex digits of SHA-256."""
    return hashlib.sha256(content).hexdigest()[:16]


def _loaded(snap) -> list[dict[str, Any]]:
    with data.cursor(snap.path) as cur:
        rows = cur.execute(
            "SELECT file_hash, file_name, rel_path, profile, snapshot_date, rows_loaded FROM input_files"
        ).fetchall()
    keys = ("file_hash", "file_name", "rel_path", "profile", "snapshot_date", "rows_loaded")
    return [dict(zip(keys, r, strict=True)) for r in rows]


def before_saving(content: bytes, pv, snap) -> bool:
    """Say what saving this file would add. Returns True when it is identical to a loaded file."""
    if snap is None:
        return False
    loaded = _loaded(snap)
    h = file_hash(content)
    same = next((f for f in loaded if f["file_hash"] == h), None)
    if same is not None:
        st.warning(
            f"Berkas ini **sama persis** dengan {same['rel_path']} yang sudah dimuat "
            f"({fmt.number(same['rows_loaded'])} baris"
            + (f", tanggal ekspor {fmt.date_long(same['snapshot_date'])}" if same["snapshot_date"] else "")
            + "). Menyimpannya tidak mengubah satu angka pun.", icon=":material/content_copy:")
        return True
    earlier = [f for f in loaded if f["profile"] == pv.profile and f["snapshot_date"] is not None]
    if earlier and pv.snapshot_date is not None:
        last = max(earlier, key=lambda f: f["snapshot_date"])
        if pv.snapshot_date > last["snapshot_date"]:
            st.info(f"Ekspor yang **lebih baru** ({fmt.date_long(pv.snapshot_date)}) daripada yang terakhir dimuat "
                    f"untuk profil ini ({last['file_name']}, {fmt.date_long(last['snapshot_date'])}): pengaduan "
                    "yang sudah ada diperbarui statusnya, yang belum ada ditambahkan.", icon=":material/update:")
        else:
            st.info(f"Tanggal ekspor berkas ini ({fmt.date_long(pv.snapshot_date)}) **tidak lebih baru** daripada "
                    f"ekspor terakhir yang dimuat untuk profil ini ({last['file_name']}, "
                    f"{fmt.date_long(last['snapshot_date'])}); status terbaru tetap dari ekspor yang lebih baru.",
                    icon=":material/history:")
    return False


def remember_before(snap) -> None:
    """Keep the published state (status of every complaint, data date) to compare after the build."""
    if snap is None:
        st.session_state[BEFORE_KEY] = None
        return
    with data.cursor(snap.path) as cur:
        statuses = dict(cur.execute("SELECT complaint_key, status FROM complaints").fetchall())
    st.session_state[BEFORE_KEY] = {"snapshot_id": snap.snapshot_id, "as_of": snap.as_of, "statuses": statuses}


def changes(before: dict[str, Any], snap) -> dict[str, Any]:
    with data.cursor(snap.path) as cur:
        now = dict(cur.execute("SELECT complaint_key, status FROM complaints").fetchall())
    old = before["statuses"]
    return {
        "added": sum(1 for k in now if k not in old),
        "updated": sum(1 for k, s in now.items() if k in old and old[k] != s),
        "removed": sum(1 for k in old if k not in now),
        "as_of": snap.as_of, "as_of_before": before["as_of"],
        "same_snapshot": before["snapshot_id"] == snap.snapshot_id,
    }


def after_build() -> None:
    """After a successful build started here: what changed."""
    before = st.session_state.get(BEFORE_KEY)
    snap = data.snapshot()
    if not before or snap is None:
        return
    c = changes(before, snap)
    if c["same_snapshot"]:
        return
    if not (c["added"] or c["updated"] or c["removed"]) and c["as_of"] == c["as_of_before"]:
        st.info("Gudang data dibangun ulang, tetapi **tidak ada yang berubah**: tidak ada pengaduan baru, "
                f"tidak ada status yang berubah, data tetap per {fmt.date_long(c['as_of'])}.", icon=":material/info:")
        return
    date = (f"data kini per {fmt.date_long(c['as_of'])} (sebelumnya {fmt.date_long(c['as_of_before'])})"
            if c["as_of"] != c["as_of_before"] else f"data tetap per {fmt.date_long(c['as_of'])}")
    gone = f", {fmt.number(c['removed'])} tidak ada lagi" if c["removed"] else ""
    st.success(f"Yang berubah: **{fmt.number(c['added'])} pengaduan baru**, **{fmt.number(c['updated'])} status "
               f"diperbarui**{gone}; {date}.", icon=":material/difference:")
