"""The real-stream audit reads check streams labelled in the training format, and scores links."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

import pytest  # noqa: E402
from audit_stream import (  # noqa: E402
    claimants,
    from_link_labels,
    grouping,
    judged,
    link_verdicts,
    score,
    verdict_of,
)

from bot.detect import actors  # noqa: E402
from bot.detect.reading import Gazetteer  # noqa: E402
from evals.claimants import named_as_labelled  # noqa: E402

ROWS = [
    {"id": "a1", "link": "https://news.example/governor-bridge"},
    {"id": "a2", "link": "https://news.example/inspectors-deny"},
    {"id": "a3", "link": "https://news.example/bail-denied"},
    {"id": "a4", "link": "https://news.example/mayor-rumours"},
]


def test_link_labels_become_audit_labels_of_the_streams_ids() -> None:
    links = [
        {"id": ROWS[1]["link"], "dispute": "clear", "kind": "denial", "answers": [ROWS[0]["link"]]},
        {"id": ROWS[2]["link"], "dispute": "no", "kind": None, "answers": []},
        {"id": ROWS[3]["link"], "dispute": "borderline", "kind": "denial", "answers": []},
        {"id": "https://elsewhere.example/x", "dispute": "clear", "kind": "denial", "answers": []},
    ]
    got = from_link_labels(links, ROWS)
    assert got == [
        {"id": "a2", "label": "clear", "kind": "denial", "claim_id": ["a1"]},
        {"id": "a4", "label": "borderline", "kind": "denial", "claim_id": None},
    ]


def test_an_alert_is_right_alone_or_wrong_by_the_claim_it_shows() -> None:
    labels = [{"id": "a2", "label": "clear", "claim_id": ["a1"]}]

    def alert(claim: str) -> dict:
        return {"items": [{"id": claim, "role": "claim"}, {"id": "a2", "role": "denial"}]}

    assert link_verdicts([alert("a1")], labels) == {"link_right": 1, "link_alone": 0, "link_wrong": 0}
    assert link_verdicts([alert("a2")], labels) == {"link_right": 0, "link_alone": 1, "link_wrong": 0}
    assert link_verdicts([alert("a3")], labels) == {"link_right": 0, "link_alone": 0, "link_wrong": 1}


def test_alerts_are_counted_by_whether_they_hold_a_clear_dispute(gz: Gazetteer) -> None:
    labels = [
        {"id": "a2", "label": "clear", "claim_id": ["a1"]},
        {"id": "a4", "label": "borderline", "claim_id": None},
    ]
    alerts = [
        {
            "dispute": 1,
            "confidence": 0.92,
            "items": [{"id": "a1", "role": "claim"}, {"id": "a2", "role": "denial"}],
        },
        {
            "dispute": 2,
            "confidence": 0.75,
            "items": [{"id": "a4", "role": "claim"}, {"id": "a4", "role": "denial"}],
        },
        {
            "dispute": 3,
            "confidence": 0.61,
            "items": [{"id": "a3", "role": "claim"}, {"id": None, "role": "denial"}],
        },
    ]
    got = score(alerts, labels, n_items=1000, judgments={}, gazetteer=gz)
    assert got["alerts"] == 3 and got["alerts_per_1000"] == 3.0
    assert got["alerts_with_a_labelled_item"] == 2
    assert got["alerts_with_a_clear_item"] == 1
    assert got["recall_clear"] == "1/1" and got["recall_all"] == "2/2"
    assert got["unjudged_disputes"] == [1, 2, 3]
    # by confidence bar: how many alerts, how many of them right, at equal alert counts
    assert got["by_bar"]["0.6"] == {"alerts": 3, "with_a_clear_item": 1, "clear_found": 1}
    assert got["by_bar"]["0.7"] == {"alerts": 2, "with_a_clear_item": 1, "clear_found": 1}
    assert got["by_bar"]["0.8"] == {"alerts": 1, "with_a_clear_item": 1, "clear_found": 1}
    assert got["by_bar"]["0.9"] == {"alerts": 1, "with_a_clear_item": 1, "clear_found": 1}


def test_alerts_of_several_items_are_counted_by_the_items_no_reader_marked(gz: Gazetteer) -> None:
    labels = [
        {"id": "a2", "label": "clear", "claim_id": "a1"},
        {"id": "a4", "label": "borderline", "claim_id": None},
    ]

    def alert(*ids: str) -> dict:
        return {"items": [{"id": i, "role": "denial"} for i in ids]}

    story = alert("a1", "a2", "a2")  # a claim and its answer (one item listed twice)
    stray = alert("a4", "a3", "a5")  # a marked dispute with two items nobody marked
    unmarked = alert("a6", "a7")  # nothing marked: a false alert, not a mixed one
    single = alert("a8")
    got = grouping([story, stray, unmarked, single], labels)
    assert got == {"several_item_alerts": 3, "unmarked_items_in_them": 4, "mixing_alerts": 1}
    assert score([], labels, n_items=10, judgments={}, gazetteer=gz)["mixing_alerts"] == 0


@pytest.fixture(scope="module")
def gz() -> Gazetteer:
    return actors.Gazetteer.load()


def test_alerts_are_counted_by_whether_they_name_the_claimant_a_reader_wrote(gz: Gazetteer) -> None:
    labels = [
        {"id": "b1", "label": "clear", "claimant": "U.S. government"},
        {"id": "b2", "label": "borderline", "claimant": "Donald Trump"},
        {"id": "b3", "label": "clear", "claimant": "Mayor Karen Bass / Los Angeles police"},
        {"id": "b4", "label": "clear"},  # a label with no claimant written says nothing
    ]

    def alert(item: str, speaker: str) -> dict:
        return {"speaker": speaker, "items": [{"id": item, "role": "denial"}]}

    alerts = [
        alert("b1", "Government of United States"),  # a country's government, named two ways
        alert("b2", "Kellyanne Conway"),  # someone else the item names
        alert("b3", "Karen Bass"),  # one of the two the reader wrote
        alert("b4", "Donald Trump"),
        alert("zz", "Donald Trump"),  # no labelled item
    ]
    assert claimants(alerts, labels, gz) == {"claimant_as_labelled": 2, "claimant_otherwise": 1}


def test_a_verdict_holds_for_the_claimant_it_was_given_on() -> None:
    judgments = judged(
        [
            {"dispute_items": ["c1"], "claimant": "Police", "verdict": "real"},
            {"dispute_items": ["c2", "c3"], "verdict": "false"},  # judged before claimants were kept
        ]
    )

    def alert(speaker: str, *ids: str) -> dict:
        return {"speaker": speaker, "items": [{"id": i, "role": "denial"} for i in ids]}

    assert verdict_of(alert("Police", "c1"), judgments) == "real"
    # the same item shown as another party's statement is another alert, not judged yet
    assert verdict_of(alert("Government of United States", "c1"), judgments) is None
    assert verdict_of(alert("anyone", "c3", "c2"), judgments) == "false"
    assert verdict_of(alert("Police", "c1", "c2"), judgments) is None


def test_a_readers_bracket_says_what_the_claim_was_about_not_whose(gz: Gazetteer) -> None:
    wrote = "Trump administration officials (ICE raids)"
    assert named_as_labelled("Donald Trump", wrote, gz)
    assert not named_as_labelled("U.S. Immigration and Customs Enforcement", wrote, gz)
    # words naming a kind of body are no agreement; the body is
    assert not named_as_labelled("Government of Libya", "Obama administration", gz)
    assert named_as_labelled("Environmental Protection Agency", "EPA ethics official", gz)
