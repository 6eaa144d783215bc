"""The JSON API, in process, against a real SQLite corpus built with analyse()."""

from __future__ import annotations

import base64
import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from dragoman.store import EventFilter, Store
from dragoman.web.app import create_app

from .conftest import BASE, TOKEN
from .corpus import XSS_NAME


def _all_events(client: TestClient, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    for _ in range(200):
        q = {**params, "limit": 2, **({"cursor": cursor} if cursor else {})}
        body = client.get("/api/events", params=q).json()
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return items
    raise AssertionError("pagination did not end")


def test_events_list_matches_the_store(client: TestClient, corpus_db: Path) -> None:
    with Store(corpus_db, readonly=True) as store:
        expected = store.count_events()
    body = client.get("/api/events", params={"limit": 500}).json()
    assert expected > 0
    assert len(body["items"]) == expected
    assert body["next_cursor"] is None
    first = body["items"][0]
    assert {"event", "quad", "actor", "recipient", "places", "article_id", "cluster"} <= set(first)


def test_cursor_pagination_visits_every_event_once(client: TestClient) -> None:
    paged = _all_events(client)
    whole = client.get("/api/events", params={"limit": 500}).json()["items"]
    assert [e["pk"] for e in paged] == [e["pk"] for e in whole]
    assert len({e["pk"] for e in paged}) == len(paged)


def test_next_link_carries_the_filters(client: TestClient) -> None:
    body = client.get("/api/events", params={"limit": 1, "since": "2025-01"}).json()
    assert body["next"] is not None and "since=2025-01" in body["next"] and "cursor=" in body["next"]


def test_type_filter_keeps_only_that_type(client: TestClient) -> None:
    types = {e["event"] for e in client.get("/api/events", params={"limit": 500}).json()["items"]}
    for t in types:
        items = client.get("/api/events", params={"type": t.lower(), "limit": 500}).json()["items"]
        assert items and {e["event"] for e in items} == {t}


def test_date_and_country_filters(client: TestClient) -> None:
    items = client.get("/api/events", params={"since": "2025-03", "until": "2025-03-31", "limit": 500}).json()[
        "items"]
    assert items and all("2025-03-01" <= (e["day"] or "") <= "2025-03-31" for e in items)
    irq = client.get("/api/events", params={"country": "irq", "limit": 500}).json()["items"]
    assert irq
    for e in irq:
        countries = {a["country"] for a in e["actor"] + e["recipient"] + e["places"]}
        assert "IRQ" in countries


def test_actor_filter_and_full_text(client: TestClient) -> None:
    actors = client.get("/api/actors").json()["items"]
    top = actors[0]
    items = client.get("/api/events", params={"actor": top["key"], "limit": 500}).json()["items"]
    assert items
    assert all(top["key"] in {a["key"] for a in e["actor"] + e["recipient"]} for e in items)
    basra = client.get("/api/events", params={"text": "Basra power cuts", "limit": 500}).json()["items"]
    assert basra and {e["title"] for e in basra} == {"Protest in Basra"}


def test_cluster_view(client: TestClient) -> None:
    body = client.get("/api/events", params={"clusters": 1}).json()
    assert body["items"] and {"cluster", "event", "n_mentions", "n_articles"} <= set(body["items"][0])
    c = body["items"][0]["cluster"]
    reports = client.get("/api/events", params={"cluster": c}).json()["items"]
    assert reports and {e["cluster"] for e in reports} == {c}


def test_every_list_has_a_csv_alternate(client: TestClient) -> None:
    for path in ("/api/events", "/api/actors", "/api/places", "/api/articles"):
        as_json = client.get(path, params={"limit": 500}).json()["items"]
        for r in (client.get(path + ".csv"), client.get(path, params={"format": "csv", "limit": 500})):
            assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
            rows = list(csv.DictReader(io.StringIO(r.text)))
            assert len(rows) == len(as_json), path


def test_csv_cells_cannot_become_formulas(client: TestClient) -> None:
    rows = list(csv.DictReader(io.StringIO(client.get("/api/events.csv").text)))
    cells = [v for r in rows for v in r.values() if v]
    assert cells and not any(v[0] in "=+@" for v in cells)


def test_article_search_and_detail(client: TestClient) -> None:
    hits = client.get("/api/articles", params={"q": "Khartoum"}).json()["items"]
    assert [h["title"] for h in hits] == ["Aid reaches Khartoum"]
    assert "Khartoum" in (hits[0]["snippet"] or "")
    full = client.get(f"/api/articles/{hits[0]['id']}").json()
    assert full["article"]["id"] == hits[0]["id"]
    assert "United Nations" in full["article"]["text"]
    assert {"entities", "events", "quotes", "places"} <= set(full)
    assert client.get("/api/articles/sha256:0000000000").status_code == 404


def test_actor_profile(client: TestClient) -> None:
    top = client.get("/api/actors").json()["items"][0]
    prof = client.get(f"/api/actors/{top['key']}").json()
    assert prof["actor"]["key"] == top["key"]
    assert prof["timeline"] and {"period", "n_actor", "n_recipient"} <= set(prof["timeline"][0])
    assert prof["aliases"]
    assert client.get("/api/actors/no:such:actor").status_code == 404


def test_places_have_coordinates(client: TestClient) -> None:
    places = client.get("/api/places").json()["items"]
    names = {p["name"] for p in places}
    assert "Mosul" in names
    assert all(p["lat"] is not None for p in places if p["name"] == "Mosul")


@pytest.mark.parametrize(
    "params",
    [{"type": "EXPLODE"}, {"country": "IRAQ"}, {"since": "April"}, {"quad": "7"}, {"limit": "0"},
     {"limit": "100000"}, {"actor": "x" * 500}, {"format": "xml"}],
)
def test_invalid_query_parameters_are_refused(client: TestClient, params: dict[str, str]) -> None:
    r = client.get("/api/events", params=params)
    assert r.status_code == 422
    assert r.json()["detail"]


def test_bad_cursor_is_a_clear_400(client: TestClient) -> None:
    r = client.get("/api/events", params={"cursor": "not-a-cursor"})
    assert r.status_code == 400 and "cursor" in r.json()["detail"]


def _b64(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


@pytest.mark.parametrize("tampered", [{"d": "2025-01-01", "p": "x"}, {"d": 5, "p": 1}, {"p": None}, {"o": 3},
                                      {"d": "2025-01-01"}, {"p": 1, "evil": 1}, [1, 2], {"p": -1}, {"p": True}])
@pytest.mark.parametrize("path", ["/api/events", "/api/articles", "/events", "/api/events?clusters=true"])
def test_tampered_cursors_are_a_400(client: TestClient, path: str, tampered: object) -> None:
    r = client.get(path, params={"cursor": _b64(tampered)})
    assert r.status_code == 400, (path, tampered, r.text[:200])
    for offset_list in ("/api/actors", "/api/places"):
        assert client.get(offset_list, params={"cursor": _b64({"o": "x"})}).status_code == 400
        assert client.get(offset_list, params={"cursor": _b64({"p": 3})}).status_code == 400


def test_like_wildcards_match_only_themselves(client: TestClient) -> None:
    for value in ("%", "%%", "\\", "Kataib_Hezbollah", "K%b"):  # "_" alone: the markup article has "__xss"
        for path in ("/api/events", "/api/actors"):
            key = "actor" if path == "/api/events" else "name"
            r = client.get(path, params={key: value})
            assert r.status_code == 200 and r.json()["items"] == [], (path, value)
    assert client.get("/api/events", params={"actor": "Kataib"}).json()["items"]


SAME_ORIGIN = {"Origin": BASE}


def test_only_configured_host_names_are_answered(corpus_db: Path) -> None:
    with TestClient(create_app(corpus_db, token=TOKEN), base_url="http://attacker.example") as c:
        assert c.get("/api/stats").status_code == 400
    with TestClient(create_app(corpus_db, token=TOKEN), base_url="http://127.0.0.1:8000") as c:
        assert c.get("/api/stats").status_code == 200
    with TestClient(create_app(corpus_db, hosts=["news.example.org"]), base_url="http://news.example.org") as c:
        assert c.get("/api/stats").status_code == 200


def test_an_ipv6_host_is_answered_as_browsers_name_it(corpus_db: Path) -> None:
    # "::1" is a default host name; a Host header carries it bracketed, "[::1]:8000".
    with TestClient(create_app(corpus_db, token=TOKEN), base_url="http://[::1]:8000") as c:
        assert c.get("/api/stats").status_code == 200
    with TestClient(create_app(corpus_db, hosts=["fd00::7"]), base_url="http://[fd00::7]") as c:
        assert c.get("/api/stats").status_code == 200
    with TestClient(create_app(corpus_db, token=TOKEN), base_url="http://[::2]:8000") as c:
        assert c.get("/api/stats").status_code == 400


def test_analysis_needs_the_token_or_this_servers_own_page(client: TestClient) -> None:
    body = {"text": "Police arrested two men in Basra on Friday, officials said."}
    assert client.post("/api/analyse", json=body).status_code == 403
    cross = client.post("/api/analyse", json=body, headers={"Origin": "http://attacker.example"})
    assert cross.status_code == 403 and "token" in cross.json()["detail"]
    assert client.post("/api/analyse", json=body, headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    assert client.post("/api/analyse", json=body, headers=SAME_ORIGIN).status_code == 200
    form = client.post("/analyse", data={"text": body["text"]}, headers={"Origin": "http://attacker.example"})
    assert form.status_code == 403


def test_analysis_has_a_size_and_a_concurrency_limit(client: TestClient) -> None:
    from dragoman.web.app import ANALYSE_SLOTS, MAX_ANALYSE_CHARS

    long = {"text": "Police arrested two men. " * (MAX_ANALYSE_CHARS // 20)}
    r = client.post("/api/analyse", json=long, headers=SAME_ORIGIN)
    assert r.status_code == 413 and f"{MAX_ANALYSE_CHARS:,}" in r.json()["detail"]
    state = client.app.state.web  # type: ignore[attr-defined]
    for _ in range(ANALYSE_SLOTS):  # every slot taken, as by requests still running
        assert state._analyse_slots.acquire(blocking=False)
    try:
        r = client.post("/api/analyse", json={"text": "Police arrested two men."}, headers=SAME_ORIGIN)
        assert r.status_code == 503 and r.headers["Retry-After"]
    finally:
        for _ in range(ANALYSE_SLOTS):
            state._analyse_slots.release()


def test_sql_in_parameters_is_just_text(client: TestClient, corpus_db: Path) -> None:
    for value in ("x' OR '1'='1", "'; DROP TABLE events; --"):
        r = client.get("/api/events", params={"actor": value})
        assert r.status_code == 200 and r.json()["items"] == []
    # LIKE wildcards are not special either (the store drops them from the pattern).
    assert client.get("/api/events", params={"actor": "%_"}).status_code == 200
    with Store(corpus_db, readonly=True) as store:
        assert store.count_events() > 0


def test_analyse_returns_a_result_without_storing(client: TestClient) -> None:
    before = client.get("/api/stats").json()
    text = "BAGHDAD, May 3 - Iraqi police arrested two men in Baghdad on Saturday, officials said."
    r = client.post("/api/analyse", json={"text": text, "published": "2025-05-03"}, headers=SAME_ORIGIN)
    assert r.status_code == 200
    body = r.json()
    assert body["article"]["text"].startswith("BAGHDAD")
    assert body["events"]
    assert client.get("/api/stats").json() == before


def test_writes_need_the_right_token(writable_db: Path) -> None:
    text = "KIRKUK, May 4 - Kurdish forces withdrew from two villages near Kirkuk on Sunday, officials said."
    with TestClient(create_app(writable_db, token=TOKEN), base_url=BASE) as c:
        assert c.post("/api/articles", json={"text": text}).status_code == 401
        wrong = c.post("/api/articles", json={"text": text}, headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        ok = c.post("/api/articles", json={"text": text, "published": "2025-05-04"},
                    headers={"Authorization": f"Bearer {TOKEN}"})
        assert ok.status_code == 201, ok.text
        article_id = ok.json()["article_id"]
        assert c.get(f"/api/articles/{article_id}").json()["article"]["text"].startswith("KIRKUK")
        again = c.post("/api/articles", json={"text": text}, headers={"X-Dragoman-Token": TOKEN})
        assert again.status_code == 200 and again.json()["status"] != "stored"


def test_server_without_token_is_read_only(writable_db: Path) -> None:
    with TestClient(create_app(writable_db, token=""), base_url=BASE) as c:
        r = c.post("/api/articles", json={"text": "Anything."}, headers={"Authorization": "Bearer "})
        assert r.status_code == 403 and "read-only" in r.json()["detail"]


def test_request_bodies_are_size_limited(writable_db: Path) -> None:
    with TestClient(create_app(writable_db, token=TOKEN, max_body=10_000), base_url=BASE) as c:
        r = c.post("/api/analyse", json={"text": "word " * 5_000}, headers=SAME_ORIGIN)
        assert r.status_code == 413


def test_invalid_body_is_refused(client: TestClient) -> None:
    assert client.post("/api/analyse", json={"text": ""}, headers=SAME_ORIGIN).status_code == 422
    r = client.post("/api/analyse", json={"text": "x", "published": "yesterday"}, headers=SAME_ORIGIN)
    assert r.status_code == 422 and "'yesterday'" in r.text


def test_openapi_and_offline_docs(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/api/events", "/api/articles", "/api/articles/{article_id}", "/api/actors", "/api/places",
                 "/api/analyse"):
        assert path in spec["paths"]
    docs = client.get("/docs").text
    assert "/api/events" in docs and "cursor" in docs
    assert "cdn" not in docs.lower() and "https://" not in docs


def test_markup_in_data_is_returned_as_data(client: TestClient) -> None:
    actors = client.get("/api/actors", params={"name": "Commander", "limit": 500}).json()["items"]
    assert XSS_NAME in {a["name"] for a in actors}


def test_titles_are_headlines_and_no_server_path_leaves_the_server(tmp_path: Path, writable_db: Path,
                                                                   pipeline: Any) -> None:
    from dragoman.analyse import analyse

    secret = tmp_path / "srv-private-folder" / "wire" / "story-17.txt"
    text = ("Rebels seize border town\n\nRebels seized the border town of Kidal on Monday, "
            "officials said, after two days of fighting with the army.")
    result = analyse(text, source=str(secret), outlet="Wire One", published="2025-04-07", pipeline=pipeline)
    with Store(writable_db) as store:
        store.add(result)
    article_id = result.article.id
    with TestClient(create_app(writable_db, token=TOKEN), base_url=BASE) as c:
        listed = c.get("/api/articles", params={"limit": 200}).json()["items"]
        mine = next(a for a in listed if a["id"] == article_id)
        assert mine["title"] == "Rebels seize border town" and mine["source"] == "story-17.txt"
        assert c.get(f"/api/articles/{article_id}").json()["article"]["source"] == "story-17.txt"
        for path in ["/", "/events", f"/articles/{article_id}", "/api/events", "/api/events.csv",
                     "/api/articles.csv", "/brief", "/api/brief", "/alerts", "/api/escalation", "/timeline",
                     "/trends", "/api/trends", "/api/events?clusters=true"]:
            body = c.get(path, params={"limit": 200} if path.startswith("/api/events") else None).text
            assert "srv-private-folder" not in body, path
        page = c.get(f"/articles/{article_id}").text
        assert "<h1 dir=\"auto\">Rebels seize border town</h1>" in page


def test_styles_wrap_long_words_and_isolate_article_text(client: TestClient) -> None:
    css = client.get("/static/style.css").text
    assert "overflow-wrap: anywhere" in css and "unicode-bidi: isolate" in css


def test_unnamed_perpetrators_never_rank_as_actors(writable_db: Path, pipeline: Any) -> None:
    from dragoman.analyse import analyse
    from dragoman.store.query import is_placeholder_actor
    from dragoman.web import queries

    texts = ["A roadside bomb exploded near a police station in Kirkuk on Monday, killing three officers.",
             "A car bomb exploded outside a market in Mosul on Tuesday, wounding nine people.",
             "Gunmen were reported near Basra. A bomb exploded at a checkpoint in Basra on Wednesday."]
    with Store(writable_db) as store:
        for i, text in enumerate(texts):
            store.add(analyse(text, source=f"bomb-{i}.txt", published=f"2025-04-0{i + 1}", pipeline=pipeline))
        placeholders = [r["key"] for r in store.db.query("SELECT key FROM actors") if is_placeholder_actor(r["key"])]
        assert placeholders  # the texts name no perpetrator: the coder stands one in
        unattributed = queries.unattributed_count(store, EventFilter())
        assert unattributed >= len(texts)
        assert not any(is_placeholder_actor(a.key) for a in store.actors(limit=1000).items)
        assert not any(is_placeholder_actor(fc.value) for fc in queries.actor_facet(store, EventFilter(), limit=500))
        net = queries.network(store, EventFilter(), max_nodes=150)
        assert net.nodes and not any(is_placeholder_actor(nd.key) for nd in net.nodes)
        linked = {e.source for e in net.edges} | {e.target for e in net.edges}
        assert {nd.key for nd in net.nodes} <= linked  # no unconnected node
        boxes = [queries.label_box(nd) for nd in net.nodes]
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                assert min(a[2], b[2]) <= max(a[0], b[0]) or min(a[3], b[3]) <= max(a[1], b[1])
            assert 0 <= a[0] and a[2] <= 1000 and 0 <= a[1] and a[3] <= 700
    with TestClient(create_app(writable_db, token=TOKEN), base_url=BASE) as c:
        page = c.get("/events").text
        assert f'unattributed <span class="n">{unattributed}</span>' in page
        assert "unidentified perpetrator" not in c.get("/").text.split("Most active actors")[1]
        assert "unidentified perpetrator" not in c.get("/network").text
        assert not any("unidentified" in a["name"] for a in c.get("/api/actors", params={"limit": 200}).json()["items"])


def test_a_network_cut_to_its_heaviest_actors_draws_no_actor_alone(corpus_db: Path) -> None:
    # Keeping the n heaviest actors can keep one whose every partner was cut; it has no line to draw.
    from dragoman.web import queries

    with Store(corpus_db, readonly=True) as store:
        whole = queries.network(store, EventFilter(), max_nodes=150)
        assert len(whole.nodes) > 6
        for size in range(2, len(whole.nodes)):
            net = queries.network(store, EventFilter(), max_nodes=size)
            linked = {e.source for e in net.edges} | {e.target for e in net.edges}
            assert net.nodes and len(net.nodes) <= size
            assert {nd.key for nd in net.nodes} == linked, size


def test_an_actor_profile_counts_news_months_and_ranks_no_placeholder(tmp_path: Path, pipeline: Any) -> None:
    # A year-only date ("in 2024") is never put in a January, background ("in 1991") is no news of the
    # period, and an unnamed bomber is no counterpart: the profile says what it leaves out.
    from dragoman.analyse import analyse
    from dragoman.store.query import is_placeholder_actor

    texts = [("2025-04-08", "A roadside bomb struck an Iraqi army convoy near Kirkuk on Monday, killing two soldiers, "
                            "the Iraqi army said. The Iraqi army fought Kurdish rebels in Kirkuk in 1991."),
             ("2025-04-10", "The Iraqi army arrested three Islamic State fighters in Mosul on Wednesday, officials "
                            "said. In 2024 the Iraqi army arrested hundreds of suspects in Mosul.")]
    db = tmp_path / "actor.db"
    with Store(db) as store:
        for day, text in texts:
            store.add(analyse(text, source=f"{day}.txt", published=day, pipeline=pipeline))
        key = next(r["key"] for r in store.db.query("SELECT key FROM actors WHERE name = 'Iraqi Armed Forces'"))
        profile = store.actor_profile(key)
        assert profile is not None
        assert [t.period for t in profile.timeline] == ["2025-04"]
        assert profile.left_out["context"] >= 1 and profile.left_out["coarse"] >= 1
        shown = sum(t.n_actor + t.n_recipient for t in profile.timeline)
        assert shown + sum(profile.left_out.values()) == profile.actor.n_actor + profile.actor.n_recipient
        assert profile.counterparts and not any(is_placeholder_actor(a.key) for a, _ in profile.counterparts)
        assert any(is_placeholder_actor(r["actor_key"]) for r in store.db.query("SELECT actor_key FROM event_args"))
    with TestClient(create_app(db), base_url=BASE) as c:
        page = c.get(f"/actors/{key}").text
        assert "dated long before their article (background) not shown" in page and "1991-01" not in page
        assert "unidentified" not in page.split("<h2>Counterparts</h2>")[1].split("<h2>")[0]
        assert c.get(f"/api/actors/{key}").json()["timeline_left_out"]["coarse"] >= 1
