"""`factbot eval statements`: the probe sets, their scoring, and a floor against regressions.

The probe sets in tests/data/statement_probes were written for this project (our own words) by
three separate authors; the floors sit a little under today's figures, so a change that breaks
who-said-what somewhere shows up here rather than on unseen news.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.detect.actors import Gazetteer
from evals.statements import load_probes, score_probe, summary

PROBES = Path(__file__).resolve().parent / "data" / "statement_probes"


def test_the_probe_sets_stay_above_their_floors(gaz: Gazetteer) -> None:
    probes = load_probes([PROBES])
    assert len(probes) >= 500
    table = summary([score_probe(p, gaz, n) for n, p in enumerate(probes)])
    overall = table["all"]
    assert overall["all"] >= 0.85, table
    assert overall["disputes_found"] >= 0.95, table
    assert overall["none_kept"] >= 0.95, table
    for lang in ("en", "es", "fr", "de", "pt"):
        assert table[lang]["all"] >= 0.75, (lang, table[lang])


# The sets written blind to the readers of languages added later, one author per set, with a
# floor a little under each language's figure when its reader landed (README, "Who said what").
LATER_FLOORS = {
    "statement_probes_it_ru": {"it": 0.7, "ru": 0.7},
    "statement_probes_sv_nl": {"sv": 0.7, "nl": 0.5},
    "statement_probes_pl_tr": {"pl": 0.6, "tr": 0.55},
    "statement_probes_ko_ar": {"ko": 0.35, "ar": 0.35},
    "statement_probes_ja_zh": {"ja": 0.45, "zh": 0.4},
}


@pytest.mark.parametrize("folder", sorted(LATER_FLOORS))
def test_the_later_languages_stay_above_their_floors(gaz: Gazetteer, folder: str) -> None:
    probes = load_probes([PROBES.parent / folder])
    table = summary([score_probe(p, gaz, n) for n, p in enumerate(probes)])
    for lang, floor in LATER_FLOORS[folder].items():
        assert table[lang]["all"] >= floor, (lang, table[lang])


def test_own_side_targets_and_nothing_to_find(gaz: Gazetteer) -> None:
    retraction = {
        "title": "The health ministry retracts its statement on vaccine deaths",
        "language": "en",
        "expect": {"kind": "retraction", "speaker": "ministry.health", "target": None},
    }
    r = score_probe(retraction, gaz)
    assert r.kind_ok and r.target_ok
    quiet = {
        "title": "Judge denies bail to the former mayor",
        "language": "en",
        "expect": {"kind": "none", "speaker": None, "target": None},
    }
    assert score_probe(quiet, gaz).ok


def test_a_bad_line_names_its_file_and_line(tmp_path: Path) -> None:
    f = tmp_path / "bad.jsonl"
    f.write_text(json.dumps({"title": "x"}) + "\n{not json\n", "utf-8")
    with pytest.raises(ValueError, match=r"bad.jsonl:2"):
        load_probes([f])


def test_the_command_prints_the_table(tmp_path: Path) -> None:
    f = tmp_path / "one.jsonl"
    f.write_text(
        json.dumps(
            {
                "id": "t1",
                "language": "en",
                "title": "Mexico's president rejects ICE's claim about the Sinaloa raid",
                "text": "",
                "expect": {"kind": "denial", "speaker": "mx.president", "target": "us.ice"},
            }
        )
        + "\n",
        "utf-8",
    )
    out = io.StringIO()
    assert main(["eval", "statements", "--data", str(f)], out=out) == 0
    text = out.getvalue()
    assert "all" in text and "0 mismatches" in text
    empty = io.StringIO()
    assert main(["eval", "statements", "--data", str(tmp_path / "none")], out=empty) == 2
