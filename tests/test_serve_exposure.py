"""`monev serve` listens on 127.0.0.1 unless told otherwise and says where (issue 17 item 3); the state
store is private to the server's user; the reverse-proxy configuration in docs/keamanan.md is the one
tested here."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from browser_support import free_port
from listening import listening_sockets, pid_of_socket

from pipelines.serve import streamlit_command, where_listening
from pipelines.settings import Paths
from pipelines.state import open_state, state_path

ROOT = Path(__file__).resolve().parents[1]


def test_monev_serve_binds_loopback_only_by_default(tmp_path):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "pipelines.cli", "serve", "--port", str(port),
                             "--data-dir", str(tmp_path / "data")], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        deadline = time.monotonic() + 90
        while not listening_sockets(port):
            assert proc.poll() is None, proc.stdout.read()
            assert time.monotonic() < deadline, "monev serve did not listen within 90 s"
            time.sleep(0.2)
        time.sleep(1.0)  # every socket of the server is open by now
        socks = listening_sockets(port)
        assert {addr for addr, _ in socks} == {"127.0.0.1"}, socks
        assert {pid_of_socket(inode) for _, inode in socks} == {proc.pid}  # the serve process itself (exec)
    finally:
        proc.terminate()
        try:
            out, _ = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
    assert f"mendengarkan di http://127.0.0.1:{port} (hanya dari komputer ini" in out


def test_the_command_line_and_the_message():
    cmd = streamlit_command(8501)
    assert cmd[cmd.index("--server.address") + 1] == "127.0.0.1"
    assert "SEMUA antarmuka" in where_listening("0.0.0.0", 8501)
    assert where_listening("::1", 8501).startswith("http://[::1]:8501")


def test_the_state_store_is_private(tmp_path):
    paths = Paths.from_args(tmp_path / "data")
    with open_state(paths) as con:
        con.execute("CREATE TABLE IF NOT EXISTS t (x)")
    f = state_path(paths)
    assert stat.S_IMODE(f.stat().st_mode) == 0o600
    assert stat.S_IMODE(f.parent.stat().st_mode) == 0o700
    for extra in (f.with_name(f.name + "-wal"), f.with_name(f.name + "-shm")):
        if extra.exists():
            assert stat.S_IMODE(extra.stat().st_mode) == 0o600
    os.chmod(f, 0o644)  # an older version's store is tightened on the next open
    os.chmod(f.parent, 0o755)
    with open_state(paths):
        pass
    assert stat.S_IMODE(f.stat().st_mode) == 0o600 and stat.S_IMODE(f.parent.stat().st_mode) == 0o700


def _doc_block(lang: str) -> str:
    text = (ROOT / "docs" / "keamanan.md").read_text(encoding="utf-8")
    m = re.search(rf"```{lang}\n(.*?)```", text, re.S)
    assert m, f"docs/keamanan.md has no ```{lang} block"
    return m.group(1)


def test_the_documented_nginx_configuration():
    """Structurally: TLS on 443, HTTP redirected, proxied to 127.0.0.1 with WebSocket upgrade and the real
    client address (login throttling per address), an upload limit above the app's 50 MB. With nginx
    installed (CI: .ci/run), `nginx -t` validates it too."""
    conf = _doc_block("nginx")
    body = re.sub(r"#.*", "", conf)
    assert body.count("{") == body.count("}")
    assert re.search(r"listen\s+443\s+ssl", body) and re.search(r"return\s+301\s+https://", body)
    assert re.search(r"proxy_pass\s+http://127\.0\.0\.1:8501;", body)
    assert re.search(r"proxy_set_header\s+Upgrade\s+\$http_upgrade;", body)
    assert re.search(r'proxy_set_header\s+Connection\s+"upgrade";', body)
    assert re.search(r"proxy_set_header\s+X-Real-IP\s+\$remote_addr;", body)
    size = re.search(r"client_max_body_size\s+(\d+)m;", body)
    assert size and int(size.group(1)) >= 50
    assert re.search(r"ssl_protocols\s+TLSv1\.2\s+TLSv1\.3;", body)
    assert "Strict-Transport-Security" in body
    if shutil.which("nginx") is None:
        pytest.skip("nginx tidak terpasang; struktur konfigurasinya sudah diperiksa")
    _nginx_t(conf)


def _nginx_t(conf: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        dd = Path(d)
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                        "/CN=monev.test", "-keyout", str(dd / "key.pem"), "-out", str(dd / "cert.pem")],
                       check=True, capture_output=True)
        site = (conf.replace("/etc/ssl/monev/fullchain.pem", str(dd / "cert.pem"))
                .replace("/etc/ssl/monev/privkey.pem", str(dd / "key.pem")))
        (dd / "nginx.conf").write_text(
            f"pid {dd}/nginx.pid; error_log {dd}/error.log; events {{}}\n"
            f"http {{ access_log off; client_body_temp_path {dd}; proxy_temp_path {dd}; fastcgi_temp_path {dd};"
            f" uwsgi_temp_path {dd}; scgi_temp_path {dd};\n{site}\n}}\n")
        r = subprocess.run(["nginx", "-t", "-c", str(dd / "nginx.conf"), "-p", str(dd)], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
