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


DEFAULT_ADDRESS = "127.0.0.1"


def streamlit_command(port: int, address: str | None = DEFAULT_ADDRESS) -> list[str]:
    """The `streamlit run` command line for the dashboard (on 127.0.0.1 unless told otherwise)."""
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(APP),
        "--server.headless", "true",
        "--server.port", str(port),
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
        "--server.runOnSave", "false",
    ]
    cmd += ["--server.address", address or DEFAULT_ADDRESS]
    return cmd


def where_listening(address: str, port: int) -> str:
    """What `monev serve` prints: the address it binds, and who can reach it."""
    host = f"[{address}]" if ":" in address else address
    if address in ("127.0.0.1", "::1", "localhost"):
        reach = "hanya dari komputer ini; untuk jaringan kantor pasang reverse proxy HTTPS, lihat docs/keamanan.md"
    elif address in ("0.0.0.0", "::"):
        reach = "SEMUA antarmuka jaringan, tanpa HTTPS: hanya di balik reverse proxy atau firewall (docs/keamanan.md)"
    else:
        reach = "antarmuka ini saja, tanpa HTTPS: pakai reverse proxy HTTPS (docs/keamanan.md)"
    return f"http://{host}:{port} ({reach})"


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
        str,
        typer.Option("--address", help="Alamat yang didengarkan. Bawaan 127.0.0.1 (hanya komputer ini, di balik "
                     "reverse proxy HTTPS); 0.0.0.0 = semua antarmuka, tanpa enkripsi."),
    ] = DEFAULT_ADDRESS,
    demo: Annotated[
        bool, typer.Option("--demo", help="Mode demo: tanpa login, akses penuh, tanda DEMO di setiap halaman.")
    ] = False,
) -> None:
    """Jalankan dasbor (Streamlit) untuk gudang data di --data-dir."""
    paths = paths_from(data_dir, config_dir)
    if not APP.exists():
        raise typer.Exit(f"Berkas dasbor {APP} tidak ditemukan; pasang ulang proyek.")
    where = "mode demo" if demo else "tanpa data" if not paths.warehouse.exists() else f"data {paths.data_dir}"
    typer.echo(f"Dasbor Monev Pengaduan ({where}) mendengarkan di {where_listening(address, port)}. "
               "Hentikan dengan Ctrl+C.", err=True)
    cmd = streamlit_command(port, address)
    env = serve_env(paths.data_dir, paths.config_dir, demo)
    os.chdir(DASHBOARD_DIR)
    os.execvpe(cmd[0], cmd, env)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_cmd)
