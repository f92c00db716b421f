"""The pages in a real headless Chromium (Debian's `chromium` package), driven by Playwright.

Playwright is only the driver here: it is pointed at /usr/bin/chromium (`executable_path`) and
never downloads a browser of its own. Chromium starts headless with no sandbox, no GPU, no
background networking, component updates or sync, and a fresh profile in the test's temp dir.
Without a Chromium binary these tests skip and say why.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.alerts.links import link_signature
from bot.storage.db import Database
from tests.webtools import HOSTILE_TITLE, TOKEN, reference_story, serving, web_config

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("FACTBOT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}


def _why_skip() -> str | None:
    if not Path(CHROMIUM).exists():
        return (
            f"no Chromium at {CHROMIUM}: install Debian's package (apt-get install -y chromium); .ci/run does"
        )
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture
async def browser(tmp_path: Path) -> AsyncIterator[Any]:
    """A fresh headless Chromium (persistent context on a new profile directory)."""
    reason = _why_skip()
    if reason:
        pytest.skip(reason)
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        context = await p.chromium.launch_persistent_context(
            user_data_dir=str(tmp_path / "chromium-profile"),
            executable_path=CHROMIUM,
            headless=True,  # Playwright adds --headless
            args=FLAGS,
            viewport=PHONE,
        )
        try:
            yield context
        finally:
            await context.close()


async def test_reference_timeline_in_time_order_with_links(
    sqlite_db: Database, browser: Any, tmp_path: Path
) -> None:
    await reference_story(sqlite_db, web_config())
    async with serving(sqlite_db, web_config()) as w:
        page = await browser.new_page()
        response = await page.goto(f"{w.url}/disputes/1")
        assert response.status == 200
        title = await page.inner_text("h1")
        assert title.startswith("Disputed: ICE's claim that")
        entries = page.locator("ol.timeline > li")
        assert await entries.count() == 3
        labels = [await entries.nth(i).locator(".role").inner_text() for i in range(3)]
        assert labels == ["Claim", "First denial", "Denial"]
        links = [await entries.nth(i).locator("a[rel~=noopener]").get_attribute("href") for i in range(3)]
        assert links == [
            "https://example.org/ice-1",
            "https://example.org/pres-1",
            "https://example.org/emb-1",
        ]
        text = await page.inner_text("main")
        assert "Sheinbaum" in text and "Spanish" in text and "2 denials" in text
        # readable on a phone: nothing wider than the screen
        overflow = await page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
        shot = tmp_path / "timeline.png"
        await page.screenshot(path=str(shot), full_page=True)
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 5000


async def test_a_hostile_feed_title_renders_as_text(sqlite_db: Database, browser: Any) -> None:
    await reference_story(sqlite_db, web_config(), hostile=True)
    async with serving(sqlite_db, web_config()) as w:
        page = await browser.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: dialogs.append(d.message))
        await page.goto(f"{w.url}/disputes/1")
        assert HOSTILE_TITLE in await page.inner_text("ol.timeline")
        assert await page.locator("main script, main img").count() == 0
        assert await page.evaluate("typeof window.pwned") == "undefined"
        await page.goto(f"{w.url}/why?url=https%3A%2F%2Fexample.org%2Femb-1")
        assert "<script>window.pwned=2</script>" in await page.inner_text("main")
        assert await page.evaluate("typeof window.pwned") == "undefined" and dialogs == []


async def test_search_and_why_work_without_javascript(sqlite_db: Database, tmp_path: Path) -> None:
    reason = _why_skip()
    if reason:
        pytest.skip(reason)
    from playwright.async_api import async_playwright

    await reference_story(sqlite_db, web_config())
    async with serving(sqlite_db, web_config()) as w, async_playwright() as p:
        context = await p.chromium.launch_persistent_context(
            user_data_dir=str(tmp_path / "profile-nojs"),
            executable_path=CHROMIUM,
            headless=True,
            args=FLAGS,
            java_script_enabled=False,
            viewport=PHONE,
        )
        try:
            page = await context.new_page()
            await page.goto(f"{w.url}/disputes")
            await page.fill("input[name=q]", "ice sinaloa")
            await page.press("input[name=q]", "Enter")
            await page.wait_for_url(re.compile(r"/disputes\?q=ice\+sinaloa"))
            await page.click("ol.list a.title")
            await page.wait_for_url("**/disputes/1")
            await page.click("ol.timeline a:text('why?') >> nth=1")
            await page.wait_for_url(re.compile(r"/why\?url="))
            stages = await page.locator("ol.stages > li strong").all_inner_texts()
            assert stages[0] == "fetched" and stages[-1] == "delivery" and len(stages) == 9
            assert "Alerted: dispute #1." in await page.inner_text(".verdict")
        finally:
            await context.close()


async def test_signed_alert_link_opens_without_the_token_and_login_opens_the_rest(
    sqlite_db: Database, browser: Any
) -> None:
    config = web_config(token=TOKEN, base_url=None)
    await reference_story(sqlite_db, config)
    async with serving(sqlite_db, config) as w:
        page = await browser.new_page()
        await page.goto(f"{w.url}/disputes/1?k={link_signature(TOKEN, 1)}")
        assert (await page.inner_text("h1")).startswith("Disputed:")
        await page.click("header nav a:text('Feeds')")
        await page.wait_for_url(re.compile(r"/login\?next=/feeds$"))
        await page.fill("input[name=token]", TOKEN)
        await page.click("button[type=submit]")
        await page.wait_for_url("**/feeds")
        assert "ICE newsroom" in await page.inner_text("main")
