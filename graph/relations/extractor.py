"""The relation extractor: its rules compiled and gated once, and the loop over a document's
sentences that tries the rules whose triggers may occur in each (the rest of its work is in the
sibling modules it inherits from; see the package docstring)."""

from __future__ import annotations

import hashlib
import re

from entente.graph import cues
from entente.graph.bundled import bundled_graph, load_rules, rules_bytes
from entente.graph.discourse import Discourse
from entente.graph.entities import read_entities, read_link_contexts
from entente.graph.model import Assertion, Mention, MintedActor, Sentence, SourceDocument
from entente.graph.pattern_cache import compiled
from entente.graph.pattern_cache import save as save_patterns
from entente.graph.regex_analysis import (
    CASE_TRAPS,
    PrunedAlternation,
    accelerated,
    required_literals,
)
from entente.graph.relations.apply import _RuleApplication
from entente.graph.relations.arguments import _ArgumentLocators
from entente.graph.relations.checks import _Checks
from entente.graph.relations.context import (
    _Ctx,
    _DocState,
    _ParagraphDates,
    _rel,
    _Types,
    _Voices,
)
from entente.graph.relations.dates import _Qualifiers
from entente.graph.relations.events import _EventMinting, _year
from entente.graph.relations.patterns import _ADVERBS, _AUXILIARIES, _ELLIPSIS_AUX, _RESOLVED
from entente.graph.relations.polarity import _Polarity
from entente.graph.relations.selection import _RuleSelection, _trigger_words
from entente.graph.relations.subjects import _SubjectFallbacks
from entente.graph.ruleset import Rule, content, parse_rule

from entente.config import ONTOLOGY_NS
from entente.errors import EntenteError

__all__ = ["RelationExtractor"]

_KINDS = {"state": "State", "org": "InternationalOrganization", "person": "Person",
          "institution": "Institution", "agreement": "Agreement", "event": "Event",
          "place": "Place"}
_PLACEHOLDER = "http://placeholder.invalid/"
#: (one of these is in every _EXCEPTED match, in lower case)
_EXCEPTION_WORD = re.compile(r"except|but |bar |besides|apart|aside|other than|save |excluding")
_APOSTROPHES = frozenset("’'")  # the characters _POSSESSOR_GAP opens with
_MODIFIER = r"[-‐]\s*[a-z]"  # a hyphenated modifier ("US-requested"), after a name
_ELLIPSIS_AUX_WORD = re.compile(rf"\b{_ELLIPSIS_AUX}\b")  # (a sentence without one: no ellipsis)


class RelationExtractor(_RuleApplication, _Polarity, _Checks, _ArgumentLocators,
                        _SubjectFallbacks, _EventMinting, _Qualifiers, _RuleSelection):
    """Assertions from a document's sentences and linked mentions (:meth:`extract`), by the
    rules of ``graph/rules.yaml`` (:meth:`from_bundled`)."""

    def __init__(self, rules: dict, data: bytes, entity_types: dict[str, frozenset[str]],
                 entity_labels: dict[str, list[str]] | None = None,
                 demonyms: frozenset[str] = frozenset(),
                 link_contexts: dict[str, frozenset[str]] | None = None,
                 pref_labels: dict[str, str] | None = None) -> None:
        self.demonyms = demonyms
        self.pref_labels = pref_labels or {}  # relative IRI -> its preferred label
        # reference event or agreement -> the entities its paragraph must name for a phrase
        # to be it (``ent:linkContext``; relative IRIs)
        self.link_contexts = link_contexts or {}
        self.rules_sha256 = hashlib.sha256(data).hexdigest()
        self.entity_types = entity_types
        self._known_types: dict[str, frozenset[str]] = {}  # IRI -> types_of without minting
        self._minted_types: dict[str, tuple[MintedActor, frozenset[str]]] = {}
        self._stop_words: dict[str, bool] = {}  # word -> object_gap_stop matches it whole
        # labels of reference events and agreements (relative IRI -> content-word sets)
        self.entity_labels = {rel: [set(content(x)) for x in labels]
                              for rel, labels in (entity_labels or {}).items()
                              if rel.startswith(("id/event/", "id/agreement/"))}
        self._label_words: dict[str, set[str]] = {}  # content word -> rels with it in a label
        for rel, label_sets in self.entity_labels.items():
            for label_set in label_sets:
                for w in label_set:
                    self._label_words.setdefault(w, set()).add(rel)
        defaults = rules.get("defaults", {})
        self._set_up_phrases(defaults)
        self.anaphora: dict = rules.get("anaphora", {})
        self.domains: dict[str, str] = rules.get("domains", {})
        self.figure = accelerated(compiled(defaults.get("figure", r"$^"), re.I))
        self.cues = cues.CueConfig.from_rules(rules)
        self.rules = sorted((parse_rule(r, defaults) for r in rules.get("rules", [])),
                            key=lambda r: r.id)
        self._set_up_rule_tables()
        self._set_up_domains()
        self._set_up_selection()
        ids = [r.id for r in self.rules]
        if len(set(ids)) != len(ids):
            raise EntenteError("graph/rules.yaml: duplicate rule ids")
        save_patterns()  # (the next process reads them compiled: graph/pattern_cache.py)

    def _set_up_phrases(self, defaults: dict) -> None:
        """The phrase tests the rules share, from the ``defaults`` of rules.yaml."""
        # (searches over whole sentences: ``accelerated`` adds a first-character lookahead)
        self.clause_break = accelerated(compiled(defaults.get("clause_break", r"[;:]")))
        self.subject_stop = accelerated(compiled(defaults.get("subject_gap_stop", r"$^"), re.I))
        self.object_stop = compiled(defaults.get("object_gap_stop", r"$^"), re.I)
        self.possessive_heads = set(defaults.get("possessive_heads", []))
        # right after a name, what makes it a modifier: a hyphen ("US-requested") or one
        # of the rules' modifier head nouns ("the SCO summit")
        heads = "|".join(map(re.escape, defaults.get("modifier_heads", [])))
        self.modifier = compiled(_MODIFIER + (
            rf"|(?i:\s+(?:(?:military|financial|economic|humanitarian|lethal)\s+)?(?:{heads})\b)"
            if heads else ""))
        # prepositional asides between commas are skipped ("China has, for instance in its
        # relations with X, already contradicted Y"); idioms ignored inside gaps
        self.aside = compiled(defaults.get("aside", r"$^"), re.I)
        # an attempt or intention between the subject and its trigger: no assertion of an
        # ``achieved`` rule
        self.intent_gap = compiled(defaults.get("intent_gap", r"$^"), re.I)
        # a request by the subject that another act, between it and any rule's trigger
        self.request_gap = compiled(defaults.get("request_gap", r"$^"), re.I)
        # right after the object of a ``cancellable`` rule: the event did not take place
        self.called_off = compiled(defaults.get("called_off", r"$^"), re.I)
        self.called_off_later = compiled(defaults.get("called_off_later", r"$^"), re.I)
        # a claim the sentence calls false: the opening right before the subject ("reports
        # that"), the verdict right after the object ("are false")
        self.claim_opening = compiled(defaults.get("claim_opening", r"$^"), re.I)
        self.said_false = compiled(defaults.get("said_false", r"$^"), re.I)
        # nouns that an -ing trigger right after them describes ("a resolution condemning X"):
        # then only the name right before the noun is the subject ("a UN General Assembly
        # resolution condemning X")
        described = "|".join(map(re.escape, defaults.get("described_nouns", [])))
        self.described = compiled(rf"\b(?:{described})\s+(?:[\w/-]*\d[\w/-]*\s+)?$", re.I) \
            if described else None
        # (a body's vote condemning X is no position of the body's: its outcome is not said)
        positions = "|".join(map(re.escape, (n for n in defaults.get("described_nouns", [])
                                             if n not in ("vote", "votes"))))
        self.described_by = compiled(rf"\s+(?:draft\s+)?(?:{positions})\s+", re.I)
        self.defeated_before = compiled(defaults.get("defeated_before", r"$^"), re.I)
        self.issued_statement = compiled(defaults.get("issued_statement", r"$^"), re.I)
        self.blocked_before = compiled(defaults.get("blocked_before", r"$^"), re.I)
        self.opposed_gap = compiled(defaults.get("opposed_gap", r"$^"), re.I)
        self.gap_ignore = accelerated(compiled(defaults.get("gap_ignore", r"$^"), re.I))
        self.cue_break = accelerated(compiled(defaults.get("cue_clause_break", r"[;:]")))
        openers = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(
            defaults.get("cue_clause_openers", []), key=lambda w: (-len(w), w)))
        # "Despite X, Y ...": the comma after such a phrase opening the sentence ends a clause
        self.opening_phrase = compiled(rf"\W*(?:{openers})\b[^,;:]*,", re.I) \
            if openers else None
        # each searched with only the branches whose characters the sentence holds
        self._alternations = {
            self.clause_break: PrunedAlternation(compiled(defaults.get("clause_break",
                                                                         r"[;:]"))),
            self.cue_break: PrunedAlternation(compiled(defaults.get("cue_clause_break",
                                                                      r"[;:]")))}
        # a sentence's text -> the spans of the clause breaks' and the cue breaks' matches
        # (None: not searched yet), kept until a few sentences later (the text is the key:
        # hashing a compiled expression hashes its whole code)
        self._breaks: dict[str, list[list[tuple[int, int]] | None]] = {}
        self._break_searches = (self._alternations[self.clause_break],
                                self._alternations[self.cue_break])

    def _set_up_rule_tables(self) -> None:
        """Per rule: its triggers compiled and gated, its argument types, its plan."""
        # one search per rule and sentence tells whether any of its triggers occurs at all;
        # before it, a cheaper test: the words every trigger match starts with (if known)
        self._any_trigger = {r.id: accelerated(compiled(
            "|".join(f"(?:{t.pattern})" for t in r.triggers), re.I)) for r in self.rules}
        # each trigger with the lower-case words one of which its matches start with or
        # contain (None: unknown, or the rule's only trigger, which the search above found)
        self._triggers = {r.id: tuple((accelerated(t), _trigger_words(t) if len(r.triggers) > 1
                                       else None) for t in r.triggers) for r in self.rules}
        # (_group) any rule's trigger right before a name, or a verb or trigger right after it
        every = "|".join(f"(?:{t.pattern})" for r in self.rules for t in r.triggers)
        self._verb_before = compiled(rf"(?:{every})\s+(?:(?:the|a|an)\s+)?$", re.I)
        self._any_verb = compiled(rf"\b(?:{every})", re.I)
        self._verb_after = compiled(
            rf"\s+(?:{_ADVERBS})*(?:{_AUXILIARIES}|\b(?:said|says|told|tells|followed|follows)\b"
            rf"|{every})", re.I)
        self._requires = {r.id: accelerated(r.requires) if r.requires else None
                          for r in self.rules}
        self._subject_stop = {r.id: accelerated(r.subject_gap_stop) if r.subject_gap_stop
                              else self.subject_stop for r in self.rules}
        # the head words of the events a rule mints ("resolution|vote")
        self._mint_heads = {r.id: compiled(rf"\b(?:{(r.mint or {}).get('head', 'resolution')})\b",
                                             re.I) for r in self.rules if r.mint is not None}
        # the types one of which a mention of the sentence must have for the rule to fire:
        # the subject's (every locator and the VP-coordination fallback take mentions of the
        # argument's types) and a possessor object's (looked for first), if any
        self._arg_types = {r.id: (r.subject.types, r.object.types if r.object is not None
                                  and r.object.side == "possessor" else None)
                           for r in self.rules}
        # per rule position: the rule, its argument types, the alternation of its triggers,
        # whether an argument is a possessor (found only as a mention right before an
        # apostrophe: "Russia's invasion") and the lower-case strings one of which a clause
        # matching ``requires`` holds (None: no such test, or not known)
        self._plan = [(r, *self._arg_types[r.id], self._any_trigger[r.id],
                       any(a is not None and a.side == "possessor" and not a.pronoun
                           for a in (r.subject, r.object)),
                       required_literals(r.requires) if r.requires else None)
                      for r in self.rules]

    def _set_up_domains(self) -> None:
        """The keywords of the "domain" qualifier, compiled, with the strings that
        announce them."""
        # the domain keywords of the "domain" qualifier, compiled once
        self._domain_res = [(accelerated(compiled(rf"\b{kw}\b", re.I)), d)
                            for kw, d in self.domains.items()]
        # with the lower-case strings one of which a clause holding the keyword contains
        self._domain_words = [(p, d, required_literals(p)) for p, d in self._domain_res]
        # lower-case string -> the keywords (positions) it may announce; those without: always
        self._domain_always = tuple(i for i, (_, _, needs) in enumerate(self._domain_words)
                                    if needs is None)
        needles: dict[str, list[int]] = {}
        for i, (_, _, needs) in enumerate(self._domain_words):
            for w in sorted(needs or ()):
                needles.setdefault(w, []).append(i)
        self._domain_needles = sorted(needles.items())

    @classmethod
    def from_bundled(cls, base: str = _PLACEHOLDER) -> RelationExtractor:
        """The extractor over the bundled rules and the entity classes of entities.ttl.

        ``base``: the base the entities are read under (the extractor keeps only the last
        three segments of their IRIs: the same extractor under any base; the build passes
        its own, so that the linker's parse of the file is reused)."""
        data = rules_bytes()
        graph = bundled_graph("entities.ttl", base)
        entities, labels, demonyms = read_entities(graph)
        contexts = {_rel(iri): frozenset(map(_rel, ctx))
                    for iri, (ctx, _) in read_link_contexts(graph, labels, demonyms).items()}
        types = {_rel(iri): e.types for iri, e in entities.items()}
        names: dict[str, list[str]] = {}
        for label, iris in labels.items():
            for iri in iris:
                names.setdefault(_rel(iri), []).append(label)
        pref = {_rel(iri): e.label for iri, e in entities.items()}
        return cls(load_rules(data), data, types, names, frozenset(demonyms), contexts, pref)

    # -- types ----------------------------------------------------------------------------

    def types_of(self, iri: str, minted: dict[str, MintedActor]) -> frozenset[str]:
        known = self._known_types.get(iri)
        if known is None:  # the kind (from the IRI) and the reference entity's classes
            rel = _rel(iri)
            kind = _KINDS.get(rel.split("/")[1], "") if rel.count("/") == 2 else ""
            known = frozenset({kind} | self.entity_types.get(rel, frozenset())) - {""}
            if len(self._known_types) < 100_000:
                self._known_types[iri] = known
        actor = minted.get(iri)
        if actor is None:
            return known
        cached = self._minted_types.get(iri)  # (a minted actor's types: built once)
        if cached is not None and cached[0] is actor:
            return cached[1]
        types = known | {t[len(ONTOLOGY_NS):] for t in actor.rdf_types} - {""}
        if len(self._minted_types) >= 100_000:
            self._minted_types.clear()
        self._minted_types[iri] = (actor, types)
        return types

    # -- extraction -----------------------------------------------------------------------

    def extract(self, doc: SourceDocument, sentences: list[Sentence], mentions: list[Mention],
                minted: list[MintedActor]) -> list[Assertion]:
        """Assertions for one document, ordered by (sentence start, rule id, subject, object).

        Events minted for rule objects (resolutions ...) are appended to ``minted``; resolved
        anaphors ("the pair", "it") that stand for an assertion's subject or object not named
        in its sentence are appended to ``mentions`` (kind "anaphor"/"singular"), so that the
        evidence sentence holds a span for every argument.
        """
        types = _Types(self.types_of, {a.iri: a for a in minted})
        by_sentence: dict[int, list[Mention]] = {}
        for m in mentions:
            by_sentence.setdefault(m.sentence, []).append(m)
        year = _year(doc.meta.date)
        state = _DocState(doc, minted, types, year, _ParagraphDates(year),
                          _Voices(self.cues, self.types_of, types, minted),
                          Discourse(self.anaphora, types.__getitem__), by_sentence, sentences)
        for sent in sentences:
            self._sentence_assertions(sent, state)
        if state.resolved:
            mentions += dict.fromkeys(state.resolved)  # (each once, in the order found)
        return [state.out[k] for k in sorted(state.out)]

    def _sentence_assertions(self, sent: Sentence, state: _DocState) -> None:
        """The rules tried on one sentence; its assertions kept in ``state.out`` (one per
        fact), the anaphors they resolve in ``state.resolved``."""
        doc, minted, types = state.doc, state.minted, state.types
        new_tuple = tuple.__new__
        gate_words = self._gate_words
        # (substring tests in lower case prove nothing with CASE_TRAPS characters)
        text = sent.text  # (an ASCII text holds no CASE_TRAPS character: no search)
        lowered = text.lower() if text.isascii() or CASE_TRAPS.search(text) is None \
            else None
        # the sentence's mentions with offsets in the sentence (Mention: start, end, text,
        # entity, sentence, kind; made with tuple.__new__, no Python-level __new__ frame)
        offset = sent.start
        local = state.discourse.mentions(text, [
            new_tuple(Mention, (start - offset, end - offset, name, entity, number, kind))
            for start, end, name, entity, number, kind in state.by_sentence.get(sent.index, ())],
            lowered)
        state.voices.add(text, local, lowered, sent.paragraph)
        state.paragraphs.see(sent)
        if not local:
            return  # every rule's subject is one of the sentence's mentions
        # (lowered None: case folding beyond str.lower(), every rule and no word test)
        held = None if lowered is None else self._held(lowered)
        candidates = range(len(self.rules)) if held is None \
            else self._candidates(lowered, held)
        if not candidates:
            return
        # (the sentence's context is made when a rule's trigger first matches)
        ctx: _Ctx | None = None
        present, n_minted = self._types_present(local, types), len(minted)
        possessive: bool | None = None  # a mention right before an apostrophe (if known)
        for i in candidates:
            rule, subject_types, object_types, any_trigger, possessor, clause_words = \
                self._plan[i]
            if len(minted) != n_minted:  # (an event minted: its IRI's types may change)
                present, n_minted = self._types_present(local, types), len(minted)
            if present.isdisjoint(subject_types) or (
                    object_types is not None and present.isdisjoint(object_types)):
                continue  # no mention can be the subject (or the possessor object)
            if possessor:
                if possessive is None:
                    possessive = _possessive(text, local)
                if not possessive:
                    continue  # no mention can be the possessor
            if clause_words is not None and held is not None \
                    and held.keys().isdisjoint(clause_words):
                continue  # no clause of the sentence can match ``requires``
            gate = gate_words[i]
            if gate is None or held is None:
                hit = any_trigger.search(text)
            else:  # (a match starts where one of the gate words does: tried there only)
                hit = None
                starts = [s for w in gate if w in held for s in held[w]]
                for s in (sorted(set(starts)) if len(starts) > 1 else starts):
                    hit = any_trigger.match(text, s)
                    if hit is not None:
                        break
            if hit is None:
                continue
            if ctx is None:
                ctx = _Ctx(doc, sent, local, state.year, state.paragraphs, state.voices,
                           state.events, state.event_paragraphs, lowered=lowered,
                           named_in=state.named_in,
                           excepting=lowered is None
                           or _EXCEPTION_WORD.search(lowered) is not None)
            for a in self._apply(rule, ctx, types, minted, hit.start()):
                self._keep(a, rule, sent, ctx, local, state)

    def _keep(self, a: Assertion, rule: Rule, sent: Sentence, ctx: _Ctx,
              local: list[Mention], state: _DocState) -> None:
        """Keep the assertion ``a`` unless its sentence states the fact already, with the
        anaphors it resolves and the same act of another subject an ellipsis adds."""
        # one fact per sentence: a second rule (or trigger) stating it again adds nothing; a
        # symmetric rule's fact in either order is one fact (a fact stated twice with
        # different certainties is two claims: "Iran may supply missiles to Russia, but it
        # already supplies drones to Russia")
        key = (sent.start, a.object, a.predicate, a.subject, a.negated, a.certainty) \
            if rule.symmetric and a.object < a.subject \
            else (sent.start, a.subject, a.predicate, a.object, a.negated, a.certainty)
        if key in state.seen:
            return
        state.seen.add(key)
        out = state.out
        out.setdefault((sent.start, a.rule, a.subject, a.object, a.predicate, a.certainty), a)
        if ctx.anaphors or any(m.kind in _RESOLVED for m in local):
            state.resolved += _anaphors_for(a, [*local, *ctx.anaphors], sent)
        if _ELLIPSIS_AUX_WORD.search(sent.text) is not None:
            for b in self._elided(a, rule, sent.text, local, state.types):
                out.setdefault((sent.start, b.rule, b.subject, b.object, b.predicate,
                                b.certainty), b)

    @staticmethod
    def _types_present(local: list[Mention], types: _Types) -> set[str]:
        """The types of the sentence's mentions (each locator takes only mentions of its
        argument's types)."""
        present: set[str] = set()
        for m in local:
            present.update(types[m.entity])
        return present



def _anaphors_for(a: Assertion, local: list[Mention], sent: Sentence) -> list[Mention]:
    """The resolved anaphors of the sentence (offsets in the document) that stand for an
    argument of ``a`` the sentence does not name ("They pushed hard ...")."""
    named = {m.entity for m in local if m.kind not in _RESOLVED}
    # (an anaphor stands for all its entities: "Both powers" is China and Russia, even when
    # only China is not named elsewhere in the sentence; one ent:denotes per entity)
    spans = {(m.start, m.end) for m in local if m.kind in _RESOLVED
             and m.entity in (a.subject, a.object) and m.entity not in named}
    return [Mention(m.start + sent.start, m.end + sent.start, m.text, m.entity, sent.index,
                    m.kind)
            for m in local if m.kind in _RESOLVED and (m.start, m.end) in spans]


def _possessive(text: str, mentions: list[Mention]) -> bool:
    """Whether a mention ends right before an apostrophe ("Russia's"): a possessor locator
    finds nothing otherwise (the gap after its mention opens with one, _POSSESSOR_GAP)."""
    for m in mentions:
        if text[m.end:m.end + 1] in _APOSTROPHES:
            return True
    return False
