"""Grouping: near-duplicates, and which open dispute a new item continues."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.detect.grouping import (
    JOIN_OVERLAP,
    SIBLING_OVERLAP,
    OpenDispute,
    choose_dispute,
    group_key,
    minhash,
    near_duplicate,
    similarity,
)
from bot.detect.linking import extract_terms, overlap

T0 = datetime(2025, 3, 1, tzinfo=UTC)


def _open(i: int, text: str, key: str = "xx.mod", when: datetime = T0) -> OpenDispute:
    return OpenDispute(
        id=i,
        speaker_key=key,
        speaker_name="Ministry",
        terms=extract_terms(text),
        created_at=when,
        newest_evidence_at=when,
        claim_said_at=when,
    )


def test_near_duplicates_share_a_group_key() -> None:
    a = "The defence ministry said on Monday its troops repelled an incursion near the Vardar bridge at dawn."
    b = "The defence ministry said on Monday its troops repelled an incursion near the Vardar bridge at dawn!"
    c = "Borduria said the Kolba pipeline stopped for maintenance and exports continue as planned."
    assert near_duplicate(a, b)
    assert group_key(a) == group_key(b)
    assert not near_duplicate(a, c)


@given(st.text(max_size=300))
def test_minhash_self_similarity(text: str) -> None:
    assert similarity(minhash(text), minhash(text)) == 1.0


def test_second_item_on_the_same_story_joins_and_other_story_stays_apart() -> None:
    bridge = _open(1, "Ruritania says troops repelled Bordurian incursion at the Vardar bridge")
    pipeline = _open(2, "Ruritania says Borduria shut the Kolba pipeline and cut gas exports")
    new = extract_terms("Borduria denies its soldiers approached the Vardar bridge")
    choice = choose_dispute(
        frozenset({"xx.mod"}), new, T0 + timedelta(days=2), [pipeline, bridge], timedelta(days=30)
    )
    assert choice is not None and choice.dispute.id == 1
    gas = extract_terms("Borduria says Kolba pipeline gas exports continue, rejects Ruritanian account")
    choice = choose_dispute(
        frozenset({"xx.mod"}), gas, T0 + timedelta(days=2), [pipeline, bridge], timedelta(days=30)
    )
    assert choice is not None and choice.dispute.id == 2


def test_other_speaker_or_outside_window_does_not_join() -> None:
    bridge = _open(1, "Ruritania says troops repelled Bordurian incursion at the Vardar bridge")
    new = extract_terms("Borduria denies its soldiers approached the Vardar bridge")
    assert choose_dispute(frozenset({"yy.gov"}), new, T0, [bridge], timedelta(days=30)) is None
    assert (
        choose_dispute(frozenset({"xx.mod"}), new, T0 + timedelta(days=90), [bridge], timedelta(days=30))
        is None
    )


def test_a_sibling_office_correcting_the_same_thing_within_days_joins_on_a_lower_bar() -> None:
    """Two agencies of one ministry correct one map the same day; the outlets word it differently."""
    agency = _open(
        1, "Health agency admits data entered in error inflated the Lot map indicator", key="xx.agency"
    )
    other = extract_terms("New reopening map published after the national office announces rectifications")
    assert SIBLING_OVERLAP <= overlap(other, agency.terms) < JOIN_OVERLAP
    keys = frozenset({"xx.office", "xx.health"})
    sib = frozenset({"xx.agency"})
    choice = choose_dispute(keys, other, T0 + timedelta(hours=5), [agency], timedelta(days=30), siblings=sib)
    assert choice is not None and choice.dispute.id == 1
    # not a sibling, or a week later: a story of its own
    assert choose_dispute(keys, other, T0 + timedelta(hours=5), [agency], timedelta(days=30)) is None
    later = T0 + timedelta(days=7)
    assert choose_dispute(keys, other, later, [agency], timedelta(days=30), siblings=sib) is None
