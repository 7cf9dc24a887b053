"""One rule applied to one sentence (:meth:`_RuleApplication._apply`): each trigger match, its
clause, its subject and object, the checks that drop a match that is not a statement of the
fact (wished for, blocked, attempted, counterfactual ...), and the assertion with its polarity,
certainty, attribution and time."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial

from entente.graph import cues, date_cues
from entente.graph.model import Assertion, Mention, MintedActor
from entente.graph.regex_analysis import accelerated
from entente.graph.relations.arguments import _apposition_span
from entente.graph.relations.context import _Ctx, _key, _Types
from entente.graph.relations.events import _act_years
from entente.graph.relations.patterns import _INFINITIVE_GAP, _RELATIVE_ASIDE, _YEAR_WORD
from entente.graph.relations.predicates import (
    _asked_to_act,
    _counterfactual,
    _denied_before,
    _listed_dates,
    _of_another_year,
    _own_verb_phrase,
    _relative_holding,
)
from entente.graph.ruleset import Rule

from entente.config import ONTOLOGY_NS

#: reported speech before a subject ("Vucic said (that) Serbia would ..."), and the "would"
#: between the subject and its trigger
_REPORTED_BEFORE = re.compile(
    r"\b(?:(?:said|says|added|adds|announced|stated|promised|pledged|vowed|insisted|confirmed|"
    r"declared)\s+|(?:told|assured)\s+(?:[A-Z][\w-]*\s+){1,3})"
    # (a time or an occasion between: "Putin said on Tuesday (in a speech) that Russia would")
    r"(?:(?:on|in|at|during|last|this|earlier|later|yesterday|today)\b[\w ]{0,20}?\s+)?"
    r"(?:that\s+)?(?:the\s+)?$")
_WOULD_GAP = re.compile(r"\s+would\s+(?:[\w-]+\s+){0,3}")
#: ... or reported by an inverted speech verb after the clause: "China would never sell
#: weapons to Russia, Wang Yi insisted" (his "will never")
_REPORTED_AFTER = re.compile(
    r",\s*(?:(?:[A-Z][\w.’'-]*|of|the)\s+){1,5}(?:said|says|added|adds|announced|stated|"
    r"promised|pledged|vowed|insisted|insists|confirmed|declared|told\s+\w+|stressed)\s*[.!]?$")
_THAT_END = accelerated(re.compile(r"\bthat\s*$"))
_NOT_BEFORE = re.compile(r"\bnot\s+$", re.I)
#: a bare modal or a condition (blanked when it is a governing verb's, not its object's)
_BARE_MODAL = re.compile(r"\b(?:may|might|could|would|should|can|will|if|unless|whether)\b",
                         re.I)
#: the estimative adverbs that hedge their own verb (_GOVERNING_ADVERB, _NEXT_CLAUSE)
_HEDGE_ADVERB = (r"(?:perhaps|probably|possibly|apparently|presumably|reportedly|allegedly|"
                 r"almost\s+certainly)")
#: an estimative adverb of a verb before a possessor subject ("probably will not recognize
#: Russia's annexation"; not right before the possessor: "and perhaps Russia's invasion ...")
_GOVERNING_ADVERB = re.compile(rf"\b(?i:{_HEDGE_ADVERB}|(?:most|very|highly)\s+likely)"
                               r"\b(?=\s+[a-z])(?!\s+that\b)")
_GOVERNED = re.compile(r"\b(?!(?:in|on|since|by|the|a|an)\b)(?![A-Z]|\d)[a-z]+\b")
#: a phrase of the same time right before a possessor subject ("during Putin's visit")
_AT_THE_TIME_OF = re.compile(r"\b(?:during|amid|amidst|throughout|on\s+the\s+occasion\s+of)\s+$",
                             re.I)
#: a plural noun for the agents of an -ing trigger right after it: "sanctions Chinese firms
#: supporting Russia" (the firms support Russia, not the sanctioning state)
_GROUP_NOUN_END = re.compile(
    r"\b(?:firms|companies|entities|groups|individuals|refiners|networks|banks|people|those|"
    r"officials|businesses|traders|vessels|tankers|suppliers|intermediaries|others)\s+$", re.I)
#: "neither" right before a subject ("Neither China nor India has ..."), or in the gap before
#: an object ("recognized neither Kosovo nor Taiwan"): every member of the coordination is
#: negated, though the word is outside the subject-to-trigger window
# ("No EU member recognizes", "the lack of Chinese investment in Russia")
_NEITHER = re.compile(r"\b(?:neither|no|not\s+(?:a\s+single|one(?:\s+of\s+the)?)|lack\s+of|"
                      r"absence\s+of)\s+(?:the\s+)?$", re.I)
_NEITHER_WORD = re.compile(r"\bneither\b", re.I)
#: a subject excepted from a quantified group right before it: "All EU members except
#: Hungary condemned Russia", "every SCO member but India signed" (Hungary, India did not)
_EXCEPTED = re.compile(r"\b(?:all|every|each|everyone|everybody|any)\b[^.;:!?]{0,60}?"
                       r"(?:,?\s+(?:except(?:\s+for)?|apart\s+from|aside\s+from|other\s+than|"
                       r"save(?:\s+for)?|excluding|besides|bar|with\s+the\s+exception\s+of)|(?<!,)\s+but)"
                       r"\s+(?:the\s+)?$", re.I)
#: between a subject and its trigger after a verb that blocks it: a possessive and up to two
#: lower-case words ("Hungary blocked the EU's new sanctions package against Russia")
_BLOCKED_GAP = re.compile(r"\s*(?:[’']s)?(?:\s+[a-z0-9][\w-]*){0,2}\s*")
#: a state's land after its demonym: "the invasion of Ukrainian territory" is Ukraine's (an
#: annexation of it is of a part, minted: "Russia's annexation of Ukrainian territory")
_TERRITORY_AFTER = re.compile(r"\s+(?:territory|territories|soil|land|lands|airspace)\b")
#: a perception verb before names "as" a relation: "Washington sees China and Russia as
#: rivals" (the perceiver's rivals, not each other's)
_PERCEIVED = re.compile(r"\b(?:sees?|saw|seen|views?|viewed|regards?|regarded|considers?|"
                        r"considered|treats?|treated|describes?|described|labell?ed|brands?|"
                        r"branded)\s+(?:both\s+)?$", re.I)
#: "China overtook the US as Russia's top trading partner": the name between a verb of
#: displacement and "as" is the one displaced, and the relation is its successor's (the
#: subject before the verb). _AS_GAP opens the gap after the name; _DISPLACED ends right
#: before it
_AS_GAP = re.compile(r",?\s+as\s")
_DISPLACED = re.compile(
    r"\b(?:overt(?:ook|akes?|aken|aking)|surpass(?:es|ed|ing)?|replac(?:es|ed|ing|e)"
    r"|displac(?:es|ed|ing|e)|supplant(?:s|ed|ing)?|outstrip(?:s|ped|ping)?"
    r"|outpac(?:es|ed|ing|e)|eclips(?:es|ed|ing|e)|unseat(?:s|ed|ing)?|oust(?:s|ed|ing)?"
    r"|edg(?:es|ed|ing|e)\s+out|pushe[sd]\s+out|push(?:ing)?\s+out)\s+(?:the\s+)?$", re.I)
#: nothing after an intransitive trigger in its clause ("China abstained.", "..., while
#: China abstained", "India abstained too, as did Brazil")
_NOTHING_AFTER = re.compile(r"(?:\s+(?:too|also|again|as\s+well))?\s*(?:[.;:!?)]|$|,\s*(?:while|"
                            r"whereas|and|but|as|with|which|who|even|despite)\b)", re.I)
#: a heading's label before its text ("Explainer: ", "Analysis - ")
_HEADING_LABEL = re.compile(r"^\W*[A-Z][\w&]*(?:\s+[A-Z][\w&]*)?\s*(?::|\s[-–—])\s*")
#: a yes/no question: an auxiliary opens the sentence and "?" ends it ("Will China support
#: Russia?"); a wh-question presupposes its content ("Why did China support Russia?")
_YES_NO_QUESTION = re.compile(r"(?:[A-Z][\w&]*:\s*)?"  # (a heading label: "Explainer: ")
                              r"\W*(?:will|would|does|do|did|is|are|was|were|can|could|should|"
                              r"has|have|had|may|might|must|shall)\b.*\?\W*$", re.I | re.S)
#: a question asked without inverting ("Kazakhstan left the CSTO?"): after the trigger, the
#: fact's clause runs to the "?" that ends the sentence, and no wh-word opens it
_CLAUSE_ENDS_ASKING = re.compile(r"[^,;:.!?—–()]*\?\W*$")
_WH_OPENING = re.compile(r"\W*(?:what|why|how|when|where|who|whom|whose|which)\b", re.I)
#: a quantifier before an organization's name and a member noun after it: some of its
#: members ("Some EU members", "several NATO allies", "two SCO member states")
_SOME_MEMBERS = re.compile(r"\b(?:some|several|many|most|few|a\s+few|a\s+number\s+of|"
                           r"a\s+handful\s+of|half\s+of\s+the|other|individual|certain|two|"
                           r"three|four|five|six|seven|eight|nine|ten|\d+)\s+(?:of\s+the\s+)?$",
                           re.I)
_MEMBER_NOUN = re.compile(r"\s+(?:members?|member\s+(?:states|countries|nations)|allies|"
                          r"countries|states|nations|partners|governments)\b")
#: after a relation's trigger and objects, where its cue clause ends: another clause with a
#: subject of its own, a coordinated verb with a modal, or a hedged motive
_NEXT_CLAUSE = re.compile(
    rf",?\s+(?:and|but|while|whereas)\s+(?:{_HEDGE_ADVERB}\s+)?(?:the\s+)?"
    r"(?=[A-Z]|(?:it|they|this|that)\b)"
    r"|,?\s+(?:and|but)\s+(?:(?:also|then|\w+ly)\s+)?(?=(?:may|might|could|would|will|can|"
    r"should|must)\b|(?:is|are|was|were|seems?|remains?)\s+(?:\w+\s+)?(?:un)?likely\b"
    rf"|{_HEDGE_ADVERB}\s+[a-z])"
    r"|,\s+(?:possibly|perhaps|probably|likely|apparently|presumably)\s+(?=(?:to|because|in\s+"
    r"response|out\s+of|due\s+to|as\s+a)\b)")
#: after a relation's objects, a clause with a subject of its own
_NEW_SUBJECT_AFTER = re.compile(r",[\d¹²³⁴⁵⁶⁷⁸⁹⁰]{0,3}\s+(?:and|but|while|whereas)\s+"
                                r"(?=(?:the\s+)?[A-Z])")
#: ", and" (or ", but") opening a clause with a subject of its own, up to that subject
_JOINED_CLAUSE = re.compile(r",\s+(?:and|but)\s+(?:(?:in|on|by|since)\s+[^,]{1,30}?\s+|"
                            r"(?:then|later|also|now)\s+)?(?:the\s+)?$")
_NAMED_LATER = frozenset({"Resolution", "ResolutionVote", "Agreement", "Event", "Annexation",
                          "Sanction"})
_UNTIL = re.compile(r"\b(?:until|till)\b", re.I)
#: (memberships and affiliations) a status not yet or no longer held, right before the
#: trigger or in it: "an aspiring NATO member" (group 1), "a former CSTO member"
_STATUSES = frozenset({"memberOf", "affiliatedWith"})
_STATUS_WORD = re.compile(r"\b(?:(aspiring|prospective|future|would-be|candidate|potential|"
                          r"hopeful)|former|ex-|onetime|one-time|erstwhile|(?:was|were)\s+once|"
                          r"used\s+to\s+be)\b", re.I)


class _RuleApplication:
    """The rule loop's body, a part of :class:`~entente.graph.relations.RelationExtractor`
    (it reads the compiled rules and gates its constructor sets up, and calls the other
    parts' methods)."""

    def _apply(self, rule: Rule, ctx: _Ctx, types: _Types, minted: list[MintedActor],
               first: int = 0) -> Iterator[Assertion]:
        """The rule's assertions in the sentence; ``first``: no trigger matches before it
        (where the alternation of the triggers matched first: the scans start there)."""
        text = ctx.sent.text
        requires = self._requires[rule.id]
        lowered = ctx.lowered
        for pattern, needs in self._triggers[rule.id]:
            if needs is not None and lowered is not None:
                for w in needs:
                    if w in lowered:
                        break
                else:
                    continue  # (one substring test instead of a scan of the sentence)
            for m in pattern.finditer(text, first):
                ts, te = m.start(), m.end()
                cs, ce = self._clause(text, ts, te)
                if requires is not None and not requires.search(text, cs, ce):
                    continue
                first_obj: list[Mention] = []
                if rule.object is not None and rule.object.side == "possessor":
                    first_obj = self._locate(rule.object, rule, ctx, cs, ce, ts, te, types)
                    if not first_obj:
                        continue
                subjects = self._locate(rule.subject, rule, ctx, cs, ce, ts, te, types,
                                        exclude={_key(o) for o in first_obj})
                if not subjects and rule.subject.side == "before":
                    subjects = self._relative_antecedent(rule, ctx, ts, types) \
                        or self._sentence_subject(rule, ctx, cs, ts, types) \
                        or self._opening_phrase_subject(rule, ctx, cs, ce, ts, te, types) \
                        or self._included_subjects(rule, ctx, cs, ts, types)
                if not subjects:
                    continue
                if subjects[-1].end < ts and rule.subject.side == "before" \
                        and _AS_GAP.match(text, subjects[-1].end, ts) is not None:
                    verb = _DISPLACED.search(text, max(cs, subjects[0].start - 40),
                                             subjects[0].start)
                    if verb is not None:  # "China overtook the US as Russia's ... partner":
                        subjects = self._locate(  # the US is displaced, China the subject
                            rule.subject, rule, ctx, cs, ce, verb.start(), verb.start(), types,
                            exclude={_key(o) for o in first_obj})
                        if not subjects:
                            continue
                if any(_MEMBER_NOUN.match(text, m.end)
                       and _SOME_MEMBERS.search(text, max(0, m.start - 24), m.start)
                       for m in subjects):
                    # "Some EU members, for example Hungary and Slovakia, oppose X": some
                    # members, not the organization
                    subjects = [m for m in subjects
                                if not (_SOME_MEMBERS.search(text, max(0, m.start - 24), m.start)
                                        and _MEMBER_NOUN.match(text, m.end))]
                    if not subjects and rule.subject.side == "before":
                        # (the members named as examples act: "..., for example Hungary, ...")
                        subjects = self._included_subjects(rule, ctx, cs, ts, types)
                    if not subjects:
                        continue
                if rule.subject.side == "before" and subjects[-1].end < ts:
                    subjects = self._with_added(rule, ctx, subjects, ts, types)
                if _asked_to_act(text, cs, subjects[0].start, subjects[-1].end, ts,
                                 ctx.mentions):
                    continue  # "Russia wants China to recognize X": wished for, not stated
                if subjects[0].start > ts and self._wished_of_object(ctx, cs, ts):
                    continue  # "The US pressured India to stop buying Russian oil"
                if subjects[-1].end < ts and rule.symmetric \
                        and _AS_GAP.fullmatch(text, subjects[-1].end, ts) is not None \
                        and _PERCEIVED.search(text, max(cs, subjects[0].start - 30),
                                              subjects[0].start):
                    continue  # "Washington sees China and Russia as rivals": its rivals
                if self.described is not None and text.endswith("ing", ts, te) \
                        and self.described.search(text, max(0, ts - 16), ts) and (
                            not self.described_by.fullmatch(text, subjects[-1].end, ts)
                            or self.defeated_before.search(
                                text, max(0, subjects[0].start - 40), subjects[0].start)) \
                        and not self.issued_statement.fullmatch(text, subjects[-1].end, ts):
                    continue  # "any resolution condemning Russia": the resolution's content;
                    # "vetoed a UN Security Council resolution condemning X": not the body's
                    # (but "China and Russia issued a joint statement opposing X": theirs)
                if subjects[-1].end < ts and _BLOCKED_GAP.fullmatch(text, subjects[-1].end, ts) \
                        and self.blocked_before.search(
                            text, max(0, subjects[0].start - 40), subjects[0].start):
                    continue  # "Hungary blocked EU sanctions on Russia": stopped, not taken
                if rule.achieved and subjects[-1].end < ts \
                        and self.intent_gap.search(text, subjects[-1].end, ts):
                    continue  # "Iran applied to join the SCO": an attempt, not the act
                if subjects[-1].end < ts and rule.property != "opposes" \
                        and self.opposed_gap.search(text, subjects[-1].end, ts):
                    continue  # "Hungary opposed aid to Ukraine": not Hungary's aid
                if subjects[-1].end < ts and self.request_gap.search(text, subjects[-1].end, ts):
                    continue  # "US pressure to condemn Russia": asked of another
                if subjects[-1].end < ts and text.endswith("ing", ts, te) \
                        and _GROUP_NOUN_END.search(text, max(subjects[-1].end, ts - 30), ts):
                    continue  # "US sanctions Chinese firms supporting Russia": the firms
                if rule.object is None and rule.unless_after is not None \
                        and rule.unless_after.match(text, te):
                    continue  # "Armenia and Azerbaijan's relationship remains hostile"
                pairs: list[tuple[Mention, str]] = []
                objects: list[Mention] = []
                # the parties named after "with" ("Russia signed a trade agreement with
                # China"): signers too
                partners = self._partners(rule, ctx, te, ce, types, {_key(s) for s in subjects}) \
                    if rule.mint is not None and rule.mint.get("parties") else []
                if rule.object is not None:
                    objects = first_obj or self._locate(
                        rule.object, rule, ctx, cs, ce, ts, te, types,
                        exclude={_key(s) for s in subjects})
                    if not objects and rule.object.side == "before" and subjects[0].start > ts:
                        objects = [o for o in self._relative_antecedent(
                            rule, ctx, ts, types, rule.object) if o not in subjects]
                        if not objects and not rule.passive:  # (the clause's own subject)
                            objects = [o for o in self._sentence_subject(
                                rule, ctx, cs, ts, types, rule.object) if o not in subjects]
                    if objects and rule.property in ("recognizes", "invades", "annexes") \
                            and any(o.text in self.demonyms for o in objects):
                        # "has not recognized any Russian annexation": a state is recognized by
                        # its name, never by its adjective (the annexation is minted instead)
                        objects = [o for o in objects if o.text not in self.demonyms
                                   or rule.property == "invades"
                                   and _TERRITORY_AFTER.match(text, o.end)]
                    if rule.achieved and objects and objects[-1].end < ts \
                            and subjects[0].start > ts \
                            and self.intent_gap.search(text, objects[-1].end, ts):
                        continue  # "India wants to buy S-400s from Russia": the buyer's wish
                    if objects and rule.unless_after is not None \
                            and rule.unless_after.match(text, objects[-1].end):
                        continue  # "joined the Arctic Council as an observer"
                    if rule.same_year and any(_YEAR_WORD.search(o.entity) for o in objects):
                        years = _act_years(text, te, ce)
                        objects = [o for o in objects if not _of_another_year(o.entity, years)]
                    targets = [o.entity for o in objects]
                    if not targets and rule.mint:
                        # (the phrase after the trigger names it; or, with ``from_clause``, the
                        # clause's phrase that the trigger's noun heads: "A gas deal between
                        # Russia and China was signed in 2014")
                        event = self._mint(rule, ctx, text,
                                           cs if rule.mint.get("from_clause") else te, ce,
                                           minted, types,
                                           partial(self._date, ctx, cs, ce, ts),
                                           [m.entity for m in (*subjects, *partners)])
                        targets = [event] if event else []
                    if not targets and rule.mint and rule.mint.get("elliptic") \
                            and _NOTHING_AFTER.match(text, te) is not None:
                        # "China abstained.": on the resolution its paragraph named last
                        kind = rule.mint.get("type", "Resolution")
                        if ctx.event_paragraphs.get(kind) == ctx.sent.paragraph:
                            targets = [ctx.minted_events[kind]]
                    for target in targets:  # what a later "the resolution" refers to
                        for kind in types[target] & _NAMED_LATER:
                            ctx.name_event(kind, target)
                    if len(subjects) > 1 and len(targets) > 1 and "respectively" in text:
                        continue  # "Russia and China support Serbia and Pakistan respectively":
                        # pairs the text does not say which of
                    pairs = [(s, t) for s in (*subjects, *partners) for t in targets
                             if s.entity != t]
                if not pairs and rule.symmetric and len(subjects) >= 2:
                    pairs = [(a, b.entity) for i, a in enumerate(subjects)
                             for b in subjects[i + 1:] if a.entity != b.entity]
                if not pairs:
                    continue
                first = min(s.start for s in subjects)
                # the cue window opens after the arguments before the trigger (the subject, or
                # the buyer before "buys Russian oil": "Not surprisingly, China buys ...")
                # (a possessor object is inside the trigger's phrase: "Russia is not China's
                # strategic partner" is negated)
                placed = subjects if rule.object is not None \
                    and rule.object.side == "possessor" else (*subjects, *objects)
                before = [m.end for m in placed if m.end <= ts]
                window_start = max(cs, max(before)) if before and (
                    first < ts or _NEITHER.search(text, max(0, objects[0].start - 12),
                                                  objects[0].start) is None) else cs
                qs, qe = self._clause(text, ts, te, cue=True)
                # a clause with a subject of its own after ", and" ("Moscow almost certainly
                # sees NATO as a threat, and it supplies weapons to Syria"): its cues from there
                # (and its date from there on, below: found once for both; the match is the
                # last ", and" before the subject, if any)
                # (the clause opens with the first argument before the trigger: the buyer in
                # "..., and China will keep buying Russian oil")
                lead = min(subjects[0].start, objects[0].start) \
                    if objects and objects[0].end <= ts else subjects[0].start
                low = max(min(cs, qs), lead - 60)
                joined = _JOINED_CLAUSE.search(text, low, lead) \
                    if ", " in text[low:lead] else None
                if joined is not None and joined.start() >= qs:
                    qs = joined.start() + 1
                # ... and up to the next one, a coordinated verb with a modal of its own, or a
                # hedged motive ("Russia sells oil to China, and Iran may supply ...", "supports
                # Russia and may eventually supply ...", "invaded Ukraine, possibly to ...")
                after = max([te, *(o.end for o in objects if o.end > te)])
                if after < qe and (nxt := _NEXT_CLAUSE.search(text, after, qe)) is not None:
                    qe = nxt.start()
                # a coordinated verb with its own tense: its cues and date from its coordinator
                own = _own_verb_phrase(text, subjects[-1].end, ts, te) \
                    if subjects[-1].end < ts else None
                if own is not None:
                    window_start, qs = max(window_start, own), max(qs, own)
                if _THAT_END.search(text[:cs]):
                    window_start = min(window_start, qs)  # "no indication that X would ..."
                # the subject's relative clause (_after_relative_clause), when the clause holds
                # no subject
                rel = _RELATIVE_ASIDE.match(text, subjects[-1].end) \
                    if subjects[-1].end < cs else None
                if rel is not None and rel.end() <= ts:  # "X, which is not ..., joined Y"
                    window_start, qs = max(window_start, rel.end()), max(qs, rel.end())
                neither = _NEITHER.search(text, max(0, subjects[0].start - 20),
                                          subjects[0].start) is not None or (
                    # "Kremlin denies Putin met Zelensky", "Russia denies it invaded Ukraine"
                    _denied_before(text, subjects[0].start)) or (
                    # "All EU members except Hungary condemned Russia": Hungary did not
                    ctx.excepting and _EXCEPTED.search(text, max(cs, subjects[0].start - 80),
                                                       subjects[0].start) is not None) or (
                    # "Russia opposes not China but the United States"
                    bool(objects) and te <= objects[0].start
                    and _NOT_BEFORE.search(text, max(te, objects[0].start - 5),
                                           objects[0].start) is not None) or (
                    bool(objects) and te <= objects[0].start
                    and _NEITHER_WORD.search(text, te, objects[0].start) is not None)
                plan_off = self._plan_called_off(rule, text, objects, ts)
                neg = (neither or plan_off or cues.negated(self.cues, text, window_start,
                                                           ts if rule.negate else te)
                       or self._denied_after(rule, text, first, objects, ce)) != rule.negate
                app = _apposition_span(text, ts, te)
                if app is not None:  # "Turkey, a NATO member, may buy ...": the writer's
                    cert = cues.certainty(self.cues, text, app[0], ts, app[1])  # aside
                elif rule.narrator:
                    # the writer's aside ("X, a fellow at Y, said Z may ..."): hedged only
                    # inside its own phrase, not by the sentence it sits in
                    ends = [m.end for m in (*subjects, *objects)]
                    cert = cues.certainty(self.cues, text, min(first, *(
                        o.start for o in objects)), ts, max(te, *ends))
                elif rule.subject.side == "possessor" and objects \
                        and _GOVERNED.search(text, qs, subjects[0].start) is not None:
                    # an event named with its possessor, the object of another verb: its own
                    # phrase's hedges ("Russia's probable invasion"), and those before it but
                    # the governing verb's modals and adverbs ("China may expand its support
                    # for Russia's invasion", "Beijing probably will not recognize Russia's
                    # annexation": Asserted; "Wargame simulates China's invasion": Possible)
                    ends = [m.end for m in (*subjects, *objects)]
                    cert = cues.certainty(self.cues, text, first, ts, max(te, *ends))
                    if cert == "Asserted":
                        prefix = _BARE_MODAL.sub(lambda m: " " * len(m.group()),
                                                 text[:subjects[0].start])
                        prefix = _GOVERNING_ADVERB.sub(lambda m: " " * len(m.group()), prefix)
                        cert = cues.certainty(self.cues, prefix, qs, len(prefix))
                else:
                    cert = cues.certainty(self.cues, text, qs, ts, qe)
                if cert == "Possible" and subjects[-1].end < ts \
                        and "would" in text[subjects[-1].end:ts] \
                        and (would := _WOULD_GAP.fullmatch(text, subjects[-1].end, ts)) \
                        and (_REPORTED_BEFORE.search(text, max(0, subjects[0].start - 40),
                                                     subjects[0].start) is not None
                             or _REPORTED_AFTER.search(text, te) is not None):
                    # reported speech: "Vucic said Serbia would never recognize Kosovo" is
                    # his "will never", not a hedge (the clause's other hedges still count)
                    w = text.index("would", would.start())
                    cert = cues.certainty(self.cues, text[:w] + "     " + text[w + 5:], qs, ts,
                                          qe)
                counterfactual = _counterfactual(text, cs, subjects[0].start, subjects[-1].end,
                                                 ts) if subjects[-1].end <= ts else None
                if counterfactual == "consequence":
                    continue  # "If China had invaded Taiwan, Japan would have supported the US"
                if counterfactual == "condition":
                    neg, cert = not neg, "Asserted"  # "Had Russia not invaded Ukraine": it did
                elif cert == "Asserted" and "?" in text and (
                        _YES_NO_QUESTION.match(text) or (
                            _CLAUSE_ENDS_ASKING.match(text, te)
                            and not _WH_OPENING.match(_HEADING_LABEL.sub("", text[cs:])))):
                    cert = "Possible"  # "Will China support Russia?", "Kazakhstan left the
                    # CSTO?": asked, not asserted ("China backs Russia, but for how long?":
                    # the question is another clause's)
                elif cert == "Asserted" and subjects[-1].end < ts \
                        and _INFINITIVE_GAP.fullmatch(text, subjects[-1].end, ts) is not None \
                        and not _HEADING_LABEL.sub("", text[cs:subjects[0].start]).strip():
                    # a headline's "Saudi Arabia to join BRICS": set to, as "is set to"
                    # (docs/extraction.md), not done; "Venezuela to join BRICS?": asked
                    cert = "Possible" if "?" in text[te:] else "Likely"
                if plan_off:
                    cert = "Asserted"  # (called off: the plan's hedge no longer applies)
                used = {s.entity for s in (*subjects, *partners)} | {t for _, t in pairs}
                quals = self._qualifiers(rule, ctx, (cs, ce), (ts, te), used, types)
                if rule.passive and objects and objects[-1].end < cs:  # "Crimea, which was
                    rel = _RELATIVE_ASIDE.match(text, objects[-1].end)  # annexed ... in 2014"
                if rel is not None and ts < rel.end():  # "X, which joined Y in 2001, ...":
                    hit = date_cues.find_date(text[cs:rel.end()], ctx.year)  # the clause's own date
                    date = hit[2] if hit else None
                elif own is not None:  # "joined X in 2015 but has not recognized Y": undated;
                    # ("In 2014, Russia invaded X and annexed Y")
                    hit = date_cues.find_date(text[own:ce], ctx.year) \
                        or date_cues.find_date(text[:subjects[0].start], ctx.year)
                    date = hit[2] if hit else ctx.paragraph_dates[0] \
                        if len(ctx.paragraph_dates) == 1 else None
                elif (inner := _relative_holding(text, ts, te)) is not None:
                    # "In 2020, Turkey, which bought S-400s from Russia, was sanctioned": the
                    # purchase is dated by its own clause only
                    hit = date_cues.find_date(text[inner[0]:inner[1]], ctx.year)
                    date = hit[2] if hit else None
                elif app is not None:  # "Iran, a member of the SCO
                    hit = date_cues.find_date(text[app[0]:app[1]], ctx.year)
                    date = hit[2] if hit else None  # since 2023, ...": the aside's own date
                elif rule.subject.side == "possessor" and _GOVERNED.search(
                        text, cs, subjects[0].start) is not None \
                        and not _AT_THE_TIME_OF.search(text, cs, subjects[0].start):
                    date = None  # "Japan condemned Russia's invasion of Ukraine in March 2023":
                    # the date is the condemnation's, not the invasion's (but "signed deals
                    # during Putin's visit to Beijing in May 2024": the same time)
                else:
                    # a clause with a subject of its own after ", and" ("Turkey bought the
                    # S-400 in 2017, and the US sanctioned Turkey in December 2020"): its date
                    # is from there on (or the sentence's opening date)
                    # ... and up to the next clause with a subject of its own ("China supports
                    # Russia, and Iran joined the SCO in 2023": not the support's date)
                    nxt = _NEW_SUBJECT_AFTER.search(text, after, ce) if after < ce else None
                    dce = ce if nxt is None else nxt.start()
                    date = self._date(ctx, cs, dce, ts) if joined is None \
                        or joined.start() < cs \
                        else self._date(ctx, joined.start() + 1, dce, ts, floor=True)
                if neg and not rule.negate and not neither \
                        and (until := _UNTIL.search(text, te, ce)) is not None:
                    neg = False  # "Russia did not invade Ukraine until 2022": it did, then
                    hit = date_cues.find_date("in " + text[until.end():ce].lstrip(), ctx.year)  # (a
                    # start now: "until 2022" read as "in 2022", which a bare year needs)
                    date = hit[2] if hit else None
                elif not neg and not rule.negate and rule.property in _STATUSES \
                        and (until := _UNTIL.search(text, te, min(ce, te + 60))) is not None:
                    neg = True  # "Britain, an EU member until 2020": no longer, since then
                    hit = date_cues.find_date("in " + text[until.end():ce].lstrip(), ctx.year)
                    date = hit[2] if hit else None
                if rule.property in _STATUSES:
                    status = _STATUS_WORD.search(text, max(0, ts - 12), te)
                    if status is not None and status.group(1):
                        continue  # "Georgia, an aspiring NATO member": not yet one
                    if status is not None and not rule.negate:
                        neg = True  # "Uzbekistan, a former CSTO member", "Russia was once a
                        # member of the G8": no longer one
                if neg and rule.affirmed_only:
                    continue  # "China has not exported chips to Russia": not their trade
                speaker = () if rule.narrator else ctx.speaker
                if speaker:
                    speaker = self._speaker_in_part(speaker, ctx.mentions, text, ts)
                dates = _listed_dates(text, objects, date, ctx.year) if len(objects) > 1 \
                    else {}
                # "China supports Russia but not Iran": Iran's support is denied
                excepted = self._but_not(rule, ctx, te, subjects, objects, pairs, types) \
                    if not neg and "not" in text[te:] else []
                for (subj, obj), negated in (*((p, neg) for p in pairs),
                                             *((p, True) for p in excepted)):
                    when = dates.get(obj, date)
                    yield Assertion(
                        subject=subj.entity, predicate=ONTOLOGY_NS + rule.property, object=obj,
                        sentence=ctx.sent.index, rule=rule.id, negated=negated,
                        certainty=cert, attributed_to=speaker, date=when,
                        since=when is not None and "ince" in text
                        and date_cues.dated_since(text, when, ctx.year), **quals,
                    )

