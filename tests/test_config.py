"""The TOML config loader: defaults, ${ENV} interpolation, and errors that name file, key and reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.config import Config, ConfigError, check_feed_url, load_config, parse_config, parse_duration
from bot.types import FeedKind

REPO = Path(__file__).resolve().parents[1]


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "factbot.toml"
    p.write_text(text, encoding="utf-8")
    return p


def error_of(tmp_path: Path, text: str) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text))
    return info.value


def test_empty_file_gives_the_documented_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, ""))
    assert config == Config(path=str(tmp_path / "factbot.toml"))
    assert config.database.url.startswith("sqlite:///")
    assert not config.slack.enabled and not config.discord.enabled


def test_a_retraction_bar_is_off_unless_set(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, "")).alerts.retraction_threshold is None
    assert (
        load_config(write(tmp_path, "[alerts]\nretraction_threshold = 0.45\n")).alerts.retraction_threshold
        == 0.45
    )


def test_the_shipped_example_config_is_valid(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "SLACK_BOT_TOKEN",
        "SLACK_CHANNEL",
        "DISCORD_TOKEN",
        "DISCORD_CHANNEL_ID",
        "FACTBOT_DATABASE_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    config = load_config(REPO / "config" / "factbot.toml")
    assert config.database.url == "sqlite:///factbot.db"
    assert config.poll.interval_s == 600 and config.poll.timeout_s == 20.0
    assert config.alerts.max_age_days == 3
    assert not config.slack.enabled and not config.discord.enabled
    assert config.discord.channel_id is None


def test_the_demo_config_is_valid(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("FACTBOT_DEMO_BASE", "http://127.0.0.1:8080")
    monkeypatch.setenv("FACTBOT_DEMO_DB", str(tmp_path / "demo.db"))
    config = load_config(REPO / "config" / "demo" / "factbot-demo.toml")
    assert [f.url.rsplit("/", 1)[1] for f in config.feeds] == [
        "ice-newsroom.xml",
        "presidency.xml",
        "embassy.xml",
        "wire.xml",
    ]
    assert config.alerts.max_age_days == 0


def test_full_example_from_the_issue(tmp_path: Path) -> None:
    config = load_config(
        write(
            tmp_path,
            """
[database]
url = "postgresql+asyncpg://user@host/db"
[poll]
interval = "5m"
concurrency = 8
timeout = "20s"
max_bytes = 10_000_000
user_agent = "test-agent"
[alerts]
max_age_days = 0
[slack]
bot_token = "xoxb-1"
channel = "C0ALERTS"
api_url = "http://127.0.0.1:9/api/"
[discord]
token = "abc"
channel_id = "123456789012345678"
guild_ids = [1, "2"]
[[feeds]]
url = "https://example.org/ice.rss"
name = "ICE newsroom"
kind = "official"
actor = "U.S. Immigration and Customs Enforcement"
language = "en"
interval = "90s"
[[feeds]]
url = "http://example.org/news.xml"
""",
        )
    )
    assert (
        config.poll.interval_s == 300
        and config.poll.concurrency == 8
        and config.poll.user_agent == "test-agent"
    )
    assert config.slack.enabled and config.slack.api_url == "http://127.0.0.1:9/api/"
    assert config.discord.enabled and config.discord.channel_id == 123456789012345678
    assert config.discord.guild_ids == (1, 2)
    official, news = config.feeds
    assert official.kind is FeedKind.OFFICIAL and official.interval_s == 90 and official.language == "en"
    assert news.kind is FeedKind.NEWS and news.interval_s is None and news.actor is None


def test_env_interpolation_with_and_without_fallback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FB_TOKEN", "xoxb-secret")
    monkeypatch.delenv("FB_MISSING", raising=False)
    config = load_config(
        write(tmp_path, '[slack]\nbot_token = "${FB_TOKEN}"\nchannel = "${FB_MISSING:-C0DEFAULT}"\n')
    )
    assert config.slack.bot_token == "xoxb-secret" and config.slack.channel == "C0DEFAULT"
    err = error_of(tmp_path, '[slack]\nbot_token = "${FB_MISSING}"\n')
    assert err.key == "slack.bot_token" and "FB_MISSING" in err.reason


def test_unknown_key_names_file_key_and_suggestion(tmp_path: Path) -> None:
    err = error_of(tmp_path, '[poll]\nintervall = "5m"\n')
    assert err.path == str(tmp_path / "factbot.toml")
    assert err.key == "poll.intervall"
    assert "unknown key" in err.reason and "'interval'" in err.reason
    assert str(tmp_path / "factbot.toml") in str(err) and "poll.intervall" in str(err)


@pytest.mark.parametrize(
    ("text", "key", "words"),
    [
        ("[datbase]\nurl = 'sqlite:///x'\n", "datbase", "unknown key"),
        ("[database]\nurl = 'mysql://x'\n", "database.url", "sqlite"),
        ("[poll]\ninterval = 'soon'\n", "poll.interval", "not a duration"),
        ("[poll]\ninterval = '-5m'\n", "poll.interval", "not a duration"),
        ("[poll]\ninterval = 0\n", "poll.interval", "positive"),
        ("[poll]\nconcurrency = 0\n", "poll.concurrency", "at least 1"),
        ("[poll]\nconcurrency = 'eight'\n", "poll.concurrency", "an integer"),
        ("[poll]\nconcurrency = true\n", "poll.concurrency", "boolean"),
        ("[poll]\njitter = 0.9\n", "poll.jitter", "between"),
        ("[alerts]\nreview_threshold = 0.9\nalert_threshold = 0.5\n", "alerts.review_threshold", "above"),
        ("[alerts]\nretraction_threshold = 0.3\n", "alerts.retraction_threshold", "below review_threshold"),
        ("[alerts]\nretraction_threshold = 1.5\n", "alerts.retraction_threshold", "between"),
        ("[slack]\nmode = 'rtm'\n", "slack.mode", "not one of"),
        ("[slack]\nport = 70000\n", "slack.port", "65535"),
        ("[slack]\napi_url = 'ftp://x/'\n", "slack.api_url", "http"),
        ("[slack]\nbot_token = 'x'\nmode = 'http'\n", "slack.signing_secret", "required"),
        ("[slack]\nadmins = [1, 2]\n", "slack.admins", "list of strings"),
        ("[discord]\nchannel_id = 'general'\n", "discord.channel_id/guild_ids", "snowflakes"),
        ("[detect]\nblas_threads = 'one'\n", "detect.blas_threads", "an integer"),
        ("[logging]\nlevel = 'loud'\n", "logging.level", "DEBUG"),
        ("[logging]\nformat = 'xml'\n", "logging.format", "not one of"),
        ("feeds = 'x'\n", "feeds", "array of tables"),
        ("[[feeds]]\nname = 'no url'\n", "feeds[0].url", "missing"),
        ("[[feeds]]\nurl = 'file:///etc/passwd'\n", "feeds[0].url", "http"),
        ("[[feeds]]\nurl = 'http://'\n", "feeds[0].url", "no host"),
        ("[[feeds]]\nurl = 'http://a/x'\n[[feeds]]\nurl = 'http://a/x'\n", "feeds[1].url", "twice"),
        ("[[feeds]]\nurl = 'http://a/x'\nkind = 'blog'\n", "feeds[0].kind", "not one of"),
        ("[[feeds]]\nurl = 'http://a/x'\nkind = 'official'\n", "feeds[0].actor", "actor"),
        ("[[feeds]]\nurl = 'http://a/x'\ninterval = 'weekly'\n", "feeds[0].interval", "duration"),
        ("[[feeds]]\nurl = 'http://a/x'\ncolour = 'red'\n", "feeds[0].colour", "unknown key"),
        ("poll = 3\n", "poll", "table"),
    ],
)
def test_bad_values_are_clear_errors(tmp_path: Path, text: str, key: str, words: str) -> None:
    err = error_of(tmp_path, text)
    assert err.key == key
    assert words in err.reason
    assert str(err).startswith(str(tmp_path / "factbot.toml"))


def test_file_level_errors(tmp_path: Path) -> None:
    assert "file not found" in str(pytest.raises(ConfigError, load_config, tmp_path / "nope.toml").value)
    assert "invalid TOML" in error_of(tmp_path, "[poll\n").reason
    p = tmp_path / "latin1.toml"
    p.write_bytes(b'[poll]\nuser_agent = "caf\xe9"\n')
    assert "UTF-8" in pytest.raises(ConfigError, load_config, p).value.reason


def test_config_path_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = write(tmp_path, "[poll]\ninterval = '1h'\n")
    monkeypatch.setenv("FACTBOT_CONFIG", str(p))
    assert load_config().poll.interval_s == 3600
    assert load_config(p).path == str(p)


def test_integers_can_come_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "8123")
    config = load_config(
        write(tmp_path, '[slack]\nport = "${PORT}"\n[poll]\nconcurrency = "${FB_UNSET:-12}"\n')
    )
    assert config.slack.port == 8123 and config.poll.concurrency == 12


def test_parse_config_accepts_an_already_parsed_document() -> None:
    config = parse_config({"logging": {"level": "debug", "format": "json"}}, "inline")
    assert config.log_level == "DEBUG" and config.log_format == "json" and config.path == "inline"


@given(st.integers(min_value=1, max_value=10**6), st.sampled_from(["", "s", "m", "h", "d", "ms"]))
def test_durations_scale_by_unit(n: int, unit: str) -> None:
    scale = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "ms": 0.001}[unit]
    assert parse_duration(f"{n}{unit}") == pytest.approx(n * scale)


@given(st.one_of(st.text(max_size=30), st.none(), st.booleans(), st.floats(allow_nan=True), st.integers()))
def test_durations_never_raise_anything_but_valueerror(value: object) -> None:
    try:
        assert parse_duration(value) > 0
    except ValueError:
        pass


@given(st.text(max_size=100))
def test_feed_url_check_never_crashes(value: str) -> None:
    try:
        url = check_feed_url(value)
    except ValueError:
        return
    assert url.split(":", 1)[0] in ("http", "https")


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_non_finite_intervals_are_rejected(tmp_path: Path, value: str) -> None:
    err = error_of(tmp_path, f"[poll]\ninterval = {value}\n")
    assert err.key == "poll.interval" and "finite" in err.reason


def test_blas_threads_for_replicas_sharing_cores(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, "")).detect.blas_threads == 0  # numpy's own default
    assert load_config(write(tmp_path, "[detect]\nblas_threads = 1\n")).detect.blas_threads == 1
