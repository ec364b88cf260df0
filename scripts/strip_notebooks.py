"""Strip outputs, execution counts and run metadata from the analyst notebooks before a commit.

    .venv/bin/python scripts/strip_notebooks.py            # strip notebooks/*.ipynb in place
    .venv/bin/python scripts/strip_notebooks.py --check    # only list what is not stripped; exit 1 if any
    .venv/bin/python scripts/strip_notebooks.py a.ipynb    # given files only

The .ipynb files are the source of truth and stay small and diffable: no outputs
(they may hold data), no execution counts, no per-run metadata. The test suite
(tests/test_notebooks.py) fails when a committed notebook is not stripped.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"
# cell metadata written by Jupyter while running or viewing; never part of the source
VOLATILE_CELL_METADATA = ("execution", "ExecuteTime", "collapsed", "scrolled")
VOLATILE_NOTEBOOK_METADATA = ("widgets", "varInspector", "toc")


def strip(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook without outputs, execution counts and volatile metadata (changed in place)."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        for key in VOLATILE_CELL_METADATA:
            cell.metadata.pop(key, None)
    for key in VOLATILE_NOTEBOOK_METADATA:
        nb.metadata.pop(key, None)
    # the kernel's full language_info (Python version...) changes with every machine
    if "language_info" in nb.metadata:
        nb.metadata["language_info"] = {"name": nb.metadata["language_info"].get("name", "python")}
    return nb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Hapus keluaran dan nomor eksekusi dari notebook analis.")
    parser.add_argument("paths", nargs="*", type=Path, help="berkas .ipynb (bawaan: notebooks/*.ipynb)")
    parser.add_argument("--check", action="store_true", help="hanya periksa; kode keluar 1 bila ada yang belum bersih")
    args = parser.parse_args(argv)

    paths = args.paths or sorted(NOTEBOOK_DIR.glob("*.ipynb"))
    dirty = []
    for path in paths:
        before = path.read_text(encoding="utf-8")
        after = nbformat.writes(strip(nbformat.reads(before, as_version=4)))
        if not after.endswith("\n"):
            after += "\n"
        if after != before:
            dirty.append(path)
            if not args.check:
                path.write_text(after, encoding="utf-8")
    if args.check:
        for path in dirty:
            print(f"{path}: belum dibersihkan (jalankan .venv/bin/python scripts/strip_notebooks.py)")
        return 1 if dirty else 0
    for path in dirty:
        print(f"{path}: dibersihkan")
    return 0


if __name__ == "__main__":
    sys.exit(main())
