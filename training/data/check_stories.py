#!/usr/bin/env python3
"""Validate a folder of written stories (cases.jsonl, distractors.jsonl) against training/data/stories/BRIEF.md."""

import collections
import json
import re
import sys
from datetime import date

ROLES = {"claim", "denial", "counter-account", "retraction", "correction", "finding", "coverage"}
KINDS = {"denial", "counter-account", "retraction", "self-correction", "finding"}
TYPES = {
    "denial-of-non-official",
    "other-sense",
    "confirmation",
    "admission-other",
    "policy-change",
    "same-topic",
    "same-actor-other-event",
    "unrelated",
}
ITEM = ("source", "speaker", "speaker_official", "date", "title", "summary", "url", "language")


def fail(msg):
    print("ERROR:", msg)
    globals()["errors"] += 1


errors = 0
folder = sys.argv[1]
urls = collections.Counter()
langs = collections.Counter()
kinds = collections.Counter()
roles = collections.Counter()
ids = set()


def item(it, where):
    for k in ITEM:
        if k not in it:
            fail(f"{where}: missing {k}")
    try:
        date.fromisoformat(it.get("date", ""))
    except ValueError:
        fail(f"{where}: bad date {it.get('date')!r}")
    if not re.match(r"^https://[a-z0-9.-]+\.example/", it.get("url", "")):
        fail(f"{where}: url must be https://<slug>.example/...")
    urls[it.get("url")] += 1
    langs[it.get("language")] += 1
    if len(it.get("title", "")) < 15 or len(it.get("summary", "")) < 40:
        fail(f"{where}: title or summary too short")


cases = [json.loads(line) for line in open(f"{folder}/cases.jsonl", encoding="utf-8") if line.strip()]
for n, c in enumerate(cases, 1):
    w = f"cases line {n} ({c.get('case_id')})"
    if c.get("case_id") in ids:
        fail(f"{w}: duplicate case_id")
    ids.add(c.get("case_id"))
    if c.get("kind") not in KINDS:
        fail(f"{w}: kind {c.get('kind')!r}")
    kinds[c.get("kind")] += 1
    item(c.get("claim", {}), w + " claim")
    if not c.get("denials"):
        fail(f"{w}: no denials")
    for i, d in enumerate(c.get("denials", [])):
        item(d, f"{w} denial {i}")
        if d.get("role") not in ROLES - {"claim"}:
            fail(f"{w} denial {i}: role {d.get('role')!r}")
        roles[d.get("role")] += 1
        if d.get("date", "") < c["claim"].get("date", ""):
            fail(f"{w} denial {i}: dated before the claim")
dis = [json.loads(line) for line in open(f"{folder}/distractors.jsonl", encoding="utf-8") if line.strip()]
dtypes = collections.Counter()
for n, d in enumerate(dis, 1):
    w = f"distractors line {n} ({d.get('distractor_id')})"
    item(d, w)
    if d.get("distractor_type") not in TYPES:
        fail(f"{w}: type {d.get('distractor_type')!r}")
    if d.get("case_id") is not None and d["case_id"] not in ids:
        fail(f"{w}: unknown case_id {d['case_id']}")
    dtypes[d.get("distractor_type")] += 1
for u, k in urls.items():
    if k > 1:
        fail(f"url used {k} times: {u}")
print(
    f"cases {len(cases)} kinds {dict(kinds)}\nroles {dict(roles)}\ndistractors {len(dis)} {dict(dtypes)}\nlanguages {dict(langs)}"
)
print("OK" if not errors else f"{errors} errors")
sys.exit(1 if errors else 0)
