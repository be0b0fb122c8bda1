"""GET /api/v1/coverage over the published test catalogue (SQLite and PostgreSQL): public, the
shape the DX office's page and `portal coverage --format json` share, `?lgcode=` filtering
(a municipality with nothing published shown all missing), bad codes answered in the error
shape, never a 500."""

from __future__ import annotations

from fastapi.testclient import TestClient

SETTSU, SUITA, YAIZU, IBARAKI = "272248", "272051", "222127", "272116"


def states(answer: dict) -> dict[tuple[str, str], str]:
    return {(c["lgcode"], c["dataset"]): c["state"] for c in answer["cells"]}


def test_coverage_is_public_and_shows_each_state(client: TestClient) -> None:
    response = client.get("/api/v1/coverage")
    assert response.status_code == 200
    answer = response.json()
    assert answer["covered_means"] == "published-valid"
    assert {o["lgcode"] for o in answer["organizations"]} == {SETTSU, SUITA, YAIZU}
    assert len(answer["datasets"]) == 17 and answer["datasets"][0]["number"] == "A-01"
    found = states(answer)
    assert found[(SETTSU, "aed")] == "published-valid"
    assert found[(SUITA, "aed")] == "published-invalid"  # 要修正
    assert found[(SUITA, "event")] == "missing"
    assert len(answer["cells"]) == 3 * 17
    suita = next(o for o in answer["organizations"] if o["lgcode"] == SUITA)
    assert suita["name"] == "大阪府吹田市" and suita["covered"] == 0 and suita["percent"] == 0.0
    # 焼津市's AED list: the state its catalogue record says (portal_validation)
    shown = client.get("/api/3/action/package_show", params={"id": "222127-aed"}).json()
    extras = {e["key"]: e["value"] for e in shown["result"]["extras"]}
    yaizu_valid = extras["portal_validation"] == "valid"
    assert found[(YAIZU, "aed")] == ("published-valid" if yaizu_valid else "published-invalid")
    aed = next(d for d in answer["datasets"] if d["key"] == "aed")
    assert (aed["covered"], aed["total"]) == (1 + yaizu_valid, 3)


def test_a_cell_links_to_the_dataset_page_and_its_report(client: TestClient) -> None:
    cell = next(c for c in client.get("/api/v1/coverage").json()["cells"]
                if (c["lgcode"], c["dataset"]) == (SUITA, "aed"))  # fmt: skip
    assert cell["url"] == "http://testserver/datasets/272051-aed"
    assert client.get(cell["url"]).status_code == 200
    report = client.get(cell["report_url"])
    assert report.status_code == 200 and "272051" in report.text
    assert cell["published_at"] and cell["versions"] == 1


def test_lgcode_filters_and_shows_a_city_with_nothing_published(client: TestClient) -> None:
    answer = client.get("/api/v1/coverage", params=[("lgcode", SETTSU), ("lgcode", IBARAKI)]).json()
    assert [o["lgcode"] for o in answer["organizations"]] == [IBARAKI, SETTSU]  # by code
    ibaraki = [c["state"] for c in answer["cells"] if c["lgcode"] == IBARAKI]
    assert ibaraki == ["missing"] * 17
    assert {c["lgcode"] for c in answer["cells"]} == {SETTSU, IBARAKI}


def test_a_bad_code_is_answered_in_the_error_shape(client: TestClient) -> None:
    wrong = client.get("/api/v1/coverage", params={"lgcode": "999999"})
    assert wrong.status_code == 422
    error = wrong.json()["error"]
    assert wrong.json()["ok"] is False and error["code"] == "lgcode-invalid"
    assert "999999" in error["message_en"] and "999999" in error["message_ja"]
    unknown = client.get("/api/v1/coverage", params={"lgcode": "999997"})
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "lgcode-not-found"
