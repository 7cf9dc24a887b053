"""One document's and one sentence's context for the rules: the sentence context
(:class:`_Ctx`), the types of the document's IRIs (:class:`_Types`), the paragraph dates and the
speakers, each worked out only when an assertion needs it; one trigger match's cue window
(:class:`_Window`); and one document's state across its sentences (:class:`_DocState`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from entente.graph import cues, date_cues
from entente.graph.discourse import Discourse
from entente.graph.model import Assertion, Mention, MintedActor, Sentence, SourceDocument
from entente.graph.regex_analysis import accelerated
from entente.graph.ruleset import words

_HE_SAID = accelerated(re.compile(r"\b(?:[Hh]e|[Ss]he) (?:said|added|told)\b"))
#: right after an opening date that dates its paragraph: a comma, a dash or a bracket
_DATE_SET_OFF = re.compile(r"\s*(?:[,—–(]|-\s|\(\w+\)\s*[-—–])")
_SPEAKERS = frozenset({"Person", "State", "Institution", "InternationalOrganization"})
_QUOTE_MARK = re.compile('[“”"]')  # (_quote_left_open)
#: (IRI, minted actors by IRI) -> the entity's types (RelationExtractor.types_of)
_TypesOf = Callable[[str, dict[str, MintedActor]], frozenset[str]]


def _rel(iri: str) -> str:
    return "/".join(iri.split("/")[-3:])


def _key(m: Mention) -> tuple[int, int, str]:
    return (m.start, m.end, m.entity)


@dataclass(slots=True)
class _Window:
    """Where one trigger match's cues and date are read (``_Polarity._cue_window``)."""

    first: int  # where the first subject starts
    start: int  # where the negation cues' window opens (it closes at the trigger)
    qs: int  # the clause of the certainty cues: text[qs:qe]
    qe: int
    after: int  # the end of the trigger or of the last object after it
    joined: re.Match[str] | None  # ", and" opening a clause with a subject of its own
    own: int | None  # where a coordinated verb's phrase with its own tense opens
    rel: re.Match[str] | None  # the subject's relative clause, before the match's clause


@dataclass
class _Ctx:
    """One sentence's context for the rules (made when a rule's trigger first matches)."""

    doc: SourceDocument
    sent: Sentence
    mentions: list[Mention]  # in this sentence, sentence-relative offsets
    year: int | None
    paragraphs: _ParagraphDates
    voices: _Voices
    minted_events: dict[str, str] = field(default_factory=dict)
    # the paragraph each of those was last named in (shared by the document's sentences)
    event_paragraphs: dict[str, int] = field(default_factory=dict)
    # definite phrases that stand for an event named earlier ("the resolution"), as mentions
    # with sentence-relative offsets (kind "anaphor"): the argument's span in this sentence
    anaphors: list[Mention] = field(default_factory=list)
    asides: dict[tuple[int, int], list[tuple[int, int]]] = field(default_factory=dict)
    clause_dates: dict[tuple[int, int, bool], str | object | None] = field(default_factory=dict)
    no_dates: bool | None = None  # the sentence cannot hold a date (None: not known yet)
    # the sentence in lower case; None when it holds characters that case folding maps
    # beyond str.lower() (regex_analysis.CASE_TRAPS): substring tests then prove nothing
    lowered: str | None = None
    # argument types -> the sentence's mentions of one of them (in order); emptied when an
    # event is minted (its IRI's types may change)
    typed: dict[frozenset[str], list[Mention]] = field(default_factory=dict)
    # whether the sentence may except a subject from a group (_EXCEPTED: one of its words)
    excepting: bool = True
    # paragraph index -> the entities named in it (for ``ent:linkContext``; worked out when
    # first asked for)
    named_in: Callable[[int], set[str]] | None = None

    def name_event(self, kind: str, iri: str) -> None:
        """What a later "the resolution" (or an elliptic "abstained") refers to."""
        self.minted_events[kind] = iri
        self.event_paragraphs[kind] = self.sent.paragraph

    @property
    def paragraph_dates(self) -> list[str]:
        """The single date of the paragraph's first sentence, when this is a later one."""
        return self.paragraphs.dates_before(self.sent)

    @property
    def speaker(self) -> tuple[str, ...]:
        return self.voices.speaker()


class _Types(dict):
    """IRI -> its types (``RelationExtractor.types_of``) for one document, each worked out
    once on first lookup (``__missing__``): a lookup is then a plain dict access, also for
    the discourse memory, which gets ``__getitem__``.  ``by_iri``: the minted actors so far;
    an IRI minted later (``mint``) is dropped and worked out again."""

    __slots__ = ("by_iri", "_of")

    def __init__(self, types_of: _TypesOf, by_iri: dict[str, MintedActor]) -> None:
        super().__init__()
        self.by_iri = by_iri
        self._of = types_of

    def __missing__(self, iri: str) -> frozenset[str]:
        types = self[iri] = self._of(iri, self.by_iri)
        return types

    def mint(self, actor: MintedActor) -> None:
        """Add a minted actor (an event of a rule)."""
        self.by_iri[actor.iri] = actor
        self.pop(actor.iri, None)


class _ParagraphDates:
    """The dates of each paragraph's first sentence (a dateline or topic date: "In May 2019,
    ..."), worked out only when a later sentence of the paragraph asks for them."""

    def __init__(self, year: int | None) -> None:
        self.year = year
        self.first: dict[int, Sentence] = {}  # paragraph -> its first sentence
        self.dates: dict[int, list[str]] = {}

    def see(self, sent: Sentence) -> None:
        self.first.setdefault(sent.paragraph, sent)

    def dates_before(self, sent: Sentence) -> list[str]:
        first = self.first[sent.paragraph]
        if first is sent:
            return []  # the first sentence itself: its own dates are searched directly
        dates = self.dates.get(sent.paragraph)
        if dates is None:
            text = first.text
            hit, found = date_cues.dates(text, self.year)
            # (a dateline, "NEW YORK, March 2, 2022 - ...", or a topic date set off by its
            # comma or dash, "In May 2019, ...": not "In 2015 Russia intervened in Syria",
            # whose date is that sentence's only)
            opening = hit is not None and words(text[:hit[0]]) <= 3 \
                and _DATE_SET_OFF.match(text, hit[1]) is not None
            dates = self.dates[sent.paragraph] = found if len(found) == 1 and opening else []
        return dates


class _Voices:
    """The speaker of each sentence (cues.speaker), worked out only when an assertion needs
    it: "..., he said" takes the speaker of the latest earlier sentence that names one."""

    def __init__(self, cfg: cues.CueConfig, types_of: _TypesOf, types: _Types,
                 minted: list[MintedActor]) -> None:
        self.cfg = cfg
        self.types_of = types_of  # (IRI, minted actors) -> types
        self.types = types  # the document's types (with the minted actors so far)
        self.minted = minted
        self.last: tuple[str, ...] = ()  # the latest speaker among the sentences worked out
        # the sentences after it not yet worked out: (text, mentions, len(minted) then,
        # lower-case text)
        self.pending: list[tuple[str, list[Mention], int, str | None]] = []
        self.current: tuple[str, ...] | None = None  # the latest sentence's, once known
        # the sentence that opened a quotation still open, and its paragraph: the sentences
        # inside it are its speaker's ("China pronounced that it “fully understands ...
        # China recognizes ... Ukraine.”"); the opener the latest sentence is inside
        self.quote: tuple[str, list[Mention], int, str | None] | None = None
        self.quote_paragraph = -1
        self.quoted_by: tuple[str, list[Mention], int, str | None] | None = None

    def add(self, text: str, local: list[Mention], lowered: str | None,
            paragraph: int = -1) -> None:
        """The next sentence, with its mentions (resolved anaphors among them), its
        lower-case text (None: not usable, see regex_analysis.CASE_TRAPS) and its
        paragraph (a quotation does not run on past its paragraph)."""
        self.current = None
        entry = (text, local, len(self.minted), lowered)
        if paragraph != self.quote_paragraph:
            self.quote, self.quote_paragraph = None, paragraph
        self.pending.append(entry)
        self.quoted_by = self.quote
        if "“" in text or "”" in text or '"' in text:
            opened = _quote_left_open(text, self.quote is not None)
            self.quote = None if opened is None else entry if opened else self.quote

    def _who(self, text: str, local: list[Mention], n_minted: int,
             lowered: str | None) -> tuple[str, ...]:
        named = [m for m in local if m.kind not in ("anaphor", "singular")]
        if not named:
            return self._pair_speaking(text, local)
        if len(self.minted) > n_minted:  # actors minted since were not known then
            later = {a.iri for a in self.minted[n_minted:]}
            by_iri = {iri: a for iri, a in self.types.by_iri.items() if iri not in later}
            who = cues.speaker(self.cfg, text, 0, named,
                               lambda iri: self.types_of(iri, by_iri) & _SPEAKERS, lowered)
        else:
            types = self.types
            who = cues.speaker(self.cfg, text, 0, named,
                               lambda iri: types[iri] & _SPEAKERS, lowered)
        return who or self._pair_speaking(text, local)

    def _pair_speaking(self, text: str, local: list[Mention]) -> tuple[str, ...]:
        """The pair a plural noun phrase stands for, when it speaks: "The two countries stress
        that ..." (each of its mentions is one of the pair, on the same span).  Not "they",
        whose pair is the last one named of any kind."""
        spans: dict[tuple[int, int], list[str]] = {}
        for m in local:
            if m.kind == "anaphor" and m.text.lower() != "they":
                spans.setdefault((m.start, m.end), []).append(m.entity)
        for (start, end), pair in spans.items():
            if cues.speaks_at(self.cfg, text, start, end):
                return tuple(dict.fromkeys(pair))
        return ()

    def speaker(self) -> tuple[str, ...]:
        """The speaker of the latest sentence added."""
        if self.current is not None:
            return self.current
        text, local, n_minted, lowered = self.pending.pop()
        quoted_by = self.quoted_by
        who = self._who(text, local, n_minted, lowered) or (
            self._who(*quoted_by) if quoted_by is not None else ())
        if who:
            self.last = who
            self.pending.clear()
            self.current = self.last
        elif _HE_SAID.search(text):  # "..., he said": the previous named speaker, or the
            while self.pending:  # person who opened a sentence since ("Lavrov responded")
                earlier = self._who(*self.pending[-1]) or self._opening_person(
                    *self.pending[-1][:2])
                self.pending.pop()
                if earlier:
                    self.last = earlier
                    break
            self.pending.clear()
            self.current = self.last
        else:
            self.current = ()
            opener = self._opening_person(text, local)
            if opener:  # "Lavrov met Wang Yi. China supports Russia, he said": Lavrov
                self.last = opener
                self.pending.clear()
        return self.current

    def _opening_person(self, text: str, local: list[Mention]) -> tuple[str, ...]:
        """The person named first in a sentence that opens with them ("Lavrov responded
        sharply"), if any."""
        for m in local:
            if m.kind in ("anaphor", "singular"):
                return ()
            if words(text[:m.start]) <= 2 and "Person" in self.types[m.entity]:
                return (m.entity,)
            return ()
        return ()


@dataclass(slots=True)
class _DocState:
    """One document's state across its sentences in :meth:`RelationExtractor.extract`."""

    doc: SourceDocument
    minted: list[MintedActor]
    types: _Types
    year: int | None
    paragraphs: _ParagraphDates
    voices: _Voices
    discourse: Discourse
    by_sentence: dict[int, list[Mention]]
    sentences: list[Sentence]
    out: dict[tuple, Assertion] = field(default_factory=dict)  # sort key -> assertion
    seen: set[tuple] = field(default_factory=set)  # the facts kept, per sentence
    events: dict[str, str] = field(default_factory=dict)  # kind -> the event named last
    event_paragraphs: dict[str, int] = field(default_factory=dict)
    resolved: list[Mention] = field(default_factory=list)  # anaphors the assertions resolve
    named: dict[int, set[str]] = field(default_factory=dict)  # paragraph -> entities

    def named_in(self, paragraph: int) -> set[str]:
        """The entities the paragraph names (worked out once per document, when a phrase
        first asks)."""
        if not self.named:
            for s in self.sentences:
                self.named.setdefault(s.paragraph, set()).update(
                    m.entity for m in self.by_sentence.get(s.index, ()))
        return self.named.get(paragraph, set())


def _quote_left_open(text: str, open_: bool) -> bool | None:
    """Whether a quotation is open at the end of ``text`` (``open_``: whether one was at its
    start): True when the sentence opened it, False when one open at its start still is,
    None when none is.  Curly quotes open and close; a straight one toggles."""
    opened_here = False
    for ch in _QUOTE_MARK.findall(text):  # (the marks alone: not every character)
        if ch == "“" or (ch == '"' and not open_):
            open_, opened_here = True, True
        elif ch == "”" or ch == '"':
            open_, opened_here = False, False
    if not open_:
        return None
    return opened_here
