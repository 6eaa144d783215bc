"""The offline world map: country outlines from pygal_maps_world's SVG and a projection onto it.

``pygal_maps_world`` (Kozea, LGPL-3.0+) ships ``worldmap.svg`` inside its package: one ``<g>`` per
country (ISO 3166-1 alpha-2 class) drawn in the Robinson projection, centred on 9°E, in a
2475 x 1388 viewBox. The package does not state the projection; the constants below were fitted
against the outlines of 15 small countries (residuals under 2 px, about 0.3°), so event locations
given as latitude and longitude land on the right country.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["Country", "WorldMap", "load_world_map", "project"]

VIEWBOX = (0.0, 0.0, 2475.0, 1388.0)
_LON0 = 9.0  # central meridian of the SVG
_X0, _SX = 1269.654, 516.120
_Y0, _SY = 684.233, -515.133

# Robinson's table (every 5° of latitude): parallel length and distance from the equator.
_LATS = [float(i) for i in range(0, 95, 5)]
_XR = [1.0, 0.9986, 0.9954, 0.99, 0.9822, 0.973, 0.96, 0.9427, 0.9216, 0.8962, 0.8679, 0.835,
       0.7986, 0.7597, 0.7186, 0.6732, 0.6213, 0.5722, 0.5322]
_YR = [0.0, 0.062, 0.124, 0.186, 0.248, 0.31, 0.372, 0.434, 0.4958, 0.5571, 0.6176, 0.6769,
       0.7346, 0.7903, 0.8435, 0.8936, 0.9394, 0.9761, 1.0]


def _interp(table: list[float], lat: float) -> float:
    a = min(abs(lat), 90.0)
    i = min(int(a // 5), len(table) - 2)
    t = (a - _LATS[i]) / 5.0
    return table[i] + (table[i + 1] - table[i]) * t


def project(lat: float, lon: float) -> tuple[float, float]:
    """SVG coordinates of a point given in degrees."""
    dlon = ((lon - _LON0 + 180.0) % 360.0) - 180.0
    x = _X0 + _SX * 0.8487 * _interp(_XR, lat) * math.radians(dlon)
    y = _Y0 + _SY * 1.3523 * math.copysign(_interp(_YR, lat), lat)
    return round(x, 1), round(y, 1)


@dataclass(frozen=True, slots=True)
class Country:
    code: str  # ISO 3166-1 alpha-2, lower case as in the SVG
    paths: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class WorldMap:
    viewbox: tuple[float, float, float, float]
    countries: tuple[Country, ...]


_GROUP = re.compile(r'<g class="([a-z]{2}) country map-element">(.*?)</g>', re.S)
_PATH_D = re.compile(r'\sd="([^"]+)"')
_SAFE_D = re.compile(r"[MmLlHhVvCcSsQqTtAaZz0-9eE.,\s-]+")


@lru_cache(maxsize=1)
def load_world_map() -> WorldMap:
    """The country outlines, read once from the installed pygal_maps_world package."""
    svg = resources.files("pygal_maps_world").joinpath("worldmap.svg").read_text(encoding="utf-8")
    countries = []
    for code, body in _GROUP.findall(svg):
        # Only path data made of drawing commands and numbers is kept: the file is third-party.
        paths = tuple(d for d in _PATH_D.findall(body) if _SAFE_D.fullmatch(d))
        if paths:
            countries.append(Country(code, paths))
    return WorldMap(VIEWBOX, tuple(countries))
