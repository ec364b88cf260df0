"""The dashboard's page registry: every page once, with its title, icon, section, who may see it
and whether it follows the sidebar filters. The app's navigation (``app.build_pages``), the
dashboard benchmark (``pipelines/bench/dashboard.py``) and the tests read it from here."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    name: str  # app_pages/<name>.py and the URL path
    title: str
    icon: str
    section: str  # Provinsi | Pimpinan | Analisis | Data | Bantuan ("" : only without data)
    capability: str | None = None  # shown only to viewers who can do this (pipelines.capabilities)
    filters: bool = False  # follows the sidebar filters
    needs_data: bool = True  # only when a warehouse is published
    province: bool = False  # a province page: only on a province installation, for province-level viewers


PAGES: tuple[PageSpec, ...] = (
    # a province installation (docs/province.md): the pemda compared, for viewers who see every pemda
    PageSpec("provinsi_peringkat", "Peringkat Pemda", ":material/format_list_numbered:", "Provinsi", "view_province",
             province=True),
    PageSpec("provinsi_tren", "Tren Pemda", ":material/stacked_line_chart:", "Provinsi", "view_province",
             province=True),
    PageSpec("ringkasan", "Ringkasan Eksekutif", ":material/dashboard:", "Pimpinan", filters=True),
    PageSpec("kinerja_opd", "Kinerja OPD", ":material/leaderboard:", "Pimpinan", filters=True),
    PageSpec("daftar_kerja", "Daftar Kerja", ":material/checklist:", "Pimpinan", "view_complaints"),
    PageSpec("unduh_rapor", "Unduh Rapor", ":material/picture_as_pdf:", "Pimpinan", "download_scorecard"),
    PageSpec("tren_kategori", "Tren & Kategori", ":material/trending_up:", "Analisis", filters=True),
    PageSpec("wilayah", "Wilayah", ":material/location_city:", "Analisis", filters=True),
    PageSpec("sla_tunggakan", "SLA & Tunggakan", ":material/timer:", "Analisis", filters=True),
    PageSpec("penilaian", "Penilaian Kemendagri", ":material/workspace_premium:", "Analisis", "view_rating"),
    PageSpec("kualitas_data", "Kualitas Data", ":material/fact_check:", "Data", "view_quality"),
    PageSpec("unggah_data", "Unggah Data", ":material/upload_file:", "Data", "upload_data", needs_data=False),
    PageSpec("bukti_dukung", "Bukti Dukung", ":material/folder_managed:", "Data", "view_evidence"),
    PageSpec("pejabat_penghubung", "Pejabat Penghubung", ":material/badge:", "Data", "manage_officers"),
    PageSpec("log_audit", "Log Audit", ":material/policy:", "Data", "view_audit", needs_data=False),
    PageSpec("glosarium", "Glosarium", ":material/menu_book:", "Bantuan", needs_data=False),
    PageSpec("mulai", "Mulai", ":material/rocket_launch:", ""),  # the start page before the first data
)
BY_NAME = {p.name: p for p in PAGES}
SECTIONS = ("Provinsi", "Pimpinan", "Analisis", "Data", "Bantuan")
FILTER_PAGES = tuple(p.name for p in PAGES if p.filters)
# the pages of a published (pemda's) warehouse, in menu order
DATA_PAGES = tuple(p.name for p in PAGES if p.section and not p.province)
PROVINCE_PAGES = tuple(p.name for p in PAGES if p.province)  # only on a province installation
TITLES = {p.name: p.title for p in PAGES}
GOTO_KEY = "app.goto"  # a page the entry script switches to once the navigation is built (a pemda drill-down)
