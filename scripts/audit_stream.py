"""Audit the detector on a real, hand-labelled stream of news items it has never seen.

The stream is a public collection of real headlines (a JSON-lines file of `id`, `date`, `title`,
`summary`, `link`, `source`, `language`), kept outside this repository; labels are ours: one line
per item that reports a dispute of an official statement (`id`, `label` clear|borderline, `kind`,
`claimant`, `claim_id`, ...). `/work/data/stream/README.md` on the audit machine says how both
were built; `audits/README.md` here names the collections and the labelling rules.

The items are served as one news feed per outlet, in date order, in rounds, through the real
storage and detector (`evals.cases.replay_items`). Then:

* recall: labelled items (clear / all) that are in an alerted dispute;
* alerts per 1,000 items;
* how alerts of several items hold together: items in them no label marks, and alerts mixing such
  an item with a labelled one (`grouping`);
* whose statement the alerts holding a labelled item name as disputed: the claimant a reader
  wrote, or another (`claimants`);
* every alert, with its items and reasons, for a person to judge; with `--judgments FILE`
  (JSON lines of `{"dispute_items": [ids...], "claimant": "...", "verdict":
  "real|borderline|false"}` keyed by the item ids of each alert and the claimant it named), the
  judged precision. Alerts not judged yet are listed: an alert naming another claimant for the
  same items is one of them.

    .venv/bin/python scripts/audit_stream.py --items ITEMS.jsonl --labels LABELS.jsonl \\
        [--judgments J.jsonl] [--json OUT.json] [--limit N] [--rounds 20]

A tuning-side check stream labelled for training (`training/data/stream_links/`) is read with
`--link-labels FILE` instead of `--labels`.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.config import AlertsConfig, Config, DetectConfig  # noqa: E402
from bot.detect import actors  # noqa: E402
from bot.detect.reading import Gazetteer  # noqa: E402
from bot.storage import disputes as store  # noqa: E402
from bot.storage.db import Database  # noqa: E402
from evals.cases import ReplayItem, norm_url, replay_items  # noqa: E402
from evals.claimants import named_as_any  # noqa: E402


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_text("utf-8").splitlines() if x.strip()]


def to_replay(rows: list[dict[str, Any]]) -> list[ReplayItem]:
    """Stream rows as replay items (one feed per outlet), in date order."""
    out = []
    for r in rows:
        when = datetime.fromisoformat(r["date"].replace("Z", "+00:00"))
        out.append(
            ReplayItem(
                when,
                True,
                r.get("source") or "unknown",
                r["link"],
                r["title"],
                r.get("summary") or "",
                r.get("language"),
                "item",
                r["id"],
            )
        )
    out.sort(key=lambda x: x.when)
    return out


async def run(
    items: list[ReplayItem], rounds: int, model: str | None, wording: str | None = None
) -> list[dict[str, Any]]:
    """Replay the items; every alerted dispute with its items' stream ids and reasons."""
    tmp = tempfile.TemporaryDirectory(prefix="factbot-stream-")
    db = Database(f"sqlite:///{tmp.name}/audit.db")
    cfg = Config(
        alerts=AlertsConfig(max_age_days=0), detect=DetectConfig(model_file=model, wording_file=wording)
    )
    by_url = {norm_url(it.url): it.case_id for it in items}
    try:
        await replay_items(db, items, cfg, rounds=rounds)
        async with db.connect() as conn:
            disputes = await store.load_disputes(conn, await store.alerted_dispute_ids(conn))
    finally:
        await db.close()
        tmp.cleanup()
    out = []
    for d in disputes:
        evidence = [(d.claim, "claim"), *((e, e.role.value) for e in d.evidence)]
        out.append(
            {
                "dispute": d.id,
                "status": d.status.value,
                "speaker": d.speaker,
                "confidence": round(d.confidence, 3),
                "reasons": list(d.reasons),
                "items": [
                    {
                        "id": by_url.get(norm_url(e.link or "")),
                        "role": role,
                        "title": e.title,
                        "actor": e.actor,
                    }
                    for e, role in evidence
                ],
            }
        )
    return out


def from_link_labels(links: list[dict[str, Any]], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Training-format link labels (keyed by item link, `dispute` clear|borderline|no, `answers`
    as links) as audit labels of the stream's items (keyed by id, `claim_id` as ids)."""
    by_link = {r["link"]: r["id"] for r in rows}
    return [
        {
            "id": by_link[x["id"]],
            "label": x["dispute"],
            "kind": x.get("kind"),
            "claim_id": [by_link[a] for a in x.get("answers", []) if a in by_link] or None,
        }
        for x in links
        if x["dispute"] in ("clear", "borderline") and x["id"] in by_link
    ]


def _claim_ids(label: dict[str, Any]) -> set[str]:
    c = label.get("claim_id")
    return set(c) if isinstance(c, list) else ({c} if c else set())


def link_verdicts(alerts: list[dict[str, Any]], labels: list[dict[str, Any]]) -> dict[str, int]:
    """How alerts holding a labelled item placed it: linked to an item the label names as what it
    answers (right), standing alone or as its own claim (alone), or to another item (wrong)."""
    by_id = {x["id"]: x for x in labels}
    out = {"link_right": 0, "link_alone": 0, "link_wrong": 0}
    for a in alerts:
        mine = [it["id"] for it in a["items"] if it["id"] in by_id]
        claim = next((it["id"] for it in a["items"] if it["role"] == "claim"), None)
        if not mine:
            continue
        if any(j != claim and claim in _claim_ids(by_id[j]) for j in mine):
            out["link_right"] += 1
        elif claim is None or claim in mine:  # alone, or its claim is itself a labelled dispute
            out["link_alone"] += 1
        else:
            out["link_wrong"] += 1
    return out


def grouping(alerts: list[dict[str, Any]], labels: list[dict[str, Any]]) -> dict[str, int]:
    """How alerts of several items hold together, on a stream read through: the items in them no
    reader marked (neither a dispute nor the claim of one), and the alerts mixing such an item
    with a marked one (a story grouped with an unrelated item, or an unrelated earlier item shown
    as its claim)."""
    marked = {x["id"] for x in labels} | {c for x in labels for c in _claim_ids(x)}
    several = unmarked = mixing = 0
    for a in alerts:
        ids = {it["id"] for it in a["items"] if it["id"]}
        if len(ids) < 2:
            continue
        several += 1
        stray = ids - marked
        unmarked += len(stray)
        mixing += bool(stray and ids & marked)
    return {"several_item_alerts": several, "unmarked_items_in_them": unmarked, "mixing_alerts": mixing}


def claimants(
    alerts: list[dict[str, Any]], labels: list[dict[str, Any]], gazetteer: Gazetteer
) -> dict[str, int]:
    """Whose statement the alerts holding a labelled item say is disputed: the claimant a reader
    wrote for one of its items (`evals.claimants`), or another. A real dispute shown as someone
    else's statement misleads a desk; judges call it borderline."""
    by_id = {x["id"]: x for x in labels if x.get("claimant")}
    right = other = 0
    for a in alerts:
        wrote = [by_id[it["id"]]["claimant"] for it in a["items"] if it["id"] in by_id]
        if not wrote:
            continue
        if named_as_any(a["speaker"], wrote, gazetteer):
            right += 1
        else:
            other += 1
    return {"claimant_as_labelled": right, "claimant_otherwise": other}


def judged(judgments: list[dict[str, Any]]) -> dict[frozenset[str], list[tuple[str | None, str]]]:
    """Verdicts by the items of the alert judged, each with the claimant that alert named (None
    in judgments made before the claimant was recorded: they hold whoever the alert names)."""
    out: dict[frozenset[str], list[tuple[str | None, str]]] = {}
    for j in judgments:
        out.setdefault(frozenset(j["dispute_items"]), []).append((j.get("claimant"), j["verdict"]))
    return out


def verdict_of(
    alert: dict[str, Any], judgments: dict[frozenset[str], list[tuple[str | None, str]]]
) -> str | None:
    """The verdict on an alert: judged with the same items and the same claimant named. The same
    items shown as another party's statement are another alert, to be judged again."""
    key = frozenset(it["id"] for it in alert["items"] if it["id"])
    for claimant, verdict in judgments.get(key, ()):
        if claimant is None or claimant == alert["speaker"]:
            return verdict
    return None


# Confidence bars for `by_bar`: from the default alert threshold up.
BARS = (0.6, 0.7, 0.8, 0.9)


def holding(alerts: list[dict[str, Any]], ids: set[str]) -> int:
    """How many of the alerts hold at least one of the items `ids`."""
    return sum(1 for a in alerts if any(it["id"] in ids for it in a["items"]))


def by_bar(alerts: list[dict[str, Any]], clear: set[str]) -> dict[str, dict[str, int]]:
    """For each bar of `BARS`: the alerts at or above it, those holding a clear dispute, and the
    clear disputes among their items. Two designs are compared at equal alert counts this way: a
    change that only moves alerts across the alert bar shifts these rows and improves none (the
    2026-12-07 stop found several such changes)."""
    out = {}
    for bar in BARS:
        kept = [a for a in alerts if a["confidence"] >= bar]
        out[f"{bar:.1f}"] = {
            "alerts": len(kept),
            "with_a_clear_item": holding(kept, clear),
            "clear_found": len({it["id"] for a in kept for it in a["items"]} & clear),
        }
    return out


def score(
    alerts: list[dict[str, Any]],
    labels: list[dict[str, Any]],
    n_items: int,
    judgments: dict[frozenset[str], list[tuple[str | None, str]]],
    gazetteer: Gazetteer,
) -> dict[str, Any]:
    """Recall against the labels, alert rate, whose claim the alerts name, and judged precision
    where alerts are judged (`verdict_of`)."""
    in_alert = {it["id"] for a in alerts for it in a["items"] if it["id"]}
    clear = {x["id"] for x in labels if x["label"] == "clear"}
    every = {x["id"] for x in labels}
    verdicts: collections.Counter[str] = collections.Counter()
    unjudged = []
    for a in alerts:
        v = verdict_of(a, judgments)
        if v is None:
            unjudged.append(a["dispute"])
        else:
            verdicts[v] += 1
    judged = sum(verdicts.values())
    return {
        **link_verdicts(alerts, labels),
        **grouping(alerts, labels),
        **claimants(alerts, labels, gazetteer),
        "items": n_items,
        "alerts": len(alerts),
        "alerts_per_1000": round(1000 * len(alerts) / n_items, 2) if n_items else None,
        "recall_clear": f"{len(clear & in_alert)}/{len(clear)}",
        "recall_clear_rate": round(len(clear & in_alert) / len(clear), 3) if clear else None,
        "recall_all": f"{len(every & in_alert)}/{len(every)}",
        "alerts_with_a_labelled_item": holding(alerts, every),
        # on a stream read through (every clear dispute labelled), the other alerts are borderline
        # or false: a precision proxy for the tuning-side checks, which have no judgments
        "alerts_with_a_clear_item": holding(alerts, clear),
        "by_bar": by_bar(alerts, clear),
        "judged": judged,
        "verdicts": dict(verdicts),
        "judged_precision_real": round(verdicts["real"] / judged, 3) if judged else None,
        "judged_precision_real_or_borderline": round((verdicts["real"] + verdicts["borderline"]) / judged, 3)
        if judged
        else None,
        "unjudged_disputes": unjudged,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", required=True, type=Path)
    labels = ap.add_mutually_exclusive_group(required=True)
    labels.add_argument("--labels", type=Path, help="audit labels (audits/streams/*-labels.jsonl)")
    labels.add_argument(
        "--link-labels",
        type=Path,
        help="labels of a tuning-side check stream in the training format "
        "(training/data/stream_links/*.jsonl, keyed by link); clear and borderline items count",
    )
    ap.add_argument("--judgments", type=Path)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--limit", type=int)
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--model", help="a detector model other than the packaged one")
    ap.add_argument(
        "--wording-model",
        help="a wording model other than the packaged one (for a read-through stream: one trained "
        "without it, `make check-read-throughs`)",
    )
    opts = ap.parse_args(argv)
    rows = read_jsonl(opts.items)[: opts.limit] if opts.limit else read_jsonl(opts.items)
    for r in rows:
        r["id"] = str(r["id"])
    keep = {r["id"] for r in rows}
    if opts.link_labels:
        labels = from_link_labels(read_jsonl(opts.link_labels), rows)
    else:
        labels = [dict(x, id=str(x["id"])) for x in read_jsonl(opts.labels) if str(x["id"]) in keep]

    judgments = judged(read_jsonl(opts.judgments)) if opts.judgments and opts.judgments.is_file() else {}
    start = time.perf_counter()
    alerts = asyncio.run(run(to_replay(rows), opts.rounds, opts.model, opts.wording_model))
    result = score(alerts, labels, len(rows), judgments, actors.Gazetteer.load())
    result["seconds"] = round(time.perf_counter() - start, 1)
    labelled = {x["id"]: x for x in labels}
    for a in alerts:
        tags = [
            f"{labelled[it['id']]['label']}:{labelled[it['id']]['kind']}"
            for it in a["items"]
            if it["id"] in labelled
        ]
        print(
            f"\n#{a['dispute']} conf {a['confidence']} {a['status']} about {a['speaker']} {tags or '[unlabelled]'}"
        )
        for it in a["items"]:
            print(f"    {it['role']:14} {it['id']}  {it['title'][:110]}")
        print(f"    why: {'; '.join(a['reasons'][:3])}")
    print("\n" + json.dumps({k: v for k, v in result.items() if k != "unjudged_disputes"}, indent=1))
    if opts.json:
        opts.json.write_text(
            json.dumps({"result": result, "alerts": alerts}, indent=1, ensure_ascii=False), "utf-8"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
