"""Which addresses a port listens on, and by which process, from /proc (no traffic sent anywhere)."""

from __future__ import annotations

import ipaddress
import os
import socket
import struct
from pathlib import Path


def _addr(hexaddr: str) -> str:
    if len(hexaddr) == 8:
        return socket.inet_ntoa(struct.pack("<I", int(hexaddr, 16)))
    words = [struct.pack("<I", int(hexaddr[i:i + 8], 16)) for i in range(0, 32, 8)]
    return str(ipaddress.IPv6Address(b"".join(words)))


def listening_sockets(port: int) -> list[tuple[str, int]]:
    """(local address, socket inode) of every TCP socket in LISTEN state on ``port``."""
    out = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for ln in lines:
            parts = ln.split()
            local, state, inode = parts[1], parts[3], int(parts[9])
            ip, p = local.split(":")
            if state == "0A" and int(p, 16) == port:
                out.append((_addr(ip), inode))
    return out


def pid_of_socket(inode: int) -> int | None:
    target = f"socket:[{inode}]"
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            for fd in (d / "fd").iterdir():
                if os.readlink(fd) == target:
                    return int(d.name)
        except OSError:
            continue
    return None


def rss_mib(pid: int) -> float:
    for ln in Path(f"/proc/{pid}/status").read_text().splitlines():
        if ln.startswith("VmRSS:"):
            return int(ln.split()[1]) / 1024
    return 0.0
