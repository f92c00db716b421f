"""The per-language word lists of the rule readers (bot/detect/lexicons.py) and their files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.detect.lexicons import DATA_DIR, LexiconError, expand, read_lexicon


def _write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.toml").write_text(text, "utf-8")


def test_lists_join_languages_in_order_and_pieces_expand(tmp_path: Path) -> None:
    d = tmp_path / "demo"
    _write(d, "it", 'language = "it"\n[words]\nverb = ["smentisce"]\n')
    _write(d, "es", 'language = "es"\n[words]\nverb = ["desmiente", "niega"]\n')
    _write(
        d, "en", 'language = "en"\n[words]\nfalse = ["false", "untrue"]\nverb = [\'calls? it ${false}\']\n'
    )
    lex = read_lexicon(d)
    # the first five languages in their fixed order, any other after them
    assert lex.languages == ("en", "es", "it")
    assert lex.words("verb") == ("calls? it (?:false|untrue)", "desmiente", "niega", "smentisce")
    assert lex.alt("verb", "es") == "desmiente|niega"
    assert lex.has("false", "en") and not lex.has("false", "es")
    rx = re.compile(rf"\b(?:{lex.alt('verb')})\b")
    assert rx.search("he calls it untrue").group(0) == "calls it untrue"
    assert rx.search("il governo smentisce") is not None


def test_a_pattern_gets_the_readers_pieces_as_they_are(tmp_path: Path) -> None:
    d = tmp_path / "demo"
    _write(d, "en", 'language = "en"\n[words]\nfalse = ["false"]\n')
    lex = read_lexicon(d)
    assert expand("called it ${gap}${false}", lex, "en", "here", {"gap": "(?:\\w+ )?"}) == (
        "called it (?:\\w+ )?(?:false)"
    )
    with pytest.raises(LexiconError, match=r"here: \$\{nope\} names no list"):
        expand("${nope}", lex, "en", "here", {})


def test_a_missing_list_is_an_error_not_an_empty_match(tmp_path: Path) -> None:
    d = tmp_path / "demo"
    _write(d, "en", 'language = "en"\n[words]\nverb = ["denies"]\n')
    lex = read_lexicon(d)
    with pytest.raises(LexiconError, match="no list 'verbs'"):
        lex.words("verbs")
    with pytest.raises(LexiconError, match=r"demo/fr\.toml: no list 'verb'"):
        lex.words("verb", "fr")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('language = "es"\n', "language = 'es', expected 'en'"),
        ('language = "en"\nextra = 1\n', "unknown key"),
        ('language = "en"\n[words]\nverb = "denies"\n', "words.verb: expected a list"),
        ('language = "en"\n[words]\nverb = []\n', "words.verb: expected a list"),
        ('language = "en"\n[words]\nverb = ["den(ies"]\n', "not a regular expression"),
        ('language = "en"\n[words]\nverb = ["${other}"]\n', r"\$\{other\} names no list"),
        ('language = "en"\nwords = [', "cannot read"),
    ],
)
def test_bad_files_are_named_with_what_is_wrong(tmp_path: Path, text: str, message: str) -> None:
    d = tmp_path / "demo"
    _write(d, "en", text)
    with pytest.raises(LexiconError, match=message) as err:
        read_lexicon(d)
    assert "en.toml" in str(err.value)


def test_an_empty_folder_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "none").mkdir()
    with pytest.raises(LexiconError, match="no language files"):
        read_lexicon(tmp_path / "none")


@pytest.mark.parametrize(
    ("reader", "keys"),
    [
        ("cues", {"cue", "spaced"}),
        ("statements", set()),
        ("roles", {"portfolios", "portfolio_prefixes", "abbreviations", "roles"}),
    ],
)
def test_packaged_lexicons_read(reader: str, keys: set[str]) -> None:
    lex = read_lexicon(DATA_DIR / reader, frozenset(keys))
    assert lex.languages[:5] == ("en", "es", "fr", "de", "pt")


def test_cue_entries_compile_and_bad_ones_are_named(tmp_path: Path) -> None:
    from bot.detect.cues import CueKind, cue_patterns

    d = tmp_path / "cues"
    _write(
        d,
        "it",
        'language = "it"\n[words]\nfalse = ["falso", "falsa"]\n'
        "[[cue]]\nkind = \"denial\"\nstrength = 0.9\npatterns = ['smentisc(?:e|ono)', 'definisce ${gap}${false}']\n",
    )
    [(kind, strength, rx, group, reversal)] = cue_patterns(read_lexicon(d, frozenset({"cue"})), "it")
    assert (kind, strength, group, reversal) == (CueKind.DENIAL, 0.9, None, False)
    assert rx.search("il ministero smentisce la notizia") is not None
    assert rx.search("la definisce del tutto falsa") is not None
    _write(d, "it", 'language = "it"\n[[cue]]\nkind = "denies"\nstrength = 0.9\npatterns = ["x"]\n')
    with pytest.raises(LexiconError, match=r"cues/it\.toml: cue 1: needs a kind"):
        cue_patterns(read_lexicon(d, frozenset({"cue"})), "it")
    _write(
        d,
        "it",
        'language = "it"\n[[cue]]\nkind = "retraction"\nstrength = 0.6\ngroup = "excuse"\npatterns = ["x"]\n',
    )
    with pytest.raises(LexiconError, match=r"cue 1: group 'excuse' is not one of admission, finding"):
        cue_patterns(read_lexicon(d, frozenset({"cue"})), "it")
    _write(
        d,
        "it",
        'language = "it"\n[[cue]]\nkind = "retraction"\nstrength = 0.8\nreversal = "yes"\npatterns = ["x"]\n',
    )
    with pytest.raises(LexiconError, match=r"cue 1: reversal: expected true or false"):
        cue_patterns(read_lexicon(d, frozenset({"cue"})), "it")


def test_a_language_without_spaces_finds_its_cues_inside_a_run(tmp_path: Path) -> None:
    from bot.detect.cues import cue_patterns

    d = tmp_path / "cues"
    entry = "[[cue]]\nkind = \"denial\"\nstrength = 0.9\npatterns = ['否认']\n"
    _write(d, "zh", f'language = "zh"\nspaced = false\n{entry}')
    [(_, _, rx, _, _)] = cue_patterns(read_lexicon(d, frozenset({"cue", "spaced"})), "zh")
    assert rx.search("外交部否认美方说法") is not None  # no space on either side
    _write(d, "zh", f'language = "zh"\n{entry}')  # spaced by default: a word boundary is needed
    [(_, _, rx, _, _)] = cue_patterns(read_lexicon(d, frozenset({"cue", "spaced"})), "zh")
    assert rx.search("外交部否认美方说法") is None
    _write(d, "zh", f'language = "zh"\nspaced = "no"\n{entry}')
    with pytest.raises(LexiconError, match=r"cues/zh\.toml: spaced: expected true or false"):
        cue_patterns(read_lexicon(d, frozenset({"cue", "spaced"})), "zh")


def test_grouped_tables_join_languages(tmp_path: Path) -> None:
    d = tmp_path / "roles"
    _write(d, "es", 'language = "es"\n[roles]\npolice = ["policia"]\n')
    _write(d, "en", 'language = "en"\n[roles]\nmayor = ["mayor"]\npolice = ["police"]\n')
    lex = read_lexicon(d, frozenset({"roles"}))
    assert lex.grouped("roles") == {"mayor": ("mayor",), "police": ("police", "policia")}
    _write(d, "es", 'language = "es"\n[roles]\npolice = "policia"\n')
    with pytest.raises(LexiconError, match=r"roles/es\.toml: roles\.police: expected a list"):
        read_lexicon(d, frozenset({"roles"})).grouped("roles")
