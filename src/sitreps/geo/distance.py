"""Great-circle distance, the one formula the gazetteer, the merge and the evaluation share."""

from __future__ import annotations

import math

# The mean Earth radius (IUGG), as geoparsing evaluations use for acc@161km.
EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres.

    >>> round(haversine_km(0.0, 0.0, 0.0, 1.0), 1)
    111.2
    """
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))
