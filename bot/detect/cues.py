"""Cue words: what a sentence does (claims, denies, retracts, corrects, confirms), per language.

`find_cues(sentence, language)` returns every cue with its span and two flags that keep
precision: `negated` ("did not deny", "ni confirmó ni desmintió", "cannot confirm or deny",
"declined to comment") and `other_sense` ("judge denied bail", "visa rejected", "Senate rejects
bill", "false alarm", "transfer bid rejected"), each with a reason. Lexicons are regexes over
the folded text (lower case, no accents; see `textutil.fold`), so spans map back unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.detect.textutil import LANGUAGES, fold, guess_language

__all__ = ["Cue", "CueKind", "find_cues", "strongest"]


class CueKind(StrEnum):
    """What the cue words do."""

    CLAIM = "claim"
    DENIAL = "denial"
    RETRACTION = "retraction"
    CORRECTION = "correction"
    CONFIRMATION = "confirmation"


@dataclass(frozen=True, slots=True)
class Cue:
    """One cue in a sentence."""

    kind: CueKind
    span: tuple[int, int]
    words: str  # the cue words as written
    language: str
    strength: float  # how reliably these words mean `kind`, 0..1
    negated: bool = False
    other_sense: bool = False
    reason: str | None = None  # why negated / other sense
    self_directed: bool = False  # "corrige sus cifras", "walked back its claim", "retracts"

    @property
    def active(self) -> bool:
        """True when the cue counts: neither negated nor another sense of the words."""
        return not self.negated and not self.other_sense


# Words that may sit between a verb and its object ("rejected the Canadian PM's claim").
_GAP = r"(?:[\w'-]+ ){0,6}?"
_FALSE_EN = (
    r"(?:false|untrue|not true|inaccurate|incorrect|baseless|groundless|unfounded|fake|fabricated|"
    r"misleading|absurd|lies|a lie|lying|nonsense|propaganda|wrong|erroneous|without (?:any )?basis|"
    r"not accurate|not correct|disinformation|misinformation|a fabrication|an error|a mistake|"
    r"categorically false|completely false|totally false|fiction|a hoax|hoax|a fake|forged|a forgery|"
    r"(?:full of|riddled with) (?:discrepancies|inaccuracies|errors|falsehoods|lies|contradictions))"
)
_FALSE_ES = (
    r"(?:falso|falsa|falsos|falsas|mentira|mentiras|infundad[oa]s?|inexact[oa]s?|incorrect[oa]s?|"
    r"erróne[oa]s?|erronea?s?|fake news|invento|inventos|calumnia|calumnias|absurd[oa]s?|"
    r"sin fundamento|malintencionad[oa]s?|propaganda|desinformacion|fals[oa]s? de toda falsedad)"
)
_FALSE_FR = (
    r"(?:faux|fausse|fausses|mensonger|mensongere|mensongers|mensongeres|infonde|infondee|infondes|"
    r"infondees|inexact|inexacte|inexacts|inexactes|errone|erronee|sans fondement|fantaisiste|"
    r"fantaisistes|absurde|absurdes|intox|infox|fake news|de la propagande)"
)
_FALSE_DE = (
    r"(?:falsch|falsche|falschen|unwahr|unzutreffend|unzutreffende|nicht zutreffend|haltlos|haltlose|"
    r"frei erfunden|erfunden|fake news|propaganda|irrefuhrend|luge|lugen)"
)
_FALSE_PT = (
    r"(?:falso|falsa|falsos|falsas|mentira|mentiras|mentiroso|mentirosos|mentirosa|mentirosas|"
    r"infundad[oa]s?|inveridic[oa]s?|incorret[oa]s?|errad[oa]s?|fake news|absurd[oa]s?|sem fundamento)"
)
_CLAIM_NOUN_EN = (
    r"(?:claims?|reports?|allegations?|accusations?|account|version|assertions?|statements?|post|"
    r"posts|tweets?|remarks|comments|figures?|numbers?|story|stories|charges?|suggestions?|narrative|"
    r"characteri[sz]ation|description|findings|information|rumou?rs?|speculation|news)"
)

# (kind, strength, pattern). Patterns are over folded text; `\b` boundaries are added.
_LEX: dict[str, list[tuple[CueKind, float, str]]] = {
    "en": [
        # "far from the 40,000 claimed by the minister": a count set against an official figure
        (CueKind.DENIAL, 0.7, r"far (?:from|below|short of|above|fewer than|more than) the (?:\d[\d\s.,]*(?:(?:a|et|to|y|e|bis|-) ?\d[\d\s.,]*)?)(?:\w+ ){0,2}?(?:claimed|cited|announced|reported|given|put forward|touted) by"),
        # "contrary to what the ministry said": the news itself sets a statement against the facts
        (CueKind.DENIAL, 0.7, r"contrary to what|contrary to(?= (?:the |an? )?(?:official |earlier |initial )?(?:claims?|statements?|assertions?|account|version|figures?|remarks) (?:of|by|from|made by)\b)"),
        (CueKind.DENIAL, 0.9, r"den(?:y|ies|ied|ying)|denials?"),
        (CueKind.DENIAL, 0.85, r"refut(?:e|es|ed|ing)|rebut(?:s|ted|ting)?|debunk(?:s|ed|ing)?"),
        (CueKind.DENIAL, 0.8, r"contradict(?:s|ed|ing)?|contradiction"),
        (CueKind.DENIAL, 0.75, r"disput(?:e|es|ed|ing)"),
        (CueKind.DENIAL, 0.7, r"reject(?:s|ed|ing)?|dismiss(?:es|ed|ing)?|rubbish(?:es|ed)?|repudiat(?:e|es|ed)|rebuff(?:s|ed|ing)?"),
        (CueKind.DENIAL, 0.75, rf"(?:call(?:s|ed|ing)?|brand(?:s|ed|ing)?|label(?:s|ed|led|ling)?|describ(?:e|es|ed|ing)|termed?|slam(?:s|med)?) {_GAP}(?:as )?{_FALSE_EN}"),
        (CueKind.DENIAL, 0.8, rf"(?:is|was|are|were|be|been|being) (?:completely |totally |simply |entirely |categorically |patently )?{_FALSE_EN}"),
        (CueKind.DENIAL, 0.7, r"no truth|not (?:based on|backed by) (?:fact|facts|evidence)|never happened|did not happen|didn't happen|(?:had|has|have) not taken place|(?:did not|didn't|never) take place|never took place|no such (?:[\w-]+ ){1,2}?(?:took place|happened|occurred|exists?|existed|was (?:carried out|held|made|signed))"),
        # "there is no evidence of fraud", "has never been proven": the claim's basis denied
        (CueKind.DENIAL, 0.65, r"(?:there (?:is|was|has been) no|found no|finds no|find no|saw no|sees no|see no) evidence(?: whatsoever| at all)? (?:of|that|to support|for)|(?:has|have|had) never been (?:proven|proved|substantiated|demonstrated)"),
        (CueKind.DENIAL, 0.6, r"(?:question(?:s|ed|ing)?|doubt(?:s|ed|ing)?|investigat(?:e|es|ed|ing)|prob(?:e|es|ed|ing)) the (?:veracity|truthfulness) of"),
        (CueKind.DENIAL, 0.6, r"push(?:es|ed)? back (?:on|against)|hit(?:s)? back(?: at)?|shoot(?:s)? down|shot down (?:the )?(?:allegations?|claims?|reports?|rumou?rs?)|took exception|takes exception|calls? (?:\w+ )?out|does not match|do not match|did not match|doesn't match|at odds with|(?:cast|casts) doubt"),
        (CueKind.DENIAL, 0.7, r"falsely (?:claim(?:s|ed)?|said|says|stated|asserted)|mislead(?:s|ing)? the public|misrepresent(?:s|ed|ing)?|(?:made|makes|making) (?:false|misleading|inaccurate|untrue|unfounded) (?:statements?|claims?|assertions?)"
         # "had given a false account of the strike": the account's author is accused of it
         r"|(?:gave|given|giving|gives|provided|providing|provides|spread|spreading|spreads) (?:a |an )?(?:false|fake|misleading|inaccurate|untrue|distorted|fabricated) (?:account|picture|information|figures?|narrative|version|impression|data)"),
        (CueKind.DENIAL, 0.7, r"accus(?:e|es|ed|ing) (?:[\w'.-]+ ){1,4}?of (?:lying|deceiving|deception|misleading|fabricating|spreading (?:lies|falsehoods|disinformation|misinformation))"),
        (CueKind.DENIAL, 0.55, r"corrects?(?= (?:trump|biden|the president|him|her|them|the minister|[a-z]+'s))"),
        (CueKind.RETRACTION, 0.9, r"retract(?:s|ed|ing|ion)?"),
        (CueKind.RETRACTION, 0.85, r"walk(?:s|ed|ing)? back|backtrack(?:s|ed|ing)?|back-?pedal(?:s|led|ed|ling|ing)?|u-turn|climb(?:s|ed)? down|reverses? (?:itself|course|its (?:claim|statement|account|position))|reversed (?:itself|course|its (?:claim|statement|account|position))"),
        (CueKind.RETRACTION, 0.85, rf"withdr(?:aw|aws|ew|awn|awing) {_GAP}{_CLAIM_NOUN_EN}"),
        (CueKind.RETRACTION, 0.8, rf"disregard(?:ed|ing)? (?:its|our|their|the|that) (?:earlier |previous |last |initial )?{_CLAIM_NOUN_EN}|(?:statement|release|post|tweet) (?:was|has been) (?:deleted|withdrawn|taken down)"),
        (CueKind.RETRACTION, 0.7, r"apologi[sz](?:e|es|ed|ing) for (?:wrongly|falsely|the (?:error|mistake|false|incorrect|inaccurate)|its (?:error|mistake)|(?:an|the) (?:incorrect|inaccurate|false))|apologi[sz](?:e|es|ed) (?:for|after) (?:wrongly|falsely)"),
        (CueKind.RETRACTION, 0.65, r"admit(?:s|ted|ting)?|concede(?:s|d)?|acknowledg(?:e|es|ed|ing)(?= (?:that|it|its|for the first time|the))|owns? up|now says?|(?:confirm(?:s|ed)?|acknowledg(?:es|ed)|admit(?:s|ted)?) for the first time|after (?:initially|first|earlier) (?:claiming|saying|denying|reporting)|contrary to (?:its |their )?(?:earlier|initial|previous)|not (?:dead|killed|freed) after all"),
        (CueKind.CORRECTION, 0.85, r"correct(?:s|ed|ing)? (?:the record|itself|its|their|an earlier|the earlier|the figure|the number|the toll|the death toll|a figure|an error)|corrections?|correct(?:s|ed)(?= (?:[\w-]+ ){0,2}?(?:figures?|numbers?|toll|count|statement|estimate|location|timeline|date|"
         r"transcript|details|data|bulletin|remarks|comments|account|version|map|magnitude|time))"),
        (CueKind.CORRECTION, 0.7, r"revis(?:e|es|ed|ing) (?:down|downward|downwards|(?:its|the|their|an earlier)(?: (?:\w+ ){0,3}?(?:figures?|toll|estimate|estimates|numbers?|count|tally|death toll|data|statement|account))|(?:[\w-]+ ){1,3}?(?:death|casualty) toll(?! up\b| upward))|revised (?:down|downward)|lowered (?:the|its) (?:death )?toll"),
        # "the guards reported dead are alive": an earlier account of deaths set right
        (CueKind.CORRECTION, 0.7, r"(?:reported|declared|presumed|believed|thought|feared|considered|said to be|listed as|announced as) (?:to be |as )?(?:dead|killed) (?:[\w-]+ ){0,3}?(?:are|is|were|was) (?:still |in fact |actually )?alive"),
        (CueKind.CORRECTION, 0.6, r"the (?:true|real|correct|actual) (?:figure|number|toll|count|tally) (?:is|was|stands at)|(?:methodological|methodology) (?:errors?|flaws?|problems?)"),
        (CueKind.CORRECTION, 0.6, r"underestimat(?:e|ed|es|ing)|overstat(?:e|ed|es|ing)|erroneous(?:ly)?|mistakenly|in error|clarif(?:y|ies|ied|ying)(?= (?:that|its|an earlier|earlier|remarks|comments))"),
        (CueKind.CONFIRMATION, 0.8, r"confirm(?:s|ed|ing)?|corroborat(?:e|es|ed|ing)|verified"),
        (CueKind.CLAIM, 0.6, r"sa(?:y|ys|id)|told|tell(?:s)?|announc(?:e|es|ed|ing)|claim(?:s|ed|ing)?|stat(?:e|es|ed)|post(?:s|ed)|tweet(?:s|ed)|wr(?:ote|ites)|insist(?:s|ed)|assert(?:s|ed)|alleg(?:e|es|ed)|accus(?:e|es|ed)|declar(?:e|es|ed)|warn(?:s|ed)|report(?:s|ed)|according to|maintain(?:s|ed)|add(?:s|ed)|blam(?:e|es|ed)|recount(?:s|ed)|defend(?:s|ed)|respond(?:s|ed)|record(?:s|ed)|register(?:s|ed)|suggest(?:s|ed)|insinuat(?:e|es|ed)"),
    ],
    "es": [
        (CueKind.DENIAL, 0.7, r"(?:muy |bien )?lejos de (?:los|las) (?:\d[\d\s.,]*(?:(?:a|et|to|y|e|bis|-) ?\d[\d\s.,]*)?)(?:\w+ ){0,2}?(?:anunciad|declarad|informad|senalad|reportad|esgrimid|difundid|mencionad)[oa]s por"),
        (CueKind.DENIAL, 0.7, r"(?:a diferencia de|al contrario de|contrario a|contrariamente a) lo que (?:habia |habian |ha |han )?(?:afirm|dij|asegur|sostuv|declar|senal|inform|anunci|dich|afirmad|asegurad)\w*|(?:en contra de|contrario a|al contrario de|a diferencia de)(?= (?:la |las |lo |los )?(?:version|versiones|afirmaciones|declaraciones|dichos|cifras) (?:de|del|oficial)\b)"),
        (CueKind.DENIAL, 0.9, r"desm(?:iente|ienten|intio|intieron|entir|entido|entida|intiendo|ienta)|nieg(?:a|an|ue|uen)|neg(?:o|aron|ar|ado|ando)|negativa"),
        (CueKind.DENIAL, 0.8, r"rechaz(?:a|an|o|aron|ar|ado|ando)|refut(?:a|an|o|aron|ar)|rebat(?:e|en|io|ieron|ir)|contradi(?:ce|cen|jo|jeron|cir|ciendo)|desestim(?:a|an|o|aron|ar)"),
        # participles, for passives: "la versión fue desmentida por", "cifras rechazadas por"
        (CueKind.DENIAL, 0.8, r"(?:rechazad|refutad|negad|contradich|desmentid|rebatid|desestimad)[oa]s?(?= por\b)"),
        (CueKind.DENIAL, 0.8, rf"(?:calific(?:a|an|o|aron|ar)|tild(?:a|o|aron)|tach(?:a|o|aron)) {_GAP}(?:de |como )?{_FALSE_ES}"),
        (CueKind.DENIAL, 0.8, rf"(?:es|son|era|eran|fue|fueron|resulta|resultan|seria|sería|resulto) (?:totalmente |completamente |absolutamente |rotundamente )?{_FALSE_ES}"),
        (CueKind.DENIAL, 0.8, r"no es (?:cierto|verdad|real)|no son (?:ciertas?|ciertos|verdad)|no (?:existe|existen|hubo|ha habido) (?:\w+ )?(?:dialogo|conversaciones?|tal|ninguna?)|nunca (?:existio|hubo|ocurrio)|no corresponde(?:n)? a la (?:realidad|verdad)|carece(?:n)? de (?:sustento|fundamento|veracidad)"),
        (CueKind.DENIAL, 0.65, r"no (?:hay|existe|existen|hubo|encontr(?:o|aron)) (?:ninguna |ningun |ningunas )?(?:prueba|pruebas|evidencia|evidencias) (?:de|que|alguna)|nunca (?:se )?(?:ha|han|fue|fueron) (?:sido )?(?:comprobad|probad|demostrad)[oa]s?"),
        (CueKind.DENIAL, 0.6, r"(?:investig|indag|cuestion|pon|ponen|puso|pusieron)(?:a|an|o|aron|e|en)? (?:en duda )?la veracidad del?"),
        (CueKind.DENIAL, 0.7, r"acus(?:a|an|o|aron) (?:[\w'.-]+ ){1,4}?de (?:mentir|enganar|engano|'?engano masivo|mentiroso|mentirosa|desinformar|faltar a la verdad)"),
        (CueKind.DENIAL, 0.6, r"descart(?:a|an|o|aron)|cuestion(?:a|an|o|aron)|sali(?:o|eron) al paso|desminti|enmend(?:o|a) la plana|corrig(?:e|io) (?:a|al) "),
        (CueKind.RETRACTION, 0.9, r"se retract(?:a|an|o|aron)|retractarse|retractacion|se desdic(?:e|en|io)|desdecirse"),
        (CueKind.RETRACTION, 0.8, r"(?:dio|da|dan|dieron) marcha atras|recul(?:a|o|aron)|retir(?:a|o|aron) (?:sus |las |el |la |los )?(?:declaraciones|dichos|comunicado|acusaciones|afirmaciones|publicacion|mensaje|tuit)"),
        (CueKind.RETRACTION, 0.8, r"(?:no tener en cuenta|desestimar|dejar sin efecto|deja sin efecto|dejo sin efecto|borro|elimino) (?:el |su |la |los )?(?:anterior |ultimo )?(?:comunicado|mensaje|tuit|publicacion|informacion)"),
        (CueKind.RETRACTION, 0.65, r"admit(?:e|en|io|ieron)|reconoc(?:e|en|io|ieron)(?= (?:\w+ ){0,2}?(?:que|el error|su error|errores|error|haber|por primera vez))|pid(?:e|io|ieron) (?:disculpas|perdon)|ofreci(?:o|eron) disculpas"),
        (CueKind.CORRECTION, 0.85, r"rectific(?:a|an|o|aron|ar|acion|aciones)|corrig(?:e|en|io|ieron)|correg(?:ir|ido)|fe de erratas"),
        (CueKind.CORRECTION, 0.7, r"(?:dad|report|declarad|anunciad)[oa]s (?:como |por )?muert[oa]s (?:[\w-]+ ){0,3}?(?:esta|estan|sigue|siguen|estaba|estaban) (?:con )?viv[oa]s?"),
        (CueKind.CORRECTION, 0.6, r"(?:la|el) (?:cifra|numero|dato|balance) (?:real|verdader[oa]|correct[oa]) (?:es|era|fue)|(?:fallas?|fallos?|errores?) (?:de|en la) metodologia"),
        (CueKind.CORRECTION, 0.6, r"(?:modific(?:a|o|an|aron)|ajust(?:a|o|an|aron)|revis(?:a|o|an|aron)|rebaj(?:a|o|an|aron)|reduj(?:o|eron)) (?:a la baja|(?!al alza)(?:\w+ ){0,2}?(?:cifras?|balance|saldo|recuento|conteo|numero de (?:muertos|victimas|fallecidos|desaparecidos)))|(?:informe|balance|cifra|recuento) revisad[oa]|aclar(?:a|an|o|aron)(?= que)|precis(?:a|o)(?= que)"),
        (CueKind.CONFIRMATION, 0.8, r"confirm(?:a|an|o|aron|ar|ado)|corrobor(?:a|an|o|aron)|ratific(?:a|o)"),
        (CueKind.CLAIM, 0.6, r"dij(?:o|eron)|dice|dicen|afirm(?:a|an|o|aron)|asegur(?:a|an|o|aron)|anunci(?:a|an|o|aron)|declar(?:a|an|o|aron)|inform(?:a|an|o|aron)|senal(?:a|an|o|aron)|sostuv(?:o|ieron)|sostiene|public(?:a|o|aron)|indic(?:a|o|aron)|explic(?:a|o)|advirt(?:io|ieron)|denunci(?:a|o|aron)|acus(?:a|o|aron)|segun|manifest(?:o|aron)|report(?:a|o|aron)|revel(?:a|o)|atribuy(?:e|o)|culp(?:a|o)|cont(?:o|aron)|relat(?:a|o|aron)|defend(?:io|ieron)|defiende(?:n)?|respond(?:e|en|io|ieron)|replic(?:a|o|aron)|registr(?:a|o|an|aron)|contabiliz(?:a|o|an|aron)|sugier(?:e|en)|sugiri(?:o|eron)|insinu(?:a|an|o|aron)"),
    ],
    "fr": [
        (CueKind.DENIAL, 0.7, r"(?:tres |bien )?loin (?:des|du) (?:\d[\d\s.,]*(?:(?:a|et|to|y|e|bis|-) ?\d[\d\s.,]*)?)(?:\w+ ){0,2}?(?:avance|annonce|evoque|affiche|revendique|declare)e?s? par"),
        (CueKind.DENIAL, 0.7, r"contrairement a ce qu'(?:(?:a|avait|ont|avaient) )?(?:affirm|dit|annonc|assur|declar|affirmai|disai)\w*|contrairement(?= (?:aux|a la|au) (?:affirmations?|declarations?|propos|chiffres|annonces?|version|bilan) (?:de|du|des|d')\b)"),
        (CueKind.DENIAL, 0.9, r"dem(?:ent|entent|enti|entir|entie)|dementi(?:s)?|dementent|nie|nient|nier|nie(?:s)?(?= (?:avoir|que|toute|tout|les|la|le|l'|des|formellement|categoriquement|en bloc))|a nie|ont nie"),
        (CueKind.DENIAL, 0.8, r"rejett(?:e|ent)|rejete(?:s|e|es)?|refut(?:e|ent)|conteste(?:nt)?|contredi(?:t|sent)|recuse(?:nt)?|s'inscri(?:t|vent) en faux|oppose un dementi|dementi formel"),
        (CueKind.DENIAL, 0.8, r"(?:contredite?s?|refutee?s?|contestee?s?|dementie?s?|rejetee?s?|niee?s?)(?= par\b)"),
        (CueKind.DENIAL, 0.8, rf"(?:qualifi(?:e|ent|e de)|jug(?:e|ent)) {_GAP}(?:de |d')?{_FALSE_FR}|(?:est|sont|etait|serait|c'est) (?:[\x22'\u00ab\u201c]\s?)?(?:totalement |completement |absolument |parfaitement )?{_FALSE_FR}"),
        (CueKind.DENIAL, 0.6, r"(?:met|mettent|mis|remet|remettent) en (?:doute|cause) la (?:veracite|sincerite) (?:de|du|des)|n'a jamais ete (?:prouvee?s?|demontree?s?)"),
        (CueKind.DENIAL, 0.7, r"aucun(?:e)? (?:attaque|fondement|preuve)|n'a jamais (?:eu lieu|existe)|ne correspond(?:ent)? pas a la realite"),
        (CueKind.DENIAL, 0.7, r"accus(?:e|ent|e) (?:[\w'.-]+ ){1,4}?de (?:mentir|mensonge|mensonges|tromper|desinformation)"),
        (CueKind.RETRACTION, 0.9, r"se retract(?:e|ent)|retractation|fai(?:t|re) marche arriere|rev(?:ient|iennent|enu) sur (?:ses|sa|son|leurs) (?:propos|declaration|declarations|annonce|affirmations)|retropedal\w*|retir(?:e|ent) (?:sa|ses|son) (?:declaration|propos|communique)"),
        (CueKind.RETRACTION, 0.8, r"ne (?:pas|plus) tenir compte (?:de |du |des )(?:son |leur |ce |notre )?(?:dernier |precedent )?(?:communique|message|tweet|bilan)|annule (?:son|le) (?:precedent |dernier )?communique"),
        (CueKind.RETRACTION, 0.65, r"reconna(?:it|issent|itre)|admet(?:tent)?|a admis|presente(?:nt)? (?:ses|leurs) excuses|s'excus(?:e|ent)"),
        (CueKind.CORRECTION, 0.85, r"rectifi(?:e|ent|er|cations?)|corrig(?:e|ent|er|eait)|corrige|revu (?:a la baisse|a la hausse)|revoi(?:t|ent) (?:a la baisse|a la hausse)|erratum"),
        (CueKind.CORRECTION, 0.55, r"precis(?:e|ent)(?= que)|clarifi(?:e|ent)"),
        (CueKind.CORRECTION, 0.7, r"(?:donnes|annonces|declares|presumes) morts (?:[\w-]+ ){0,3}?(?:sont|etaient) (?:toujours |bien )?(?:en vie|vivants)"),
        (CueKind.CORRECTION, 0.6, r"le (?:vrai|veritable) (?:bilan|chiffre|nombre) (?:est|etait)|le (?:bilan|chiffre|nombre) (?:reel|exact) (?:est|etait)|erreurs? de methodologie"),
        (CueKind.CONFIRMATION, 0.8, r"confirm(?:e|ent|er|ation)|corrobor(?:e|ent)"),
        (CueKind.CLAIM, 0.6, r"a declare|declare|affirm(?:e|ent)|a affirme|a annonce|annonce|annoncent|a dit|dit|disent|selon|assur(?:e|ent)|indiqu(?:e|ent)|a indique|expliqu(?:e|ent)|accus(?:e|ent)|estim(?:e|ent)|soulign(?:e|ent)|attribu(?:e|ent)|impute|racont(?:e|ent)|a raconte|defend(?:ent)?|a defendu|repond(?:ent)?|a repondu|recens(?:e|ent)|a recense|denombr(?:e|ent)"),
    ],
    "de": [
        (CueKind.DENIAL, 0.7, r"entgegen(?= (?:der|den|dem) (?:darstellung|angaben|aussagen?|behauptungen?|erklarungen?|angaben) (?:der|des|von)\b)|anders als (?:von )?(?:[\w-]+ ){1,4}?(?:behauptet|dargestellt|angegeben)"),
        (CueKind.DENIAL, 0.9, r"dementi(?:ert|erte|erten|eren|ierte)?|bestr(?:eitet|itt|itten|eiten)|verneint|leugnet|abgestritten|stritt (?:\w+ )?ab|streitet (?:\w+ )?ab"),
        (CueKind.DENIAL, 0.85, r"wies? (?:[\w-]+ ){0,6}?zuruck|weist (?:[\w-]+ ){0,6}?zuruck|zuruckgewiesen|widersprach|widerspricht|widersprochen|wider(?:legt|legte)"),
        (CueKind.DENIAL, 0.8, rf"(?:ist|sei|seien|sind|war|waren) (?:vollig |komplett |schlicht )?{_FALSE_DE}|trifft nicht zu|treffen nicht zu|entbehr(?:t|en) jeder grundlage|falschmeldung|falschinformation(?:en)?|(?:als|fur) {_FALSE_DE} (?:bezeichnet|bezeichnete|zuruckgewiesen)|(?:nannte|nennt|nannten|nennen|bezeichnete|bezeichnet|bezeichneten) {_GAP}(?:als )?{_FALSE_DE}"),
        # verb-second order puts the subject between copula and adjective: "laut X sind die Angaben falsch"
        (CueKind.DENIAL, 0.7, rf"(?:ist|sind|sei|seien|war|waren) (?:[\w-]+ ){{1,5}}?(?:vollig |komplett |schlicht )?{_FALSE_DE}(?=\s*(?:[.,;!]|$))"),
        (CueKind.DENIAL, 0.65, r"keine (?:beweise|belege) (?:fur|dafur|dass)|nie (?:bewiesen|belegt) worden|(?:bezweifel(?:t|te|ten)|zweifel(?:t|te|ten) an) (?:die|der) (?:richtigkeit|darstellung|wahrheit)"),
        (CueKind.DENIAL, 0.7, r"(?:wirft|warf) (?:[\w-]+ ){1,4}?(?:luge|lugen|tauschung|falschaussagen) vor|bezichtigt (?:[\w-]+ ){1,3}?der luge"),
        (CueKind.RETRACTION, 0.85, r"widerr(?:uft|ief|ufen|ufene|ufenen)|zuruckgezogen|zieht (?:\w+ ){0,5}?zuruck|zog (?:\w+ ){0,5}?zuruck|nimmt (?:\w+ ){0,5}?zuruck|nahm (?:\w+ ){0,5}?zuruck|rudert (?:\w+ )?zuruck|zuruckgerudert|doch nicht"),
        (CueKind.RETRACTION, 0.65, r"raumt (?:\w+ ){0,5}?ein|raumte (?:\w+ ){0,5}?ein|eingeraumt|entschuldigt sich|entschuldigte sich|gibt (?:\w+ ){0,3}?fehler zu"),
        (CueKind.CORRECTION, 0.7, r"(?:totgeglaubten?|fur tot erklarten?) (?:[\w-]+ ){0,3}?(?:lebt|leben|lebten)"),
        (CueKind.CORRECTION, 0.85, r"korrigi(?:ert|erte|erten|eren)|korrektur|berichtigt|berichtigte|revidiert|nach unten korrigiert"),
        (CueKind.CONFIRMATION, 0.8, r"bestatig(?:t|te|ten|en)"),
        (CueKind.CLAIM, 0.6, r"sagt(?:e|en)?|erklar(?:t|te|ten)|teilt(?:e)? (?:\w+ ){0,4}?mit|laut|nach angaben|zufolge|behaupt(?:et|ete|eten)|verkund(?:et|ete)|betont(?:e)?|berichtet(?:e)?|schrieb|twitterte|meldet(?:e)?|spricht|sprach|erzahlt(?:e)?|verteidigt(?:e)?|antwortet(?:e)?|entgegnet(?:e)?|verzeichnet(?:e)?|registriert(?:e)?"),
    ],
    "pt": [
        (CueKind.DENIAL, 0.7, r"(?:muito |bem )?longe d(?:os|as) (?:\d[\d\s.,]*(?:(?:a|et|to|y|e|bis|-) ?\d[\d\s.,]*)?)(?:\w+ ){0,2}?(?:anunciad|divulgad|informad|declarad|citad)[oa]s (?:pelo|pela|por)"),
        (CueKind.DENIAL, 0.7, r"(?:ao contrario|diferentemente|diferente) do que (?:havia |tinha )?(?:diss|afirm|declar|inform|anunci|aleg|diz|dito|garant)\w*|contrariando(?= (?:a|as|o|os) (?:versao|declaracoes|afirmacoes|dados|numeros) (?:de|do|da|dos|das)\b)"),
        (CueKind.DENIAL, 0.9, r"desm(?:ente|entem|entiu|entiram|entir|entido)|neg(?:a|am|ou|aram|ar)(?= (?:que|ter|a |o |as |os |qualquer|envolvimento|ter|haver|veementemente|categoricamente))|nega|negou|negaram"),
        (CueKind.DENIAL, 0.8, r"rebat(?:e|em|eu|eram|er)|refut(?:a|am|ou|aram)|contest(?:a|am|ou|aram)|rejeit(?:a|am|ou|aram)|contradi(?:z|zem|sse|sseram)|desminto"),
        (CueKind.DENIAL, 0.8, r"(?:contestad|desmentid|negad|rebatid|refutad|rejeitad|contradit)[oa]s?(?= (?:pelo|pela|pelos|pelas|por)\b)"),
        (CueKind.DENIAL, 0.8, rf"(?:e|sao|era|foi|seria) (?:totalmente |completamente |absolutamente )?{_FALSE_PT}|nao e (?:verdade|verdadeir[oa])|nao sao verdadeir[oa]s|nao ha (?:conversas|dialogo)|(?:classific|qualific|cham)(?:a|ou|aram) {_GAP}(?:de |como )?{_FALSE_PT}"),
        (CueKind.DENIAL, 0.65, r"(?:jamais|nunca) (?:foi|foram) (?:comprovad|provad|demonstrad)[oa]s?|nao (?:ha|existe|existem|houve) (?:nenhuma |qualquer )?(?:prova|provas|evidencia|evidencias) (?:de|que)"),
        (CueKind.DENIAL, 0.6, r"(?:investig|question)(?:a|am|ou|aram) a veracidade d"),
        (CueKind.DENIAL, 0.7, r"acus(?:a|am|ou|aram) (?:[\w'.-]+ ){1,4}?de (?:mentir|enganar|mentiroso|mentirosa|desinformar|faltar com a verdade)"),
        (CueKind.RETRACTION, 0.85, r"se retrat(?:a|ou|aram)|retratacao|recu(?:a|ou|aram)|volt(?:a|ou|aram) atras|retir(?:a|ou) (?:a |as |o |os |sua |suas )?(?:declaracao|declaracoes|afirmacao|afirmacoes|publicacao)"),
        (CueKind.RETRACTION, 0.65, r"admit(?:e|em|iu|iram)|reconhec(?:e|em|eu|eram)(?= (?:que|o erro|ter|pela primeira))|ped(?:e|iu) desculpas"),
        (CueKind.CORRECTION, 0.85, r"corrig(?:e|em|iu|iram|ir)|retific(?:a|am|ou|aram|acao|acoes)"),
        (CueKind.CORRECTION, 0.7, r"(?:dad|declarad|anunciad)[oa]s como mort[oa]s (?:[\w-]+ ){0,3}?(?:esta|estao|estavam) viv[oa]s"),
        (CueKind.CORRECTION, 0.6, r"esclarec(?:e|em|eu|eram)|revis(?:a|ou) (?:para baixo|os dados|os numeros)"),
        (CueKind.CONFIRMATION, 0.8, r"confirm(?:a|am|ou|aram)|corrobor(?:a|ou)"),
        (CueKind.CLAIM, 0.6, r"diss(?:e|eram)|diz|dizem|afirm(?:a|am|ou|aram)|declar(?:a|ou|aram)|anunci(?:a|ou|aram)|inform(?:a|ou|aram)|segundo|de acordo com|public(?:a|ou)|aleg(?:a|ou)|acus(?:a|ou)|garant(?:e|iu)|ressalt(?:a|ou)|divulg(?:a|ou)|cita|cont(?:ou|aram)|relat(?:a|ou|aram)|defend(?:e|eu)|respond(?:e|eu|eram)|registr(?:a|ou|am|aram)|contabiliz(?:a|ou|am|aram)"),
    ],
}  # fmt: skip

_COMPILED: dict[str, list[tuple[CueKind, float, re.Pattern[str]]]] = {
    lang: [(k, s, re.compile(rf"(?<![\w'-])(?:{p})(?![\w-])")) for k, s, p in entries]
    for lang, entries in _LEX.items()
}

# --- negation and hedges -----------------------------------------------------------------------

# Words right before a verb cue that cancel it. The window stops at clause punctuation.
_NEG_BEFORE = {
    "en": r"(?:not|n't|never|no|neither|nor|without|refused to|declined to|would not|wouldn't|cannot|can't|could not|couldn't|did not|didn't|does not|doesn't|has not|hasn't|have not|haven't|unable to|won't|will not|stopped short of|failed to|or)$",
    "es": r"(?:no|ni|nunca|sin|se nego a|se negaron a|evito|evitaron|no quiso|no quisieron|ni confirmo|ni confirma|o)$",
    "fr": r"(?:ne|n'|pas|ni|sans|refuse de|a refuse de|n'a pas|n'ont pas|ne veut pas|ni confirme|ou)$",
    "de": r"(?:nicht|weder|kein|keine|ohne|noch|nie|oder)$",
    "pt": r"(?:nao|nem|nunca|sem|se recusou a|recusou-se a|evitou|ou)$",
}
_NEG_BEFORE_RX = {k: re.compile(rf"(?:^|\s){v}") for k, v in _NEG_BEFORE.items()}
_NEG_AFTER = {  # "denied nothing", "n'a rien démenti" (after participle), "dementiert nicht"
    "en": r"^ (?:nothing|neither)\b",
    "es": r"^ (?:nada)\b",
    "fr": r"^ (?:rien|pas)\b",
    "de": r"^ (?:nicht|nichts|weder)\b",
    "pt": r"^ (?:nada)\b",
}
_NEG_AFTER_RX = {k: re.compile(v) for k, v in _NEG_AFTER.items()}

# Whole phrases that make every denial in their clause a non-denial.
_HEDGES = re.compile(
    r"(?:cannot|can't|could not|couldn't|would not|wouldn't|will not|won't|neither) confirm (?:n?or|and) deny|"
    r"(?:neither|not) confirm(?:ed|ing)? nor den(?:y|ied)|declined to (?:comment|confirm|deny)|no comment|"
    r"ni confirm(?:o|a|ar|aron) ni (?:desminti(?:o|eron)?|desmiente(?:n)?|neg(?:o|a|aron))|"
    r"(?:se nego|declino|evito) (?:a )?(?:comentar|confirmar|desmentir)|sin confirmar ni desmentir|"
    r"ni confirme ni dementi|sans (?:confirmer|dementir) ni (?:dementir|confirmer)|refuse de (?:commenter|confirmer|dementir)|"
    r"weder (?:bestatigt|bestatigen|bestatigte) noch (?:dementiert|dementieren|dementierte)|wollte (?:sich )?(?:das )?nicht (?:kommentieren|außern|aussern|bestatigen)|"
    r"nem confirm(?:a|ou) nem (?:desment(?:e|iu)|neg(?:a|ou))|(?:nao quis|preferiu nao|se recusou a) (?:comentar|confirmar)"
)

# --- other senses ----------------------------------------------------------------------------

# Objects that make "deny/reject/refuse/false" mean something else (courts, visas, votes, sport).
_OTHER_OBJECT = re.compile(
    r"\b(?:bail|bond|parole|visas?|entry|entrance|access|boarding|permission|permits?|licen[cs]es?|asylum|"
    r"appeals?|applications?|petitions?|motions?|bills?|amendments?|budget|nominations?|nominees?|"
    r"bids?|offers?|transfer|deal|proposals?|plans?|requests?|resolutions?|loans?|claims? for compensation|"
    r"insurance claims?|care|treatment|service|admission|citizenship|extradition|certificates?|"
    r"decisions?|rulings?|verdicts?|ultimatums?|clemency|pardons?|reforms?|initiatives?|candidacy|registration|"
    r"overhauls?|legislation|pec|titles?|victory|medals?|crown|championship|trophy|berth|winner|goals?|"
    r"gol|gols|golo|liderato|world record|aid|benefits|calls to resign|calls for (?:his|her|their) resignation|"
    r"penalty|penalti|penalidade|tor|sieg|"
    r"reformas?|iniciativas?|registro|candidatura|dictamen|reforme|proposition|candidature|projet|"
    r"projeto|registo|gnadengesuch|begnadigung|zulassung|"
    r"fianza|libertad (?:bajo fianza|condicional)|visado|visa|entrada|apelacion|recurso|amparo|solicitud|"
    r"oferta|propuesta|mocion|mociones|proyecto de ley|ley|enmienda|enmiendas|presupuesto|peticion|asilo|"
    r"permiso|traspaso|fichaje|caution|liberation sous caution|appel|recours|demande|offre|motion|"
    r"projet de loi|amendement|asile|permis|kaution|visum|einreise|berufung|antrag|angebot|"
    r"misstrauensantrag|gesetz|gesetzentwurf|haushalt|asyl|einspruch|klage|fianca|visto|apelacao|pedido|"
    r"proposta|mocao|projeto de lei|emenda|orcamento|habeas corpus|tawaran)\b"
)
# Subjects that decide cases or votes rather than dispute statements.
_OTHER_SUBJECT = re.compile(
    r"\b(?:judges?|courts?|magistrates?|tribunal|jury|justices?|judiciary|juez|jueza|jueces|juzgado|"
    r"magistrad[oa]s?|corte|juge|juges|cour|richter(?:in)?|gericht|amtsgericht|landgericht|juiz|juiza|stf|"
    r"voters|lawmakers|legislators|deputies|diputados|pleno|plenary|electorate|referendum|"
    r"club|clubs|fc|united|city)\b"
)
# Legislatures and insurers reject bills and deny claims for payment: only as the verb's own
# subject (the last words before it), not "the minister, speaking in Congress, denied ...".
_BODY_THAT_VOTES = re.compile(
    r"\b(?:senate|parliament|congress|assembly|house of representatives|senado|congreso|camara(?: de (?:diputados|deputados))?|"
    r"asamblea|senat|assemblee(?: nationale)?|bundestag|bundesrat|parlament|parlamento|insurers?|"
    r"insurance (?:company|companies|firm)|aseguradora|seguradora|assureur|versicherung)"
    r"(?:'s)?(?: (?:on|en|em|am|le|el|na|no)? ?[\w-]+){0,2}? $"
)
_VOTE = re.compile(
    r"\b(?:\d+ votes?|\d+ votos?|\d+ voix|\d+ stimmen|voted|vote|votacion|votos a favor|votes? against|abstenciones|abstentions|scrutin)\b"
)
_OTHER_PHRASE = re.compile(
    r"\b(?:(?:climate|holocaust|genocide|election|science|covid|aids) deni(?:al|als|er|ers|alism)|"
    r"negacionismo|negacionista|negationnisme|leugnung|"
    r"false (?:alarm|alarms|start|starts|positive|positives|negative|negatives|teeth|ceiling|dawn|"
    r"imprisonment|flag|economy|eyelashes|bottom|911 calls?|emergency calls?)|"
    r"falsa alarma|falsas alarmas|falsos positivos|falso positivo|llamadas? falsas?|reportes? falsos?|"
    r"falsa emergencia|fausse alerte|fausses alertes|fausse alarme|faux depart|faux positifs?|"
    r"fehlalarm|falscher alarm|blinder alarm|falso alarme|alarme falso|falsos alarmes|trote|"
    r"fake (?:tickets?|ids?|documents?|passports?|goods|drugs|banknotes|notes|money)|"
    r"faux billets|falsos billetes|entradas falsas|falsche tickets|documentos falsos|billetes falsos)\b"
)
_SPORT = re.compile(
    r"\b(?:striker|midfielder|defender|goalkeeper|forward|winger|transfer|signing|fichaje|traspaso|£\s?\d|€\s?\d|\$\s?\d+\s?m\b|premier league|serie a|la liga|bundesliga|coach|manager)\b"
)

_DEMAND = re.compile(
    r"\b(?:asks?|asked|asking|demands?|demanded|demanding|calls? on|called on|urges?|urged|wants?|"
    r"pide|pidio|piden|exige|exigio|exigen|reclama|reclamo|solicita|solicito|le pide|"
    r"demande|demandent|exige|exigent|reclame|fordert|forderte|verlangt|verlangte|"
    r"pede|pediu|exige|exigiu|cobra|cobrou)\b(?:\s+[\w'-]+){0,5}?\s+(?:to|que|a|de|zu|d')?\s*(?:se\s+|s'|sich\s+)?$"
)
# Verbs with senses besides disputing a statement (courts deny bail, clubs reject bids).
# "desmentir", "dementieren", "démentir", "refute", "contradict" have none, so they skip the checks.
_AMBIGUOUS = re.compile(
    r"(?:den(?:y|ies|ied|ying)|reject|refus|dismiss|turn|neg|nieg|rechaz|rejeit|rejet|rejett|wies|weist|"
    r"zuruckgewiesen|lehnt|abgelehnt|tumb|descart|desestim|contest|resulta|is |was |are |were |es |son |fue |"
    r"est |sont |ist |sind |war |e |sao |foi )"
)
# Cues that set a statement against facts or counts ("contrary to what", "far from the N
# claimed by"): no other sense, so nearby "fake tickets" or "false alarm" do not cancel them.
_SET_AGAINST = re.compile(
    r"(?:contrary to|far (?:from|below|short|above|fewer|more)|(?:tres |bien )?loin d|(?:muy |bien )?lejos de|"
    r"(?:muito |bem )?longe d|a diferencia de|al contrario de|contrario a|contrariamente|en contra de|"
    r"contrairement|entgegen|anders als|ao contrario|diferente|contrariando)"
)
# The outlet's own correction note ("An earlier version of this story said ..."): the
# publisher corrects itself, no official does.
_OUTLET_NOTE = re.compile(
    r"\b(?:(?:earlier|previous|original|prior) version of this|"
    r"(?:the|this|our) (?:original|earlier|previous) (?:story|article|brief|post|headline|piece)|"
    r"this (?:story|article|post|piece) (?:has been|was) (?:updated|corrected|amended)|"
    r"^(?:correction|clarification|editor's note|editors note|update)(?=\s*:)|"
    r"(?:this|the|our) (?:story|article|post|piece|report|headline) (?:originally|initially|previously|wrongly|incorrectly) "
    r"(?:said|stated|presented|reported|described|identified|misidentified|included|claimed))\b"
)
# "Update: my calculations were wrong", "I've been wrong before": the writer about themself.
_FIRST_PERSON_BEFORE = re.compile(
    r"\b(?:i|i've|ive|i'd|id|i'm|im|i have|i had|my|we've|our)(?: [\w'-]+){0,2} $"
)
# "probably fake", "may turn out to be a hoax": the writer guesses, nobody denies.
_GUESS_BEFORE = re.compile(
    r"\b(?:probably|likely|possibly|perhaps|maybe|apparently|seems|seem|seemed|appears|appear|"
    r"might|may|could)(?: (?:well|turn out|turns out|prove|proves|yet|still|also|even|not))*(?: to)? $"
)
# "a pay dispute", "their dispute with the landlord": the noun is a quarrel, not a denial.
_DISPUTE_KIND_BEFORE = (
    r"\b(?:pay|wage|salary|contract|legal|trade|border|land|custody|labou?r|territorial|family|business|"
    r"diplomatic|property|boundary|commercial|copyright|patent|tax|maritime|inheritance)(?:-related)? $"
)
_DISPUTE_NOUN_BEFORE = (
    r"\b(?:a|an|the|his|her|their|its|our|this|that|any|long-running|ongoing|bitter)(?: [\w-]+)? $"
)
# "dismissed the claims", "dismissed them as lies", "reports were dismissed": a statement set aside.
# Otherwise "dismiss" is to fire someone or throw out a case.
_DISMISSED_STATEMENT = re.compile(
    rf"^(?: [\w'-]+){{0,4}}? (?:{_CLAIM_NOUN_EN[3:-1]}|as|out of hand|it|them|this|that|these|those|the idea|"
    r"suggestions?|speculation|criticism|concerns?|fears?)\b"
)
# "deny someone their rights / deny people liberty": to withhold, not to dispute a statement.
_WITHHELD = re.compile(
    r"\s*(?P<gap>(?:[\w'-]+ ){0,3}?)(?:their |his |her |its |our |your |them |us |you )?"
    r"(?:basic |fundamental |human |civil |equal )?(?:rights?|liberty|liberties|freedoms?|safety|dignity|"
    r"opportunit(?:y|ies)|a voice|anything|everything|something|funding|money|access|a (?:win|victory|chance|second term))\b"
)
# "Iraq shoots down two planes": the weapon sense, not a rebuttal.
_SHOT_DOWN_OBJECT = re.compile(
    r"^(?: [\w'-]+){0,3}? (?:planes?|jets?|aircraft|drones?|helicopters?|missiles?|rockets?|balloons?|"
    r"fighters?|bombers?|airliners?|\d+)\b"
)
_NOT_WITHHELD_GAP = re.compile(
    r"\b(?:claims?|reports?|allegations?|accusations?|charges?|abuses?|violations?|that|of|about|any|it|\w+ing)\b"
)
_VERBISH = frozenset({CueKind.DENIAL, CueKind.RETRACTION, CueKind.CORRECTION, CueKind.CONFIRMATION})
_CLAUSE_BREAK = re.compile(
    r",(?=\s)|[;:()\"]|\b(?:and|but|y|pero|et|mais|und|aber|e|mas|while|whereas|mientras)\b"
)
_SELF = re.compile(
    r"^(?: (?:itself|herself|himself|themselves|se|sich|s'|sus|su|ses|sa|son|its|his|her|their|seine|ihre|suas|sua|seu|seus))\b"
)


def _language_of(sentence: str, language: str | None) -> list[str]:
    lang = (language or "").split("-")[0].lower() or None
    if lang not in LANGUAGES:
        lang = guess_language(sentence)
    if lang in LANGUAGES:
        return [lang] if lang == "en" else [lang, "en"]  # English cue words leak into all news
    return ["en", "es", "pt", "fr"]  # unsure: the lexicons without "nie"/"nega" collisions


def find_cues(sentence: str, language: str | None = None) -> list[Cue]:
    """Every cue in one sentence (or headline), left to right, with negation/other-sense flags.

    `language` is an ISO code ("es", "pt-BR"); None guesses it. Overlapping cues keep the
    longest ("rejected ... as false" over "rejected").
    """
    folded = fold(sentence)
    langs = _language_of(sentence, language)
    found: list[Cue] = []
    for lang in langs:
        for kind, strength, rx in _COMPILED[lang]:
            for m in rx.finditer(folded):
                found.append(Cue(kind, m.span(), sentence[m.start() : m.end()], lang, strength))
    # Longest first, then strongest; drop cues inside a longer one.
    found.sort(key=lambda c: (-(c.span[1] - c.span[0]), -c.strength, c.span[0]))
    kept: list[Cue] = []
    for c in found:
        if any(c.span[0] < k.span[1] and k.span[0] < c.span[1] for k in kept):
            continue
        kept.append(c)
    kept.sort(key=lambda c: c.span[0])
    return [_flag(c, folded) for c in kept]


def _flag(c: Cue, folded: str) -> Cue:
    s, e = c.span
    if c.kind is CueKind.CLAIM:
        return c
    before = folded[max(0, s - 60) : s]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    clause_before = before[breaks[-1].end() :] if breaks else before
    toks = clause_before.split()
    near = " ".join(toks[-3:])
    after = folded[e : e + 90]
    nxt = _CLAUSE_BREAK.search(after)
    clause_after = after[: nxt.start()] if nxt else after
    self_directed = bool(_SELF.match(after)) and c.kind in (CueKind.CORRECTION, CueKind.RETRACTION)
    # Negation: "did not deny", "ni desmintió", "n'a pas démenti"; not for cue phrases that are
    # themselves negative ("no es cierto", "is not true") — those carry their own "not".
    lang_neg = _NEG_BEFORE_RX.get(c.language)
    cue_text = folded[s:e]
    negative_phrase = (
        bool(re.match(r"(?:no|not|nao|ne|n'|nicht|never|nunca|aucun|is not|no es|nao e)\b", cue_text))
        or " not " in cue_text
    )
    # "has not publicly denied": one adverb may stand between the negation and the verb
    near_verb = re.sub(r" (?:\w+ly|yet|ever|even|still|also)$", "", near)
    if c.kind in _VERBISH and not negative_phrase and lang_neg and near and lang_neg.search(near_verb):
        return _with(c, negated=True, reason=f"negated: {' '.join(toks[-2:])!r}", self_directed=self_directed)
    neg_after = _NEG_AFTER_RX.get(c.language)
    if neg_after and neg_after.match(after):
        return _with(c, negated=True, reason="negated after the verb", self_directed=self_directed)
    window = folded[max(0, s - 50) : min(len(folded), e + 60)]
    hedge = _HEDGES.search(window)
    if hedge and c.kind in (CueKind.DENIAL, CueKind.CONFIRMATION):
        return _with(c, negated=True, reason=f"hedge: {hedge.group(0)!r}", self_directed=self_directed)
    # Asking someone else to retract or correct is not a retraction ("asks the portal to retract").
    disregard = re.match(r"(?:disregard|no tener en cuenta|ne (?:pas|plus) tenir compte)", cue_text)
    if (
        c.kind in (CueKind.RETRACTION, CueKind.CORRECTION)
        and not disregard
        and _DEMAND.search(folded[max(0, s - 45) : s])
    ):
        return _with(
            c,
            other=True,
            reason="other sense: a demand that someone else retract",
            self_directed=self_directed,
        )
    if note := _OUTLET_NOTE.search(folded):
        return _with(
            c,
            other=True,
            reason=f"other sense: the outlet's own correction note {note.group(0)!r}",
            self_directed=self_directed,
        )
    if c.kind is CueKind.DENIAL and re.match(r"(?:is|was|are|were|be|been|being)\b", cue_text):
        # "X is false" with no verb of denying is the writer's verdict; a guess ("probably
        # fake") or the writer's own mistake ("I've been wrong") denies nothing.
        if _FIRST_PERSON_BEFORE.search(before):
            return _with(
                c, other=True, reason="other sense: the writer about themself", self_directed=self_directed
            )
        if guess := _GUESS_BEFORE.search(before):
            return _with(
                c, negated=True, reason=f"hedge: {guess.group(0).strip()!r}", self_directed=self_directed
            )
    if c.kind in (CueKind.RETRACTION, CueKind.CORRECTION) and re.search(
        r"\b(?:supposed|rumou?red|possible|potential|alleged|expected|planned|would-be)(?: [\w-]+)? $", before
    ):
        return _with(c, negated=True, reason="hedge: a rumoured retraction", self_directed=self_directed)
    if (
        cue_text.startswith("den")
        and re.search(r"\b(?:was|were|been|being|be|get|got)(?: \w+ly)? $", before)
        and not re.match(r"\s*by\b", after)
        and not re.search(rf"\b(?:{_CLAIM_NOUN_EN[3:-1]}|it|this|that|rumou?rs?)\b", folded[:s])
    ):
        # "they asked for the honour and were denied": someone was refused something
        return _with(c, other=True, reason="other sense: someone was refused", self_directed=self_directed)
    if (
        cue_text == "dispute"
        and re.search(_DISPUTE_NOUN_BEFORE, before)
        and not re.match(r" (?:the|a|an|this|that|these|those|it|any|claims?|reports?|allegations?)\b", after)
    ) or (
        cue_text in ("dispute", "disputes")
        and (re.match(r" (?:with|between|over)\b", after) or re.search(_DISPUTE_KIND_BEFORE, before))
    ):
        return _with(c, other=True, reason="other sense: a dispute (a quarrel)", self_directed=self_directed)
    if re.match(r"sho(?:ot|t)", cue_text) and _SHOT_DOWN_OBJECT.match(clause_after):
        return _with(c, other=True, reason="other sense: shooting down aircraft", self_directed=self_directed)
    if cue_text.startswith("dismiss") and not (
        _DISMISSED_STATEMENT.match(" " + clause_after.strip())
        or re.search(rf"\b{_CLAIM_NOUN_EN}(?: [\w'-]+){{0,3}} (?:was|were|been|is|are) $", clause_before)
        # a headline's passive without its auxiliary: "Kupiansk claims dismissed by Kyiv"
        or (re.search(rf"\b{_CLAIM_NOUN_EN} $", clause_before) and clause_after.startswith(" by "))
    ):
        return _with(
            c, other=True, reason="other sense: dismissing a person or a case", self_directed=self_directed
        )
    if (
        c.kind is CueKind.RETRACTION
        and re.match(r"(?:admit|acknowledg|concede)", cue_text)
        and re.match(r" (?:is|was|are|were)\b", after)
    ):
        # "what police admit is very unusual behaviour": granting a description, not a retraction
        return _with(c, other=True, reason="other sense: granting a point", self_directed=self_directed)
    # Other senses.
    ph = _OTHER_PHRASE.search(folded)
    if (
        ph
        and c.kind is CueKind.DENIAL
        and not _SET_AGAINST.match(cue_text)
        and (abs(ph.start() - e) < 40 or abs(s - ph.end()) < 40 or ph.start() <= s < ph.end())
    ):
        return _with(c, other=True, reason=f"other sense: {ph.group(0)!r}", self_directed=self_directed)
    if c.kind is CueKind.DENIAL and _AMBIGUOUS.match(cue_text):
        withheld = _WITHHELD.match(clause_after) if cue_text.startswith("den") else None
        if withheld and not _NOT_WITHHELD_GAP.search(withheld.group("gap")):
            return _with(
                c,
                other=True,
                reason=f"other sense: withholding {withheld.group(0).strip()!r}",
                self_directed=self_directed,
            )
        if re.search(
            r"\b(?:was|were|been|is|are|be|fue|fueron|sido|wurde|wurden|worden|ete|foi|foram)(?: \w+ly| immediately| formally)? $",
            clause_before,
        ):
            # "a £25m bid was received and immediately rejected": the object came first.
            obj_before = _OTHER_OBJECT.search(" ".join(folded[max(0, s - 80) : s].split()[-10:]))
            if obj_before:
                return _with(
                    c,
                    other=True,
                    reason=f"other sense: object {obj_before.group(0)!r}",
                    self_directed=self_directed,
                )
        clause_obj = re.match(
            r"\s*(?:that|it|he|she|they|we|having|que|haber|avoir|qu'|dass|ter|ever)\b", clause_after
        )
        obj = (
            None if clause_obj else _OTHER_OBJECT.search(cue_text + " " + " ".join(clause_after.split()[:6]))
        )
        if obj and not re.search(
            r"\b(?:claims?|reports?|accusations?|allegations?|acusaciones|denuncias?|accusations|vorwurfe|acusacoes)\b",
            clause_after[: obj.start() + 1],
        ):
            return _with(
                c, other=True, reason=f"other sense: object {obj.group(0)!r}", self_directed=self_directed
            )
        subj = _OTHER_SUBJECT.search(clause_before) or _BODY_THAT_VOTES.search(clause_before)
        if subj:
            return _with(
                c, other=True, reason=f"other sense: subject {subj.group(0)!r}", self_directed=self_directed
            )
        if _VOTE.search(folded):
            return _with(c, other=True, reason="other sense: a vote", self_directed=self_directed)
        if _SPORT.search(folded) and re.match(r"(?:reject|rechaz|rejeit|rejet|turn)", cue_text):
            return _with(c, other=True, reason="other sense: sport transfer", self_directed=self_directed)
    if self_directed:
        return _with(c, self_directed=True)
    return c


def _with(
    c: Cue,
    *,
    negated: bool = False,
    other: bool = False,
    reason: str | None = None,
    self_directed: bool = False,
) -> Cue:
    return Cue(
        kind=c.kind,
        span=c.span,
        words=c.words,
        language=c.language,
        strength=c.strength,
        negated=negated or c.negated,
        other_sense=other or c.other_sense,
        reason=reason or c.reason,
        self_directed=self_directed or c.self_directed,
    )


_RANK = {
    CueKind.RETRACTION: 4,
    CueKind.CORRECTION: 3,
    CueKind.DENIAL: 2,
    CueKind.CONFIRMATION: 1,
    CueKind.CLAIM: 0,
}


def strongest(cues: list[Cue]) -> Cue | None:
    """The active cue that best says what a sentence does (retraction > correction > denial ...)."""
    active = [c for c in cues if c.active]
    if not active:
        return None
    return max(active, key=lambda c: (_RANK[c.kind], c.strength, -c.span[0]))


def denial_strength(text: str, language: str | None = None) -> float:
    """How strongly `text` denies something: the strongest active denial cue, 0 when none.

    The stance model's short head uses it to lean towards `disagree` (rules and model together).
    """
    return max(
        (c.strength for c in find_cues(text, language) if c.active and c.kind == CueKind.DENIAL), default=0.0
    )
