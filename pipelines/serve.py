"""`monev serve`: start the dashboard (``streamlit run dashboard/app.py``), headless-friendly.

Streamlit runs from the dashboard folder so its ``.streamlit/config.toml`` (theme, upload limit,
no usage statistics, no tracebacks for users) applies; the server options that matter are also
passed on the command line. The data and config directories reach the app as MONEV_DATA_DIR and
MONEV_CONFIG_DIR, demo mode as MONEV_DASHBOARD_DEMO=1.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from pipelines.cli_common import ConfigDirOpt, DataDirOpt, paths_from

DASHBOARD_DIR = Path(__file__).resolve().parents[1] / "dashboard"
APP = DASHBOARD_DIR / "app.py"


def streamlit_command(port: int, address: str | None = None) -> list[str]:
    """The `streamlit run` command line for the dashboard."""
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(APP),
        "--server.headless", "true",
        "--server.port", str(port),
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
        "--server.runOnSave", "false",
    ]
    if address:
        cmd += ["--server.address", address]
    return cmd


def serve_env(data_dir: Path, config_dir: Path, demo: bool) -> dict[str, str]:
    env = {**os.environ, "MONEV_DATA_DIR": str(data_dir), "MONEV_CONFIG_DIR": str(config_dir)}
    env["MONEV_DASHBOARD_DEMO"] = "1" if demo else "0"
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def serve_cmd(
    data_dir: DataDirOpt = None,
    config_dir: ConfigDirOpt = None,
    port: Annotated[int, typer.Option("--port", help="Port HTTP dasbor.")] = 8501,
    address: Annotated[
        str | None,
        typer.Option("--address", help="Alamat yang didengarkan (mis. 0.0.0.0 untuk jaringan kantor)."),
    ] = None,
    demo: Annotated[
        bool, typer.Option("--demo", help="Mode demo: tanpa login, akses penuh, tanda DEMO di setiap halaman.")
    ] = False,
) -> None:
    """Jalankan dasbor (Streamlit) untuk gudang data di --data-dir."""
    paths = paths_from(data_dir, config_dir)
    if not APP.exists():
        raise typer.Exit(f"Berkas dasbor {APP} tidak ditemukan; pasang ulang proyek.")
    host = address or "localhost"
    where = "mode demo" if demo else "tanpa data" if not paths.warehouse.exists() else f"data {paths.data_dir}"
    typer.echo(f"Dasbor Monev Pengaduan ({where}): http://{host}:{port}  (hentikan dengan Ctrl+C)", err=True)
    cmd = streamlit_command(port, address)
    env = serve_env(paths.data_dir, paths.config_dir, demo)
    os.chdir(DASHBOARD_DIR)
    os.execvpe(cmd[0], cmd, env)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_cmd)
