"""Coverage computed from real publishes (SQLite and PostgreSQL): every state, the
percentages, the gaps' order, the snapshots kept at each publish and the trend, the exports."""

from __future__ import annotations

import csv
import io
import json
import logging
from datetime import UTC, datetime, timedelta

import pytest

from portal.composition import Portal
from portal.coverage import model
from portal.coverage.export import trend_frame
from portal.coverage.model import CellState
from portal.coverage.models import CoverageSnapshot
from tests.conftest import TEST_DATA
from tests.unit.coverage.conftest import IBARAKI, SETTSU, SUITA, YAIZU, publish


def published_at(portal: Portal, name: str) -> datetime:
    found = model.local_coverage(portal).cells
    moment = next(c.published_at for c in found if c.name == name)
    assert moment is not None
    return moment


def test_each_state_from_what_was_published(portal: Portal) -> None:
    model.set_exemption(portal.store, SUITA, "public_wireless_lan", "市内に公衆無線LANなし", "test")
    found = model.local_coverage(portal, organizations=[IBARAKI])
    assert [o.lgcode for o in found.organizations] == [YAIZU, SUITA, IBARAKI, SETTSU]  # by code
    assert found.cell(SETTSU, "aed").state == CellState.VALID
    assert found.cell(YAIZU, "event").state == CellState.VALID
    assert found.cell(SUITA, "aed").state == CellState.INVALID  # published with --allow-invalid
    exempt = found.cell(SUITA, "public_wireless_lan")
    assert (exempt.state, exempt.reason) == (CellState.NOT_APPLICABLE, "市内に公衆無線LANなし")
    assert found.cell(SETTSU, "event").state == CellState.MISSING
    assert {c.state for c in found.cells if c.lgcode == IBARAKI} == {CellState.MISSING}
    settsu = found.cell(SETTSU, "aed")
    assert settsu.url == "/datasets/272248-aed" and settsu.versions == 1
    assert settsu.report_url and settsu.report_url.endswith("272248_aed.validation.html")
    # A legacy dataset is never a column of its own; B … H are not counted.
    assert [d.number for d in found.datasets] == [f"A-{n:02d}" for n in range(1, 18)]


def test_stale_by_the_update_frequency_in_its_metadata(portal: Portal) -> None:
    settsu = published_at(portal, "272248-aed")  # monthly: 45 days with the grace
    fresh = model.local_coverage(portal, now=settsu + timedelta(days=44))
    assert fresh.cell(SETTSU, "aed").state == CellState.VALID
    later = model.local_coverage(portal, now=settsu + timedelta(days=46))
    assert later.cell(SETTSU, "aed").state == CellState.STALE
    assert later.cell(SUITA, "aed").state == CellState.INVALID  # invalid however old
    a_year = model.local_coverage(portal, now=settsu + timedelta(days=400))
    assert a_year.cell(SETTSU, "aed").state == CellState.STALE


def test_stale_by_the_standards_default_without_a_frequency(portal: Portal) -> None:
    yaizu = published_at(portal, "222127-event")  # no metadata: an event list's 45 days
    fresh = model.local_coverage(portal, now=yaizu + timedelta(days=44))
    assert fresh.cell(YAIZU, "event").state == CellState.VALID
    later = model.local_coverage(portal, now=yaizu + timedelta(days=46))
    assert later.cell(YAIZU, "event").state == CellState.STALE


def test_percentages_leave_not_applicable_out(portal: Portal) -> None:
    model.set_exemption(portal.store, SUITA, "public_wireless_lan", "なし", "test")
    found = model.local_coverage(portal)
    by_org = found.percent_by_organization()
    assert found.covered(SETTSU) == (1, 17) and by_org[SETTSU] == round(100 / 17, 1)
    assert found.covered(SUITA) == (0, 16) and by_org[SUITA] == 0.0
    by_dataset = found.percent_by_dataset()
    # 摂津市 valid, 吹田市 invalid, 焼津市 missing
    assert found.covered(dataset="aed") == (1, 3) and by_dataset["aed"] == 33.3
    assert found.covered(dataset="public_wireless_lan") == (0, 2)
    empty = model.local_coverage(portal, organizations=[IBARAKI])
    assert empty.percent_by_organization()[IBARAKI] == 0.0


def test_gaps_come_by_priority_missing_before_invalid(portal: Portal) -> None:
    found = model.local_coverage(portal)
    listed = model.gaps(found)
    assert listed[0].dataset == "evacuation_space"  # disaster datasets first
    assert [c.dataset for c in listed[3:6]] == ["aed", "aed", "fire_hydrant"]
    assert [(c.lgcode, c.state) for c in listed[3:5]] == [
        (YAIZU, CellState.MISSING), (SUITA, CellState.INVALID)]  # fmt: skip
    assert all(c.state not in (CellState.VALID, CellState.NOT_APPLICABLE) for c in listed)
    mine = model.gaps(found, ["event", "aed"])
    assert [c.dataset for c in mine[:4]] == ["event", "event", "aed", "aed"]


def test_a_snapshot_at_each_publish_makes_the_trend(portal: Portal) -> None:
    points = model.trend(portal.store)
    moments = sorted({p.at for p in points})
    assert len(moments) == 3  # one per publish of the fixture
    last = {p.lgcode: (p.covered, p.total) for p in points if p.at == moments[-1]}
    assert last == {SETTSU: (1, 17), SUITA: (0, 17), YAIZU: (1, 17)}
    assert [p.lgcode for p in points if p.at == moments[0]] == [SETTSU]
    assert [(p.covered, p.total) for p in model.trend(portal.store, lgcodes=[SUITA])] == [
        (0, 17)
    ] * 2
    table = trend_frame(points)
    assert list(table["all"]) == [round(100 / 17, 1), round(100 / 34, 1), round(200 / 51, 1)]


def test_a_snapshot_writes_only_the_organizations_that_changed(portal: Portal) -> None:
    """A publish changes one organization: one row, not one per organization (the table grew
    with the square of the portal's size); the trend still shows every organization."""

    def rows() -> int:
        with portal.store.sessions() as session:
            return session.query(CoverageSnapshot).count()

    before, trend_before = rows(), model.trend(portal.store)
    model.record_snapshot(portal.store, model.local_coverage(portal))  # nothing changed
    assert rows() == before and model.trend(portal.store) == trend_before
    model.set_exemption(portal.store, SUITA, "public_wireless_lan", "設置していない", "test")
    model.record_snapshot(portal.store, model.local_coverage(portal))
    assert rows() == before + 1
    points = model.trend(portal.store)
    last = max(p.at for p in points)
    assert {p.lgcode: (p.covered, p.total) for p in points if p.at == last} == {
        SETTSU: (1, 17), SUITA: (0, 16), YAIZU: (1, 17)}  # fmt: skip


def test_a_batch_of_publishes_makes_one_point(portal: Portal) -> None:
    """`portal publish a b …`: one point at the batch's end (each point reads the whole
    catalogue); a publish on its own makes its point at once (the trend test above)."""

    def moments() -> int:
        return len({p.at for p in model.trend(portal.store)})

    before = moments()
    with portal.publishing_batch():
        publish(portal, TEST_DATA / "convert" / "population-two-row-header.yaml")
        publish(portal, TEST_DATA / "convert" / "aed-with-title.yaml")
        assert moments() == before  # not yet: at the batch's end
    assert moments() == before + 1


def test_a_failing_snapshot_never_fails_the_publish(
    portal: Portal, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the snapshot table is gone")

    monkeypatch.setattr(model, "record_snapshot", broken)
    with caplog.at_level(logging.ERROR):
        done = publish(portal, TEST_DATA / "convert" / "population-two-row-header.yaml")
    assert done.action == "create" and portal.catalogue.package_show(done.plan.name) is not None
    assert "the snapshot table is gone" in caplog.text


def test_exports_parse(portal: Portal) -> None:
    found = model.local_coverage(portal)
    rows = list(csv.DictReader(io.StringIO(model.to_csv(found))))
    assert len(rows) == 3 * 17
    settsu = next(r for r in rows if (r["lgcode"], r["dataset"]) == (SETTSU, "aed"))
    assert settsu["organization"] == "大阪府摂津市" and settsu["state"] == "published-valid"
    assert settsu["number"] == "A-08" and settsu["url"] == "/datasets/272248-aed"
    answer = json.loads(json.dumps(model.to_json(found, "https://portal.example")))
    assert answer["covered_means"] == "published-valid"
    cell = next(c for c in answer["cells"] if (c["lgcode"], c["dataset"]) == (SETTSU, "aed"))
    assert cell["url"] == "https://portal.example/datasets/272248-aed"
    assert datetime.fromisoformat(cell["published_at"]).tzinfo is not None
    assert set(cell) >= {"lgcode", "dataset", "state", "published_at", "url"}


def test_an_exemption_is_replaced_and_audited(portal: Portal) -> None:
    from portal.accounts import audit

    model.set_exemption(portal.store, SUITA, "public_toilet", "first", "cli:a")
    model.set_exemption(portal.store, SUITA, "public_toilet", "second", "cli:b")
    assert [(e.reason, e.who) for e in model.exemptions(portal.store)] == [("second", "cli:b")]
    logged = audit.entries(portal.store, org=SUITA)
    assert [e.action for e in logged] == ["coverage.exempt", "coverage.exempt"]
    assert logged[0].detail == {"reason": "second"} and logged[0].actor == "cli:b"


def test_a_publish_in_a_legacy_layout_counts_for_its_dataset() -> None:
    from portal.catalogue.meta import PortalMeta, Validation
    from portal.localgov import load
    from portal.standards import Registry
    from tests.conftest import DATASETS_DIR

    now = datetime.now(UTC)
    meta = PortalMeta(standard="aed", standard_version="legacy", lgcode=SETTSU,
                      validation=Validation(True, 0), published_at=now - timedelta(days=1))  # fmt: skip
    package = {"name": "272248-aed-legacy", "extras": meta.to_extras(), "resources": []}
    found = model.compute([package], Registry(DATASETS_DIR), load(), [], now=now)
    assert found.cell(SETTSU, "aed").state == CellState.VALID
    assert [d.key for d in found.datasets].count("aed") == 1
