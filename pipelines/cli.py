"""The `monev` command line.

Each feature module defines its commands as plain functions and registers them
here; every command takes ``--data-dir`` (pipelines.cli_common.DataDirOpt).
Heavy libraries are imported inside the commands so ``monev --help`` is fast.
"""

from __future__ import annotations

import typer

from pipelines import __version__
from pipelines.cli_help import install as _indonesian_help

_indonesian_help()
app = typer.Typer(
    name="monev",
    help="Monev Pengaduan: data pengaduan masuk, KPI, penilaian, dasbor dan rapor.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """Monev Pengaduan: data pengaduan masuk, KPI, penilaian, dasbor dan rapor."""


@app.command("version")
def version() -> None:
    """Tampilkan versi."""
    typer.echo(f"monev-pengaduan {__version__}")


# --- command registration (one line per feature module) -------------------
# (feature modules add `from pipelines.<module> import register as _r; _r(app)` lines here)
from pipelines.auth.cli import register as _r_auth; _r_auth(app)  # noqa: E402, E702, I001
from pipelines.bench.cli import register as _r_bench; _r_bench(app)  # noqa: E402, E702, I001
from pipelines.build.cli import register as _r_build; _r_build(app)  # noqa: E402, E702, I001
from pipelines.demo.cli import register as _r_demo; _r_demo(app)  # noqa: E402, E702, I001
from pipelines.digest.cli import register as _r_digest; _r_digest(app)  # noqa: E402, E702, I001
from pipelines.export import register as _r_export; _r_export(app)  # noqa: E402, E702, I001
from pipelines.pemda.cli import register as _r_pemda; _r_pemda(app)  # noqa: E402, E702, I001
from pipelines.kpi.cli import register as _r_kpi; _r_kpi(app)  # noqa: E402, E702, I001
from pipelines.officers.cli import register as _r_officers; _r_officers(app)  # noqa: E402, E702, I001
from pipelines.province.cli import register as _r_province; _r_province(app)  # noqa: E402, E702, I001
from pipelines.rating.cli import register as _r_rating; _r_rating(app)  # noqa: E402, E702, I001
from pipelines.scorecard.cli import register as _r_scorecard; _r_scorecard(app)  # noqa: E402, E702, I001
from pipelines.serve import register as _r_serve; _r_serve(app)  # noqa: E402, E702, I001


def main() -> None:
    app()


if __name__ == "__main__":
    main()
