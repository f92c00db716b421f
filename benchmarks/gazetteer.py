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
The baseline is `bot/detect/actors.py` and `config/actors.toml` at the `--baseline` commit,
imported from git into a temporary module, so both run side by side in one process.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
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


def baseline_module(rev: str, tmp: Path) -> tuple[ModuleType, Path]:
    """actors.py at `rev` as a module of its own, and its gazetteer file."""
    src = subprocess.run(
        ["git", "show", f"{rev}:bot/detect/actors.py"], cwd=ROOT, check=True, capture_output=True
    ).stdout
    data = subprocess.run(
        ["git", "show", f"{rev}:config/actors.toml"], cwd=ROOT, check=True, capture_output=True
    ).stdout
    (tmp / "actors_baseline.py").write_bytes(src)
    (tmp / "actors_baseline.toml").write_bytes(data)
    spec = importlib.util.spec_from_file_location("actors_baseline", tmp / "actors_baseline.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["actors_baseline"] = mod
    spec.loader.exec_module(mod)
    return mod, tmp / "actors_baseline.toml"


def timed(fn: Callable[[], Any]) -> float:
    """CPU seconds of one call (process time: other engineers' jobs share this machine)."""
    t = time.process_time()
    fn()
    return time.process_time() - t


def side_by_side(a: Callable[[], Any], b: Callable[[], Any], repeat: int) -> tuple[list[float], list[float]]:
    """Both functions timed `repeat` times, interleaved so that a busy spell hits both alike."""
    ta, tb = [], []
    for _ in range(repeat):
        ta.append(timed(a))
        tb.append(timed(b))
    return ta, tb


def mentions_pass(gaz: Any, texts: list[str]) -> Callable[[], None]:
    """One `mentions` call per text, with the gazetteer's result cache cleared first."""

    def run() -> None:
        gaz._cache.clear()
        for t in texts:
            gaz.mentions(t)

    return run


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", default="295cebe", help="git commit to compare with")
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)

    from bot.detect import actor_terms
    from bot.detect.actors import Gazetteer

    items = headlines(args.n)
    with tempfile.TemporaryDirectory() as d:
        base_mod, base_file = baseline_module(args.baseline, Path(d))

        def load_base() -> Any:
            return base_mod.Gazetteer(*base_mod._read_file(base_file))

        def load_cold() -> Any:
            actor_terms.packaged_lexicon.cache_clear()
            return Gazetteer.load()

        base_load, cold_load = side_by_side(load_base, load_cold, args.repeat)
        _, warm_load = side_by_side(load_base, Gazetteer.load, args.repeat)
        base, new = load_base(), Gazetteer.load()

    texts = [t for _, t in items]
    old_langs = [t for lang, t in items if lang in WEIGHT]
    new_langs = [t for lang, t in items if lang not in WEIGHT]
    print(
        f"{len(texts)} headlines, {len(LANG)} languages ({len(old_langs)} in en/es/fr/de/pt); baseline {args.baseline}"
    )
    print(f"{'':34}{'baseline':>10}{'this tree':>11}{'ratio':>8}")
    b, c, w = (statistics.median(x) * 1000 for x in (base_load, cold_load, warm_load))
    print(f"{'load, ms (median)':34}{b:10.0f}{c:11.0f}{c / b:8.2f}x")
    print(f"{'load, lexicon cached, ms':34}{b:10.0f}{w:11.0f}{w / b:8.2f}x")
    for label, subset in (
        ("mentions/s, all headlines", texts),
        ("mentions/s, en/es/fr/de/pt only", old_langs),
        ("mentions/s, the other languages", new_langs),
    ):
        tb, tn = side_by_side(mentions_pass(base, subset), mentions_pass(new, subset), args.repeat)
        rb, rn = len(subset) / min(tb), len(subset) / min(tn)
        print(f"{label:34}{rb:10.0f}{rn:11.0f}{rb / rn:8.2f}x the time")
    print(f"{'actors':34}{len(base):10d}{len(new):11d}")
    print("\nheadlines with at least one actor found, per language (baseline -> this tree):")
    row = []
    for lang in LANG:
        sub = [t for la, t in items if la == lang]
        fb = sum(bool(base.mentions(t)) for t in sub) / len(sub)
        fn = sum(bool(new.mentions(t)) for t in sub) / len(sub)
        row.append(f"{lang} {fb:.0%}->{fn:.0%}")
    for i in range(0, len(row), 6):
        print("  " + "   ".join(row[i : i + 6]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
