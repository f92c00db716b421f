"""The data the detector is trained on, read into one shape: labelled items in date order.

Sources (named in the model card; none of their text is committed except our own stories):

* dev-cases (`../shared/data/dev-cases`): the tuning half only (`training/splits.toml`);
* our own stories (`training/data/stories/<set>/`): written for this project in eight to
  fifteen languages, in the dev-cases format plus a `role` per follow-up
  (`training/data/stories/README.md`);
* the who-said-what probes (`tests/data/statement_probes`): items labelled with their kind;
* Emergent (claim vs article headline) and FNC-1 (headline vs body), for the heads that read
  meaning and contradiction.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.types import FeedKind, Item

ROOT = Path(__file__).resolve().parent.parent
SPLITS = ROOT / "training" / "splits.toml"
STORIES = ROOT / "training" / "data" / "stories"
ITEMS = ROOT / "training" / "data" / "items"
STREAM_LINKS = ROOT / "training" / "data" / "stream_links"
STREAM_READS = ROOT / "training" / "data" / "stream_reads"

PROBES = ROOT / "tests" / "data" / "statement_probes"

# What a follow-up item does in its story; all of them belong in the story's alert thread.
FOLLOW_UP = frozenset({"denial", "counter-account", "retraction", "correction", "finding", "coverage"})
SELF_ROLES = frozenset({"retraction", "correction"})


@dataclass(frozen=True, slots=True)
class Labelled:
    """One item of a labelled stream: what it is and which story it belongs to."""

    item: Item
    role: str  # claim | a FOLLOW_UP role | distractor:<type> | none
    story: str | None  # the case/story id; None for items of no story
    source: str  # which data set

    @property
    def follow_up(self) -> bool:
        """True for items that belong in their story's alert thread after the claim."""
        return self.role in FOLLOW_UP


def _stamp(day: str, hour: int, minute: int = 0) -> datetime:
    return datetime.strptime(day, "%Y-%m-%d").replace(hour=hour, minute=minute % 60, tzinfo=UTC)


def _item(n: int, it: dict[str, Any], when: datetime) -> Item:
    return Item(
        id=n,
        feed_id=1,
        guid=it["url"],
        link=it["url"],
        title=it["title"],
        text=it.get("summary", ""),
        published=when,
        first_seen=when,
        content_hash=str(n),
        language=it.get("language"),
        feed_kind=FeedKind.NEWS,
        feed_name=it.get("source", ""),
    )


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """JSON lines of a file (blank lines skipped)."""
    return [json.loads(x) for x in path.read_text("utf-8").splitlines() if x.strip()]


def split_ids(part: str) -> tuple[frozenset[str], frozenset[str]]:
    """Case ids and distractor ids of one half of dev-cases ("tune" or "heldout")."""
    sp = tomllib.loads(SPLITS.read_text("utf-8"))["dev_cases"][part]
    return frozenset(sp["cases"]), frozenset(sp["distractors"])


def story_stream(
    folder: Path,
    source: str,
    *,
    cases: Iterable[str] | None = None,
    distractors: Iterable[str] | None = None,
) -> list[Labelled]:
    """A cases/distractors folder as a labelled stream in date order (the replay's timing:
    claims at 09:00, follow-ups at 15:00, distractors at 12:00; a claim rebuilt from the
    denial article with the same URL is served once, as the follow-up)."""
    keep_c = frozenset(cases) if cases is not None else None
    keep_d = frozenset(distractors) if distractors is not None else None
    rows: list[tuple[datetime, dict[str, Any], str, str | None]] = []
    for c in read_jsonl(folder / "cases.jsonl"):
        if keep_c is not None and c["case_id"] not in keep_c:
            continue
        claim = c["claim"]
        if not (claim.get("derived") and any(d["url"] == claim["url"] for d in c["denials"])):
            rows.append((_stamp(claim["date"], 9), claim, "claim", c["case_id"]))
        for i, d in enumerate(c["denials"]):
            role = d.get("role") or "denial"
            if role == "counter-denial":
                role = "distractor:counter-denial"
            rows.append((_stamp(d["date"], 15, i), d, role, c["case_id"]))
    dated = [r[0] for r in rows]
    first = min(dated) if dated else datetime(2000, 1, 1, tzinfo=UTC)
    for i, d in enumerate(read_jsonl(folder / "distractors.jsonl")):
        if keep_d is not None and d.get("distractor_id") not in keep_d:
            continue
        when = _stamp(d["date"], 12, i % 50) if d.get("date") else first
        rows.append((when, d, "distractor:" + d.get("distractor_type", "?"), d.get("case_id")))
    rows.sort(key=lambda r: r[0])
    return [
        Labelled(_item(n, it, when), role, story, source) for n, (when, it, role, story) in enumerate(rows, 1)
    ]


def dev_cases(data: Path, part: str) -> list[Labelled]:
    """One half of dev-cases as a stream."""
    cases, distractors = split_ids(part)
    return story_stream(data / "dev-cases", f"dev-{part}", cases=cases, distractors=distractors)


def story_sets(names: Iterable[str]) -> list[list[Labelled]]:
    """Our own written story sets, one stream each."""
    return [
        story_stream(STORIES / n, f"stories-{n}") for n in names if (STORIES / n / "cases.jsonl").is_file()
    ]


def item_set(path: Path, source: str) -> list[Labelled]:
    """Single labelled items (`training/data/items/*.jsonl`, see its README) as a stream of
    unrelated items: a year apart, so no item is a candidate of another. Items written as a
    minimal pair share a group, so cross-validation keeps both sides of a pair in one fold."""
    rows = read_jsonl(path)
    parent = {r["id"]: r["id"] for r in rows}

    def root(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x

    for r in rows:  # union of each item with the one it mirrors (pairs may point both ways)
        if r.get("pair") in parent:
            a, b = root(r["id"]), root(r["pair"])
            parent[max(a, b)] = min(a, b)
    out: list[Labelled] = []
    for n, r in enumerate(rows, 1):
        when = datetime(1000 + n, 1, 1, tzinfo=UTC)  # a year apart: no candidates
        label = r["label"]
        role = label if label in FOLLOW_UP or label == "claim" else f"distractor:{label}"
        item = _item(
            n,
            {
                "url": f"item:{r['id']}",
                "title": r["title"],
                "summary": r["summary"],
                "language": r.get("language"),
            },
            when,
        )
        out.append(Labelled(item, role, f"pair:{root(r['id'])}", source))
    return out


def item_sets(names: Iterable[str]) -> list[list[Labelled]]:
    """Our own single labelled item sets, one stream each."""
    return [item_set(ITEMS / f"{n}.jsonl", f"items-{n}") for n in names if (ITEMS / f"{n}.jsonl").is_file()]


# The slice of Reuters-21578 the real-stream audit reads (file lines 6001-10000): never trained on.
REUTERS_AUDIT_LINES = range(6000, 10000)


# Lines kept for a tuning-side check of how often the detector fires on ordinary wire copy.
REUTERS_CHECK_LINES = range(10000, 14000)


def reuters_stream(data: Path, lines: range = range(0, 20841)) -> list[Labelled]:
    """Real wire items (Reuters-21578, 1987) as unlabelled background: the many reports of one event
    that are NOT a dispute, which written stories have too few of. Every item is a negative
    ("distractor:stream"); the training script leaves out the few whose words read as a denial,
    retraction or correction (their true label is unknown). Never the audit's slice."""
    path = data / "reuters21578" / "items.jsonl"
    if not path.is_file():
        return []
    out: list[Labelled] = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if n not in lines or n in REUTERS_AUDIT_LINES or n in REUTERS_CHECK_LINES:
                continue
            r = json.loads(line)
            when = datetime.fromisoformat(r["date"].replace("Z", "+00:00"))
            if when.tzinfo is None:
                when = when.replace(tzinfo=UTC)
            row = {
                "url": f"reuters:{r['id']}",
                "title": r["title"],
                "summary": r["text"][:400],
                "language": "en",
            }
            out.append(
                Labelled(_item(len(out) + 1, row, when), "distractor:stream", None, "background-reuters")
            )
    return out


def stream_url(row: dict[str, Any], source: str) -> str:
    """The URL an item of a headline stream is known by in training (its link, else an id URL)."""
    return row.get("link") or f"{source}:{row['id']}"


def headline_stream(path: Path, source: str) -> list[Labelled]:
    """A real headline stream (`scripts/build_headline_stream.py` output) as unlabelled background,
    like `reuters_stream`: every item a negative, except those read as a dispute (left out)."""
    out: list[Labelled] = []
    for r in read_jsonl(path):
        when = datetime.fromisoformat(r["date"].replace("Z", "+00:00"))
        row = {
            "url": stream_url(r, source),
            "title": r["title"],
            "summary": r.get("summary", ""),
            "language": r.get("language"),
        }
        out.append(
            Labelled(
                _item(len(out) + 1, dict(row, source=r.get("source", "")), when),
                "distractor:stream",
                None,
                f"background-{source}",
            )
        )
    return out


def stream_link_labels(name: str) -> dict[str, dict[str, Any]]:
    """The hand labels of a real stream's dispute-like items (`training/data/stream_links/NAME.jsonl`,
    rules in its README), by item id; empty when the stream was not labelled."""
    path = STREAM_LINKS / f"{name}.jsonl"
    return {r["id"]: r for r in read_jsonl(path)} if path.is_file() else {}


def stream_read_labels(name: str, stream: Path) -> dict[str, dict[str, Any]]:
    """Link labels for EVERY item of a real stream read through by hand
    (`training/data/stream_reads/NAME.jsonl`, the audit's label format keyed by the stream's item
    ids; rules in its README), keyed by item link: the items listed are `clear` or `borderline`
    disputes (`answers`: the link of the item named as the claim), every other item is a known
    `no` (marked `listed: False`: nobody said whether it states an official's claim). Empty when
    the stream was not read through."""
    path = STREAM_READS / f"{name}.jsonl"
    if not path.is_file():
        return {}
    link = {str(r["id"]): stream_url(r, name) for r in read_jsonl(stream)}
    out = {u: {"id": u, "dispute": "no", "kind": None, "answers": [], "listed": False} for u in link.values()}
    for r in read_jsonl(path):
        i = str(r["id"])
        if i not in link:
            raise ValueError(f"{path}: item {i} is not in {stream}")
        claims = r.get("claim_id") or []
        claims = [claims] if isinstance(claims, str) else claims
        out[link[i]] = {
            "id": link[i],
            "dispute": r["label"],
            "kind": r.get("kind"),
            "answers": [link[c] for c in claims if c in link and c != i],
        }
    return out


def apply_stream_links(rows: list[Labelled], labels: dict[str, dict[str, Any]]) -> list[Labelled]:
    """A background stream with its hand labels applied.

    A `clear` dispute becomes a follow-up of a story made of it and the earlier items it answers
    (stories that share an item are one story); an answered item that is no dispute itself is
    that story's claim. A `no` item is a known negative. Labelled items and their claims get the
    source `labelled-...`, so training uses them like written data; `borderline` items stay
    unlabelled background (left out, like any unlabelled item that reads as a dispute).
    """
    if not labels:
        return rows
    from scipy.cluster.hierarchy import DisjointSet  # training extra (scikit-learn's dependency)

    stories = DisjointSet()
    clear = {i: r for i, r in labels.items() if r["dispute"] == "clear"}
    for i, r in clear.items():
        stories.add(i)
        for a in r.get("answers") or ():
            stories.add(a)
            stories.merge(i, a)
    out: list[Labelled] = []
    for row in rows:
        gid = row.item.guid
        got = labels.get(gid)
        source = row.source.replace("background-", "labelled-", 1)
        if gid in clear:
            role = clear[gid].get("kind") or "denial"
            out.append(
                Labelled(row.item, role if role in FOLLOW_UP else "denial", f"link:{stories[gid]}", source)
            )
        elif gid in stories:  # answered by a clear dispute
            out.append(Labelled(row.item, "claim", f"link:{stories[gid]}", source))
        elif got is not None and got["dispute"] == "no":
            role = "distractor:unlisted" if got.get("listed") is False else "distractor:stream"
            out.append(Labelled(row.item, role, None, source))
        else:
            out.append(row)
    return out


def probes() -> list[Labelled]:
    """The who-said-what probes as single items (no story): role = the labelled kind."""
    out: list[Labelled] = []
    when = datetime(2025, 1, 1, tzinfo=UTC)
    n = 0
    for path in sorted(PROBES.glob("*.jsonl")):
        for p in read_jsonl(path):
            n += 1
            kind = p["expect"]["kind"]
            item = Item(
                id=n,
                feed_id=1,
                guid=p["id"],
                link=None,
                title=p["title"],
                text=p.get("text", ""),
                published=when,
                first_seen=when,
                content_hash=str(n),
                language=p.get("language"),
            )
            out.append(Labelled(item, kind if kind != "none" else "distractor:none", None, "probes"))
    return out


__all__ = [
    "FOLLOW_UP",
    "apply_stream_links",
    "stream_link_labels",
    "SELF_ROLES",
    "Labelled",
    "dev_cases",
    "probes",
    "read_jsonl",
    "split_ids",
    "story_sets",
    "story_stream",
]
