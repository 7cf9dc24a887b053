"""One rule applied to one sentence (:meth:`_RuleApplication._apply`): each trigger match
(:meth:`_RuleApplication._match`), its clause, its subject and object, the checks that drop a
match that is not a statement of the fact (wished for, blocked, attempted ...), and the
assertion. Its polarity and certainty are worked out in ``polarity``, its time in ``dates``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial

from entente.graph import cues, date_cues
from entente.graph.model import Assertion, Mention, MintedActor
from entente.graph.relations.context import _Ctx, _key, _Types
from entente.graph.relations.dates import _status_and_until
from entente.graph.relations.events import _act_years
from entente.graph.relations.patterns import _YEAR_WORD
from entente.graph.relations.polarity import _mood
from entente.graph.relations.predicates import _asked_to_act, _listed_dates, _of_another_year
from entente.graph.ruleset import Rule

from entente.config import ONTOLOGY_NS

#: a plural noun for the agents of an -ing trigger right after it: "sanctions Chinese firms
#: supporting Russia" (the firms support Russia, not the sanctioning state)
_GROUP_NOUN_END = re.compile(
    r"\b(?:firms|companies|entities|groups|individuals|refiners|networks|banks|people|those|"
    r"officials|businesses|traders|vessels|tankers|suppliers|intermediaries|others)\s+$", re.I)
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
#: a quantifier before an organization's name and a member noun after it: some of its
#: members ("Some EU members", "several NATO allies", "two SCO member states")
_SOME_MEMBERS = re.compile(r"\b(?:some|several|many|most|few|a\s+few|a\s+number\s+of|"
                           r"a\s+handful\s+of|half\s+of\s+the|other|individual|certain|two|"
                           r"three|four|five|six|seven|eight|nine|ten|\d+)\s+(?:of\s+the\s+)?$",
                           re.I)
_MEMBER_NOUN = re.compile(r"\s+(?:members?|member\s+(?:states|countries|nations)|allies|"
                          r"countries|states|nations|partners|governments)\b")
_NAMED_LATER = frozenset({"Resolution", "ResolutionVote", "Agreement", "Event", "Annexation",
                          "Sanction"})


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
                yield from self._match(rule, ctx, types, minted, cs, ce, ts, te)

    def _match(self, rule: Rule, ctx: _Ctx, types: _Types, minted: list[MintedActor],
               cs: int, ce: int, ts: int, te: int) -> Iterator[Assertion]:
        """The assertions of the trigger match text[ts:te] in its clause text[cs:ce]."""
        text = ctx.sent.text
        first_obj: list[Mention] = []
        if rule.object is not None and rule.object.side == "possessor":
            first_obj = self._locate(rule.object, rule, ctx, cs, ce, ts, te, types)
            if not first_obj:
                return
        subjects = self._subjects(rule, ctx, types, cs, ce, ts, te, first_obj)
        if not subjects or self._not_stated(rule, ctx, cs, ts, te, subjects):
            return
        found = self._targets(rule, ctx, types, minted, cs, ce, ts, te, subjects, first_obj)
        if found is None:
            return
        objects, partners, pairs = found
        w = self._cue_window(rule, text, cs, ts, te, subjects, objects)
        neg, neither, plan_off = self._negation(rule, ctx, cs, ce, ts, te, subjects, objects, w)
        cert, app = self._certainty(rule, text, ts, te, subjects, objects, w)
        mood = _mood(text, cs, ts, te, subjects, neg, cert, plan_off)
        if mood is None:
            return
        neg, cert = mood
        used = {s.entity for s in (*subjects, *partners)} | {t for _, t in pairs}
        quals = self._qualifiers(rule, ctx, (cs, ce), (ts, te), used, types)
        date = self._fact_date(rule, ctx, cs, ce, ts, te, subjects, objects, w, app)
        held = _status_and_until(rule, ctx, te, ts, ce, neg, neither, date)
        if held is None:
            return
        neg, date = held
        if neg and rule.affirmed_only:
            return  # "China has not exported chips to Russia": not their trade
        speaker = () if rule.narrator else ctx.speaker
        if speaker:
            speaker = self._speaker_in_part(speaker, ctx.mentions, text, ts)
        unnamed = not speaker and not rule.narrator and cues.unnamed_before(self.cues, text, ts)
        dates = _listed_dates(text, objects, date, ctx.year) if len(objects) > 1 else {}
        # "China supports Russia but not Iran": Iran's support is denied
        excepted = self._but_not(rule, ctx, te, subjects, objects, pairs, types) \
            if not neg and "not" in text[te:] else []
        for (subj, obj), negated in (*((p, neg) for p in pairs),
                                     *((p, True) for p in excepted)):
            when = dates.get(obj, date)
            yield Assertion(
                subject=subj.entity, predicate=ONTOLOGY_NS + rule.property, object=obj,
                sentence=ctx.sent.index, rule=rule.id, negated=negated,
                certainty=cert, attributed_to=speaker, unnamed_source=unnamed, date=when,
                since=when is not None and "ince" in text
                and date_cues.dated_since(text, when, ctx.year), **quals,
            )

    def _subjects(self, rule: Rule, ctx: _Ctx, types: _Types, cs: int, ce: int, ts: int,
                  te: int, first_obj: list[Mention]) -> list[Mention]:
        """The match's subjects (none: the match asserts nothing); ``first_obj``: a possessor
        object, found first."""
        text = ctx.sent.text
        subjects = self._locate(rule.subject, rule, ctx, cs, ce, ts, te, types,
                                exclude={_key(o) for o in first_obj})
        if not subjects and rule.subject.side == "before":
            subjects = self._relative_antecedent(rule, ctx, ts, types) \
                or self._sentence_subject(rule, ctx, cs, ts, types) \
                or self._opening_phrase_subject(rule, ctx, cs, ce, ts, te, types) \
                or self._included_subjects(rule, ctx, cs, ts, types)
        if not subjects:
            return []
        if subjects[-1].end < ts and rule.subject.side == "before" \
                and _AS_GAP.match(text, subjects[-1].end, ts) is not None:
            verb = _DISPLACED.search(text, max(cs, subjects[0].start - 40), subjects[0].start)
            if verb is not None:  # "China overtook the US as Russia's ... partner":
                subjects = self._locate(  # the US is displaced, China the subject
                    rule.subject, rule, ctx, cs, ce, verb.start(), verb.start(), types,
                    exclude={_key(o) for o in first_obj})
                if not subjects:
                    return []
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
                return []
        if rule.subject.side == "before" and subjects[-1].end < ts:
            subjects = self._with_added(rule, ctx, subjects, ts, types)
        return subjects

    def _not_stated(self, rule: Rule, ctx: _Ctx, cs: int, ts: int, te: int,
                    subjects: list[Mention]) -> bool:
        """Whether the subjects' match is not a statement of the fact: wished for, asked,
        perceived, described, blocked, attempted, opposed."""
        text = ctx.sent.text
        if _asked_to_act(text, cs, subjects[0].start, subjects[-1].end, ts, ctx.mentions):
            return True  # "Russia wants China to recognize X": wished for, not stated
        if subjects[0].start > ts and self._wished_of_object(ctx, cs, ts):
            return True  # "The US pressured India to stop buying Russian oil"
        if subjects[-1].end < ts and rule.symmetric \
                and _AS_GAP.fullmatch(text, subjects[-1].end, ts) is not None \
                and _PERCEIVED.search(text, max(cs, subjects[0].start - 30),
                                      subjects[0].start):
            return True  # "Washington sees China and Russia as rivals": its rivals
        if self.described is not None and text.endswith("ing", ts, te) \
                and self.described.search(text, max(0, ts - 16), ts) and (
                    not self.described_by.fullmatch(text, subjects[-1].end, ts)
                    or self.defeated_before.search(
                        text, max(0, subjects[0].start - 40), subjects[0].start)) \
                and not self.issued_statement.fullmatch(text, subjects[-1].end, ts):
            return True  # "any resolution condemning Russia": the resolution's content;
            # "vetoed a UN Security Council resolution condemning X": not the body's
            # (but "China and Russia issued a joint statement opposing X": theirs)
        if subjects[-1].end < ts and _BLOCKED_GAP.fullmatch(text, subjects[-1].end, ts) \
                and self.blocked_before.search(
                    text, max(0, subjects[0].start - 40), subjects[0].start):
            return True  # "Hungary blocked EU sanctions on Russia": stopped, not taken
        if rule.achieved and subjects[-1].end < ts \
                and self.intent_gap.search(text, subjects[-1].end, ts):
            return True  # "Iran applied to join the SCO": an attempt, not the act
        if subjects[-1].end < ts and rule.property != "opposes" \
                and self.opposed_gap.search(text, subjects[-1].end, ts):
            return True  # "Hungary opposed aid to Ukraine": not Hungary's aid
        if subjects[-1].end < ts and self.request_gap.search(text, subjects[-1].end, ts):
            return True  # "US pressure to condemn Russia": asked of another
        if subjects[-1].end < ts and text.endswith("ing", ts, te) \
                and _GROUP_NOUN_END.search(text, max(subjects[-1].end, ts - 30), ts):
            return True  # "US sanctions Chinese firms supporting Russia": the firms
        # "Armenia and Azerbaijan's relationship remains hostile"
        return rule.object is None and rule.unless_after is not None \
            and rule.unless_after.match(text, te) is not None

    def _targets(self, rule: Rule, ctx: _Ctx, types: _Types, minted: list[MintedActor],
                 cs: int, ce: int, ts: int, te: int, subjects: list[Mention],
                 first_obj: list[Mention],
                 ) -> tuple[list[Mention], list[Mention], list[tuple[Mention, str]]] | None:
        """(objects, partners, (subject, object IRI) pairs) of the match; None when it
        asserts no pair."""
        text = ctx.sent.text
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
                return None  # "India wants to buy S-400s from Russia": the buyer's wish
            if objects and rule.unless_after is not None \
                    and rule.unless_after.match(text, objects[-1].end):
                return None  # "joined the Arctic Council as an observer"
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
                return None  # "Russia and China support Serbia and Pakistan respectively":
                # pairs the text does not say which of
            pairs = [(s, t) for s in (*subjects, *partners) for t in targets
                     if s.entity != t]
        if not pairs and rule.symmetric and len(subjects) >= 2:
            pairs = [(a, b.entity) for i, a in enumerate(subjects)
                     for b in subjects[i + 1:] if a.entity != b.entity]
        if not pairs:
            return None
        return objects, partners, pairs
