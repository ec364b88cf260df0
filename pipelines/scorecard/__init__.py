"""Scorecards (rapor) per OPD and for the city, as PDF and XLSX (issue 7).

``gather`` collects every number once (``content.ScorecardData``) from the KPI engine and
the rating; ``render_pdf`` / ``render_xlsx`` lay it out; ``generate`` makes a batch
(one file per OPD plus the city) that ``write_batch`` or ``zip_batch`` store, with an
index; ``monev scorecard`` is the command line.
"""

from pipelines.scorecard.content import (
    CityContext,
    ScorecardData,
    ScorecardError,
    cell_text,
    city_context,
    gather,
)
from pipelines.scorecard.render import (
    FORMATS,
    INDEX_NAME,
    Produced,
    all_departments,
    file_name,
    generate,
    index_csv,
    parse_formats,
    read_index,
    render,
    render_pdf,
    render_xlsx,
    write_batch,
    zip_batch,
)

__all__ = [
    "FORMATS", "INDEX_NAME", "CityContext", "Produced", "ScorecardData", "ScorecardError", "all_departments",
    "cell_text", "city_context", "file_name", "gather", "generate", "index_csv", "parse_formats", "read_index",
    "render", "render_pdf", "render_xlsx", "write_batch", "zip_batch",
]
