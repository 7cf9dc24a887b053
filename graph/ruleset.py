"""The rule format of ``graph/rules.yaml`` and the text helpers the rule engine shares.

A rule (see docs/extraction.md, "Extraction rules") maps trigger expressions to an ontology
property between two arguments found by locators (``before``, ``after``, ``possessor``,
``after_by``, ``inside``, ``around``), with type constraints, optional qualifiers and an
optional event to mint when the text names one without a reference entity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from entente.graph.pattern_cache import compiled

from entente.errors import EntenteError

WORD = re.compile(r"[\w’'.%-]+")
#: auxiliary and modal verbs: a clause's, never a role's or a name's (graph/actors.py: a
#: role after "According to X,"; graph/relations/: a coordinated verb's own tense)
AUXILIARY_WORDS = ("has", "have", "had", "will", "would", "could", "can", "may", "might",
                   "must", "should", "did", "does", "do", "is", "are", "was", "were")
#: what may stand between two conjoined mentions ("China and Russia", "Sino-Russian",
#: "Chinese President Xi and Russian President Putin", "China joined Russia in opposing",
#: "not only China but also India")
JOINER = re.compile(r"\s*(?:,\s*)?(?:and|or|nor|&|as well as|but also)\s+(?:the\s+)?"
                    r"(?:[A-Z][\w.]*\s+){0,3}|\s*,\s*|[-‐–]|\s+joined\s+(?:the\s+)?")
#: a preposition right before a mention: it heads a phrase, not a subject ("On Iran, ...",
#: "Unlike Russia, China has not recognised ...")
PREP_BEFORE = re.compile(r"\b(?:[Oo]n|[Ii]n|[Aa]t|[Ff]or|[Ww]ith|[Oo]f|[Tt]o|[Ff]rom|[Bb]y|"
                         r"[Aa]bout|[Aa]gainst|[Oo]ver|[Uu]nder|[Uu]nlike|[Ll]ike|[Bb]esides|"
                         r"[Bb]eyond|[Dd]espite|[Aa]mid|[Aa]fter|[Bb]efore|[Ss]ince|[Ff]ollowing|"
                         r"[Rr]egarding|[Cc]oncerning|[Tt]owards?|[Aa]mong|[Bb]etween|[Tt]han|"
                         r"[Ww]ithout|[Ee]xcept)\s+(?:the\s+)?$")


@dataclass(frozen=True)
class Arg:
    side: str
    types: frozenset[str]
    preps: frozenset[str] = frozenset()
    loose: bool = False  # only max_gap limits the gap (no stop words, punctuation allowed)
    # a subject before the trigger: the trigger speaks of the whole list before it ("Russia
    # and Belarus, both members of"), so its names are all the subject, even as the object
    # of a verb before them ("Japan criticized Russia and Belarus, both members of the CSTO")
    listed: bool = False
    # a possessor that may be "its": the nearest name of the argument's types before it
    # ("Russia defended its invasion of Ukraine")
    pronoun: bool = False


@dataclass(frozen=True)
class Rule:
    id: str
    property: str
    triggers: tuple[re.Pattern[str], ...]
    subject: Arg
    object: Arg | None
    symmetric: bool = False
    negate: bool = False
    max_gap: int = 6
    qualifiers: frozenset[str] = frozenset()
    mint: dict | None = None
    subject_gap_stop: re.Pattern[str] | None = None
    requires: re.Pattern[str] | None = None  # the clause must match this
    narrator: bool = False  # the narrator's own statement (an apposition), not the speaker's
    # a discrete act: an attempt or intention between the subject and the trigger
    # (``defaults.intent_gap``: "Iran applied to join the SCO") gives no assertion
    achieved: bool = False
    # the trigger names an event that can be called off: "<subject>'s meeting with <object>
    # was cancelled" (``defaults.called_off`` right after the object) negates it
    cancellable: bool = False
    # the passive voice: the subject is the agent after "by", the object the name before the
    # participle with only auxiliaries between ("Crimea was annexed by Russia"), not inside
    # a prepositional phrase ("the invasion of Ukraine was condemned by X": not Ukraine)
    passive: bool = False
    # right after the object, what makes the relation something else: "joined the Arctic
    # Council as an observer" is no membership
    unless_after: re.Pattern[str] | None = None
    # the relation happens in its object's year (signing a deal): a reference object whose IRI
    # or label holds another year than those of the sentence is another one
    same_year: bool = False
    # only affirmed: a denial of the trigger's act denies less than the relation ("China has
    # not exported chips to Russia" says nothing of their trade): no assertion
    affirmed_only: bool = False


def parse_rule(raw: dict, defaults: dict) -> Rule:
    """One rule of rules.yaml; a malformed rule is an EntenteError naming its id."""
    try:
        obj = raw.get("object")
        return Rule(
            id=raw["id"], property=raw["property"],
            triggers=tuple(compiled(rf"\b(?:{t})\b", re.I) for t in raw["triggers"]),
            subject=Arg(raw["subject"].get("side", "before"),
                        frozenset(raw["subject"]["types"]),
                        frozenset(raw["subject"].get("preps", [])),
                        listed=bool(raw["subject"].get("listed")),
                        pronoun=bool(raw["subject"].get("pronoun"))),
            object=Arg(obj.get("side", "after"), frozenset(obj["types"]),
                       frozenset(obj.get("preps", [])), bool(obj.get("loose"))) if obj
            else None,
            symmetric=bool(raw.get("symmetric", False)), negate=bool(raw.get("negate")),
            max_gap=int(raw.get("max_gap", defaults.get("max_gap", 6))),
            qualifiers=frozenset(raw.get("qualifiers", [])), mint=raw.get("mint"),
            subject_gap_stop=compiled(raw["subject_gap_stop"], re.I)
            if "subject_gap_stop" in raw else None,
            requires=compiled(raw["requires"], re.I) if "requires" in raw else None,
            narrator=bool(raw.get("narrator", False)),
            achieved=bool(raw.get("achieved", False)),
            cancellable=bool(raw.get("cancellable", False)),
            passive=bool(raw.get("passive", False)),
            unless_after=re.compile(raw["unless_after"], re.I) if "unless_after" in raw
            else None,
            same_year=bool(raw.get("same_year", False)),
            affirmed_only=bool(raw.get("affirmed_only", False)),
        )
    except (KeyError, TypeError, AttributeError, re.error) as exc:
        raise EntenteError(
            f"graph/rules.yaml: rule {raw.get('id', '?')!r} is malformed: {exc}") from None


STOP = {"a", "an", "the", "s", "by", "of", "that", "which", "to", "its", "on", "in", "for",
        "and", "their", "his", "her", "own", "last", "this", "next", "year", "any", "every",
        "each"}
#: a duration in digits before a noun ("30-year", "90-day"): no part of a name
_TERM = re.compile(r"\b\d+-(?:years?|months?|weeks?|days?)\b")


def content(label: str) -> list[str]:
    """Content words of a name: lower case, "U.N." -> "un", stop words and a term in digits
    out ("a 30-year gas deal": "gas", "deal"; "year" was a stop word, and "30" stayed)."""
    return [w for w in re.findall(r"[a-z0-9]+", _TERM.sub(" ", label.lower().replace(".", "")))
            if w not in STOP]


def unmask(text: str, start: int, end: int, asides: list[tuple[int, int]]) -> str:
    """text[start:end] with the asides inside it cut out."""
    out, pos = [], start
    for a, b in sorted(asides):
        if start <= a and b <= end:
            out.append(text[pos:a])
            pos = b
    out.append(text[pos:end])
    return " ".join(out)


def words(text: str) -> int:
    return len(WORD.findall(text))


def role_before(titles: list[str]) -> re.Pattern[str]:
    """A role ending with a comma right before a name in apposition: a title, then up to five
    prepositions, articles or names ("China's foreign minister, ", "the president of Serbia,
    ", "ambassador to China, "; not "visited Moscow, "). Searched with the name's start as
    ``endpos``. Used by the person minter and by the speaker cue alike."""
    return re.compile(rf"\b(?i:{'|'.join(map(re.escape, titles))})\b(?:\s+(?:(?i:of|to|for|at|"
                      rf"in|on|the)|[A-Z][\w.’'-]*)){{0,5}}\s*,\s*$")
