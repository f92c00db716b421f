"""URL normalising: one stored form per resource, one dedupe key per article."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.urls import is_tracking_param, normalize_url, resolve_link, slash_key, url_key, url_variants


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("HTTP://Example.COM/feed", "http://example.com/feed"),
        ("http://example.com:80/feed", "http://example.com/feed"),
        ("https://example.com:443/a/./b/../c", "https://example.com/a/c"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("https://example.com/a#section-2", "https://example.com/a"),
        ("https://example.com/a?utm_source=rss&id=7&fbclid=x&UTM_Medium=m", "https://example.com/a?id=7"),
        ("https://example.com/a/?page=2", "https://example.com/a/?page=2"),
        ("https://example.com", "https://example.com/"),
        ("https://bücher.example/ä", "https://xn--bcher-kva.example/%C3%A4"),
        ("  https://example.com/x  ", "https://example.com/x"),
    ],
)
def test_normalize_url(raw: str, stored: str) -> None:
    assert normalize_url(raw) == stored


def test_trailing_slash_is_kept_stored_but_not_compared() -> None:
    assert normalize_url("https://example.com/story/") == "https://example.com/story/"
    assert url_key("https://example.com/story/") == url_key("HTTPS://EXAMPLE.com:443/story#top")
    assert url_key("https://example.com/") == url_key("https://example.com") == "https://example.com/"
    assert url_variants("https://example.com/story/") == (
        "https://example.com/story/",
        "https://example.com/story",
    )
    assert url_variants("https://example.com/") == ("https://example.com/",)


def test_bad_input_comes_back_unchanged() -> None:
    assert normalize_url("http://[::1") == "http://[::1"
    assert normalize_url("") == ""


def test_tracking_params_come_from_the_data_file() -> None:
    assert is_tracking_param("utm_campaign") and is_tracking_param("FBCLID") and is_tracking_param("mtm_kwd")
    assert not is_tracking_param("id") and not is_tracking_param("page") and not is_tracking_param("q")


def test_resolve_link() -> None:
    assert resolve_link("/b/2", "https://example.org/feed.xml") == "https://example.org/b/2"
    assert resolve_link("javascript:alert(1)", "https://example.org/") is None
    assert resolve_link("relative", None) is None
    assert resolve_link("https://exa mple.org/x", None) is None


_part = st.text(alphabet="abcXYZ09-._~%/", min_size=0, max_size=12)
_urls = st.builds(
    lambda scheme, host, port, path, q, frag: f"{scheme}://{host}{port}/{path}{q}{frag}",
    st.sampled_from(["http", "HTTP", "https", "HtTpS"]),
    st.sampled_from(["example.com", "EXAMPLE.com", "sub.Example.org"]),
    st.sampled_from(["", ":80", ":443", ":8080"]),
    _part,
    st.sampled_from(["", "?id=1", "?utm_source=a&id=2", "?a=1&fbclid=z"]),
    st.sampled_from(["", "#x", "#"]),
)


@given(_urls)
def test_normalising_is_idempotent_and_keys_agree(url: str) -> None:
    once = normalize_url(url)
    assert normalize_url(once) == once
    assert url_key(url) == url_key(once) == slash_key(once)
    assert "#" not in once and "utm_" not in once and "fbclid" not in once
