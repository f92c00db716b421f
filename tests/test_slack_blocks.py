"""Block Kit rendering: content, links, and (property) no live mentions and Slack's limits."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.adapters.slack.blocks import (
    HEADER_MAX,
    MAX_BLOCKS,
    SECTION_MAX,
    TEXT_MAX,
    alert_blocks,
    alert_text,
    followup_blocks,
    followup_text,
    parse_verdict_action,
    search_blocks,
    search_text,
    verdict_action_id,
)
from bot.alerts.view import build_view
from bot.types import DisputeStatus, Evidence, EvidenceRole
from tests.discord_fake import reference_dispute

# Anything that would be a live control sequence or mention in Slack mrkdwn.
LIVE = re.compile(r"<[!@#]|<https?:[^|>]*\|[^>]*<|(?<![\u200b])@(here|channel|everyone)\b", re.IGNORECASE)


def _texts(blocks: list[dict]) -> list[str]:
    out: list[str] = []
    for b in blocks:
        if "text" in b:
            out.append(b["text"]["text"])
        for e in b.get("elements", []):
            if e.get("type") in ("mrkdwn", "plain_text"):
                out.append(e["text"])
    return out


def test_parent_blocks_show_both_sides_with_links() -> None:
    view = build_view(reference_dispute(with_embassy=True))
    blocks = alert_blocks(view)
    assert blocks[0] == {
        "type": "header",
        "text": {
            "type": "plain_text",
            "text": "Disputed: ICE's claim that its vetted unit led raids on three Sinaloa drug labs",
        },
    }
    claim, denial = blocks[1]["text"]["text"], blocks[2]["text"]["text"]
    assert claim.startswith("*Claim:* ICE, 2025-05-14") and "<https://example.org/ice/sinaloa-labs|" in claim
    assert denial.startswith("*First denial:* Claudia Sheinbaum, 2025-05-15")
    assert "https://example.org/embassy/statement" in json.dumps(blocks)
    context = blocks[-2]
    assert context["type"] == "context" and "confidence 0.91" in context["elements"][0]["text"]
    for link in view.links:
        assert link in alert_text(view)


def test_retraction_header_and_followup() -> None:
    d = reference_dispute()
    retraction = Evidence(
        item_id=200,
        role=EvidenceRole.RETRACTION,
        actor="ICE",
        title="ICE deletes its post",
        quote="We removed the post.",
        link="https://example.org/ice/update",
        published=datetime(2025, 5, 16, tzinfo=UTC),
        source="ICE on X",
    )
    d = replace(d, status=DisputeStatus.RETRACTED, evidence=(*d.evidence, retraction))
    view = build_view(d, update=retraction)
    assert alert_blocks(view)[0]["text"]["text"].startswith("Retracted: ICE's statement that ")
    blocks = followup_blocks(view)
    assert blocks[0]["text"]["text"].startswith("*Retracted by the speaker:* ICE, 2025-05-16")
    assert "https://example.org/ice/update" in followup_text(view)


def test_verdict_action_ids_round_trip() -> None:
    for verdict in ("not_a_dispute", "confirmed", "muted"):
        assert parse_verdict_action(verdict_action_id(verdict, 42)) == (verdict, 42)
    assert parse_verdict_action("factbot:share:3") is None
    assert parse_verdict_action("factbot:v:confirmed:x") is None


def test_search_blocks_have_share_buttons() -> None:
    blocks = search_blocks([reference_dispute()], "ice sinaloa")
    [result] = [b for b in blocks if "accessory" in b]
    assert result["accessory"]["text"]["text"] == "Share in channel"
    assert "https://example.org/ice/sinaloa-labs" in result["text"]["text"]
    assert "No disputes found" in search_blocks([], "nothing")[0]["text"]["text"]


hostile = st.text(alphabet=st.sampled_from(list("<>&!@#|*_~`:/ ")) | st.characters(), max_size=400).map(
    lambda s: s + " <!channel> <!here> @everyone <@U0X> <#C0Y|z> ＠here"
)
links = st.one_of(
    st.none(), st.just("javascript:alert(1)"), st.text(max_size=80).map(lambda s: "https://x.org/" + s)
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    actor=hostile,
    quote=hostile,
    source=hostile,
    topic=hostile,
    reason=hostile,
    link=links,
    long=st.integers(0, 20_000),
)
def test_renderer_never_emits_live_mentions_and_respects_limits(
    actor: str, quote: str, source: str, topic: str, reason: str, link: str | None, long: int
) -> None:
    base = reference_dispute()
    claim = replace(base.claim, actor=actor, quote=quote + "x" * long, source=source, link=link)
    others = tuple(replace(base.evidence[0], item_id=300 + i, actor=actor, link=link) for i in range(12))
    d = replace(base, speaker=actor, topic=topic, claim=claim, evidence=others, reasons=(reason,) * 3)
    view = build_view(d, update=others[0])
    for blocks, text in (
        (alert_blocks(view), alert_text(view)),
        (followup_blocks(view), followup_text(view)),
        (search_blocks([d], quote), search_text([d], quote)),
    ):
        assert len(blocks) <= MAX_BLOCKS and len(text) <= TEXT_MAX
        for t in (*_texts(blocks), text):
            assert not LIVE.search(t.replace("&lt;", "").replace("&gt;", "")), t
            assert "<!" not in t and "<@" not in t and "<#" not in t
        assert len(blocks[0]["text"]["text"]) <= (
            HEADER_MAX if blocks[0]["type"] == "header" else SECTION_MAX
        )
        for b in blocks:
            if b["type"] == "section":
                assert len(b["text"]["text"]) <= SECTION_MAX
        # in mrkdwn the only raw "<" left are our own links: "<http(s)://…|label>"
        # (the header is plain_text, which Slack never parses for mentions)
        for t in _texts([b for b in blocks if b["type"] != "header"]):
            for m in re.finditer("<", t):
                assert re.match(r"<https?://[^|<> ]+\|[^<>]*>", t[m.start() :]), t


def test_alerts_link_to_their_timeline_and_mark_other_languages() -> None:
    from bot.alerts.view import AlertStyle

    style = AlertStyle(base_url="https://factbot.example.org", link_secret="s" * 16)
    d = reference_dispute(with_embassy=True)
    spanish = replace(d.evidence[0], language="es")
    d = replace(d, evidence=(spanish, *d.evidence[1:]))
    view = build_view(d, style=style)
    parent = json.dumps(alert_blocks(view))
    assert "<https://factbot.example.org/disputes/7?k=" in parent and "|Timeline, sources and why>" in parent
    assert "2025-05-15, in Spanish" in parent
    reply = json.dumps(followup_blocks(build_view(d, update=d.evidence[1], style=style)))
    assert "https://factbot.example.org/disputes/7?k=" in reply
    assert "/disputes/7" in json.dumps(search_blocks([d], "ice", style=style))
    assert "/disputes/" not in json.dumps(alert_blocks(build_view(d)))  # no base_url: no link
