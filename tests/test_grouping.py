"""Near-duplicate copies share a group key."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.detect.grouping import group_key, minhash, near_duplicate, similarity


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
