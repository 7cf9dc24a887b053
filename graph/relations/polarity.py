"""A trigger match's polarity and certainty: where its cues are read
(:meth:`_Polarity._cue_window`), whether it is negated (:meth:`_Polarity._negation`), how sure
the text is of it (:meth:`_Polarity._certainty`), and what the sentence's form does to both: a
counterfactual, a question, a headline's "X to join Y" (:func:`_mood`)."""

from __future__ import annotations

import re

from entente.graph import cues
from entente.graph.model import Mention
from entente.graph.regex_analysis import accelerated
from entente.graph.relations.arguments import _apposition_span
from entente.graph.relations.context import _Ctx, _Window
from entente.graph.relations.patterns import _GOVERNED, _INFINITIVE_GAP, _RELATIVE_ASIDE
from entente.graph.relations.predicates import _counterfactual, _denied_before, _own_verb_phrase
from entente.graph.ruleset import Rule

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
#: ", and" (or ", but") opening a clause with a subject of its own, up to that subject
_JOINED_CLAUSE = re.compile(r",\s+(?:and|but)\s+(?:(?:in|on|by|since)\s+[^,]{1,30}?\s+|"
                            r"(?:then|later|also|now)\s+)?(?:the\s+)?$")


class _Polarity:
    """A match's cue window, negation and certainty, a part of
    :class:`~entente.graph.relations.RelationExtractor`."""

    def _cue_window(self, rule: Rule, text: str, cs: int, ts: int, te: int,
                    subjects: list[Mention], objects: list[Mention]) -> _Window:
        """Where the cues of the match text[ts:te] in the clause opening at ``cs`` are read."""
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
        # (and its date from there on, _fact_date: found once for both; the match is the
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
        return _Window(first, window_start, qs, qe, after, joined, own, rel)

    def _negation(self, rule: Rule, ctx: _Ctx, cs: int, ce: int, ts: int, te: int,
                  subjects: list[Mention], objects: list[Mention],
                  w: _Window) -> tuple[bool, bool, bool]:
        """(negated, negated by a word before the subject or object, a plan called off)."""
        text = ctx.sent.text
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
        neg = (neither or plan_off or cues.negated(self.cues, text, w.start,
                                                   ts if rule.negate else te)
               or self._denied_after(rule, text, w.first, objects, ce)) != rule.negate
        return neg, neither, plan_off

    def _certainty(self, rule: Rule, text: str, ts: int, te: int, subjects: list[Mention],
                   objects: list[Mention], w: _Window) -> tuple[str, tuple[int, int] | None]:
        """The match's certainty from its hedges, and the apposition that holds the trigger
        (if any: its aside has its own hedges and date)."""
        app = _apposition_span(text, ts, te)
        if app is not None:  # "Turkey, a NATO member, may buy ...": the writer's
            cert = cues.certainty(self.cues, text, app[0], ts, app[1])  # aside
        elif rule.narrator:
            # the writer's aside ("X, a fellow at Y, said Z may ..."): hedged only
            # inside its own phrase, not by the sentence it sits in
            ends = [m.end for m in (*subjects, *objects)]
            cert = cues.certainty(self.cues, text, min(w.first, *(
                o.start for o in objects)), ts, max(te, *ends))
        elif rule.subject.side == "possessor" and objects \
                and _GOVERNED.search(text, w.qs, subjects[0].start) is not None:
            # an event named with its possessor, the object of another verb: its own
            # phrase's hedges ("Russia's probable invasion"), and those before it but
            # the governing verb's modals and adverbs ("China may expand its support
            # for Russia's invasion", "Beijing probably will not recognize Russia's
            # annexation": Asserted; "Wargame simulates China's invasion": Possible)
            ends = [m.end for m in (*subjects, *objects)]
            cert = cues.certainty(self.cues, text, w.first, ts, max(te, *ends))
            if cert == "Asserted":
                prefix = _BARE_MODAL.sub(lambda m: " " * len(m.group()),
                                         text[:subjects[0].start])
                prefix = _GOVERNING_ADVERB.sub(lambda m: " " * len(m.group()), prefix)
                cert = cues.certainty(self.cues, prefix, w.qs, len(prefix))
        else:
            cert = cues.certainty(self.cues, text, w.qs, ts, w.qe)
        if cert == "Possible" and subjects[-1].end < ts \
                and "would" in text[subjects[-1].end:ts] \
                and (would := _WOULD_GAP.fullmatch(text, subjects[-1].end, ts)) \
                and (_REPORTED_BEFORE.search(text, max(0, subjects[0].start - 40),
                                             subjects[0].start) is not None
                     or _REPORTED_AFTER.search(text, te) is not None):
            # reported speech: "Vucic said Serbia would never recognize Kosovo" is
            # his "will never", not a hedge (the clause's other hedges still count)
            at = text.index("would", would.start())
            cert = cues.certainty(self.cues, text[:at] + "     " + text[at + 5:], w.qs, ts,
                                  w.qe)
        return cert, app


def _mood(text: str, cs: int, ts: int, te: int, subjects: list[Mention], neg: bool, cert: str,
          plan_off: bool) -> tuple[bool, str] | None:
    """(negated, certainty) after the sentence's form: a counterfactual, a question, a
    headline's bare infinitive, a plan called off; None for the consequence of a
    counterfactual (not a statement of the fact)."""
    counterfactual = _counterfactual(text, cs, subjects[0].start, subjects[-1].end,
                                     ts) if subjects[-1].end <= ts else None
    if counterfactual == "consequence":
        return None  # "If China had invaded Taiwan, Japan would have supported the US"
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
    return neg, cert
