"""Rendering `AlertView` as Discord embeds: content, limits, and untrusted feed text made inert."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime

import discord
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.adapters.discord.embeds import (
    DESCRIPTION_MAX,
    FIELD_NAME_MAX,
    FIELD_VALUE_MAX,
    FIELDS_MAX,
    FOOTER_MAX,
    REF_PREFIX,
    STATUS_COLOURS,
    THREAD_NAME_MAX,
    TITLE_MAX,
    TOTAL_MAX,
    clean,
    parent_embed,
    reply_embed,
    results_embed,
    safe_url,
    thread_name,
    truncate,
)
from bot.alerts.view import build_view
from bot.types import Dispute, DisputeStatus, Evidence, EvidenceRole
from tests.discord_fake import reference_dispute

REF = "fb" + "0" * 23


def check_limits(embed: discord.Embed) -> None:
    data = embed.to_dict()
    assert len(data.get("title", "")) <= TITLE_MAX
    assert len(data.get("description", "")) <= DESCRIPTION_MAX
    assert len(data.get("fields", [])) <= FIELDS_MAX
    for f in data.get("fields", []):
        assert 0 < len(f["name"]) <= FIELD_NAME_MAX
        assert 0 < len(f["value"]) <= FIELD_VALUE_MAX
    assert len(data.get("footer", {}).get("text", "")) <= FOOTER_MAX
    assert len(embed) <= TOTAL_MAX


def visible_text(embed: discord.Embed) -> str:
    data = embed.to_dict()
    parts = [data.get("title", ""), data.get("description", ""), data.get("footer", {}).get("text", "")]
    for f in data.get("fields", []):
        parts += [f["name"], f["value"]]
    return "\n".join(parts)


def test_reference_parent_embed() -> None:
    view = build_view(reference_dispute(with_embassy=True))
    embed = parent_embed(view, REF)
    assert embed.title == "Disputed: ICE's claim that its vetted unit led raids on three Sinaloa drug labs"
    assert embed.url == "https://example.org/ice/sinaloa-labs"
    assert embed.colour is not None and embed.colour.value == STATUS_COLOURS[DisputeStatus.DISPUTED]
    names = [f.name for f in embed.fields]
    assert names[0] == "Claim: ICE · 2025-05-14"
    assert names[1] == "First denial: Claudia Sheinbaum · 2025-05-15"
    text = visible_text(embed)
    for link in view.links:  # every link the alert reports is in the embed
        assert link in text
    assert embed.description is not None and embed.description.startswith("2 denials · 3 outlets")
    assert embed.footer.text is not None
    assert embed.footer.text.startswith("Confidence 91%") and embed.footer.text.endswith(REF_PREFIX + REF)
    assert "shared terms: sinaloa, labs" in embed.footer.text
    check_limits(embed)


def test_reply_embed_says_what_is_new() -> None:
    dispute = reference_dispute(with_embassy=True)
    embassy = dispute.evidence[-1]
    embed = reply_embed(build_view(dispute, update=embassy), REF)
    assert embed.title == "New denial from U.S. Embassy in Mexico"
    assert embed.url == embassy.link
    assert embassy.link is not None and embassy.link in visible_text(embed)
    assert embed.timestamp == embassy.published
    check_limits(embed)


def test_retraction_reply_and_status_colour() -> None:
    d = reference_dispute()
    retraction = Evidence(
        item_id=104,
        role=EvidenceRole.RETRACTION,
        actor="ICE",
        title="ICE deletes its post",
        quote="The agency removed its earlier post about the operation.",
        link="https://example.org/ice/update",
        published=datetime(2025, 5, 16, tzinfo=UTC),
        source="ICE on X",
    )
    d = replace(d, status=DisputeStatus.RETRACTED, evidence=(*d.evidence, retraction))
    embed = reply_embed(build_view(d, update=retraction), REF)
    assert embed.title == "Retracted by ICE"
    assert embed.colour is not None and embed.colour.value == STATUS_COLOURS[DisputeStatus.RETRACTED]
    assert (
        parent_embed(build_view(d), REF).title
        == "Retracted: ICE's statement that its vetted unit led raids on three Sinaloa drug labs"
    )


def test_markdown_and_mentions_are_escaped() -> None:
    assert clean("**bold** _it_ `code`") == r"\*\*bold\*\* \_it\_ \`code\`"
    out = clean("@everyone look <@123456789012345678> <#123456789012345678>")
    assert "@everyone" not in out and "<@1" not in out and "<#1" not in out
    assert clean("a\x00b\x1bc") == "abc"


def test_safe_url() -> None:
    assert safe_url("https://example.org/a(b) c") == "https://example.org/a%28b%29%20c"
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("ftp://example.org/x") is None
    assert safe_url("https:///nohost") is None
    assert safe_url(None) is None


def test_truncate_never_leaves_a_dangling_escape() -> None:
    out = truncate("ab\\*cdef", 4)
    assert len(out) <= 4 and out.endswith("…") and not out[:-1].endswith("\\")


def test_results_embed_lists_matches_with_links() -> None:
    views = [build_view(reference_dispute(with_embassy=True))]
    embed = results_embed(views, "ice sinaloa")
    text = visible_text(embed)
    assert "Disputed: ICE's claim that its vetted unit led raids on three Sinaloa drug labs" in text
    for link in views[0].links:
        assert link in text
    assert "#7" in text
    empty = results_embed([], "nothing here")
    assert empty.description is not None and "No disputes found" in empty.description
    check_limits(embed)


# ------------------------------------------------------------------ properties

# Arbitrary text with hostile fragments mixed in: mentions, markdown, control characters.
_piece = st.one_of(
    st.text(alphabet=st.characters(categories=["L", "M", "N", "P", "S", "Z", "Cc", "Cf"]), max_size=300),
    st.sampled_from(
        ["@everyone", "@here", "<@&1234567890123456789>", "<#123456789012345678>", "**", "`", "\\", "\n"]
    ),
)
_text = st.lists(_piece, max_size=12).map("".join)
_link = st.one_of(
    st.none(),
    st.text(max_size=300),
    st.builds(lambda p: f"https://example.org/{p}", st.text(max_size=300)),
)
_when = st.one_of(st.none(), st.datetimes(timezones=st.just(UTC)))


@st.composite
def evidence(draw: st.DrawFn, role: EvidenceRole | None = None) -> Evidence:
    return Evidence(
        item_id=draw(st.integers(1, 10**9)),
        role=role or draw(st.sampled_from([r for r in EvidenceRole if r is not EvidenceRole.CLAIM])),
        actor=draw(_text),
        title=draw(_text),
        quote=draw(_text),
        link=draw(_link),
        published=draw(_when),
        source=draw(_text),
    )


@st.composite
def disputes(draw: st.DrawFn) -> Dispute:
    return Dispute(
        id=draw(st.integers(1, 10**12)),
        status=draw(st.sampled_from(list(DisputeStatus))),
        speaker=draw(_text),
        topic=draw(_text),
        claim=draw(evidence(EvidenceRole.CLAIM)),
        evidence=tuple(draw(st.lists(evidence(), max_size=30))),
        confidence=draw(st.floats(0, 1)),
        reasons=tuple(draw(st.lists(_text, max_size=8))),
    )


MENTION = re.compile(r"@(everyone|here)|<@[!&]?\d|<#\d")


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(disputes())
def test_any_dispute_renders_within_limits_and_inert(dispute: Dispute) -> None:
    view = build_view(dispute, update=dispute.evidence[-1] if dispute.evidence else None)
    for embed in (parent_embed(view, REF), reply_embed(view, REF), results_embed([view], dispute.topic)):
        check_limits(embed)
        assert not MENTION.search(visible_text(embed))
        url = embed.to_dict().get("url")
        assert url is None or url.startswith(("http://", "https://"))
    footer = parent_embed(view, REF).footer.text
    assert footer is not None and footer.endswith(REF_PREFIX + REF)  # find_sent relies on it
    name = thread_name(view)
    assert 0 < len(name) <= THREAD_NAME_MAX


def test_embeds_link_to_their_timeline() -> None:
    from bot.alerts.view import AlertStyle

    style = AlertStyle(base_url="https://factbot.example.org")
    d = reference_dispute(with_embassy=True)
    parent = parent_embed(build_view(d, style=style), REF)
    assert "[Timeline, sources and why](https://factbot.example.org/disputes/7)" in (parent.description or "")
    reply = reply_embed(build_view(d, update=d.evidence[1], style=style), REF)
    assert "https://factbot.example.org/disputes/7" in (reply.description or "")
    assert "/disputes/" not in (parent_embed(build_view(d), REF).description or "")
