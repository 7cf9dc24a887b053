"""Phrase patterns shared by more than one part of the relation extractor (each part keeps its
own beside the code that uses them)."""

from __future__ import annotations

import re

from entente.graph.regex_analysis import accelerated
from entente.graph.ruleset import AUXILIARY_WORDS

#: between a subject and its trigger, a bare infinitive marker: "Russia wants China to
#: recognize X", "urged China not to support Y", "... to stop supporting Y" (the subject of
#: an embedded infinitive: wished for or asked, not stated)
_INFINITIVE_GAP = re.compile(r"\s+(?:not\s+)?to\s+(?:\w+ly\s+)?"
                             r"(?:(?:stop|cease|halt|quit|end|keep|continue|start|begin)\s+)?")
_POSSESSIVE_S = re.compile(r"^[’']s?\s")
#: a coordinator and what may stand between it and a coordinated verb: adverbs, a negation,
#: auxiliaries (group "aux": the verb phrase's own tense) ("Russia invaded Ukraine and later
#: annexed Crimea", "... but has not")
_ADVERBS = r"(?:also|then|still|later|even|soon|\w+ly|not|never)\s+"
_AUXILIARIES = rf"\b(?:{'|'.join(AUXILIARY_WORDS)}|shall|\w+n[’']t)\b"
_COORDINATED = (rf"\b(?:and|but|or|nor)\s+(?:{_ADVERBS})*(?P<aux>(?:{_AUXILIARIES}\s+"
                rf"(?:{_ADVERBS})*)*)")
_AND_END = accelerated(re.compile(_COORDINATED + "$", re.I))
#: ... or a coordinated verb that takes the act as its complement: it refuses the act
#: ("Beijing has called for peace talks but has refused to condemn Moscow": negated by the
#: cue) or goes on with it ("... a neutral mediator but continues to support Russia"); the
#: act's subject opens the sentence
_CATENATIVE = (r"(?:(?:refus|declin|fail)(?:e|es|ed|ing|s)?\s+to"
               r"|(?:refrain|abstain)(?:s|ed)?\s+from|stopped\s+short\s+of"
               r"|continu(?:e|es|ed)\s+to)\s+(?:\w+ly\s+)?")
_AND_CATENATIVE_END = accelerated(re.compile(_COORDINATED + _CATENATIVE + "$", re.I))
#: a relative clause set off by dashes, or by commas up to the next comma or dash
_RELATIVE_ASIDE = re.compile(r"[—–]\s*(?:which|who|whose|where)\b[^—–]*[—–]"
                             r"|,\s*(?:which|who|whose|where)\b[^,;:—–]*(?=[,—–])")
_ING_WORD = re.compile(r"\w+ing\b")  # (a trigger's first word in -ing)
#: (_group) "X and (, since 2024,) of the Y": the preposition before X repeated
_REPEATED_PREPOSITION = re.compile(
    r"\s*,?\s*(?:and|or)\s*(?:(?P<aside>,\s*(?:since|from|in|until|as\s+of)\s+"
    r"(?:[A-Z][a-z]+\s+)?\d{4}\s*,)\s*|\s)(?P<prep>of|with|to|from)\s+(?:the\s+)?")
#: an elided verb phrase after another subject (``RelationExtractor._elided``): "..., and
#: so did Japan", "..., and neither has China", "While India condemned Russia, China did not."
_ELLIPSIS_AUX = r"(?:did|does|do|has|have|had|is|are|was|were|will|would)"
_RELATIVE_ASIDE_START = re.compile(r"[,—–]\s*(?:which|who|whose|where)\b")
#: an apposition with an indefinite article between commas ("Turkey, a NATO member, ..."),
#: one of the asides of ``defaults.aside`` (the one that dates only itself)
_APPOSITION = re.compile(r",\s+(?:a|an)\s[^,;]{0,100},")


_RESOLVED = frozenset({"anaphor", "singular"})  # Mention kinds of resolved anaphors
_YEAR_WORD = re.compile(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)")

#: a lower-case word, not a preposition or an article, before a possessor subject: a verb that
#: governs the event phrase ("condemned Russia's invasion"; _certainty, _fact_date)
_GOVERNED = re.compile(r"\b(?!(?:in|on|since|by|the|a|an)\b)(?![A-Z]|\d)[a-z]+\b")
