"""Predicates over a sentence's text that the rule application asks of a match: a relative
clause holding the trigger, a denial before the subject, a past counterfactual, a request to
act, an aside's dates in a list of objects, an event of another year, a coordinated verb
phrase with a tense of its own."""

from __future__ import annotations

import re
from collections.abc import Sequence

from entente.graph import date_cues
from entente.graph.model import Mention
from entente.graph.relations.patterns import (
    _AND_CATENATIVE_END,
    _AND_END,
    _AUXILIARIES,
    _INFINITIVE_GAP,
    _RELATIVE_ASIDE,
    _RELATIVE_ASIDE_START,
    _REPEATED_PREPOSITION,
    _YEAR_WORD,
)

#: a denial right before a subject ("Kremlin denies (that)", "rejected claims that", "it is
#: untrue to say that"): the clause after it is denied
_DENIED_BEFORE = re.compile(
    r"\b(?:den(?:y|ies|ied|ying)|refut\w*|rebut\w*|(?:dismiss|reject)\w*\s+(?:claims?|reports?|"
    r"allegations?|suggestions?)|(?:wrong|false|untrue|incorrect|misleading|a\s+myth|not\s+true)"
    r"(?:\s+to\s+(?:say|claim|suggest|argue|think|believe|conclude))?)\s+(?:that\s+)?$", re.I)
_DENIAL_WORDS = ("den", "Den", "refut", "Refut", "rebut", "Rebut", "dismiss", "Dismiss",
                 "reject", "Reject", "wrong", "false", "untrue", "incorrect", "misleading",
                 "myth", "not true")  # (one of which a _DENIED_BEFORE match holds)
_DENIAL_WORD = re.compile("|".join(_DENIAL_WORDS))
_DENIAL_DENIED = re.compile(r"(?:\b(?:not|never|nobody|no\s+one|cannot)\b[^,;.]*|n[’']t\s+)$",
                            re.I)
#: a past counterfactual (_counterfactual): its modal, its condition, and the gaps between
#: a subject and its trigger in the condition or the consequence
_COUNTERFACTUAL_MODAL = re.compile(r"\b(?:would|could|might)(?:n['’]t)?\s+(?:not\s+|never\s+)?"
                                   r"(?:\w+ly\s+)?have\b", re.I)
_COUNTERFACTUAL_CONDITION = re.compile(
    r"(?:^|[\s,;])[Hh]ad\s+(?:it|they|he|she|we|the\s+[\w-]+|[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)*)"
    r"\s+(?:not\s+|never\s+)?(?:\w+ly\s+)?(?:been|\w+ed|\w+en|made|had|done|gone|won|sold|"
    r"bought|met|put|kept|left|lost|held|sent|spent|built|fought|paid|led|got)\b|"
    r"\b[Ii]f\s+[^,;]*?\bhad\s+(?!to\b)\w+|\b[Hh]ad\s+it\s+not\s+been\s+for\b|\b[Bb]ut\s+for\b")
_HAD_PRONOUN_BEFORE = re.compile(r"(?:^|[\s,;])[Hh]ad\s+(?:it|they|he|she)\s+(?:not\s+|never\s+)?"
                                 r"(?:\w+ly\s+)?(?:been\s+)?$")
_HAD_BEFORE = re.compile(r"(?:^|[\s,;])[Hh]ad\s+(?:the\s+)?$")
_IF_BEFORE = re.compile(r"\b[Ii]f\s+(?:the\s+)?$")
_PERFECT_GAP = re.compile(r"\s+(?:not\s+|never\s+)?(?:\w+ly\s+)?(?:been\s+)?")
_HAD_GAP = re.compile(r"\s+had\s+(?:not\s+|never\s+)?(?:\w+ly\s+)?(?:been\s+)?")
_WOULD_HAVE_GAP = re.compile(r"\s+(?:would|could)(?:n['’]t)?\s+(?:not\s+|never\s+)?"
                             r"(?:\w+ly\s+)?have\s+(?:\w+ly\s+)?(?:been\s+)?")
#: ... unless a forecast, not a wish: "Analysts expect Russia to invade Finland" (Likely by
#: its hedge pattern), "few analysts expect China to ..." (Unlikely); but a named actor's
#: expectation is a demand ("The US expects India to stop buying Russian oil": the name,
#: then only auxiliaries and adverbs, before the verb)
_FORECAST_BEFORE = re.compile(r"\b(?:expect(?:s|ed|ing)?|anticipat(?:e|es|ed|ing)|"
                              r"predict(?:s|ed|ing)?|forecast(?:s|ed|ing)?)\s+(?:the\s+)?$", re.I)
_EXPECTER_GAP = re.compile(r"\s+(?:(?:\w+ly|also|still|now|has|have|had|does|do|did|not|will|"
                           r"would)\s+)*")
_ONLY_AUXILIARIES = re.compile(rf"\s*(?:{_AUXILIARIES}\s*)+", re.I)
#: (_own_verb_phrase) a trigger's first word in -s or in -ed; a perfect or passive auxiliary
_PRESENT_START = re.compile(r"\w*[^\Ws]s\b")
_PAST_START = re.compile(r"\w*ed\b|(?:sold|bought|met|sent|held|led|made|took|gave|won|lost|"
                         r"built|left|fought|paid|struck|began|broke|brought|drew|chose|"
                         r"froze|withdrew|undertook|overtook|sought|hit|cut|set|put|shut|"
                         r"quit|spent|lent|sank|rose|fell|grew|stood|kept)\b")  # (irregular)
_PERFECT = re.compile(r"\b(?:has|have|had|is|are|was|were|been)\b", re.I)


def _relative_holding(text: str, ts: int, te: int) -> tuple[int, int] | None:
    """The span of a relative clause between commas that holds the trigger at ts..te, if
    any ("Turkey, which bought S-400s from Russia, was sanctioned")."""
    starts = list(_RELATIVE_ASIDE_START.finditer(text, 0, ts))
    if not starts:
        return None
    aside = _RELATIVE_ASIDE.match(text, starts[-1].start())
    if aside is None or aside.end() < te or aside.end() >= len(text):
        return None
    return aside.start(), aside.end()


def _denied_before(text: str, start: int) -> bool:
    """A denial right before a subject starting at ``start`` ("Kremlin denies Putin met
    Zelensky"), not itself denied ("Nobody in Beijing denies that China ...")."""
    if _DENIAL_WORD.search(text) is None:
        return False
    hit = _DENIED_BEFORE.search(text, max(0, start - 40), start)
    return hit is not None and _DENIAL_DENIED.search(text, max(0, hit.start() - 30),
                                                     hit.start()) is None


def _counterfactual(text: str, cs: int, start: int, end: int, ts: int) -> str | None:
    """Whether the act of the subject at text[start:end] (trigger at ``ts``) is part of a past
    counterfactual: its "condition", which states the opposite ("Had Russia not invaded
    Ukraine, ...", "If China had supplied weapons, ..."), or its "consequence", which states
    nothing about what happened ("..., Japan would have supported the US"), in a sentence
    with such a condition; else None."""
    if "have" not in text or _COUNTERFACTUAL_MODAL.search(text) is None:
        return None
    if _HAD_PRONOUN_BEFORE.search(text, max(0, ts - 30), ts) is not None:
        return "condition"  # "India would have condemned Russia had it not depended on ..."
    if _HAD_BEFORE.search(text, max(0, start - 12), start) is not None:  # "Had Russia not
        return "condition" if _PERFECT_GAP.fullmatch(text, end, ts) else None  # invaded"
    if _IF_BEFORE.search(text, max(cs, start - 12), start) is not None:  # "If China had ..."
        return "condition" if _HAD_GAP.fullmatch(text, end, ts) else None
    if _WOULD_HAVE_GAP.fullmatch(text, end, ts) is not None \
            and _COUNTERFACTUAL_CONDITION.search(text) is not None:
        return "consequence"
    return None


def _asked_to_act(text: str, cs: int, start: int, end: int, ts: int,
                  mentions: Sequence[Mention]) -> bool:
    """The name at text[start:end] is followed only by "to" up to the trigger at ``ts``, with
    words before it in the clause: the object of a wish or a request, not an actor ("Russia
    wants China to recognize X", "urged China not to support Y"; not a forecast: "analysts
    expect China to support Y", unless one of ``mentions`` expects it)."""
    if _INFINITIVE_GAP.fullmatch(text, end, ts) is None or not text[cs:start].strip():
        return False
    forecast = _FORECAST_BEFORE.search(text, max(cs, start - 24), start)
    return forecast is None or any(
        m.end <= forecast.start() and _EXPECTER_GAP.fullmatch(text, m.end, forecast.start())
        for m in mentions)


def _listed_dates(text: str, objects: list[Mention], date: str | None, year: int | None
                  ) -> dict[str, str | None]:
    """Objects' own dates where a year's aside stands inside their list ("a member of the
    CSTO and, since 2024, of the SCO"): the aside dates the objects after it, not those
    before it (which keep the clause's date unless it was the aside's)."""
    out: dict[str, str | None] = {}
    for a, b in zip(objects, objects[1:], strict=False):
        hit = _REPEATED_PREPOSITION.fullmatch(text, a.end, b.start)
        found = date_cues.find_date(hit.group("aside"), year) \
            if hit is not None and hit.group("aside") else None
        if found is not None:
            for o in objects:
                out[o.entity] = found[2] if o.start >= b.start \
                    else (None if date == found[2] else date)
    return out


def _of_another_year(iri: str, years: set[str]) -> bool:
    """A reference event or agreement whose IRI holds a year, for an act of other years:
    another event ("signed the historic gas deal in 2014" is not the 2022 deal)."""
    own = set(_YEAR_WORD.findall(iri.rpartition("/id/")[2]))
    return bool(own and years and not own & years)


def _own_verb_phrase(text: str, subject_end: int, ts: int, te: int) -> int | None:
    """Where the coordinated verb phrase of the trigger at ts..te starts (its coordinator),
    when it has a tense of its own, else None. Own: an auxiliary after the coordinator
    ("... and has recognized Y"), or after "and"/"but" a verb in -s ("but opposes Y"), or
    one in -ed after "but" or after a first verb phrase with no perfect or passive
    auxiliary ("invaded X and annexed Y"). Shared: a bare verb ("did not condemn X and
    support Y"), a participle after "has ... and" ("has not supported X and recognized Y"),
    any verb after "or"/"nor". The coordinated verb may take the trigger as its complement:
    "did not condemn X but continued to trade with Y" (own), "did not condemn X and continue
    to trade" (shared)."""
    verb, verb_end = ts, te
    coordinated = _AND_END.search(text, subject_end, ts)
    if coordinated is None:
        coordinated = _AND_CATENATIVE_END.search(text, subject_end, ts)
        if coordinated is None:
            return None
        verb, verb_end = coordinated.end("aux"), ts  # (the catenative verb: its tense)
    start = coordinated.start()
    first_vp = text[subject_end:start]
    if not first_vp.strip() or _ONLY_AUXILIARIES.fullmatch(first_vp):
        # no verb phrase before the coordinator: "China and Russia oppose"; or only a modal
        # ("may or may not support": one verb phrase, an open question)
        return None
    if coordinated.group("aux"):
        return start
    coordinator = text[start]
    if coordinator not in "aAbB":  # or, nor
        return None
    if _PRESENT_START.match(text, verb, verb_end):
        return start
    if _PAST_START.match(text, verb, verb_end) and (coordinator in "bB"
                                                    or not _PERFECT.search(first_vp)):
        return start
    return None
