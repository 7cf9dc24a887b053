"""Cues that qualify an extracted relation: polarity, certainty, attribution and time.

All functions work on one sentence's text with character offsets relative to the sentence;
the cue lists live in the ``cues`` section of ``graph/rules.yaml`` (see docs/extraction.md).

* polarity: a negation cue negates a relation when it stands in the trigger's clause between the
  subject (or the clause start) and the end of the trigger ("China did not sign", "neither
  recognize", "is not a member of", "remained silent on");
* certainty: the hedge nearest before the trigger in its clause ("It is highly likely that X
  will support Y", "Putin will likely defer to Xi"), longest phrase first; none -> Asserted;
* attribution: the speaker of the sentence ("X said/told/argues/wrote/reported",
  "according to (the) X", "in the words of X", "X assesses"); "We assess" and unattributed
  sentences -> ();
* time: a date in the trigger's clause, else the only date elsewhere in the sentence, else the
  single date of the paragraph's first sentence (its dateline or topic); month-only dates
  take the document's year when it is known ("In February" in a 2019 text -> 2019-02),
  otherwise they are left out.  The dates are found by ``graph/date_cues.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from entente.graph.model import Mention
from entente.graph.pattern_cache import compiled
from entente.graph.regex_analysis import CASE_TRAPS, accelerated, required_literals
from entente.graph.ruleset import role_before


@dataclass(frozen=True)
class CueConfig:
    negation: tuple[re.Pattern[str], ...]
    hedges: tuple[tuple[re.Pattern[str], str], ...]  # the phrases (pattern, level)
    speech_after: re.Pattern[str]  # a verb that follows its speaker: "X said"
    speech_before: re.Pattern[str]  # a phrase that precedes its speaker: "according to X"
    # after a speaker named after an inverted verb: the end of its phrase
    speech_end: re.Pattern[str]
    self_reference: re.Pattern[str]  # "We assess": the document's own voice
    # "experts say", "speculation that": a claim after it is unnamed others' (None: no cue)
    unnamed_source: re.Pattern[str] | None = None
    # the phrases in lower case (aligned with ``hedges``)
    phrase_words: tuple[str, ...] = ()
    # a phrase's first word -> the positions of the phrases starting with it (a phrase is
    # looked for only where its first word is one of the window's words)
    phrase_index: dict[str, tuple[int, ...]] = field(default_factory=dict)
    # the hedges written as expressions: (pattern, level, strings one of which each match
    # holds in lower case; empty: unknown, always searched)
    hedge_patterns: tuple[tuple[re.Pattern[str], str, tuple[str, ...]], ...] = ()
    not_hedge_words: tuple[str, ...] = ()  # strings one of which a not_hedge match holds
    # strings one of which a sentence with a speech verb or phrase holds in lower case
    # (regex_analysis.required_literals; None: unknown)
    speech_words: frozenset[str] | None = None
    # the negation expressions as one alternation (one search: a window holds one of them
    # exactly where the alternation matches); None: search them one by one
    negation_any: re.Pattern[str] | None = None
    # negations that cancel out or do not negate ("never failed to", "not only", "not
    # unlikely"): blanked before the negation search
    not_negation: re.Pattern[str] | None = None
    # phrases holding a hedge word that hedge nothing ("even if": concessive, not a condition)
    not_hedge: re.Pattern[str] | None = None
    # a role and a comma right before a name ("China's foreign minister, "): the name is an
    # apposition, and a comma after it may stand before its verb ("..., Wang Yi, said")
    role_before: re.Pattern[str] | None = None

    @classmethod
    def from_rules(cls, rules: dict) -> CueConfig:
        cfg = rules.get("cues", {})
        hedges = sorted(cfg.get("hedges", {}).items(), key=lambda h: (-len(h[0]), h[0]))
        verbs = "|".join(sorted(cfg.get("speech_verbs", []), key=lambda v: (-len(v), v)))
        before = "|".join(sorted(cfg.get("speech_before", []), key=lambda v: (-len(v), v)))
        before_verbs = "|".join(v for v in before.split("|") if " " not in v) or "(?!)"
        phrases = "|".join(v for v in before.split("|") if " " in v) or "(?!)"
        negation = cfg.get("negation", [])
        heads = "|".join(sorted((re.escape(h) for h in cfg.get("speaker_heads", [])),
                                key=lambda h: (-len(h), h)))
        # "X said", and "China's foreign ministry said", "Chinese officials said": the state
        # speaks through the body or the people its heads name
        # ("do not believe that": the speaker's too, the hedge is the verb's; "has said",
        # "had earlier argued", "himself conceded")
        neg = (r"(?:(?:do|does|did)(?:\s+not|n[’']t)\s+)?(?:(?:has|have|had)\s+)?"
               r"(?:(?:also|earlier|long|repeatedly|publicly|previously|once|often|himself|"
               r"herself|itself|themselves)\s+)?")
        # (a verb with a reflexive object reports nothing: "China has declared itself a
        # Near-Arctic state and cooperates with Russia")
        # (nor does one with what ``speech_not_after`` matches after it: "The SCO admitted
        # Belarus as a member" admits a member, it reports no statement)
        not_after = f"|{cfg['speech_not_after']}" if cfg.get("speech_not_after") else ""
        reports = rf"(?:{verbs})\b(?!\s+(?:itself|himself|herself|themselves)\b{not_after})"
        by_head = rf"|(?:[’']s)?(?:\s+(?:{heads})){{1,3}}\s+{neg}{reports}" if heads else ""
        # hedges written as expressions ("has not ruled out"): searched before the phrases,
        # each with a string its matches hold (lower case; "": none known, always searched)
        patterns = []
        for expression, level in cfg.get("hedge_patterns", {}).items():
            pattern = accelerated(compiled(expression, re.I))
            patterns.append((pattern, level, tuple(sorted(required_literals(pattern) or ()))))
        phrase_words = tuple(h.lower() for h, _level in hedges)
        index: dict[str, list[int]] = {}
        for i, phrase in enumerate(phrase_words):
            index.setdefault(_PHRASE_WORD.match(phrase).group(), []).append(i)  # type: ignore[union-attr]
        not_hedge = compiled(_joined(cfg["not_hedge"]), re.I) if cfg.get("not_hedge") \
            else None
        return cls(
            negation=tuple(accelerated(compiled(p, re.I)) for p in negation),
            negation_any=_alternation(negation, re.I),
            hedges=tuple((_hedge(h), level) for h, level in hedges),
            phrase_words=phrase_words, hedge_patterns=tuple(patterns),
            phrase_index={w: tuple(ix) for w, ix in index.items()},

            speech_after=compiled(
                rf"^(?:(?:(?!{_QUOTE_CLOSE}|,)\W)*\s*{neg}{reports}{by_head})", re.I),
            # a phrase ("according to (the) X"), or a verb inverted after the quote or clause it
            # reports ('"...," said X', "..., told X"; group "inverted"): "Analysts said China
            # ..." is no speech of China's
            speech_before=accelerated(compiled(
                rf"(?:(?P<inverted>[,\"“”’']\s*\b(?:{verbs}|{before_verbs}))|\b(?:{phrases}))"
                rf"\s+(?:the\s+)?$", re.I)),
            # ... where the speaker's phrase ends right after the name (and its heads): "...,
            # said Borrell." / ", said Borrell, the EU's ..." ("..., said North Korea had ...":
            # the name is the reported clause's)
            speech_end=compiled(rf"(?:\s+(?:{heads})){{0,3}}\s*(?:[,.;:!?)\"”’]|$)"
                                  if heads else r"\s*(?:[,.;:!?)\"”’]|$)", re.I),
            self_reference=compiled(cfg.get("self_reference", r"\bWe (?:assess|judge)\b")),
            unnamed_source=compiled(cfg["unnamed_source"], re.I)
            if cfg.get("unnamed_source") else None,
            speech_words=_shortest(required_literals(compiled(rf"(?:{verbs}|{before})", re.I))),
            not_negation=compiled(_joined(cfg["not_negation"]), re.I)
            if cfg.get("not_negation") else None,
            not_hedge=not_hedge,
            role_before=role_before(titles)
            if (titles := rules.get("linking", {}).get("titles")) else None,
            not_hedge_words=tuple(sorted(required_literals(not_hedge) or ()))
            if not_hedge is not None else (),
        )


# a quotation closing right after a name: the name is the quote's, not the speaker of the verb
# after it ('"China supports Russia," said Borrell'); nor is a name before a comma and the verb
# ("China supports Russia, said Borrell": the verb is inverted)
_QUOTE_CLOSE = r"""[,.!?]?\s*["“”]|[,.!?]\s*[’']"""


def _shortest(words: frozenset[str] | None) -> frozenset[str] | None:
    """The words that hold no other of the set ("say" for "say", "says"): a text holds one
    of them wherever it holds one of the set, at the same place or before."""
    if words is None:
        return None
    return frozenset(w for w in words if not any(u != w and u in w for u in words))


def _joined(value: str | list[str]) -> str:
    """One expression: the value itself, or a list's expressions as alternatives."""
    return value if isinstance(value, str) else "|".join(f"(?:{e})" for e in value)


def _alternation(expressions: list[str], flags: int) -> re.Pattern[str] | None:
    """One expression matching wherever one of ``expressions`` does, or None when joining
    them could change a match (group references, inline flags) or there are none."""
    if not expressions or any(_NOT_JOINABLE.search(e) for e in expressions):
        return None
    try:
        return accelerated(compiled("|".join(f"(?:{e})" for e in expressions), flags))
    except re.error:
        return None


_NOT_JOINABLE = compiled(r"\\[1-9]|\(\?P=|\(\?[aiLmsux-]+[:)]")  # backrefs, inline flags


#: a word of a hedge phrase or of a window in lower case (a phrase's first word must be one
#: of the window's: its pattern starts at a word boundary)
_PHRASE_WORD = compiled(r"[a-z]+")


def _hedge(phrase: str) -> re.Pattern[str]:
    """A hedge phrase, its first letter in either case; never a date ("4 May 2021").
    "May" with a capital after a word is the month or a name ("in May", "Theresa May said"),
    unless a capitalised word follows (a headline's "Russia May Supply Arms")."""
    if phrase == "may":
        body = r"(?:may\b|(?<!\w\s)May\b|May\b(?=\s+[A-Z]))"
    else:
        body = f"[{phrase[0].lower()}{phrase[0].upper()}]{re.escape(phrase[1:])}\\b"
    return accelerated(compiled(rf"(?<!\d\s)\b{body}(?!\s+\d)"))


def negated(cfg: CueConfig, text: str, start: int, trigger_end: int) -> bool:
    """A negation cue inside text[start:trigger_end] (the subject-to-trigger window)."""
    window = text[start:trigger_end]
    if cfg.negation_any is not None:
        if cfg.negation_any.search(window) is None:
            return False  # (no cue at all: nothing to cancel out)
        if cfg.not_negation is not None and "n" in window:  # (every such phrase holds an "n")
            window = cfg.not_negation.sub(_blank, window)
        return cfg.negation_any.search(window) is not None
    if cfg.not_negation is not None and "n" in window:
        window = cfg.not_negation.sub(_blank, window)
    return any(p.search(window) for p in cfg.negation)


def _blank(m: re.Match[str]) -> str:
    return " " * len(m.group())


def certainty(cfg: CueConfig, text: str, start: int, trigger_start: int,
              end: int | None = None) -> str:
    """The hedge in text[start:end] nearest to the trigger (estimative terms before modal
    verbs; before the trigger on a tie; the longest phrase at one place), else "Asserted".
    ``end`` defaults to the trigger start."""
    window_end = trigger_start if end is None else end
    window = text[start:window_end].lower()
    # the expressions whose strings occur, then the phrases that occur (longest first; a
    # phrase matches only where its lower-case form occurs)
    found = []
    for pattern, level, needs in cfg.hedge_patterns:
        for w in needs:
            if w in window:
                found.append((pattern, level))
                break
        else:
            if not needs:
                found.append((pattern, level))
    index, words = cfg.phrase_index, cfg.phrase_words
    at = sorted(i for w in set(_PHRASE_WORD.findall(window)) for i in index.get(w, ()))
    found += [cfg.hedges[i] for i in at if words[i] in window]
    if not found:
        return "Asserted"  # no hedge anywhere in the window
    best: tuple[tuple[bool, int, int], int, str] | None = None
    taken: list[tuple[int, int]] = []
    if cfg.not_hedge is not None and (  # spans that hedge nothing ("even if"): taken first
            not cfg.not_hedge_words or any(w in window for w in cfg.not_hedge_words)):
        taken += [m.span() for m in cfg.not_hedge.finditer(text, start, window_end)]
    for pattern, level in found:
        for m in pattern.finditer(text, start, window_end):
            s, e = m.start(), m.end()
            if any(s < te and ts < e for ts, te in taken):
                continue  # "likely" inside "highly likely"
            taken.append((s, e))
            if s == trigger_start:
                continue  # the trigger's own word: "Japan proposes a resolution" is a proposal
            distance = trigger_start - e if e <= trigger_start else s - trigger_start + 1
            if distance < 0:
                continue  # across the trigger's start
            if s > trigger_start and (_ATTRIBUTIVE.search(text, max(0, s - 8), s)
                                      or _THAT.search(text, trigger_start, e)):
                # "oppose Russia's probable invasion": the invasion's, not the verb's; "a
                # joint statement fueled speculation that Beijing could ...": another clause's
                continue
            # an estimative term ("unlikely") outranks a bare modal ("would", "could")
            key = (level == "Possible", distance, -(e - s))
            if best is None or key < best[0]:
                best = (key, 0, level)
    return best[2] if best else "Asserted"


#: a speech verb that denies what was said before: "..., but Beijing denied it", "..., a claim
#: Beijing denies" (the speaker is not the claim's)
_DENIES_IT = re.compile(r"\s+(?:\w+ly\s+)?(?:(?:has|have|had)\s+)?(?:(?:denied|denies|deny|"
                        r"dismissed|dismisses|rejected|rejects|disputed|disputes)"
                        r"(?:\s+(?:it|this|them|the\s+(?:claims?|reports?|allegations?|"
                        r"accusations?|charges?))\b|\s*[.,;]|$))", re.I)


def speaker(cfg: CueConfig, text: str, sentence_start: int, mentions: list[Mention],
            speaker_ok: Callable[[str], object], lowered: str | None = None
            ) -> tuple[str, ...]:
    """The IRIs of the sentence's speakers: a mention next to a speech verb or phrase, with
    the names listed before it ("Russia and China said"); none: ().
    ``lowered``: ``text.lower()``, if known and the text holds no CASE_TRAPS character."""
    # a match holds one of cfg.speech_words: only where one occurs is a pattern tried
    present: list[str] | None = None
    if lowered is None and CASE_TRAPS.search(text) is None:
        lowered = text.lower()  # (the same length as text without CASE_TRAPS characters)
    if cfg.speech_words is not None and lowered is not None:
        present = [word for word in cfg.speech_words if word in lowered]
        if not present:
            return ()  # no speech verb or phrase in the sentence
    for k, m in enumerate(mentions):
        if not speaker_ok(m.entity):
            continue
        s, e = m.start - sentence_start, m.end - sentence_start
        if (present is None or any(lowered.find(w, e) >= 0 for w in present)) \
                and _speaks_before_verb(cfg, text, s, e):
            if _DENIES_IT.match(text, e):
                continue  # "China supplied drones to Russia, but Beijing denied it": the
                # claim is not the denier's (who says the opposite)
            return _listed_before(text, sentence_start, mentions, k, speaker_ok)
        if (present is None or any(lowered.find(w, max(0, s - 40), s) >= 0 for w in present)) \
                and _speaks_after_phrase(cfg, text, s, e):
            return (m.entity,)
    return ()


def speaks_at(cfg: CueConfig, text: str, start: int, end: int) -> bool:
    """Whether the name at text[start:end] stands where a speaker does: before a speech verb
    or after a speech phrase (as :func:`speaker` finds them)."""
    return _speaks_before_verb(cfg, text, start, end) \
        or _speaks_after_phrase(cfg, text, start, end)


def _speaks_before_verb(cfg: CueConfig, text: str, start: int, end: int) -> bool:
    if _speech_after(cfg, text[end:]):
        return not _in_speakers_phrase(text, start)
    # a name in apposition after its role: "China's foreign minister, Wang Yi, said" (a
    # comma after any other name is an inverted verb's: "China supports Russia, said X")
    return text.startswith(",", end) and cfg.role_before is not None \
        and cfg.role_before.search(text, max(0, start - 80), start) is not None \
        and cfg.speech_after.match(text[end + 1:]) is not None


def _speaks_after_phrase(cfg: CueConfig, text: str, start: int, end: int) -> bool:
    hit = cfg.speech_before.search(text[max(0, start - 40):start])
    return hit is not None and (hit.group("inverted") is None
                                or cfg.speech_end.match(text, end) is not None)


def _in_speakers_phrase(text: str, start: int) -> bool:
    """A name starting at ``start`` right after a preposition belongs to the speaker's
    phrase, and is not the speaker ("the Russian ambassador to China said", "an official at
    the US embassy in Kyiv said"), unless the people of its state are in it ("officials in
    Ankara said": Turkey's)."""
    before = text[max(0, start - 40):start].lower().split()
    if before and before[-1] == "the":
        before.pop()
    if not before or before[-1] not in _PREPOSITIONS or not text[start - 1:start].isspace():
        return False
    return not (before[-1] == "in" and len(before) > 1 and before[-2] in _PEOPLE_IN)


_PREPOSITIONS = frozenset({"to", "in", "at", "for", "from", "on", "with", "toward", "towards",
                           "about", "against", "over", "into", "near"})
_PEOPLE_IN = frozenset({"officials", "official", "diplomats", "diplomat", "authorities",
                        "leaders", "leadership", "government", "sources", "spokesman",
                        "spokeswoman", "spokesperson", "policymakers"})


def _listed_before(text: str, sentence_start: int, mentions: list[Mention], k: int,
                   speaker_ok: Callable[[str], object]) -> tuple[str, ...]:
    """Mention k's entity with those of the speakers listed right before it ("Russia and
    China said", "Iran, Russia and China said"), in text order, each once.  A name joined by
    a comma alone counts only in a list that opens the sentence: in "China supports Russia,
    Borrell said" Russia ends the clause before."""
    found = [mentions[k].entity]
    by_and = 1  # the names joined with "and" (the first ones found)
    edge = mentions[k].start
    for m in reversed(mentions[:k]):
        if m.end > edge:
            continue  # (a mention inside or overlapping the one after it)
        joiner = _SPEAKER_JOINER.fullmatch(text, m.end - sentence_start, edge - sentence_start)
        if joiner is None or not joiner.group().strip() or not speaker_ok(m.entity):
            break  # (no comma nor "and": no list)
        found.append(m.entity)
        if joiner.group(1) and by_and == len(found) - 1:
            by_and = len(found)
        edge = m.start
    if len(found) > by_and and not _LIST_OPENING.fullmatch(text, 0, edge - sentence_start):
        found = found[:by_and]
    return tuple(dict.fromkeys(reversed(found)))


_SPEAKER_JOINER = re.compile(r"\s*,?\s*(and\s+)?")  # (group 1: "and")
_LIST_OPENING = re.compile(r"[\s\"“‘'(—–-]*")


_APPOSITION = re.compile(r"^\s*,[^\"“”]{0,160}?,\s*")
_NAME_APPOSITION = re.compile(r"^\s*,\s*(?:[A-Z][\w.’'-]*\s+){0,3}[A-Z][\w’'-]*\s*,")
#: "that" between the trigger and a hedge after it: the hedge is another clause's
_THAT = re.compile(r"\bthat\b")
#: a determiner or a possessive right before a hedge after the trigger: the hedge is an
#: adjective of a later noun ("the likely winner", "Russia's probable invasion")
_ATTRIBUTIVE = re.compile(r"(?:\b(?:[Aa]n?|[Tt]he|[Ii]ts|[Tt]heir|[Hh]is|[Hh]er|[Tt]his|[Tt]hat|"
                          r"[Tt]hese|[Tt]hose)|\w[’']s)\s+$")


def _speech_after(cfg: CueConfig, after: str) -> bool:
    if cfg.speech_after.match(after):
        return True
    # an apposition between the speaker and the verb: "X, head of Y in Z, told DW" (but a
    # name there is the speaker named after its role: "The president of Serbia, Aleksandar
    # Vucic, said" is Vucic's)
    m = _APPOSITION.match(after)
    return bool(m and cfg.speech_after.match(after[m.end():])
                and not _NAME_APPOSITION.match(after))


def unnamed_before(cfg: CueConfig, text: str, end: int) -> bool:
    """Whether ``text`` gives what follows to unnamed others before ``end`` ("Experts say
    ...", "... fueled speculation that ...")."""
    return cfg.unnamed_source is not None and cfg.unnamed_source.search(text, 0, end) is not None


def self_voiced(cfg: CueConfig, text: str) -> bool:
    """The document speaks for itself ("We assess ...")."""
    return bool(cfg.self_reference.search(text))
