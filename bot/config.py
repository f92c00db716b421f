"""Configuration: TOML with `${ENV}` interpolation, validated into frozen dataclasses.

Every problem is a `ConfigError` that names the file, the key and the reason; the CLI turns
it into exit code 2. Secrets belong in the environment (`bot_token = "${SLACK_BOT_TOKEN}"`).
"""

from __future__ import annotations

import math
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bot.types import FeedKind, FeedSpec
from bot.urls import url_key

DEFAULT_CONFIG_PATH = "config/factbot.toml"


class ConfigError(Exception):
    """A configuration problem: file, key and reason."""

    def __init__(self, path: str, key: str, reason: str) -> None:
        self.path, self.key, self.reason = path, key, reason
        where = f"{path}: {key}" if key else path
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True, slots=True)
class DatabaseConfig:
    url: str = "sqlite:///factbot.db"


@dataclass(frozen=True, slots=True)
class PollConfig:
    interval_s: int = 600
    concurrency: int = 32
    per_host: int = 4
    timeout_s: float = 20.0
    max_bytes: int = 10_000_000
    max_redirects: int = 5
    jitter: float = 0.1  # fraction of the interval
    user_agent: str = "factbot/0.1 (+contact: newsroom@example.org)"
    failure_notice_after: int = 3  # consecutive failures before the admin is told (once per streak)
    max_backoff_s: int = 6 * 3600
    # WebSub: subscribe to feeds that advertise a hub (needs `[web] base_url` and the web server)
    websub: bool = True
    websub_fallback_s: int = 3600  # poll interval of a feed while its hub pushes to us
    websub_lease_s: int = 7 * 86400  # lease asked of the hub (the hub may grant another)


@dataclass(frozen=True, slots=True)
class AlertsConfig:
    max_age_days: int = 3  # 0 = no limit
    alert_threshold: float = 0.6
    review_threshold: float = 0.4
    # a side taking back its own words (decision.takes_back_own_words) alerts from here when set
    # lower than alert_threshold; off by default: measured in the README ("Sixth stop")
    retraction_threshold: float | None = None
    # an alert also needs the wording model's agreement (`bot/detect/wording.py`): below this,
    # a dispute goes to review instead; 0 turns the second opinion off. 0.2 chosen on the
    # tuning side (README, "Tenth stop")
    wording_threshold: float = 0.2
    # an item whose words alone read as a dispute this much (`bot/detect/worded.py`) is one, where
    # the rules read no dispute word and the decision found none; 0 turns it off
    words_alone_threshold: float = 0.9
    review_channel: str | None = None
    language: str = "en"  # the desk's language: an item in another one is marked as such
    give_up_after_s: float = 7 * 86400  # a transient failure keeps an alert retrying this long
    max_backoff_s: float = 600.0  # retries back off (10 s doubling) up to this, then stay there
    mute: str = "admins"  # who may mute a story for the whole desk: admins | anyone


LOCAL_HOSTS = ("127.0.0.1", "::1", "localhost")


@dataclass(frozen=True, slots=True)
class WebConfig:
    """The web pages and /metrics served inside `factbot run` (not by `run --once`)."""

    enabled: bool = True
    host: str = "127.0.0.1"
    port: int = 8080  # 0: any free port (tests)
    base_url: str | None = None  # how readers reach the pages; alerts link to timelines when set
    token: str | None = None  # required when `host` is not a loopback address
    ready_max_age_s: float = 600.0  # /readyz fails when the last complete cycle is older

    @property
    def local_only(self) -> bool:
        """True when only this machine can reach the pages."""
        return self.host in LOCAL_HOSTS


@dataclass(frozen=True, slots=True)
class DetectConfig:
    actors_file: str | None = None  # extra actors (TOML, same format as config/actors.toml)
    link_window_days: int = 30  # how far back a denial looks for the claim it answers
    retraction_window_days: int = 365
    # how far back an authority's finding (audit, ruling, revised count) looks by meaning
    finding_window_days: int = 180
    use_stance_model: bool = True
    model_file: str | None = None  # a detector model trained by `make model` (default: the packaged one)
    wording_file: str | None = None  # a wording model trained by `make model` (default: the packaged one)
    blas_threads: int = 0  # numpy's BLAS threads in a detecting process; 0: numpy's default (one per core)


@dataclass(frozen=True, slots=True)
class SlackConfig:
    bot_token: str | None = None
    app_token: str | None = None
    signing_secret: str | None = None
    api_url: str | None = None
    channel: str | None = None
    mode: str = "socket"  # socket | http
    host: str = "0.0.0.0"  # HTTP mode: the address to listen on
    port: int = 3000
    admins: tuple[str, ...] = ()  # Slack user ids allowed to change feeds
    allow_hosts: tuple[str, ...] = ()  # feed hosts allowed even if they resolve to private addresses

    @property
    def enabled(self) -> bool:
        return bool(self.bot_token and self.channel)


@dataclass(frozen=True, slots=True)
class DiscordConfig:
    token: str | None = None
    channel_id: int | None = None
    guild_ids: tuple[int, ...] = ()
    admin_role: str | None = None
    api_url: str | None = None  # tests: a local fake of the REST API

    @property
    def enabled(self) -> bool:
        return bool(self.token and self.channel_id)


@dataclass(frozen=True, slots=True)
class Config:
    path: str = DEFAULT_CONFIG_PATH
    database: DatabaseConfig = field(default_factory=DatabaseConfig)
    poll: PollConfig = field(default_factory=PollConfig)
    alerts: AlertsConfig = field(default_factory=AlertsConfig)
    detect: DetectConfig = field(default_factory=DetectConfig)
    slack: SlackConfig = field(default_factory=SlackConfig)
    discord: DiscordConfig = field(default_factory=DiscordConfig)
    web: WebConfig = field(default_factory=WebConfig)
    feeds: tuple[FeedSpec, ...] = ()
    log_level: str = "INFO"
    log_format: str = "text"  # text | json


_ENV = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$")
_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, None: 1}


def parse_duration(value: Any) -> float:
    """'10m' -> 600.0; numbers are seconds. Raises ValueError with a readable reason."""
    if isinstance(value, bool):
        raise ValueError("expected a duration like '10m', '30s' or '1h'")
    if isinstance(value, int | float):
        if not math.isfinite(value):  # TOML allows nan and inf
            raise ValueError("must be a finite number of seconds")
        if value <= 0:
            raise ValueError("must be positive")
        return float(value)
    if not isinstance(value, str):
        raise ValueError("expected a duration like '10m', '30s' or '1h'")
    m = _DURATION.match(value)
    if not m:
        raise ValueError(f"{value!r} is not a duration (use e.g. '90s', '10m', '1h')")
    seconds = float(m.group(1)) * _UNITS[m.group(2)]
    if seconds <= 0:
        raise ValueError("must be positive")
    return seconds


def check_feed_url(url: Any) -> str:
    """Return the URL if it is an absolute http(s) URL with a host, else raise ValueError."""
    if not isinstance(url, str) or not url.strip():
        raise ValueError("expected a URL string")
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise ValueError(f"{url!r}: only http:// and https:// feed URLs are supported")
    if not parts.hostname:
        raise ValueError(f"{url!r}: the URL has no host")
    return url


def _interpolate(value: Any, path: str, key: str) -> Any:
    if isinstance(value, str):

        def sub(m: re.Match[str]) -> str:
            name, default = m.group(1), m.group(2)
            if name in os.environ:
                return os.environ[name]
            if default is not None:
                return default
            raise ConfigError(path, key, f"environment variable {name} is not set")

        return _ENV.sub(sub, value)
    if isinstance(value, dict):
        return {k: _interpolate(v, path, f"{key}.{k}" if key else k) for k, v in value.items()}
    if isinstance(value, list):
        return [_interpolate(v, path, f"{key}[{i}]") for i, v in enumerate(value)]
    return value


class _Section:
    """Reads one table of the TOML file, tracking which keys were used."""

    def __init__(self, path: str, name: str, data: Any) -> None:
        if not isinstance(data, dict):
            raise ConfigError(path, name, "expected a table")
        self.path, self.name, self.data = path, name, data
        self.used: set[str] = set()

    def key(self, k: str) -> str:
        return f"{self.name}.{k}" if self.name else k

    def error(self, k: str, reason: str) -> ConfigError:
        return ConfigError(self.path, self.key(k), reason)

    def get(self, k: str, types: type | tuple[type, ...], default: Any = None) -> Any:
        self.used.add(k)
        if k not in self.data:
            return default
        v = self.data[k]
        if isinstance(v, bool) and bool not in (types if isinstance(types, tuple) else (types,)):
            raise self.error(k, f"expected {_type_name(types)}, got a boolean")
        if not isinstance(v, types):
            raise self.error(k, f"expected {_type_name(types)}, got {type(v).__name__}")
        return v

    def string(self, k: str, default: str | None = None, *, choices: tuple[str, ...] = ()) -> str | None:
        v = self.get(k, str, default)
        if v is not None and choices and v not in choices:
            raise self.error(k, f"{v!r} is not one of {', '.join(choices)}")
        return v

    def integer(self, k: str, default: int, *, minimum: int = 0) -> int:
        raw = self.data.get(k)
        # `${ENV}` interpolation always yields strings: accept plain digits ("port = "${PORT}"").
        if isinstance(raw, str) and raw.strip().isdigit():
            self.data[k] = int(raw.strip())
        v = self.get(k, int, default)
        if v < minimum:
            raise self.error(k, f"must be at least {minimum}")
        return int(v)

    def number(self, k: str, default: float, *, lo: float = 0.0, hi: float = 1.0) -> float:
        v = float(self.get(k, (int, float), default))
        if not lo <= v <= hi:
            raise self.error(k, f"must be between {lo} and {hi}")
        return v

    def duration(self, k: str, default: float) -> float:
        self.used.add(k)
        if k not in self.data:
            return default
        try:
            return parse_duration(self.data[k])
        except ValueError as e:
            raise self.error(k, str(e)) from None

    def strings(self, k: str) -> tuple[str, ...]:
        v = self.get(k, list, [])
        if not all(isinstance(s, str) for s in v):
            raise self.error(k, "expected a list of strings")
        return tuple(v)

    def done(self) -> None:
        unknown = sorted(set(self.data) - self.used)
        if unknown:
            raise self.error(unknown[0], "unknown key" + _did_you_mean(unknown[0], self.used))


def _type_name(types: type | tuple[type, ...]) -> str:
    names = {
        str: "a string",
        int: "an integer",
        float: "a number",
        list: "a list",
        bool: "true or false",
        dict: "a table",
    }
    ts = types if isinstance(types, tuple) else (types,)
    return " or ".join(names.get(t, t.__name__) for t in ts)


def _did_you_mean(key: str, known: set[str]) -> str:
    import difflib

    close = difflib.get_close_matches(key, sorted(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def load_config(path: str | os.PathLike[str] | None = None) -> Config:
    """Load and validate the config file: `path`, else $FACTBOT_CONFIG, else config/factbot.toml."""
    p = str(path or os.environ.get("FACTBOT_CONFIG") or DEFAULT_CONFIG_PATH)
    try:
        raw = Path(p).read_bytes()
    except FileNotFoundError:
        raise ConfigError(p, "", "file not found") from None
    except OSError as e:
        raise ConfigError(p, "", f"cannot read: {e.strerror}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(p, "", "not UTF-8 text") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(p, "", f"invalid TOML: {e}") from None
    return parse_config(data, p)


def parse_config(data: dict[str, Any], path: str = "<config>") -> Config:
    """Validate an already-parsed TOML document (after `${ENV}` interpolation)."""
    data = _interpolate(data, path, "")
    top = _Section(path, "", data)
    sections = ("database", "poll", "alerts", "detect", "slack", "discord", "web", "feeds", "logging")
    for k in sections:
        top.used.add(k)
    top.done()

    db = _Section(path, "database", data.get("database", {}))
    default_url = DatabaseConfig().url  # (slots dataclasses have no class-level defaults)
    database = DatabaseConfig(url=db.string("url", default_url) or default_url)
    if not re.match(r"^(sqlite|postgresql)(\+\w+)?://", database.url):
        raise db.error("url", "expected sqlite:///PATH or postgresql://USER@HOST/DB")
    db.done()

    pl = _Section(path, "poll", data.get("poll", {}))
    d = PollConfig()
    poll = PollConfig(
        interval_s=int(pl.duration("interval", d.interval_s)),
        concurrency=pl.integer("concurrency", d.concurrency, minimum=1),
        per_host=pl.integer("per_host", d.per_host, minimum=1),
        timeout_s=pl.duration("timeout", d.timeout_s),
        max_bytes=pl.integer("max_bytes", d.max_bytes, minimum=1024),
        max_redirects=pl.integer("max_redirects", d.max_redirects, minimum=0),
        jitter=pl.number("jitter", d.jitter, lo=0.0, hi=0.5),
        user_agent=pl.string("user_agent", d.user_agent) or d.user_agent,
        failure_notice_after=pl.integer("failure_notice_after", d.failure_notice_after, minimum=1),
        max_backoff_s=int(pl.duration("max_backoff", d.max_backoff_s)),
        websub=bool(pl.get("websub", bool, d.websub)),
        websub_fallback_s=int(pl.duration("websub_fallback", d.websub_fallback_s)),
        websub_lease_s=int(pl.duration("websub_lease", d.websub_lease_s)),
    )
    if poll.websub_lease_s < 60:
        raise pl.error("websub_lease", "must be at least 60s")
    pl.done()

    al = _Section(path, "alerts", data.get("alerts", {}))
    a = AlertsConfig()
    alerts = AlertsConfig(
        max_age_days=al.integer("max_age_days", a.max_age_days),
        alert_threshold=al.number("alert_threshold", a.alert_threshold),
        review_threshold=al.number("review_threshold", a.review_threshold),
        retraction_threshold=al.number("retraction_threshold", 0.0)
        if "retraction_threshold" in al.data
        else None,
        wording_threshold=al.number("wording_threshold", a.wording_threshold),
        words_alone_threshold=al.number("words_alone_threshold", a.words_alone_threshold),
        review_channel=al.string("review_channel"),
        language=(al.string("language", a.language) or a.language).strip().lower(),
        give_up_after_s=al.duration("give_up_after", a.give_up_after_s),
        max_backoff_s=al.duration("max_backoff", a.max_backoff_s),
        mute=al.string("mute", a.mute, choices=("admins", "anyone")) or a.mute,
    )
    if alerts.review_threshold > alerts.alert_threshold:
        raise al.error("review_threshold", "must not be above alert_threshold")
    if alerts.retraction_threshold is not None and alerts.retraction_threshold < alerts.review_threshold:
        raise al.error("retraction_threshold", "must not be below review_threshold")
    if not re.fullmatch(r"[a-z]{2,3}", alerts.language):
        raise al.error("language", f"{alerts.language!r} is not a language code such as 'en' or 'es'")
    al.done()

    dt = _Section(path, "detect", data.get("detect", {}))
    dd = DetectConfig()
    detect = DetectConfig(
        actors_file=dt.string("actors_file"),
        link_window_days=dt.integer("link_window_days", dd.link_window_days, minimum=1),
        retraction_window_days=dt.integer("retraction_window_days", dd.retraction_window_days, minimum=1),
        finding_window_days=dt.integer("finding_window_days", dd.finding_window_days, minimum=1),
        use_stance_model=bool(dt.get("use_stance_model", bool, dd.use_stance_model)),
        model_file=dt.string("model_file"),
        wording_file=dt.string("wording_file"),
        blas_threads=dt.integer("blas_threads", dd.blas_threads),
    )
    dt.done()

    sl = _Section(path, "slack", data.get("slack", {}))
    slack = SlackConfig(
        bot_token=sl.string("bot_token") or None,
        app_token=sl.string("app_token") or None,
        signing_secret=sl.string("signing_secret") or None,
        api_url=sl.string("api_url") or None,
        channel=sl.string("channel") or None,
        mode=sl.string("mode", "socket", choices=("socket", "http")) or "socket",
        host=(sl.string("host", "0.0.0.0") or "0.0.0.0").strip(),
        port=sl.integer("port", 3000, minimum=1),
        admins=sl.strings("admins"),
        allow_hosts=sl.strings("allow_hosts"),
    )
    if slack.api_url:
        try:
            check_feed_url(slack.api_url)
        except ValueError as e:
            raise sl.error("api_url", str(e)) from None
    if slack.port > 65535:
        raise sl.error("port", "must be at most 65535")
    if slack.bot_token and slack.mode == "http" and not slack.signing_secret:
        raise sl.error("signing_secret", 'required when mode = "http" (requests are verified with it)')
    sl.done()

    dc = _Section(path, "discord", data.get("discord", {}))
    channel_id = dc.get("channel_id", (int, str))
    guilds = dc.get("guild_ids", list, [])
    try:
        discord = DiscordConfig(
            token=dc.string("token") or None,
            channel_id=int(channel_id) if channel_id not in (None, "") else None,
            guild_ids=tuple(int(g) for g in guilds),
            admin_role=dc.string("admin_role"),
            api_url=dc.string("api_url"),
        )
    except ValueError:
        raise dc.error("channel_id/guild_ids", "Discord ids are numbers (snowflakes)") from None
    dc.done()

    web = _web_config(_Section(path, "web", data.get("web", {})))

    lg = _Section(path, "logging", data.get("logging", {}))
    log_level = (lg.string("level", "INFO") or "INFO").upper()
    if log_level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise lg.error("level", "expected DEBUG, INFO, WARNING or ERROR")
    log_format = lg.string("format", "text", choices=("text", "json")) or "text"
    lg.done()

    raw_feeds = data.get("feeds", [])
    if not isinstance(raw_feeds, list):
        raise ConfigError(path, "feeds", "use [[feeds]] tables (an array of tables)")
    feeds: list[FeedSpec] = []
    seen: set[str] = set()
    for i, f in enumerate(raw_feeds):
        fs = _Section(path, f"feeds[{i}]", f)
        url_raw = fs.get("url", str)
        if url_raw is None:
            raise fs.error("url", "missing")
        try:
            url = check_feed_url(url_raw)
        except ValueError as e:
            raise fs.error("url", str(e)) from None
        if url_key(url) in seen:  # "HTTP://Host/feed" and "http://host/feed/" are one feed
            raise fs.error("url", f"{url} is listed twice")
        seen.add(url_key(url))
        kind = FeedKind(fs.string("kind", "news", choices=("official", "news")) or "news")
        actor = fs.string("actor")
        if kind is FeedKind.OFFICIAL and not actor:
            raise fs.error("actor", "official feeds need the actor whose statements they publish")
        interval = fs.duration("interval", 0) or None
        account = fs.get("account", bool, False)
        feeds.append(
            FeedSpec(
                url=url,
                name=fs.string("name", "") or "",
                kind=kind,
                actor=actor,
                language=fs.string("language"),
                interval_s=int(interval) if interval else None,
                account=bool(account),
            )
        )
        fs.done()

    return Config(
        path=path,
        database=database,
        poll=poll,
        alerts=alerts,
        detect=detect,
        slack=slack,
        discord=discord,
        web=web,
        feeds=tuple(feeds),
        log_level=log_level,
        log_format=log_format,
    )


def _web_config(wb: _Section) -> WebConfig:
    d = WebConfig()
    web = WebConfig(
        enabled=bool(wb.get("enabled", bool, d.enabled)),
        host=(wb.string("host", d.host) or d.host).strip(),
        port=wb.integer("port", d.port),
        base_url=(wb.string("base_url") or "").strip().rstrip("/") or None,
        token=wb.string("token") or None,
        ready_max_age_s=wb.duration("ready_max_age", d.ready_max_age_s),
    )
    if web.port > 65535:
        raise wb.error("port", "must be at most 65535")
    if web.base_url:
        try:
            check_feed_url(web.base_url)
        except ValueError as e:
            raise wb.error("base_url", str(e)) from None
    if web.token is not None and len(web.token) < 16:
        raise wb.error("token", "must be at least 16 characters (e.g. `openssl rand -hex 24`)")
    if web.enabled and not web.local_only and not web.token:
        raise wb.error(
            "token",
            f"required when host = {web.host!r} (reachable beyond this machine); "
            'set token = "${FACTBOT_WEB_TOKEN}", or host = "127.0.0.1"',
        )
    wb.done()
    return web
