"""Stance model speed: load time, and pairs/s for the detector's short texts and for article bodies.

    .venv/bin/python benchmarks/stance.py [--pairs 300] [--repeat 3]

Texts are built from templates written for this benchmark. Times are CPU time of this process
(best of `--repeat` passes), one BLAS thread. Long bodies are timed twice side by side: with the
`fnc_long` head (which encodes every body sentence with the multilingual encoder) and with the
plain `fnc` head the model used before, so the ratio is the price of the context scores. The
detector's texts (a headline plus a 300-character lead) must not pay it: their row shows whether
the encoder was loaded at all.
"""

from __future__ import annotations

import argparse
import os
import random
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from bot.detect.encoder import default_encoder, item_text  # noqa: E402
from bot.detect.stance import StanceModel  # noqa: E402

SUBJECTS = ["The ministry", "A regional governor", "The port authority", "The army", "A health agency"]
EVENTS = ["closed the border crossing", "found a new virus strain", "seized a cargo ship", "won the vote"]
TURNS = [
    "Officials later said the account was false and that nothing of the kind had happened.",
    "Witnesses described the scene in detail and local reporters confirmed the main facts.",
    "Experts doubted the figures and asked for the data behind them.",
    "The statement was repeated on Tuesday at a press conference in the capital.",
]
FILLER = [
    "Traffic in the area was slow for most of the afternoon.",
    "Several groups held meetings about the budget during the week.",
    "The weather stayed dry and cold across the region.",
    "Schools reopened after a short holiday break.",
]


def _pairs(n: int, sentences: int, rng: random.Random) -> list[tuple[str, str]]:
    out = []
    for i in range(n):
        claim = f"{rng.choice(SUBJECTS)} {rng.choice(EVENTS)} on day {i}"
        body = [f"{claim}, according to a statement."] + [
            rng.choice(TURNS if k % 3 == 0 else FILLER) for k in range(sentences)
        ]
        out.append((claim, " ".join(body) + f" Report number {i}."))
    return out


def _cpu(fn: object, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.process_time()
        fn()  # type: ignore[operator]
        best = min(best, time.process_time() - t)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    rng = random.Random(0)

    load = _cpu(StanceModel.load, args.repeat)
    model = StanceModel.load()
    print(f"load: {load:.3f} s CPU (best of {args.repeat})")

    short = [(c, item_text(f"Report {i}: {c}", t)) for i, (c, t) in enumerate(_pairs(args.pairs, 8, rng))]
    secs = _cpu(lambda: model.predict_array(short), args.repeat)
    print(
        f"detector texts (headline + 300-char lead): {len(short) / secs:,.0f} pairs/s; "
        f"encoder loaded: {model._encoder is not None}"
    )

    default_encoder().encode(["warm up"])  # weights loaded once per process, not per call
    long = _pairs(max(20, args.pairs // 5), 20, rng)
    with_ctx = _cpu(lambda: model.predict_array(long, head="fnc"), args.repeat)
    plain_heads = {k: v for k, v in model.heads.items() if k != "fnc_long"}
    plain = StanceModel(model.featurizer, plain_heads, model.meta)
    without = _cpu(lambda: plain.predict_array(long, head="fnc"), args.repeat)
    print(
        f"article bodies (~21 sentences, all distinct): fnc_long {len(long) / with_ctx:,.1f} pairs/s, "
        f"plain fnc {len(long) / without:,.1f} pairs/s, ratio {with_ctx / without:.1f}x"
    )


if __name__ == "__main__":
    main()
