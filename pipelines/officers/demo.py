"""A made-up officers' register for the demo (`monev demo`): most OPD with an officer named in this year's SK,
some whose SK is older than a year, some without anyone, so the register page, its flags, the rating's Input
indicator and `monev digest --dry-run` have something to show. Names, addresses (``.invalid`` domain) and
numbers are invented; nothing is written when the register already has entries."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from pipelines.officers.register import add_officer, list_officers
from pipelines.settings import Paths

FIRST = ("Agus", "Budi", "Dewi", "Eko", "Fitri", "Hadi", "Indah", "Joko", "Lestari", "Nur", "Rina", "Sri", "Tri",
         "Wahyu", "Yuli")
LAST = ("Santoso", "Wibowo", "Rahayu", "Prasetyo", "Lestari", "Setiawan", "Handayani", "Kurniawan", "Utami",
        "Saputra")
POSITIONS = ("Kepala Subbagian Umum dan Kepegawaian", "Kepala Subbagian Perencanaan", "Sekretaris",
             "Pranata Komputer", "Analis Kebijakan")


def seed_demo_officers(paths: Paths, departments: Sequence[str], as_of: dt.date, *, seed: int = 42) -> int:
    """Seed the register (deterministic for a seed); returns the officers added."""
    if list_officers(paths):
        return 0
    rng = random.Random(seed * 7919 + 18)
    as_of = min(as_of, dt.date.today())  # an SK is never dated in the future
    current_sk = dt.date(as_of.year, 1, 8) if as_of >= dt.date(as_of.year, 1, 8) else dt.date(as_of.year - 1, 1, 8)
    old_sk = dt.date(current_sk.year - 2, 1, 10)
    n = 0
    for i, dep in enumerate(departments):
        roll = rng.random()
        if roll < 0.12:  # no officer named
            continue
        sk = old_sk if roll < 0.27 else current_sk
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        add_officer(paths, dep, name=name, position=rng.choice(POSITIONS),
                    email=f"penghubung{i + 1:02d}@demo-pemkot.invalid",
                    whatsapp=f"0812-9{rng.randrange(100, 999)}-{rng.randrange(1000, 9999)}",
                    sk_number=f"188/{10 + i}/410.010.2/{sk.year}", sk_date=sk, by="demo", source="cli")
        n += 1
    return n
