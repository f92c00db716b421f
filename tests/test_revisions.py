"""Comparing two versions of an official statement: what the edit did (fixtures in our own words)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.detect.revisions import EditKind, compare_revisions

LEAD = (
    "Agency unit dismantles three labs in the north\n"
    "Our vetted investigations unit led the operation that dismantled three drug labs on Tuesday. "
    "Local prosecutors assisted with the arrests. The agency thanks its partners."
)

CASES = [
    # --- cosmetic: must not alert ---------------------------------------------------------
    (
        "typo fixed",
        LEAD,
        LEAD.replace("dismantled three", "dismantled three").replace("operation", "operaton"),
        EditKind.COSMETIC,
    ),
    ("spacing and case", LEAD, LEAD.replace(". ", ".  ").replace("Tuesday", "TUESDAY"), EditKind.COSMETIC),
    (
        "timestamp line",
        LEAD + "\nUpdated 10:42 GMT",
        LEAD + "\nUpdated 14:05 GMT",
        EditKind.COSMETIC,
    ),
    (
        "tracking link",
        LEAD + " Read more: https://agency.example/news/1?utm_source=rss",
        LEAD + " Read more: https://agency.example/news/1?utm_source=x&fbclid=9",
        EditKind.COSMETIC,
    ),
    (
        "date format",
        "Statement of 2025-05-14. " + LEAD,
        "Statement of 14/05/2025. " + LEAD,
        EditKind.COSMETIC,
    ),
    (
        "es: tilde fixed",
        "La fiscalia confirmo la detencion de cinco personas en la operacion.",
        "La fiscalía confirmó la detención de cinco personas en la operación.",
        EditKind.COSMETIC,
    ),
    # --- softened ---------------------------------------------------------------------------
    (
        "role downgraded: led -> supported",
        LEAD,
        LEAD.replace("led the operation", "supported the operation"),
        EditKind.SOFTENED,
    ),
    (
        "hedge added",
        "The ministry says the water supply is safe to drink in every district.",
        "The ministry says the water supply may be safe to drink in every district.",
        EditKind.SOFTENED,
    ),
    (
        "es: lidero -> apoyo",
        "La unidad federal lideró el operativo que desmanteló tres laboratorios.",
        "La unidad federal apoyó el operativo que desmanteló tres laboratorios.",
        EditKind.SOFTENED,
    ),
    (
        "fr: hedge added",
        "Le ministère affirme que la centrale a été réparée mardi.",
        "Le ministère affirme que la centrale aurait été réparée mardi, selon une estimation préliminaire.",
        EditKind.SOFTENED,
    ),
    (
        "de: geleitet -> unterstützt",
        "Die Bundespolizei hat den Einsatz an der Grenze geleitet und drei Lager geräumt.",
        "Die Bundespolizei hat den Einsatz an der Grenze unterstützt und drei Lager geräumt.",
        EditKind.SOFTENED,
    ),
    (
        "pt: hedge added",
        "O governo informa que a ponte foi reaberta ao trânsito nesta manhã.",
        "O governo informa que a ponte possivelmente foi reaberta ao trânsito nesta manhã.",
        EditKind.SOFTENED,
    ),
    # --- removed ----------------------------------------------------------------------------
    (
        "claim sentence dropped",
        LEAD,
        "Agency unit dismantles three labs in the north\nLocal prosecutors assisted with the arrests. "
        "The agency thanks its partners.",
        EditKind.REMOVED,
    ),
    (
        "es: frase borrada",
        "El ministerio anunció la compra de diez aviones nuevos. La entrega empezará en marzo del próximo año.",
        "El ministerio anunció la compra de diez aviones nuevos.",
        EditKind.REMOVED,
    ),
    # --- reversed ---------------------------------------------------------------------------
    (
        "negation added",
        "The army says its troops crossed the border overnight.",
        "The army says its troops did not cross the border overnight.",
        EditKind.REVERSED,
    ),
    (
        "negation dropped",
        "The city council will not raise the transit fare this year.",
        "The city council will raise the transit fare this year.",
        EditKind.REVERSED,
    ),
    (
        "de: nicht added",
        "Das Ministerium bestätigt, dass die Anlage beschädigt wurde.",
        "Das Ministerium bestätigt, dass die Anlage nicht beschädigt wurde.",
        EditKind.REVERSED,
    ),
    (
        "pt: negation added",
        "A polícia confirmou que o suspeito estava armado durante a abordagem.",
        "A polícia confirmou que o suspeito não estava armado durante a abordagem.",
        EditKind.REVERSED,
    ),
    (
        "fr: claim replaced by its denial",
        "Le gouvernement annonce la fermeture de trois usines chimiques dans la région. Les salariés seront reclassés.",
        "Le gouvernement dément la fermeture de trois usines chimiques dans la région, qui ne fermeront pas. "
        "Les salariés seront reclassés.",
        EditKind.REVERSED,
    ),
    # --- other: a real change, not a retreat ------------------------------------------------
    (
        "detail added",
        "The agency seized two trucks at the port.",
        "The agency seized two trucks at the port. Both were registered abroad and carried machine parts.",
        EditKind.OTHER,
    ),
    (
        "figure changed",
        "Rescuers evacuated 120 residents from the flooded valley overnight.",
        "Rescuers evacuated 140 residents from the flooded valley overnight.",
        EditKind.OTHER,
    ),
    (
        "hedge removed (firmer, not softer)",
        "Officials say the outage may have been caused by a storm.",
        "Officials say the outage was caused by a storm.",
        EditKind.OTHER,
    ),
]


@pytest.mark.parametrize(("name", "before", "after", "kind"), CASES, ids=[c[0] for c in CASES])
def test_edit_kinds(name: str, before: str, after: str, kind: EditKind) -> None:
    verdict = compare_revisions(before, after)
    assert verdict.kind is kind, (name, verdict)
    assert verdict.alerts is (kind in (EditKind.SOFTENED, EditKind.REMOVED, EditKind.REVERSED))
    assert verdict.reason
    if verdict.alerts:
        # the desk sees what was said and what is said now
        assert verdict.before and all(s in before for s in verdict.before)
        assert all(s in after for s in verdict.after)


def test_softened_verdict_shows_the_sentence_before_and_after() -> None:
    v = compare_revisions(LEAD, LEAD.replace("led the operation", "supported the operation"))
    assert v.before == (
        "Our vetted investigations unit led the operation that dismantled three drug labs on Tuesday.",
    )
    assert v.after == (
        "Our vetted investigations unit supported the operation that dismantled three drug labs on Tuesday.",
    )
    assert "'led'" in v.reason and "'supported'" in v.reason


def test_unchanged_text_is_cosmetic() -> None:
    assert compare_revisions(LEAD, LEAD).kind is EditKind.COSMETIC


_filler = st.text(alphabet=" abcdefghij.,\n", max_size=200)


@given(_filler)
def test_whitespace_and_case_never_alert(text: str) -> None:
    noisy = "  ".join(text.upper().split(" "))
    assert not compare_revisions(text, noisy).alerts
