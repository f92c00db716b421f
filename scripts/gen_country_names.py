"""Generate bot/detect/data/country_names.json from CLDR (through babel): country and capital names.

    .venv/bin/pip install -e '.[data]'    # babel is not a runtime dependency
    .venv/bin/python scripts/gen_country_names.py [--check]

For every sovereign state (the UN's members and observers, plus Taiwan and Kosovo) it writes the
CLDR territory name in each language the detector reads, and the capital's name where the capital
is a CLDR time-zone exemplar city (Moscow, Tokyo, Kyiv, ...; Beijing, Washington or Ankara are not
exemplar cities, so the language files under bot/detect/data/lang/ carry those by hand).

Forms that would name the wrong thing in another language we read are left out (SKIP below, with
the reason): the gazetteer matches every language at once, so Spanish "Granada" for Grenada would
turn the city into a state. `--check` prints nothing and exits 1 when the committed file differs
from what this babel would write (tests run it when the CLDR version matches).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from babel import Locale
from babel.core import get_cldr_version
from babel.dates import get_timezone_location

OUT = Path(__file__).resolve().parents[1] / "bot" / "detect" / "data" / "country_names.json"

# The languages of the multilingual sentence encoder, plus Swedish and traditional Chinese.
LANGUAGES = (
    "ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "sv", "th", "tr", "zh", "zh_Hant",
)  # fmt: skip

# UN member states, the two observer states, Taiwan and Kosovo (ISO 3166-1 alpha-2; XK is CLDR's).
STATES = """
AD AE AF AG AL AM AO AR AT AU AZ BA BB BD BE BF BG BH BI BJ BN BO BR BS BT BW BY BZ CA CD CF CG CH
CI CL CM CN CO CR CU CV CY CZ DE DJ DK DM DO DZ EC EE EG ER ES ET FI FJ FM FR GA GB GD GE GH GM GN
GQ GR GT GW GY HN HR HT HU ID IE IL IN IQ IR IS IT JM JO JP KE KG KH KI KM KN KP KR KW KZ LA LB LC
LI LK LR LS LT LU LV LY MA MC MD ME MG MH MK ML MM MN MR MT MU MV MW MX MY MZ NA NE NG NI NL NO NP
NR NZ OM PA PE PG PH PK PL PS PT PW PY QA RO RS RU RW SA SB SC SD SE SG SI SK SL SM SN SO SR SS ST
SV SY SZ TD TG TH TJ TL TM TN TO TR TT TV TW TZ UA UG US UY UZ VA VC VE VN VU WS XK YE ZA ZM ZW
""".split()

# Capitals that CLDR names as time-zone exemplar cities (the zone's city IS the capital).
CAPITAL_ZONES = {
    "AF": "Asia/Kabul", "AM": "Asia/Yerevan", "AR": "America/Buenos_Aires", "AT": "Europe/Vienna",
    "AZ": "Asia/Baku", "BD": "Asia/Dhaka", "BE": "Europe/Brussels", "BG": "Europe/Sofia",
    "BY": "Europe/Minsk", "CD": "Africa/Kinshasa", "CL": "America/Santiago", "CO": "America/Bogota",
    "CU": "America/Havana", "CZ": "Europe/Prague", "DK": "Europe/Copenhagen", "DZ": "Africa/Algiers",
    "EG": "Africa/Cairo", "ET": "Africa/Addis_Ababa", "FI": "Europe/Helsinki", "FR": "Europe/Paris",
    "GB": "Europe/London", "GE": "Asia/Tbilisi", "GR": "Europe/Athens", "HU": "Europe/Budapest",
    "IE": "Europe/Dublin", "IQ": "Asia/Baghdad", "IR": "Asia/Tehran", "IT": "Europe/Rome",
    "JO": "Asia/Amman", "JP": "Asia/Tokyo", "KE": "Africa/Nairobi", "KP": "Asia/Pyongyang",
    "KR": "Asia/Seoul", "LB": "Asia/Beirut", "LY": "Africa/Tripoli", "MX": "America/Mexico_City",
    "NO": "Europe/Oslo", "PE": "America/Lima", "PH": "Asia/Manila", "PL": "Europe/Warsaw",
    "PT": "Europe/Lisbon", "RO": "Europe/Bucharest", "RS": "Europe/Belgrade", "RU": "Europe/Moscow",
    "SA": "Asia/Riyadh", "SD": "Africa/Khartoum", "SE": "Europe/Stockholm", "SO": "Africa/Mogadishu",
    "SY": "Asia/Damascus", "TH": "Asia/Bangkok", "TN": "Africa/Tunis", "TW": "Asia/Taipei",
    "UA": "Europe/Kiev", "VE": "America/Caracas", "DE": "Europe/Berlin", "ES": "Europe/Madrid",
    "ID": "Asia/Jakarta", "MY": "Asia/Kuala_Lumpur", "ZW": "Africa/Harare", "UG": "Africa/Kampala",
    "RW": "Africa/Kigali", "SN": "Africa/Dakar", "ML": "Africa/Bamako", "NE": "Africa/Niamey",
    "GH": "Africa/Accra", "QA": "Asia/Qatar", "KW": "Asia/Kuwait", "BH": "Asia/Bahrain",
    # not Riga: Italian "riga" is a line of text
    "MD": "Europe/Chisinau", "EE": "Europe/Tallinn", "LT": "Europe/Vilnius",
}  # fmt: skip

# (language, country, form): forms left out, each for a reason.
SKIP = {
    ("es", "GD", "Granada"): "a Spanish city",
    ("pt", "GD", "Granada"): "the Spanish city",
    ("de", "IS", "Island"): "an English word ('Island Residents Flee Storm')",
    ("sv", "IS", "Island"): "an English word",
    ("pl", "TD", "Czad"): "also Polish for carbon monoxide fumes",
    ("tr", "ML", "Mali"): "Turkish adjective 'financial' (Mali Bakanlık)",
    ("tr", "SO", "Somali"): "the English demonym ('Somali pirates')",
    ("tr", "SY", "Şam"): "folds to the English name 'Sam'",
    ("pl", "DM", "Dominika"): "a Polish first name",
    ("pl", "IN", "Indie"): "the English 'Indie' in title-case headlines; the inflected forms are in pl.toml",
    ("fr", "SV", "Salvador"): "a first name and a Brazilian city; 'El Salvador' is kept",
    ("fr", "MU", "Maurice"): "a first name",
    ("fr", "DM", "Dominique"): "a first name",
    ("fr", "GD", "Grenade"): "the French for Granada and for a grenade",
    ("es", "MU", "Mauricio"): "a first name (Mauricio Macri)",
    ("pt", "MU", "Maurício"): "a first name",
    ("ko", "ML", "말리"): "a verb stem ('말리는': stopping)",
    ("ko", "OM", "오만"): "the word for arrogance",
    ("ko", "SD", "수단"): "the word for means, method",
    ("zh", "GH", "加纳"): "inside common phrases (增加纳税)",
    ("ar", "ML", "مالي"): "the adjective 'financial'",
    ("ar", "BJ", "بنين"): "the word for sons, boys",
    ("ar", "OM", "عُمان"): "spelled like Amman, Jordan's capital, once vowel marks are dropped",
    ("ar", "JO", "عمّان"): "spelled like Oman once vowel marks are dropped",
    ("ru", "TG", "Того"): "the pronoun 'того' at the start of a sentence",
    ("es", "CG", "Congo"): "bare 'Congo' in the news is mostly the Democratic Republic",
    ("pl", "CG", "Kongo"): "the same",
    ("zh", "ME", "黑山"): "a common Chinese place name (Black Mountain)",
    ("zh_Hant", "ME", "黑山"): "the same",
}
# Forms left out in every language: the gazetteer knows a person by that name.
SKIP_EVERYWHERE = {
    "Montenegro": "Portugal's prime minister (pt.montenegro); the state is found by its other names",
    "Monténégro": "the same, in French",
}
# Capitals that are common first names in many languages (Sofia, Sofía, Sofya ...).
SKIP_CAPITALS = {"BG"}

# Words inside a name that stand for a longer one in some languages.
_AND = {"en": "and"}


def clean(lang: str, name: str) -> list[str]:
    """Usable forms of one CLDR name: 'Myanmar (Burma)' -> 'Myanmar' (a bracket holds a variant or a
    capital, "刚果（布）"); 'St. Kitts & Nevis' -> 'Saint Kitts and Nevis'."""
    name = re.sub(r"\s*[(（].*?[)）]\s*", "", name.replace("\u2019", "'")).strip()
    out: list[str] = []
    for p in [name]:
        p = re.sub(r"\s+-\s+", "-", p)  # "Congo - Kinshasa" -> "Congo-Kinshasa"
        if "&" in p:
            p = p.replace("&", _AND.get(lang, "&"))
            if "&" in p:
                continue
        out.append(p)
        if p.startswith("St. "):
            out.append("Saint " + p[4:])
    return out


def locale_key(lang: str) -> str:
    return lang.replace("_", "-")


def build() -> tuple[dict[str, dict[str, list[str]]], dict[str, dict[str, list[str]]]]:
    """{language: {country: [names]}} and {language: {country: [capital]}} for every state."""
    names: dict[str, dict[str, list[str]]] = {}
    capitals: dict[str, dict[str, list[str]]] = {}
    for lang in LANGUAGES:
        loc = Locale.parse(lang)
        per: dict[str, list[str]] = {}
        caps: dict[str, list[str]] = {}
        for code in STATES:
            raw = loc.territories.get(code)
            if not raw:
                continue
            forms = [
                f
                for f in clean(lang, raw)
                if (lang, code, f) not in SKIP and (lang, code, raw) not in SKIP and f not in SKIP_EVERYWHERE
            ]
            if forms:
                per[code.lower()] = list(dict.fromkeys(forms))
            zone = CAPITAL_ZONES.get(code)
            if zone and code not in SKIP_CAPITALS:
                city = get_timezone_location(zone, locale=lang, return_city=True).replace("\u2019", "'")
                city = re.sub(r"\s*[(（].*$", "", city)  # "Tripoli (Libye)", "Meksyk (miasto)"
                if city and city not in forms and (lang, code, city) not in SKIP:
                    caps[code.lower()] = [city]
        names[locale_key(lang)] = _unshared(per)
        capitals[locale_key(lang)] = caps
    return names, capitals


def _unshared(per: dict[str, list[str]]) -> dict[str, list[str]]:
    """A form two states share in one language ("刚果" for both Congos) names neither."""
    owners: dict[str, set[str]] = {}
    for code, forms in per.items():
        for f in forms:
            owners.setdefault(f, set()).add(code)
    kept = {code: [f for f in forms if len(owners[f]) == 1] for code, forms in per.items()}
    return {code: forms for code, forms in kept.items() if forms}


def render(names: dict[str, dict[str, list[str]]], capitals: dict[str, dict[str, list[str]]]) -> str:
    """The data file: JSON, because the gazetteer parses it at every start (tomllib is ~20x slower)."""
    import babel

    about = (
        f"Country and capital names per language from CLDR {get_cldr_version()} (babel {babel.__version__}), "
        "generated by scripts/gen_country_names.py: do not edit by hand, change the script's tables and "
        "run `make country-names`. Hand-written forms (adjectives, short names, capitals that are not "
        "time-zone cities, metonyms) live in bot/detect/data/lang/<language>.toml."
    )
    english = Locale.parse("en").territories
    display = {code.lower(): english[code] for code in STATES if code in english}
    lines = ["{", f' "about": {json.dumps(about)},', f' "cldr": {json.dumps(get_cldr_version())},']
    lines.append(' "display": {')
    items = sorted(display.items())
    lines += [
        f'  "{c}": {json.dumps(n, ensure_ascii=False)}{"," if i < len(items) - 1 else ""}'
        for i, (c, n) in enumerate(items)
    ]
    lines.append(" },")
    tables = [("names", names), ("capitals", capitals)]
    for t, (table, data) in enumerate(tables):
        lines.append(f' "{table}": {{')
        for n, (lang, per) in enumerate(data.items()):
            lines.append(f'  "{lang}": {{')
            rows = sorted(per.items())
            for k, (code, forms) in enumerate(rows):
                comma = "," if k < len(rows) - 1 else ""
                lines.append(f'   "{code}": {json.dumps(forms, ensure_ascii=False)}{comma}')
            lines.append("  }" + ("," if n < len(data) - 1 else ""))
        lines.append(" }" + ("," if t < len(tables) - 1 else ""))
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if the committed file is out of date")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    text = render(*build())
    if args.check:
        return 0 if args.out.read_text(encoding="utf-8") == text else 1
    args.out.write_text(text, encoding="utf-8")
    n = sum(len(v) for v in build()[0].values())
    print(f"wrote {args.out} ({len(STATES)} states, {len(LANGUAGES)} languages, {n} names)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
