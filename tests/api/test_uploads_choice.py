"""The upload flow when the portal is not sure which standard dataset a file is: the clerk
chooses among candidates shown with their evidence (what matched, what the file's title,
sheet or name says), and is told when the file is a kind of table the reference lacks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from portal.accounts.service import Accounts
from portal.composition import Portal
from portal.server import create_app
from portal.settings import Settings

CHOICE = Path(__file__).parents[1] / "data" / "messy" / "choice"
KANAZAWA = "172014"  # 金沢市
PASSWORD = "correct horse battery staple"


@pytest.fixture
def client(tmp_path: Path, database_url: str, settings: Settings) -> Iterator[TestClient]:
    settings = settings.model_copy(update={"database_url": database_url, "catalogue": "embedded",
                                           "rate_limit": 0})  # fmt: skip
    portal = Portal.open(settings)
    Accounts(portal.store, portal.directory).add_user("clerk", PASSWORD, KANAZAWA, "editor", by="t")
    token = Accounts(portal.store, portal.directory).issue_token("clerk", KANAZAWA, by="t")
    portal.close()
    with TestClient(create_app(settings), headers={"Authorization": f"Bearer {token}"}) as c:
        yield c


def upload(client: TestClient, name: str) -> dict[str, Any]:
    with (CHOICE / name).open("rb") as f:
        made = client.post("/api/v1/uploads", files={"file": (name, f)}, data={"org": KANAZAWA})
    assert made.status_code == 201, made.text
    body: dict[str, Any] = made.json()
    return body


def test_a_generic_list_asks_and_shows_each_candidates_evidence(client: TestClient) -> None:
    up = upload(client, "maebashi_list.csv")  # 名称, 住所, 電話番号 and nothing else
    assert (up["state"], up["dataset"], up["mapping"]) == ("needs-choice", None, None)
    assert len(up["candidates"]) > 1
    first = up["candidates"][0]
    assert first["evidence"][0].startswith("columns fit")
    assert first["evidence_ja"][0].startswith("列の一致")
    assert "名称" in first["evidence"][0]
    assert any("ahead of the next" in d["en"] for d in up["doubts"])
    page = client.get(f"/uploads/{up['id']}")
    assert page.status_code == 200
    listed = page.text[page.text.index(f'data-testid="evidence-{first["dataset"]}"') :]
    assert "列の一致" in listed.split("</ul>")[0]
    assert "差が 0.10 未満" in page.text  # the doubt, in the clerk's language
    english = client.get(f"/uploads/{up['id']}?lang=en")
    assert "columns fit" in english.text and "Evidence" in english.text


def test_a_kind_the_reference_lacks_is_said_to_the_clerk(client: TestClient) -> None:
    up = upload(client, "kumamoto_shitei_hinanjo.csv")  # 指定避難所: no standard dataset
    assert up["state"] == "needs-choice"
    assert up["candidates"][0]["dataset"] == "evacuation_space"  # the closest, offered
    assert [d["ja"] for d in up["doubts"] if "指定避難所" in d["ja"]]
    page = client.get(f"/uploads/{up['id']}")
    doubts = page.text[page.text.index('data-testid="doubts"') :].split("</div>")[0]
    assert "標準データセットに「指定避難所」はありません" in doubts
    chosen = client.post(
        f"/api/v1/uploads/{up['id']}/dataset", json={"dataset": "evacuation_space"}
    )
    assert chosen.status_code == 200 and chosen.json()["state"] == "draft"
    # Chosen knowingly, and still said on the draft's page; the candidates offered are kept.
    assert any("指定避難所" in d["ja"] for d in chosen.json()["doubts"])
    assert len(chosen.json()["candidates"]) == len(up["candidates"])


def test_a_file_that_says_what_it_is_is_a_draft_with_its_evidence(client: TestClient) -> None:
    up = upload(client, "kanazawa_kaigo_jigyosho.csv")  # 訪問介護 ○ columns, デイサービス names
    assert (up["state"], up["dataset"]) == ("draft", "care_service")
    evidence = " ".join(up["candidates"][0]["evidence"])
    assert "column names" in evidence and "訪問介護" in evidence
    assert "デイサービス" in evidence or "ケアセンター" in evidence
    assert up["doubts"] == []
    # The ○ columns are the services: the mapping form shows them as 実施サービス's sources.
    fields = {f["field"]: f for f in up["mapping"]["fields"]}
    assert fields["実施サービス"]["sources"] == [
        "訪問介護",
        "通所介護",
        "短期入所生活介護",
        "居宅介護支援",
    ]
    assert up["mapping"]["unused_columns"] == []
