"""The preview worker: a separate process that reads uploaded files for the Unggah Data page.

Started by ``dashboard.jobs`` (``python -m dashboard.preview_worker LIMIT``) with its address space
limited to LIMIT bytes; it imports the pipeline once, then answers requests: a length-prefixed pickle
``(path, config_dir, profile, channel)`` on stdin, ``("ok", Preview)`` or ``("error", text, is_memory)``
on the protocol pipe (the original stdout; anything a library prints goes to stderr instead).
A plain subprocess, not multiprocessing: Streamlit's ``__main__`` is the app script, which a spawned
child would run again.
"""

from __future__ import annotations

import os
import pickle
import struct
import sys
from pathlib import Path


def _read(fh, n: int) -> bytes:
    buf = b""
    while len(buf) < n:
        chunk = fh.read(n - len(buf))
        if not chunk:
            raise EOFError
        buf += chunk
    return buf


def serve(limit: int) -> None:
    from dashboard.jobs import limit_memory

    limit_memory(limit)
    proto = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # stray prints go to stderr, never into the protocol
    sys.stdout = sys.stderr
    from pipelines.ingest.preview import preview_file
    from pipelines.masterdata import load_master_data
    from pipelines.validate.engine import preload

    preload().join()
    inp = sys.stdin.buffer
    while True:
        try:
            n = struct.unpack(">I", _read(inp, 4))[0]
            path, config_dir, profile, channel = pickle.loads(_read(inp, n))
        except EOFError:
            return
        try:
            res = ("ok", preview_file(Path(path), load_master_data(config_dir), profile=profile, channel=channel))
        except MemoryError:
            res = ("error", "MemoryError", True)
        except Exception as exc:  # noqa: BLE001 - reported to the page as a refusal
            res = ("error", f"{type(exc).__name__}: {str(exc)[:200]}", "memory" in str(exc).lower())
        data = pickle.dumps(res)
        proto.write(struct.pack(">I", len(data)) + data)
        proto.flush()


if __name__ == "__main__":
    serve(int(sys.argv[1]))
