"""Silent edits end to end: an official feed's item edited between two polls, through `run_once`.

Feeds are served from 127.0.0.1; alerts go to the console (stdout). The texts are the demo
story's (written for this project) and items written here in our own words.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from bot import app
from bot.config import load_config
from bot.demo import demo_dir, feed_for_round
from bot.storage import schema as s
from bot.storage.db import Database
from bot.storage.disputes import latest_disputes
from bot.types import DisputeStatus, EvidenceRole
from tests import feedserver as _feedserver_module
from tests.feedserver import FeedServer, rss

feedserver = _feedserver_module.feedserver  # the fixture, used by name below

ICE_ACTOR = "U.S. Immigration and Customs Enforcement"


def _config(tmp_path: Path, feeds: list[tuple[str, str, str | None]]) -> Path:
    text = f'[database]\nurl = "sqlite:///{tmp_path}/edits.db"\n[alerts]\nmax_age_days = 0\n[poll]\ntimeout = "5s"\n'
    for url, kind, actor in feeds:
        text += f'[[feeds]]\nurl = "{url}"\nkind = "{kind}"\n' + (f'actor = "{actor}"\n' if actor else "")
    p = tmp_path / "factbot.toml"
    p.write_text(text)
    return p


async def _disputes(tmp_path: Path) -> list:
    db = Database(f"sqlite:///{tmp_path}/edits.db")
    try:
        async with db.connect() as conn:
            return await latest_disputes(conn, 10)
    finally:
        await db.close()


async def test_softened_claim_in_a_dispute_gets_a_silently_edited_correction(
    feedserver: FeedServer, tmp_path: Path, capsys
) -> None:
    demo = demo_dir()
    ice = feed_for_round((demo / "ice-newsroom.xml").read_bytes(), 2)
    urls = {
        name: feedserver.add(f"/{name}", feed_for_round((demo / name).read_bytes(), 2), etag='"v1"')
        for name in ("presidency.xml", "embassy.xml", "wire.xml")
    }
    ice_url = feedserver.add("/ice.xml", ice, etag='"v1"')
    config = load_config(
        _config(
            tmp_path,
            [
                (ice_url, "official", ICE_ACTOR),
                (urls["presidency.xml"], "official", "Claudia Sheinbaum"),
                (urls["embassy.xml"], "official", "U.S. Embassy in Mexico"),
                (urls["wire.xml"], "news", None),
            ],
        )
    )
    first = await app.run_once(config)
    assert first.ok, first.errors
    (dispute,) = await _disputes(tmp_path)
    assert dispute.claim.title.startswith("HSI vetted unit leads")
    capsys.readouterr()

    # The agency edits its post in place: the unit now only "supported" the operation.
    edited = ice.replace(b"an operation led by its", b"an operation supported by its")
    assert edited != ice
    feedserver.add("/ice.xml", edited, etag='"v2"')
    second = await app.run_once(config)
    assert second.ok, second.errors
    assert second.edits.compared == 1 and second.edits.corrections == 1
    (after,) = await _disputes(tmp_path)
    assert after.id == dispute.id
    correction = [e for e in after.evidence if e.role is EvidenceRole.CORRECTION]
    assert len(correction) == 1 and after.status is DisputeStatus.CORRECTED
    quote = correction[0].quote
    assert (
        "Silently edited (softened" in quote
        and "operation led by" in quote
        and "operation supported by" in quote
    )
    assert correction[0].link == dispute.claim.link and correction[0].actor == ICE_ACTOR
    out = capsys.readouterr().out
    assert "Silently edited" in out  # the thread reply on the console

    # Polling again changes nothing: the edit alerted once.
    third = await app.run_once(config)
    assert third.edits.compared == 0
    assert "Silently edited" not in capsys.readouterr().out


async def test_reversed_claim_opens_a_dispute_and_cosmetic_edits_stay_quiet(
    feedserver: FeedServer, tmp_path: Path, capsys
) -> None:
    item = (
        "water-1",
        "City water is safe to drink again",
        "<p>The water authority says tap water in all districts is safe to drink again after Sunday's tests.</p>",
    )
    url = feedserver.add("/water.xml", rss([item]), etag='"v1"')
    config = load_config(_config(tmp_path, [(url, "official", "Metro Water Authority")]))
    assert (await app.run_once(config)).ok
    assert await _disputes(tmp_path) == []

    # a typo fixed and a stamp added: nothing to tell the desk
    cosmetic = (item[0], item[1].replace("again", "agian"), item[2] + "<p>Updated 09:15 GMT</p>")
    feedserver.add("/water.xml", rss([cosmetic]), etag='"v2"')
    quiet = await app.run_once(config)
    assert quiet.edits.compared == 1 and quiet.edits.cosmetic == 1
    assert await _disputes(tmp_path) == []
    capsys.readouterr()

    # the authority now says the opposite, without a word about the change
    reversed_ = (item[0], item[1], item[2].replace("is safe to drink", "is not safe to drink"))
    feedserver.add("/water.xml", rss([reversed_]), etag='"v3"')
    loud = await app.run_once(config)
    assert loud.edits.disputes_created == 1
    (dispute,) = await _disputes(tmp_path)
    assert dispute.speaker == "Metro Water Authority"
    assert "is safe to drink" in dispute.claim.quote  # the claim as first published
    (ev,) = dispute.evidence
    assert ev.role is EvidenceRole.CORRECTION and "reversed" in ev.quote and "is not safe" in ev.quote
    assert "Silently edited (reversed" in capsys.readouterr().out

    db = Database(f"sqlite:///{tmp_path}/edits.db")
    try:
        async with db.connect() as conn:
            guids = (await conn.execute(select(s.items.c.guid))).scalars().all()
    finally:
        await db.close()
    assert sorted(guids) == ["factbot:edit:1:3", "water-1"]  # the record of the edit, and the item


async def test_news_feed_edits_are_not_compared(feedserver: FeedServer, tmp_path: Path) -> None:
    item = ("n1", "Council votes on budget", "<p>The council will vote on the budget on Monday.</p>")
    url = feedserver.add("/news.xml", rss([item]), etag='"v1"')
    config = load_config(_config(tmp_path, [(url, "news", None)]))
    await app.run_once(config)
    feedserver.add(
        "/news.xml", rss([(item[0], item[1], "<p>The council will not vote on Monday.</p>")]), etag='"v2"'
    )
    report = await app.run_once(config)
    assert report.edits.skipped == 1 and report.edits.compared == 0
    assert await _disputes(tmp_path) == []
