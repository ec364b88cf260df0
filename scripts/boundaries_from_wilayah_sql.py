"""Convert a kelurahan boundary file of cahyadsn/wilayah_boundaries (MIT) to the GeoJSON the dashboard
and the scorecards draw their map from.

    python scripts/boundaries_from_wilayah_sql.py wilayah_boundaries_kel_35.72.sql \
        config/boundaries/kelurahan.geojson --kecamatan 35.72.01=Kepanjenkidul ...

The source rows are ``('35.72.01.1001','Kepanjenkidul',lat,lng,'[[[lat,lng],...]]')``: the paths are
``[lat, lng]``, the reverse of GeoJSON, and are swapped here. Coordinates are kept to 6 decimals
(about 0,1 m). The kecamatan of a kelurahan comes from its Kemendagri code (first three parts).
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

ROW = re.compile(r"\('([\d.]+)','([^']+)',(-?[\d.]+),(-?[\d.]+),'(\[\[\[.*?\]\]\])'\)", re.S)
SOURCE = "https://github.com/cahyadsn/wilayah_boundaries (db/kel/35/wilayah_boundaries_kel_35.72.sql)"


def convert(sql: str, kecamatan: dict[str, str]) -> dict:
    features = []
    for code, name, lat, lng, path in ROW.findall(sql):
        rings = json.loads(path)
        coords = [[[round(p[1], 6), round(p[0], 6)] for p in ring] for ring in rings]
        kec_code = ".".join(code.split(".")[:3])
        features.append({
            "type": "Feature",
            "properties": {"kode": code, "kelurahan": name, "kecamatan": kecamatan.get(kec_code, kec_code),
                           "kode_kecamatan": kec_code, "label_lat": float(lat), "label_lng": float(lng)},
            "geometry": {"type": "Polygon", "coordinates": coords},
        })
    return {
        "type": "FeatureCollection",
        "name": "Batas kelurahan",
        "source": SOURCE,
        "license": "MIT (c) 2024 cahya dsn; lihat LICENSE-wilayah_boundaries.txt",
        "features": features,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sql", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--kecamatan", nargs="*", default=[], help="KODE=Nama, e.g. 35.72.01=Kepanjenkidul")
    a = ap.parse_args()
    kec = dict(k.split("=", 1) for k in a.kecamatan)
    gj = convert(a.sql.read_text(encoding="utf-8"), kec)
    a.out.write_text(json.dumps(gj, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{len(gj['features'])} kelurahan -> {a.out}")


if __name__ == "__main__":
    main()
