"""The upload flow through /api/v1/uploads, with real tokens (portal.accounts) and real
department files (tests/data/uploads): an editor uploads, maps, fills the metadata and
submits; an approver publishes; the dataset is public. And every refusal."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from portal.accounts.service import Accounts
from portal.composition import Portal
from portal.server import create_app
from portal.settings import Settings
from portal.submissions.models import UploadRow
from portal.submissions.state import LIST_MAX

FILES = Path(__file__).parents[1] / "data" / "uploads"
YAIZU = "222127"
OTHER = "221007"  # 静岡市
PASSWORD = "correct horse battery staple"
METADATA = {"title": "焼津市 AED設置場所", "description": "市の施設のAED", "department": "地域福祉課",
            "contact_phone": "054-626-1139", "contact_email": "fukushi@city.yaizu.example",
            "update_frequency": "monthly", "keywords": ["AED", "救命"], "license": "cc-by"}  # fmt: skip


@pytest.fixture
def portal_settings(tmp_path: Path, database_url: str, settings: Settings) -> Settings:
    return settings.model_copy(update={"database_url": database_url, "catalogue": "embedded",
                                       "rate_limit": 0, "max_upload_bytes": 200_000})  # fmt: skip


@pytest.fixture
def tokens(portal_settings: Settings) -> dict[str, str]:
    """An editor and an approver of 焼津市, an editor of 静岡市, a viewer of 焼津市."""
    portal = Portal.open(portal_settings)
    accounts = Accounts(portal.store, portal.directory)
    made = {}
    for name, org, role in (("editor", YAIZU, "editor"), ("approver", YAIZU, "approver"),
                            ("outsider", OTHER, "editor"), ("viewer", YAIZU, "viewer")):  # fmt: skip
        accounts.add_user(name, PASSWORD, org, role, by="test")
        made[name] = accounts.issue_token(name, org, by="test")
    portal.close()
    return made


@pytest.fixture
def client(portal_settings: Settings, tokens: dict[str, str]) -> Iterator[TestClient]:
    with TestClient(create_app(portal_settings)) as client:
        yield client


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def upload(client: TestClient, token: str, name: str, **form: Any) -> Any:
    data = {"org": YAIZU, **form}
    with (FILES / name).open("rb") as f:
        return client.post("/api/v1/uploads", files={"file": (name, f)}, data=data,
                           headers=auth(token))  # fmt: skip


def error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["ok"] is False and body["error"]["code"] == code
    assert body["error"]["message_en"] and body["error"]["message_ja"]
    return dict(body["error"])


def test_editor_uploads_approver_publishes_and_the_dataset_is_public(
    client: TestClient, tokens: dict[str, str]
) -> None:
    made = upload(client, tokens["editor"], "aed-department.xlsx")
    assert made.status_code == 201, made.text
    up = made.json()
    assert (up["state"], up["dataset"]) == ("draft", "aed")
    assert up["confidence"] >= 0.55 and up["candidates"][0]["dataset"] == "aed"
    fields = {f["field"]: f for f in up["mapping"]["fields"]}
    assert fields["名称"]["sources"] == ["施設名称"]
    recipe = client.get(f"/api/v1/uploads/{up['id']}/recipe", headers=auth(tokens["editor"]))
    assert recipe.status_code == 200 and "dataset: aed" in recipe.text
    edit = {"field": "電話番号", "kind": "column", "sources": ["連絡先"],
            "normalize": [{"name": "phone"}]}  # fmt: skip
    edited = client.patch(f"/api/v1/uploads/{up['id']}/mapping", json=edit,
                          headers=auth(tokens["editor"]))  # fmt: skip
    assert edited.status_code == 200, edited.text
    shown = client.get(f"/api/v1/uploads/{up['id']}/preview", headers=auth(tokens["editor"]))
    assert shown.status_code == 200, shown.text
    preview = shown.json()
    assert len(preview["rows"]) == 3
    phone = preview["columns"].index("電話番号")
    assert preview["rows"][0][phone] == "054-626-1139"  # full-width digits normalised
    meta = client.put(f"/api/v1/uploads/{up['id']}/metadata", json=METADATA,
                      headers=auth(tokens["editor"]))  # fmt: skip
    assert meta.status_code == 200, meta.text
    assert meta.json()["metadata"]["department"] == "地域福祉課"
    submitted = client.post(f"/api/v1/uploads/{up['id']}/submit", headers=auth(tokens["editor"]))
    assert submitted.status_code == 200 and submitted.json()["state"] == "submitted"
    refused = client.post(f"/api/v1/uploads/{up['id']}/publish", headers=auth(tokens["editor"]))
    error(refused, 403, "forbidden")
    published = client.post(f"/api/v1/uploads/{up['id']}/publish", json={},
                            headers=auth(tokens["approver"]))  # fmt: skip
    assert published.status_code == 200, published.text
    done = published.json()
    assert done["state"] == "published"
    name = done["links"]["name"]
    dataset = client.get(f"/api/v1/datasets/{name}").json()
    assert dataset["title"] == METADATA["title"]
    assert any(r["name"] == name for r in client.get("/api/v1/datasets?q=AED").json()["results"])
    assert METADATA["title"] in client.get("/catalog.ttl").text
    assert client.get(done["links"]["csv"]).status_code == 200


def test_next_month_reuses_the_published_recipe(client: TestClient, tokens: dict[str, str]) -> None:
    first = upload(client, tokens["editor"], "aed-department.xlsx").json()
    client.put(f"/api/v1/uploads/{first['id']}/metadata", json=METADATA,
               headers=auth(tokens["editor"]))  # fmt: skip
    client.post(f"/api/v1/uploads/{first['id']}/submit", headers=auth(tokens["editor"]))
    published = client.post(f"/api/v1/uploads/{first['id']}/publish",
                            headers=auth(tokens["approver"]))  # fmt: skip
    assert published.status_code == 200, published.text
    again = upload(client, tokens["editor"], "aed-next-month.xlsx", dataset="aed", reuse="true")
    assert again.status_code == 201, again.text
    up = again.json()
    assert (up["state"], up["reused_from"]) == ("draft", first["id"])
    assert up["report"]["rows_out"] == 4
    assert up["metadata"]["title"] == METADATA["title"]


def test_below_the_floor_the_clerk_chooses(client: TestClient, tokens: dict[str, str]) -> None:
    made = upload(client, tokens["editor"], "minutes.csv")
    assert made.status_code == 201, made.text
    up = made.json()
    assert up["state"] == "needs-choice" and up["dataset"] is None and up["mapping"] is None
    assert len(up["candidates"]) > 1
    chosen = client.post(f"/api/v1/uploads/{up['id']}/dataset", json={"dataset": "aed"},
                         headers=auth(tokens["editor"]))  # fmt: skip
    assert chosen.status_code == 200 and chosen.json()["state"] == "draft"


def test_refusals(client: TestClient, tokens: dict[str, str]) -> None:
    with (FILES / "aed-department.xlsx").open("rb") as f:
        anonymous = client.post("/api/v1/uploads", files={"file": ("a.xlsx", f)},
                                data={"org": YAIZU})  # fmt: skip
    error(anonymous, 401, "not-authenticated")
    error(upload(client, tokens["outsider"], "aed-department.xlsx"), 403, "forbidden")
    error(upload(client, tokens["viewer"], "aed-department.xlsx"), 403, "forbidden")
    zipped = error(upload(client, tokens["editor"], "zip-named.csv"), 422, "input-unreadable")
    assert "ZIP" in zipped["message_en"]
    error(upload(client, tokens["editor"], "binary.csv"), 422, "input-unreadable")
    page = error(upload(client, tokens["editor"], "page.csv"), 422, "input-unreadable")
    assert "web page" in page["message_en"] and "ウェブページ" in page["message_ja"]
    up = upload(client, tokens["editor"], "aed-department.xlsx").json()
    other = client.get(f"/api/v1/uploads/{up['id']}", headers=auth(tokens["outsider"]))
    error(other, 403, "forbidden")
    bad = client.put(f"/api/v1/uploads/{up['id']}/recipe", content="version: 1\ntarget: [",
                     headers=auth(tokens["editor"]))  # fmt: skip
    assert error(bad, 422, "recipe-invalid")["location"]["line"] == 2


def test_oversized_upload_is_refused_with_its_limit(
    client: TestClient, tokens: dict[str, str]
) -> None:
    big = b"a,b\r\n" + b"1,2\r\n" * 100_000  # 500 KB: over the file limit, over the body limit
    answer = client.post("/api/v1/uploads", files={"file": ("big.csv", big)},
                         data={"org": YAIZU}, headers=auth(tokens["editor"]))  # fmt: skip
    found = error(answer, 413, "upload-too-large")
    assert "0.2 MB" in found["message_en"] and "上限 0.2 MB" in found["message_ja"]


def test_an_invalid_upload_needs_a_reason(client: TestClient, tokens: dict[str, str]) -> None:
    up = upload(client, tokens["editor"], "aed-department.xlsx").json()
    # 緯度 from a text column: not a number in any row, so the conversion does not validate
    none = {"field": "緯度", "kind": "column", "sources": ["施設名称"]}
    client.patch(f"/api/v1/uploads/{up['id']}/mapping", json=none, headers=auth(tokens["editor"]))
    client.put(
        f"/api/v1/uploads/{up['id']}/metadata", json=METADATA, headers=auth(tokens["editor"])
    )
    submitted = client.post(f"/api/v1/uploads/{up['id']}/submit", headers=auth(tokens["editor"]))
    assert submitted.json()["report"]["valid"] is False
    refused = client.post(f"/api/v1/uploads/{up['id']}/publish", json={"allow_invalid": True},
                          headers=auth(tokens["approver"]))  # fmt: skip
    error(refused, 422, "reason-required")
    reason = "名称の列を来月のファイルで追加します"
    done = client.post(f"/api/v1/uploads/{up['id']}/publish",
                       json={"allow_invalid": True, "reason": reason},
                       headers=auth(tokens["approver"]))  # fmt: skip
    assert done.status_code == 200, done.text
    dataset = client.get(f"/api/v1/datasets/{done.json()['links']['name']}").json()
    assert reason in dataset["notes"] and "要修正" in dataset["notes"]


def test_a_busy_neighbour_does_not_hide_my_uploads(
    client: TestClient, tokens: dict[str, str], portal_settings: Settings
) -> None:
    """The list is of what the caller may see, newest first — filtered before it is cut, so
    another organization's many uploads never push an editor's own out of it."""
    mine = upload(client, tokens["editor"], "aed-department.xlsx").json()["id"]
    portal = Portal.open(portal_settings)
    later = datetime.now(UTC) + timedelta(hours=1)
    with portal.store.writing() as session:
        session.add_all(
            UploadRow(
                id=f"other{n:04d}",
                org=OTHER,
                state="draft",
                file_name="x.csv",
                file_format="csv",
                size=1,
                content_hash="0",
                created_by="outsider",
                created_at=later,
                updated_at=later,
                suggested={},
                candidates=[],
            )  # fmt: skip
            for n in range(LIST_MAX + 1)
        )
    portal.close()
    listed = client.get("/api/v1/uploads", headers=auth(tokens["editor"])).json()["results"]
    assert [u["id"] for u in listed] == [mine]
    theirs = client.get("/api/v1/uploads", headers=auth(tokens["outsider"])).json()["results"]
    assert len(theirs) == LIST_MAX and mine not in {u["id"] for u in theirs}
