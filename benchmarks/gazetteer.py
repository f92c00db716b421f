"""Gazetteer speed and reach: load time and mentions per second, this tree against a baseline.

    .venv/bin/python benchmarks/gazetteer.py [--baseline 295cebe] [--n 2000] [--repeat 5]

Builds `--n` short headlines (written for this benchmark, 16 languages, templates filled with
officials, bodies and places; about a fifth name nobody), then times on one core:
- load: `Gazetteer.load()` from scratch (the language files and CLDR names parsed and indexed),
  and again with the parsed lexicon cached, as every later load in a process is;
- mentions/s: `mentions(text)` over all headlines with the result cache cleared (best of
  `--repeat` passes), for all headlines and for the en/es/fr/de/pt ones alone;
Times are CPU time of this process, baseline and this tree interleaved pass by pass.
- reach: per language, the share of headlines in which at least one actor is found.
The baseline is the package and configuration of the `--baseline` commit (`git archive` into a
temporary folder); each tree runs in a worker process of its own, and the two take turns pass
by pass, so both see the same machine.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

# language -> (actors named in headlines, verbs, places/other words, headlines naming nobody)
LANG: dict[str, tuple[list[str], list[str], list[str], list[str]]] = {
    "en": (
        [
            "Russia's defence ministry",
            "The White House",
            "Kenyan police",
            "The Pentagon",
            "Ukraine's army",
            "Mexico's foreign ministry",
        ],
        ["denies report on", "says it halted", "rejects claims about", "confirms talks on"],
        ["the border drills", "the grain deal", "the missing tanker", "the power cuts"],
        [
            "Rain expected across the north this weekend",
            "Local bakery wins regional prize",
            "Markets calm ahead of jobs data",
        ],
    ),
    "es": (
        [
            "La Cancillería de Colombia",
            "El gobierno de Perú",
            "El Ministerio de Salud de Chile",
            "La Casa Blanca",
            "El ejército venezolano",
        ],
        ["desmiente informe sobre", "niega acuerdo sobre", "confirma cifras de", "rechaza acusación sobre"],
        ["el apagón", "los incendios", "la frontera", "las vacunas"],
        ["Lluvias intensas en el sur del país", "El museo reabre tras la reforma"],
    ),
    "fr": (
        [
            "Le ministère des Armées",
            "L'Élysée",
            "La police belge",
            "Le gouvernement malien",
            "Le Quai d'Orsay",
        ],
        ["dément les rumeurs sur", "conteste le bilan de", "confirme l'accord sur"],
        ["la grève", "les inondations", "l'accord de pêche"],
        ["Le festival ouvre ses portes ce week-end", "La neige perturbe le trafic"],
    ),
    "de": (
        ["Das Auswärtige Amt", "Die Bundesregierung", "Die russische Armee", "Das Verteidigungsministerium"],
        ["weist Bericht über", "bestätigt Gespräche über", "dementiert Meldung über"],
        ["die Manöver zurück", "den Gasvertrag", "die Grenzschließung"],
        ["Sturm sorgt für Verspätungen", "Stadtfest lockt tausende Besucher"],
    ),
    "pt": (
        ["O Ministério da Saúde", "O governo brasileiro", "A Polícia Federal", "O Itamaraty"],
        ["nega relatório sobre", "confirma acordo sobre", "desmente boato sobre"],
        ["as vacinas", "a seca", "a fronteira"],
        ["Chuva forte atinge o litoral", "Feira do livro abre nesta sexta"],
    ),
    "it": (
        [
            "Il ministero della Difesa russo",
            "La Farnesina",
            "La polizia italiana",
            "Il governo cinese",
            "L'esercito israeliano",
            "Il portavoce del Cremlino",
        ],
        ["smentisce il rapporto su", "nega l'accordo su", "conferma i colloqui su"],
        ["le esercitazioni", "il gasdotto", "i migranti"],
        [
            "Maltempo al nord, scuole chiuse",
            "Italia-Spagna 2-1, decide un rigore",
            "Il prezzo dei meloni sale ancora",
        ],
    ),
    "ru": (
        [
            "Минобороны России",
            "МИД Китая",
            "Пресс-секретарь Кремля",
            "Посольство США",
            "ВСУ",
            "Российский МИД",
        ],
        ["опроверг сообщения о", "заявил о", "отверг обвинения в"],
        ["ударе по складу", "переговорах", "учениях у границы"],
        ["В Москве ожидается снег", "Сборная России обыграла Канаду со счётом 3:2"],
    ),
    "zh": (
        ["中国外交部", "美国防部", "俄罗斯驻华大使馆", "白宫", "以军", "日本防卫省"],
        ["否认", "回应", "证实"],
        ["有关报道", "边境冲突", "谈判进展"],
        ["北方地区迎来大范围降雪", "中国队2-1战胜日本队夺冠"],
    ),
    "ja": (
        ["防衛省", "ロシア国防省", "米国務省", "中国外務省", "韓国政府", "クレムリン"],
        ["が報道を否定", "が声明を発表", "が協議を確認"],
        ["", "、演習について", "、国境で"],
        ["週末は全国的に雨の予報", "日本代表、ドイツに2-1で勝利"],
    ),
    "ko": (
        ["국방부는", "러시아 국방부는", "미 국무부는", "중국 외교부는", "북한군이", "경찰은"],
        ["보도를 부인했다", "입장을 밝혔다", "협상을 확인했다"],
        ["", "국경 훈련과 관련해", "공급 문제에 대해"],
        ["주말 전국에 비 소식", "대표팀, 월드컵 예선 2-1 승리"],
    ),
    "ar": (
        ["وزارة الخارجية الروسية", "الجيش الإسرائيلي", "السفارة الأمريكية", "الحكومة المصرية", "الكرملين"],
        ["تنفي التقارير عن", "تؤكد المحادثات بشأن", "ترفض الاتهامات بشأن"],
        ["الحدود", "صفقة الحبوب", "المناورات"],
        ["أمطار غزيرة في الشمال", "منتخب مصر يفوز على المغرب 2-1"],
    ),
    "nl": (
        [
            "Het Nederlandse ministerie van Defensie",
            "De Russische regering",
            "De politie",
            "Defensie",
            "Buitenlandse Zaken",
        ],
        ["ontkent bericht over", "bevestigt gesprekken over", "weerspreekt cijfers over"],
        ["de oefening", "de grensbewaking", "het gascontract"],
        ["Storm zorgt voor vertraging op het spoor", "Oranje wint met 2-0 van Duitsland"],
    ),
    "pl": (
        ["MSZ Rosji", "Polska policja", "Rosyjskie ministerstwo obrony", "Rzecznik Kremla", "Rząd Niemiec"],
        ["zaprzecza doniesieniom o", "potwierdza rozmowy o", "odrzuca oskarżenia o"],
        ["ćwiczeniach", "granicy", "dostawach gazu"],
        ["Mróz w całym kraju", "Polska wygrała mecz z Holandią 2-1"],
    ),
    "tr": (
        [
            "Türkiye Dışişleri Bakanlığı",
            "Rusya'nın Savunma Bakanlığı",
            "Rus ordusu",
            "Türk polisi",
            "ABD Dışişleri Bakanlığı",
        ],
        ["iddiaları reddetti", "görüşmeleri doğruladı", "açıklama yaptı"],
        ["", "sınır hakkında", "tatbikat konusunda"],
        ["Hafta sonu kar yağışı bekleniyor", "Milli takım maçı 2-1 kazandı"],
    ),
    "sv": (
        [
            "Svenska försvarsmakten",
            "Ryska UD",
            "Sveriges regering",
            "Polisen",
            "Kinesiska utrikesministeriet",
        ],
        ["dementerar uppgifter om", "bekräftar samtal om", "avvisar kritik mot"],
        ["övningen", "gränsen", "gasavtalet"],
        ["Snöstorm väntas i norr", "Sverige vann landskampen mot Norge"],
    ),
    "th": (
        ["รัฐบาลจีน", "รัสเซีย", "กระทรวงกลาโหมสหรัฐอเมริกา"],
        ["ปฏิเสธรายงาน", "ยืนยันการเจรจา"],
        ["", "ชายแดน"],
        ["ฝนตกหนักทางภาคเหนือ"],
    ),
}
# The five languages the baseline read, weighted as today's feeds are; the others evenly.
WEIGHT = {"en": 6, "es": 3, "fr": 2, "de": 2, "pt": 2}


def headlines(n: int, seed: int = 7) -> list[tuple[str, str]]:
    """`n` (language, headline) pairs, each unique (a number is appended where needed)."""
    rng = random.Random(seed)
    langs = [lang for lang in LANG for _ in range(WEIGHT.get(lang, 1))]
    out: list[tuple[str, str]] = []
    for i in range(n):
        lang = rng.choice(langs)
        actors, verbs, objects, quiet = LANG[lang]
        if rng.random() < 0.2:
            text = rng.choice(quiet)
        else:
            text = " ".join(x for x in (rng.choice(actors), rng.choice(verbs), rng.choice(objects)) if x)
        out.append((lang, f"{text} ({i})"))
    return out


# One tree's gazetteer in a process of its own (a baseline commit's modules cannot share a process
# with this tree's: both are the package `bot`). Commands on stdin, one JSON answer per line.
_WORKER = r"""
import json, sys, time
from pathlib import Path
from bot.detect import actors

texts = json.loads(Path(sys.argv[1]).read_text("utf-8"))


def load():
    if hasattr(actors.Gazetteer, "load"):
        return actors.Gazetteer.load()
    return actors.Gazetteer(*actors._read_file(Path("config/actors.toml")))  # before Gazetteer.load


def clear_lexicon():
    terms = getattr(actors, "actor_terms", None) or sys.modules.get("bot.detect.actor_terms")
    if terms is not None and hasattr(terms, "packaged_lexicon"):
        terms.packaged_lexicon.cache_clear()


gaz = load()
for line in sys.stdin:
    cmd, *arg = line.split()
    t = time.process_time()
    out = None
    if cmd == "load_cold":
        clear_lexicon()
        load()
    elif cmd == "load_warm":
        load()
    elif cmd == "mentions":
        gaz._cache.clear()
        for k in json.loads(arg[0]):
            gaz.mentions(texts[k])
    elif cmd == "found":
        out = [bool(gaz.mentions(x)) for x in texts]
    elif cmd == "actors":
        out = len(gaz)
    print(json.dumps({"seconds": time.process_time() - t, "out": out}), flush=True)
"""


class Tree:
    """A worker process running the gazetteer of one source tree over the benchmark's texts."""

    def __init__(self, root: Path, texts_file: Path) -> None:
        env = {**os.environ, "PYTHONPATH": str(root)}
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _WORKER, str(texts_file)],
            cwd=root,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def ask(self, cmd: str) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(cmd + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the gazetteer worker for {cmd!r} stopped (see its error above)")
        return json.loads(line)

    def seconds(self, cmd: str) -> Callable[[], float]:
        return lambda: float(self.ask(cmd)["seconds"])

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait()


def checkout(rev: str, into: Path) -> Path:
    """The package and configuration of commit `rev`, unpacked into `into` (links kept)."""
    archive = subprocess.run(
        ["git", "archive", rev, "bot", "config"], cwd=ROOT, check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def side_by_side(
    a: Callable[[], float], b: Callable[[], float], repeat: int
) -> tuple[list[float], list[float]]:
    """Both timed `repeat` times, interleaved so that a busy spell hits both alike."""
    ta, tb = [], []
    for _ in range(repeat):
        ta.append(a())
        tb.append(b())
    return ta, tb


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", default="295cebe", help="git commit to compare with")
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)

    items = headlines(args.n)
    texts = [t for _, t in items]
    subsets = {
        "mentions/s, all headlines": list(range(len(texts))),
        "mentions/s, en/es/fr/de/pt only": [k for k, (lang, _) in enumerate(items) if lang in WEIGHT],
        "mentions/s, the other languages": [k for k, (lang, _) in enumerate(items) if lang not in WEIGHT],
    }
    with tempfile.TemporaryDirectory() as d:
        texts_file = Path(d) / "texts.json"
        texts_file.write_text(json.dumps(texts), "utf-8")
        base = Tree(checkout(args.baseline, Path(d)), texts_file)
        new = Tree(ROOT, texts_file)
        try:
            base_load, cold_load = side_by_side(
                base.seconds("load_cold"), new.seconds("load_cold"), args.repeat
            )
            base_warm, warm_load = side_by_side(
                base.seconds("load_warm"), new.seconds("load_warm"), args.repeat
            )
            print(
                f"{len(texts)} headlines, {len(LANG)} languages ({len(subsets['mentions/s, en/es/fr/de/pt only'])}"
                f" in en/es/fr/de/pt); baseline {args.baseline}"
            )
            print(f"{'':34}{'baseline':>10}{'this tree':>11}{'ratio':>8}")
            b, c, bw, w = (statistics.median(x) * 1000 for x in (base_load, cold_load, base_warm, warm_load))
            print(f"{'load, ms (median)':34}{b:10.0f}{c:11.0f}{c / b:8.2f}x")
            print(f"{'load, lexicon cached, ms':34}{bw:10.0f}{w:11.0f}{w / bw:8.2f}x")
            for label, ks in subsets.items():
                cmd = f"mentions {json.dumps(ks, separators=(',', ':'))}"
                tb, tn = side_by_side(base.seconds(cmd), new.seconds(cmd), args.repeat)
                rb, rn = len(ks) / min(tb), len(ks) / min(tn)
                print(f"{label:34}{rb:10.0f}{rn:11.0f}{rb / rn:8.2f}x the time")
            print(f"{'actors':34}{base.ask('actors')['out']:10d}{new.ask('actors')['out']:11d}")
            found_base, found_new = base.ask("found")["out"], new.ask("found")["out"]
        finally:
            base.close()
            new.close()
    print("\nheadlines with at least one actor found, per language (baseline -> this tree):")
    row = []
    for lang in LANG:
        ks = [k for k, (la, _) in enumerate(items) if la == lang]
        fb = sum(found_base[k] for k in ks) / len(ks)
        fn = sum(found_new[k] for k in ks) / len(ks)
        row.append(f"{lang} {fb:.0%}->{fn:.0%}")
    for i in range(0, len(row), 6):
        print("  " + "   ".join(row[i : i + 6]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
