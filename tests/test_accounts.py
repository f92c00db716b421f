"""Social account feeds: reposts, boosts and quotes credited to their own authors.

The documents imitate how each bridge marks a repost or a quote (Nitter, RSSHub, Mastodon,
Bluesky); the post texts are written for these tests.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from bot import app
from bot.config import load_config
from bot.detect.actors import Gazetteer
from bot.detect.statements import extract_statements
from bot.ingest.accounts import attribute
from bot.ingest.parse import parse_feed
from bot.storage import schema as s
from bot.storage.db import Database
from bot.types import FeedKind, Item, StatementKind
from tests import feedserver as _feedserver_module
from tests.feedserver import FeedServer

feedserver = _feedserver_module.feedserver  # the fixture, used by name below

NITTER = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0">
<channel><title>Border Agency / @borderagency</title><link>https://nitter.example/borderagency</link>
<item><title>Our officers seized two tonnes of cargo at the northern crossing today.</title>
 <dc:creator>@borderagency</dc:creator>
 <description><![CDATA[<p>Our officers seized two tonnes of cargo at the northern crossing today.</p>]]></description>
 <pubDate>Wed, 14 May 2025 10:00:00 GMT</pubDate><guid isPermaLink="false">1001</guid>
 <link>https://nitter.example/borderagency/status/1001</link></item>
<item><title>RT by @borderagency: The crossing will stay closed all week, the ministry denies any reopening.</title>
 <dc:creator>@interiorministry</dc:creator>
 <description><![CDATA[<p>The crossing will stay closed all week, the ministry denies any reopening.</p>]]></description>
 <pubDate>Wed, 14 May 2025 11:00:00 GMT</pubDate><guid isPermaLink="false">1002</guid>
 <link>https://nitter.example/interiorministry/status/1002</link></item>
<item><title>This report is false.</title>
 <dc:creator>@borderagency</dc:creator>
 <description><![CDATA[<p>This report is false.</p>
<hr/>
<blockquote>
<b>Daily Courier (@dailycourier)</b>
<p>
<p>Agency officers fired shots at the crossing, witnesses say.</p>
</p>
<footer>
&mdash; <cite><a href="https://nitter.example/dailycourier/status/999">nitter.example/dailycourier/status/999</a>
</footer>
</blockquote>]]></description>
 <pubDate>Wed, 14 May 2025 12:00:00 GMT</pubDate><guid isPermaLink="false">1003</guid>
 <link>https://nitter.example/borderagency/status/1003</link></item>
</channel></rss>"""

RSSHUB = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Twitter @borderagency</title><link>https://x.com/borderagency</link>
<item><title>RT Interior Ministry: Curfew lifted in the border towns from tonight.</title>
 <description><![CDATA[RT&ensp;Interior Ministry<br>Curfew lifted in the border towns from tonight.]]></description>
 <link>https://x.com/borderagency/status/2001</link><guid>https://twitter.com/borderagency/status/2001</guid>
 <author><![CDATA[Border Agency]]></author></item>
<item><title>We stand by our figures.</title>
 <description><![CDATA[We stand by our figures.<hr style='border:0;border-top:1px solid #80808030;margin:12px 0;'><div class="rsshub-quote">City Mayor:&ensp;The agency inflated its arrest numbers.<br></div>]]></description>
 <link>https://x.com/borderagency/status/2002</link><guid>https://twitter.com/borderagency/status/2002</guid>
 <author><![CDATA[Border Agency]]></author></item>
</channel></rss>"""

MASTODON = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Border Agency</title><link>https://social.example/@borderagency</link>
<item><guid isPermaLink="true">https://social.example/@borderagency/3001</guid>
 <link>https://social.example/@borderagency/3001</link><pubDate>Wed, 14 May 2025 10:00:00 +0000</pubDate>
 <description>&lt;p class="quote-inline"&gt;RE: &lt;a href="https://other.example/@ministry/77"&gt;other.example/@ministry/77&lt;/a&gt;&lt;/p&gt;&lt;p&gt;We never said the crossing would reopen.&lt;/p&gt;</description></item>
</channel></rss>"""


def test_nitter_repost_and_quote() -> None:
    own, repost, comment, quoted = parse_feed(
        NITTER, "https://nitter.example/borderagency/rss", account=True
    ).entries
    assert own.shared is None and own.original_author is None
    assert repost.shared == "repost" and repost.original_author == "@interiorministry"
    assert repost.title.startswith("The crossing will stay closed")  # "RT by @...:" is not the post
    assert comment.shared is None and comment.text == "This report is false."  # the quote is cut out
    assert quoted.shared == "quote" and quoted.original_author == "Daily Courier"
    assert quoted.text == "Agency officers fired shots at the crossing, witnesses say."
    assert quoted.link == quoted.guid == "https://nitter.example/dailycourier/status/999"


def test_without_account_the_feed_is_read_as_before() -> None:
    entries = parse_feed(NITTER, "https://nitter.example/borderagency/rss").entries
    assert len(entries) == 3 and all(e.shared is None for e in entries)
    assert entries[1].title.startswith("RT by @borderagency:")


def test_rsshub_retweet_and_quote() -> None:
    repost, comment, quoted = parse_feed(
        RSSHUB, "https://rsshub.example/twitter/user/borderagency", account=True
    ).entries
    assert repost.shared == "repost" and repost.original_author == "Interior Ministry"
    assert repost.text == "Curfew lifted in the border towns from tonight."
    assert comment.text == "We stand by our figures." and comment.shared is None
    assert quoted.original_author == "City Mayor" and quoted.text == "The agency inflated its arrest numbers."
    assert quoted.guid == "https://twitter.com/borderagency/status/2002#quote"  # no link to the quoted post


def test_mastodon_quote_marker_is_cut_and_boosts_never_appear() -> None:
    (own,) = parse_feed(MASTODON, "https://social.example/@borderagency.rss", account=True).entries
    assert own.text == "We never said the crossing would reopen." and own.shared is None


def test_classic_rt_and_plain_posts() -> None:
    a = attribute("RT @cityhall: Schools open on Monday", "Schools open on Monday", None)
    assert (a.shared, a.original_author, a.title) == ("repost", "@cityhall", "Schools open on Monday")
    plain = attribute("Schools open on Monday", "<p>Schools open on Monday</p>", "@cityhall")
    assert (
        plain.shared is None and plain.quoted is None and plain.body_html == "<p>Schools open on Monday</p>"
    )


def _item(text: str, *, shared: str | None = None, author: str | None = None) -> Item:
    now = datetime(2025, 5, 15, 9, 0, tzinfo=UTC)
    return Item(
        id=1,
        feed_id=1,
        guid="g",
        link=None,
        title=text,
        text="",
        published=now,
        first_seen=now,
        content_hash="h",
        language="en",
        feed_kind=FeedKind.OFFICIAL,
        feed_actor="U.S. Immigration and Customs Enforcement",
        feed_name="ICE on X",
        shared=shared,
        original_author=author,
    )


def test_a_repost_is_its_authors_statement_not_the_accounts(gaz: Gazetteer) -> None:
    text = "The operation in Sinaloa was carried out by Mexican forces alone."
    (own,) = extract_statements(_item(text), gaz)
    assert own.speaker is not None and own.speaker.key == "us.ice"
    (theirs,) = extract_statements(_item(text, shared="repost", author="U.S. Embassy in Mexico"), gaz)
    assert theirs.speaker is not None and theirs.speaker.name == "U.S. Embassy in Mexico"
    (unknown,) = extract_statements(_item(text, shared="repost", author="@some_reporter"), gaz)
    assert unknown.speaker is not None and not unknown.speaker.official  # a stranger is not official
    assert extract_statements(_item(text, shared="repost"), gaz) == []  # author unknown: skipped


async def test_account_feed_end_to_end(feedserver: FeedServer, tmp_path: Path) -> None:
    url = feedserver.add("/border.rss", NITTER, etag='"v1"')
    cfg = tmp_path / "factbot.toml"
    cfg.write_text(
        f'[database]\nurl = "sqlite:///{tmp_path}/acc.db"\n[alerts]\nmax_age_days = 0\n'
        f'[[feeds]]\nurl = "{url}"\nkind = "official"\nactor = "Border Agency"\naccount = true\n'
    )
    report = await app.run_once(load_config(cfg))
    assert report.ok and report.new_items == 4
    db = Database(f"sqlite:///{tmp_path}/acc.db")
    try:
        async with db.connect() as conn:
            rows = (
                await conn.execute(
                    select(s.items.c.guid, s.statements.c.speaker_name, s.statements.c.kind).join(
                        s.statements, s.statements.c.item_id == s.items.c.id
                    )
                )
            ).all()
    finally:
        await db.close()
    speakers = {r.guid: (r.speaker_name, r.kind) for r in rows}
    assert speakers["1001"][0] == "Border Agency"
    assert speakers["1002"][0] == "@interiorministry"  # the repost: its author's words
    assert speakers["1003"] == ("Border Agency", StatementKind.DENIAL.value)  # its own comment
    assert speakers["https://nitter.example/dailycourier/status/999"][0] == "Daily Courier"
