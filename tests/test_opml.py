"""OPML export (`factbot export-opml`) and its round trip through `factbot import-opml`."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.opml import parse_opml, write_opml
from bot.types import Feed, FeedKind
from tests.test_cli import config_file, run_cli  # noqa: F401 - the fixture is used by name

FEEDS = [
    Feed(
        id=1,
        url="https://ice.example/news.xml",
        name="ICE newsroom",
        kind=FeedKind.OFFICIAL,
        actor="us.ice",
        interval_s=300,
    ),
    Feed(
        id=2,
        url="https://wire.example/rss?section=world&x=1",
        name='Wire & "Co" <world>',
        kind=FeedKind.NEWS,
        language="es",
    ),
    Feed(id=3, url="https://quiet.example/feed", name="", kind=FeedKind.NEWS, enabled=False),
]


def test_export_is_opml_any_reader_understands_with_factbot_attributes() -> None:
    data = write_opml(FEEDS)
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert b'xmlUrl="https://wire.example/rss?section=world&amp;x=1"' in data
    assert b'title="Wire &amp; &quot;Co&quot; &lt;world&gt;"' in data
    specs = parse_opml(data)
    assert [(s.url, s.name, s.kind, s.actor, s.language, s.interval_s) for s in specs] == [
        ("https://ice.example/news.xml", "ICE newsroom", FeedKind.OFFICIAL, "us.ice", None, 300),
        (
            "https://wire.example/rss?section=world&x=1",
            'Wire & "Co" <world>',
            FeedKind.NEWS,
            None,
            "es",
            None,
        ),
        ("https://quiet.example/feed", "https://quiet.example/feed", FeedKind.NEWS, None, None, None),
    ]


def test_a_kind_given_on_import_wins_over_the_file() -> None:
    specs = parse_opml(write_opml(FEEDS), kind=FeedKind.OFFICIAL, actor="Some Ministry")
    assert {(s.kind, s.actor) for s in specs} == {(FeedKind.OFFICIAL, "Some Ministry")}


@settings(max_examples=100, deadline=None)
@given(name=st.text(max_size=200), actor=st.one_of(st.none(), st.text(min_size=1, max_size=80)))
def test_any_name_survives_the_round_trip_as_text(name: str, actor: str | None) -> None:
    feed = Feed(id=1, url="https://x.example/f", name=name, kind=FeedKind.OFFICIAL, actor=actor)
    (spec,) = parse_opml(write_opml([feed]))

    # XML cannot carry control characters: those are dropped, everything else is kept as text
    def xml(text: str) -> str:
        return "".join(c for c in text if c in "\t\n\r" or (ord(c) >= 0x20 and c not in "\ufffe\uffff"))

    assert spec.name == xml(name or feed.url).strip()[:300]
    kept = xml(actor or "").strip() or None
    assert (spec.actor, spec.kind) == (kept, FeedKind.OFFICIAL if kept else FeedKind.NEWS)


def test_cli_export_then_import_moves_the_feed_list(config_file: Path, tmp_path: Path) -> None:  # noqa: F811
    assert (
        run_cli(
            "--config",
            str(config_file),
            "feeds",
            "add",
            "https://ice.example/news.xml",
            "--kind",
            "official",
            "--actor",
            "us.ice",
            "--interval",
            "5m",
        )[0]
        == 0
    )
    assert (
        run_cli("--config", str(config_file), "feeds", "add", "https://wire.example/rss", "--language", "es")[
            0
        ]
        == 0
    )
    code, text = run_cli("--config", str(config_file), "export-opml")
    assert code == 0 and text.startswith("<?xml") and "https://ice.example/news.xml" in text
    out = tmp_path / "desk.opml"
    code, text = run_cli("--config", str(config_file), "export-opml", str(out))
    assert code == 0 and text.strip() == f"exported 2 feeds to {out}"
    other = tmp_path / "other.toml"
    other.write_text(f'[database]\nurl = "sqlite:///{tmp_path}/other.db"\n[logging]\nlevel = "WARNING"\n')
    code, text = run_cli("--config", str(other), "import-opml", str(out))
    assert code == 0 and "imported 2 new feeds" in text
    code, listing = run_cli("--config", str(other), "feeds", "list")
    assert "official https://ice.example/news.xml" in listing and "actor='us.ice'" in listing
    assert "news     https://wire.example/rss" in listing


def test_export_to_an_unwritable_place_is_a_usage_error(config_file: Path, tmp_path: Path) -> None:  # noqa: F811
    assert (
        run_cli("--config", str(config_file), "export-opml", str(tmp_path / "no" / "such" / "dir.opml"))[0]
        == 2
    )
