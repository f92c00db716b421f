"""Write `splits.toml`: dev-cases split by story into a tuning half and a held-out half.

The split is drawn once, with a fixed seed, and written down so that every later session
tunes on the same half and reports the other. Cases are split by `case_id` (a story and all its
items stay together); distractors, which belong to no story, are split by their own id.
Re-running the script with the same seed and data reproduces the file exactly.

    python training/make_split.py --data ../shared/data/dev-cases
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

SEED = 20261206


def split(ids: list[str], seed: int) -> tuple[list[str], list[str]]:
    """Half of `ids` to tune on, the other half held out (sorted, deterministic)."""
    order = sorted(ids)
    random.Random(seed).shuffle(order)
    half = (len(order) + 1) // 2
    return sorted(order[:half]), sorted(order[half:])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", default="../shared/data/dev-cases")
    ap.add_argument("--out", default=str(Path(__file__).with_name("splits.toml")))
    opts = ap.parse_args()
    d = Path(opts.data)
    cases = [
        json.loads(x)["case_id"] for x in (d / "cases.jsonl").read_text("utf-8").splitlines() if x.strip()
    ]
    dis = [
        json.loads(x)["distractor_id"]
        for x in (d / "distractors.jsonl").read_text("utf-8").splitlines()
        if x.strip()
    ]
    tune_c, held_c = split(cases, SEED)
    tune_d, held_d = split(dis, SEED + 1)

    def arr(xs: list[str]) -> str:
        return "[\n" + "".join(f'  "{x}",\n' for x in xs) + "]"

    text = (
        "# dev-cases split by story (training/make_split.py, seed "
        f"{SEED}). Tune on [tune]; report [heldout] once per design change.\n\n"
        f"[dev_cases]\nseed = {SEED}\n\n[dev_cases.tune]\n"
        f"cases = {arr(tune_c)}\ndistractors = {arr(tune_d)}\n\n[dev_cases.heldout]\n"
        f"cases = {arr(held_c)}\ndistractors = {arr(held_d)}\n"
    )
    Path(opts.out).write_text(text, "utf-8")
    print(
        f"tune: {len(tune_c)} cases, {len(tune_d)} distractors; held out: {len(held_c)} cases, {len(held_d)} distractors"
    )


if __name__ == "__main__":
    main()
