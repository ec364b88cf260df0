"""Scorecards (rapor) per OPD and for the city, as PDF and XLSX (issue 7).

Three homes, arrows one way: ``data.py`` runs the queries (``city_context``), ``content.py``
(``gather``, with ``findings.py``) fills the content model of ``model.py`` (``ScorecardData``:
named fields and sentences), and ``pdf.py`` / ``xlsx.py`` render it. ``render.py`` holds the
entry points: ``render_pdf`` / ``render_xlsx`` for one scorecard, ``generate`` for a batch (one
file per OPD plus the city) that ``write_batch`` or ``zip_batch`` store, with an index;
``monev scorecard`` is the command line.
"""

from pipelines.scorecard.content import gather
from pipelines.scorecard.data import CityContext, city_context
from pipelines.scorecard.model import ScorecardData, ScorecardError, cell_text
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
