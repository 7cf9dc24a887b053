"""Relation extraction driven by the declarative rules in ``graph/rules.yaml``.

For every sentence and every rule, each trigger match is a candidate.  The subject and object
are linked mentions found by the rule's argument locators (see docs/extraction.md):

* ``before``: the nearest mention before the trigger in its clause (plus the mentions conjoined
  with it: "China and Russia vetoed"), at most ``max_gap`` words away, the gap free of stop words;
* ``after``: the same after the trigger ("signed a Foundation Act with NATO");
* ``possessor``: a mention in the possessive right before the trigger ("Russia's invasion");
* ``after_by``: the agent of a passive trigger ("unrecognized by China");
* ``inside`` / ``around``: a mention inside the trigger, or the name the trigger is part of;
* ``symmetric: true``: a conjoined subject with no object gives every pair ("China and Russia
  cooperate").

The rule format is in ``graph/ruleset.py``, anaphora and title qualifiers in
``graph/discourse.py``.

Type constraints use the entity's kind (from its IRI: state, org, person, institution,
agreement, event, place) and its ontology classes in entities.ttl.  A rule may mint the object
event when the text names one without a reference entity ("vetoed a draft resolution").
Polarity, certainty, attribution and time come from ``graph/cues.py``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import cast

from entente.graph import cues
from entente.graph.bundled import bundled_graph
from entente.graph.discourse import Discourse
from entente.graph.linking import load_rules, read_entities, read_link_contexts, rules_bytes
from entente.graph.model import Assertion, Mention, MintedActor, Sentence, SourceDocument
from entente.graph.namespaces import slugify
from entente.graph.ruleset import (
    AUXILIARY_WORDS,
    CASE_TRAPS,
    JOINER,
    PREP_BEFORE,
    WORD,
    Arg,
    PrunedAlternation,
    Rule,
    accelerated,
    content,
    literal_prefixes,
    parse_rule,
    required_literals,
    unmask,
    words,
)

from entente.config import ONTOLOGY_NS
from entente.errors import EntenteError

__all__ = ["RelationExtractor", "Rule"]

_KINDS = {"state": "State", "org": "InternationalOrganization", "person": "Person",
          "institution": "Institution", "agreement": "Agreement", "event": "Event",
          "place": "Place"}
_PLACEHOLDER = "http://placeholder.invalid/"
_LOCATIVE = accelerated(re.compile(r"\b(?:in|across|throughout|on|around|within|over|into|to)\s+"
                                  r"(?:the\s+)?(?:[a-z-]+\s+)?$", re.I))
#: the first three characters of each word of three or more (findall gives them): the
#: rest of a word is taken in one step, not tested for a word boundary at each character
_WORD_HEAD = re.compile(r"(\w{3})\w*")
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
_HE_SAID = accelerated(re.compile(r"\b(?:[Hh]e|[Ss]he) (?:said|added|told)\b"))
_THAT_END = accelerated(re.compile(r"\bthat\s*$"))
#: "neither" right before a subject ("Neither China nor India has ..."), or in the gap before
#: an object ("recognized neither Kosovo nor Taiwan"): every member of the coordination is
#: negated, though the word is outside the subject-to-trigger window
_DENIED_BEFORE = re.compile(
    r"\b(?:den(?:y|ies|ied|ying)|refut\w*|rebut\w*|(?:dismiss|reject)\w*\s+(?:claims?|reports?|"
    r"allegations?|suggestions?)|(?:wrong|false|untrue|incorrect|misleading|a\s+myth|not\s+true)"
    r"(?:\s+to\s+(?:say|claim|suggest|argue|think|believe|conclude))?)\s+(?:that\s+)?$", re.I)
_NOT_BEFORE = re.compile(r"\bnot\s+$", re.I)
#: a verb (or any word but an opening date phrase) before a possessive event noun: the
#: event is the object of another act, which the clause's date belongs to
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
_JOINS = re.compile(r"\b(?:and|but|or)\b|,")
#: a phrase of the same time right before a possessor subject ("during Putin's visit")
_AT_THE_TIME_OF = re.compile(r"\b(?:during|amid|amidst|throughout|on\s+the\s+occasion\s+of)\s+$",
                             re.I)
#: a plural noun for the agents of an -ing trigger right after it: "sanctions Chinese firms
#: supporting Russia" (the firms support Russia, not the sanctioning state)
_GROUP_NOUN_END = re.compile(
    r"\b(?:firms|companies|entities|groups|individuals|refiners|networks|banks|people|those|"
    r"officials|businesses|traders|vessels|tankers|suppliers|intermediaries|others)\s+$", re.I)
_DENIAL_WORDS = ("den", "Den", "refut", "Refut", "rebut", "Rebut", "dismiss", "Dismiss",
                 "reject", "Reject", "wrong", "false", "untrue", "incorrect", "misleading",
                 "myth", "not true")  # (one of which a _DENIED_BEFORE match holds)
_DENIAL_WORD = re.compile("|".join(_DENIAL_WORDS))
_DENIAL_DENIED = re.compile(r"(?:\b(?:not|never|nobody|no\s+one|cannot)\b[^,;.]*|n[’']t\s+)$",
                            re.I)
# ("No EU member recognizes", "the lack of Chinese investment in Russia")
_NEITHER = re.compile(r"\b(?:neither|no|not\s+(?:a\s+single|one(?:\s+of\s+the)?)|lack\s+of|"
                      r"absence\s+of)\s+(?:the\s+)?$", re.I)
_NEITHER_WORD = re.compile(r"\bneither\b", re.I)
#: (one of these is in every _EXCEPTED match, in lower case)
_EXCEPTION_WORD = re.compile(r"except|but |bar |besides|apart|aside|other than|save |excluding")
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
#: a subject excepted from a quantified group right before it: "All EU members except
#: Hungary condemned Russia", "every SCO member but India signed" (Hungary, India did not)
_EXCEPTED = re.compile(r"\b(?:all|every|each|everyone|everybody|any)\b[^.;:!?]{0,60}?"
                       r"(?:,?\s+(?:except(?:\s+for)?|apart\s+from|aside\s+from|other\s+than|"
                       r"save(?:\s+for)?|excluding|besides|bar|with\s+the\s+exception\s+of)|(?<!,)\s+but)"
                       r"\s+(?:the\s+)?$", re.I)
#: between a subject and its trigger, a bare infinitive marker: "Russia wants China to
#: recognize X", "urged China not to support Y", "... to stop supporting Y" (the subject of
#: an embedded infinitive: wished for or asked, not stated)
_INFINITIVE_GAP = re.compile(r"\s+(?:not\s+)?to\s+(?:\w+ly\s+)?"
                             r"(?:(?:stop|cease|halt|quit|end|keep|continue|start|begin)\s+)?")
#: ... unless a forecast, not a wish: "Analysts expect Russia to invade Finland" (Likely by
#: its hedge pattern), "few analysts expect China to ..." (Unlikely); but a named actor's
#: expectation is a demand ("The US expects India to stop buying Russian oil": the name,
#: then only auxiliaries and adverbs, before the verb)
_FORECAST_BEFORE = re.compile(r"\b(?:expect(?:s|ed|ing)?|anticipat(?:e|es|ed|ing)|"
                              r"predict(?:s|ed|ing)?|forecast(?:s|ed|ing)?)\s+(?:the\s+)?$", re.I)
_EXPECTER_GAP = re.compile(r"\s+(?:(?:\w+ly|also|still|now|has|have|had|does|do|did|not|will|"
                           r"would)\s+)*")
#: (_opening_phrase_subject) a preposition opening the sentence before an -ing trigger
_ING_OPENING = re.compile(r"\W*(?:[Rr]ather\s+than|[Ii]nstead\s+of|[Ff]ar\s+from|[Ww]ithout|"
                          r"[Aa]fter|[Bb]efore|[Bb]esides|[Dd]espite|[Bb]y|[Ii]n\s+addition\s+to)"
                          r"\s+")
#: (_pronoun_possessor) the event nouns whose "its" is the nearest name before: not "war"
#: ("The US helped Ukraine in its war against Russia": Ukraine's war, but no invasion)
_PRONOUN_EVENT = re.compile(r"(?:invasion|incursion|annexation|occupation)\b", re.I)
#: between a subject and its trigger after a verb that blocks it: a possessive and up to two
#: lower-case words ("Hungary blocked the EU's new sanctions package against Russia")
_BLOCKED_GAP = re.compile(r"\s*(?:[’']s)?(?:\s+[a-z0-9][\w-]*){0,2}\s*")
#: a state's land after its demonym: "the invasion of Ukrainian territory" is Ukraine's (an
#: annexation of it is of a part, minted: "Russia's annexation of Ukrainian territory")
_TERRITORY_AFTER = re.compile(r"\s+(?:territory|territories|soil|land|lands|airspace)\b")
#: a definite article before a demonym and up to two words ("the full-scale Russian")
_DEFINITE_BEFORE = re.compile(r"\b[Tt]he\s+(?:(?!an?\b)[\w-]+\s+){0,2}$")
_POSSESSOR_GAP = re.compile(r"^[’']s?\s+(?:\S+\s+){0,2}$")
_HYPHEN = re.compile(r"[-‐–]")
#: a perception verb before names "as" a relation: "Washington sees China and Russia as
#: rivals" (the perceiver's rivals, not each other's)
_PERCEIVED = re.compile(r"\b(?:sees?|saw|seen|views?|viewed|regards?|regarded|considers?|"
                        r"considered|treats?|treated|describes?|described|labell?ed|brands?|"
                        r"branded)\s+(?:both\s+)?$", re.I)
#: after a hyphenated pair of names, a word that makes the pair a modifier of a thing: a
#: capitalised name ("the China-Pakistan Economic Corridor") or a project noun ("the
#: Kazakh-Chinese railway", "the Russian-Belarusian union state")
_NAMES_A_THING = re.compile(r"\s+(?:[A-Z][a-z]+\b|(?:[a-z-]+\s+){0,2}(?:corridor|pipelines?|"
                            r"railways?|railroad|deals?|projects?|union|bridges?|ports?|plants?|"
                            r"routes?|highway|plans?|proposals?|initiatives?|agreements?|treaty|"
                            r"treaties|memorand(?:um|a)|roadmap|framework|consensus)\b)")
#: after a name joined by "and", a word that reads as a finite verb: the name opens a clause
#: ("..., and Hungary objected", "and Poland hosts its troops"; not "and Belarus forces")
_VERBISH_AFTER = re.compile(
    r"\s+(?!(?:officials|forces|troops|leaders|authorities|relations|ties|diplomats|companies|"
    r"firms|banks|exports|imports|interests|citizens|nationals|markets|goods|products|"
    r"delegations|governments|militaries|navies|armies|sanctions|talks|elections|affairs|"
    r"news|press|series|species|means|crisis|basis|analysis|status|"
    # (places named together: "recognized the Donetsk and Luhansk republics")
    r"republics|regions|provinces|oblasts|territories|countries|nations|economies)\b)"
    r"(?:[a-z]{2,}(?:ed|es)|[a-z]{2,}[^s\W]s|rose|grew|fell|took|made|sent|sold|bought|held|"
    r"left|lost|won|began|saw|became|came|went|got|gave|kept|met|ran|struck|fought|paid|led|"
    r"hit|cut|put|set|let)\b")
#: after a name joined by ", and", what makes it the subject of a gapped clause ("..., and
#: Turkey to Azerbaijan", "..., and Russia by China", "..., and Iran, drones.")
_GAPPED_AFTER = re.compile(r"\s+(?:to|from|by|with|for)\s+(?:the\s+)?[A-Z]|,\s+[a-z]+\s*[.;]")
#: a preposition whose phrase holds the names ("Trade between Japan and India reached ...":
#: the verb after is the phrase's head's)
_PAIR_PREP = re.compile(r"\b(?:between|among|with)\s+(?:the\s+)?$", re.I)
_BETWEEN_BEFORE = re.compile(r"\bbetween\s+(?:the\s+)?$", re.I)  # (a pair: "X and Y" whole)
_JOINED = re.compile(r"\s+joined\s+(?:the\s+)?")  # (JOINER's "X joined (the) Y in ...ing")
_JOINED_IN = re.compile(r"\s+in\s+\w+ing\b")
#: (_group's quick tests) a lower-case word right after a name; a word right before it
_WORD_AFTER = re.compile(r"\s+[a-z]")
_WORD_BEFORE = re.compile(r"\w\s+$")
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
_APOSTROPHES = frozenset("’'")  # the characters _POSSESSOR_GAP opens with
_POSSESSIVE_S = re.compile(r"^[’']s?\s")
#: a person's aide or relative after the possessive: another person
_PERSONS_AIDE = re.compile(r"[’']s\s+(?:[\w-]+\s+)?(?:spokes(?:man|woman|person)|envoy|emissary|"
                           r"aides?|advis[eo]rs?|representatives?|deputy|negotiators?|"
                           r"delegation|office|son|daughter|wife|husband|brother)\b")
#: a possessive pronoun ending a subject's gap: "... complicate its (strategic) partnership"
_PRONOUN_POSSESSIVE_END = re.compile(r"\s(?:its|their)\s+(?:(?!(?:to|and|or)\s)[\w-]+\s+){0,2}$")
_BUT = re.compile(r"\b(?:but|yet|while|whereas)\b")
_AND_NOR = re.compile(r"\b(?:and|nor|or)\b")  # (after a possessive: another noun phrase joined)
_PHRASE_BREAK = re.compile(r"[,;:()]")
_MODIFIER = r"[-‐]\s*[a-z]"  # a hyphenated modifier ("US-requested"), after a name
#: (matched at a position; an opening quote may stand before the possessed noun: China's
#: "centuries-old traditions")
_POSSESSED = re.compile(r"[’']s\s+[\"“‘]?([\w-]+)(?:\s+([\w-]+))?")
_BY = re.compile(r"^\s+(?:in\s+\d{4}\s+)?by\s+")  # ("founded in 2001 by")
#: words before an -ing word that make it an adjective ("the ruling party"), not a participle
_BEFORE_ADJECTIVE = frozenset({
    "the", "a", "an", "its", "their", "his", "her", "our", "this", "that", "these", "those",
    "some", "any", "no", "every", "each", "both", "all", "more", "most", "many", "several"})
#: -ing words that are prepositions ("during", "including"), never a reduced relative clause
_ING_PREPOSITIONS = frozenset({"during", "including", "according", "regarding", "concerning",
                               "following", "notwithstanding", "excluding"})
_COORDINATION = re.compile(r"^\W*(?:and|but|or)\b")
_COMMA_AND_END = re.compile(r",\s+and\s+(?:\w+\s+)?$")
_RELATIVE = re.compile(r"\s+(?:is|was|are|were)\b[^,;]{0,80}\b(?:that|who)\s*")
#: where a minted phrase's name starts at the latest: after a preposition or a conjunction, and
#: after its author's modifier ("a US-drafted resolution on Gaza" is the resolution on Gaza
#: that "the US drafted a resolution on Gaza" names)
_NP_CUT = re.compile(r"\b(?:of|and|or|to|for|on|with|from)\s+|(?<=[\w.])-(?:drafted|sponsored|"
                     r"backed|proposed|authored|tabled|led)\s+")
_ARTICLE = re.compile(r"\b(?:a|an|the)\s")
_COMPLEMENT = re.compile(r"^\s+(?:to|on|of|over|against|that|condemning|demanding|urging|"
                         r"calling)\b(?:(?!\s(?:was|were|is|are|has|have|had|will|would|could|"
                         r"may|might|remains?|remained|became|becomes)\b)"
                         r"(?:[^,;:.()]|(?<=\b[A-Z])\.(?=[A-Z]\.)|(?<=\b[A-Z]\.[A-Z])\.))*")
#: a complement whose "that" clause (a clause break of its own) is part of the name
_DEMANDING_END = re.compile(r"\b(?:demanding|urging|insisting|requesting|stating)\s+$")
_THAT_START = re.compile(r"that\s")
_DATE_TAIL = re.compile(r"\s+(?:on|in|since|of)\s*$")
#: a document number right after the head noun: "resolution ES-11/1", "Resolution 68/262",
#: "Resolution 2758" (part of the name, and the label of a known event must hold it)
_DOC_NUMBER = re.compile(r"\s+(?:[A-Z]{1,4}-\d+(?:/\d+)*|\d+/\d+|\d{3,4})\b")
_INDEFINITE = re.compile(r"(?:a|an)\s", re.I)
#: a party of an agreement after its phrase: "signed a deal with (the) X"
_WITH_BEFORE = re.compile(r"\bwith\s+(?:the\s+)?$", re.I)
#: between the trigger and "with", what parts the "with" from the act: a comma, another
#: clause or verb ("signed a deal, then met with X", "signed a deal and talked with X")
_PARTNER_BREAK = re.compile(r"[,;:()]|\b(?:but|while|whereas|which|who|when|after|before|"
                            r"because|and\s+\w+ed)\b", re.I)
_AND_OR = re.compile(r"\b(?:and|or)\b", re.I)
_SUBORDINATOR = re.compile(r"\b(?:after|before|when|whenever|while|whereas|because|since|"
                           r"until|although|though|once|unless|which|who|whom)\b", re.I)
#: nothing after an intransitive trigger in its clause ("China abstained.", "..., while
#: China abstained", "India abstained too, as did Brazil")
_NOTHING_AFTER = re.compile(r"(?:\s+(?:too|also|again|as\s+well))?\s*(?:[.;:!?)]|$|,\s*(?:while|"
                            r"whereas|and|but|as|with|which|who|even|despite)\b)", re.I)
#: an exception right after an argument: "supports Russia but not Iran", "recognized by the
#: US but not by Serbia"; the name after it ends its phrase (not "but not Iran's banks")
_BUT_NOT = re.compile(r",?\s+but\s+not\s+(?:(?:by|from|to|with|on|against|for|in)\s+)?"
                      r"(?:the\s+)?")
_CONTRAST_END = re.compile(r"\s*(?:[.,;:!?)]|$)")
#: the complement's party phrase, cut from a minted agreement's name ("an agreement on
#: energy cooperation with Russia": the agreement on energy cooperation, of its parties)
_WITH_PARTY = re.compile(r"\s+with\b.*", re.I | re.S)
_DETERMINED = re.compile(r"(?:the|this|that|these|those|its|their|his|her)\s|\S+['’]s\s", re.I)
#: what a phrase headed "resolution" (or "vote") may name among the reference events
_RESOLUTION_KINDS = frozenset({"Resolution", "ResolutionVote"})
#: words that tell no agreement or event from another ("a new agreement", "a historic deal")
_GENERIC_WORDS = frozenset({"new", "latest", "historic", "landmark", "important", "major", "key",
                            "significant", "big", "huge", "large", "first", "further", "fresh",
                            "additional", "another", "recent", "similar", "separate", "joint"})
#: the head nouns of minted phrases: a phrase of these, body and generic words alone names
#: no event of its own ("abstained in the vote on the resolution")
_EVENT_NOUNS = frozenset({"resolution", "resolutions", "vote", "votes", "voting", "condemnation",
                          "debate", "motion", "text", "sanctions", "memorandum", "agreement",
                          "treaty", "contract", "deal", "accord", "declaration", "pact",
                          "statement", "summit", "annexation", "expansion"})
#: words of a minted phrase that name the body or the stage, not the event itself ("the draft
#: resolution", "a UN Security Council resolution")
_BODY_WORDS = frozenset({"draft", "un", "u.n", "u.n.", "united", "nations", "security",
                         "council", "general", "assembly", "unsc", "unga", "new", "latest"})
#: a yes/no question: an auxiliary opens the sentence and "?" ends it ("Will China support
#: Russia?"); a wh-question presupposes its content ("Why did China support Russia?")
#: a heading's label before its text ("Explainer: ", "Analysis - ")
_HEADING_LABEL = re.compile(r"^\W*[A-Z][\w&]*(?:\s+[A-Z][\w&]*)?\s*(?::|\s[-–—])\s*")
_YES_NO_QUESTION = re.compile(r"(?:[A-Z][\w&]*:\s*)?"  # (a heading label: "Explainer: ")
                              r"\W*(?:will|would|does|do|did|is|are|was|were|can|could|should|"
                              r"has|have|had|may|might|must|shall)\b.*\?\W*$", re.I | re.S)
#: a question asked without inverting ("Kazakhstan left the CSTO?"): after the trigger, the
#: fact's clause runs to the "?" that ends the sentence, and no wh-word opens it
_CLAUSE_ENDS_ASKING = re.compile(r"[^,;:.!?—–()]*\?\W*$")
_WH_OPENING = re.compile(r"\W*(?:what|why|how|when|where|who|whom|whose|which)\b", re.I)
#: a relative pronoun ending a text: the clause break before a relative clause
_RELATIVE_PRONOUN_END = re.compile(r"[,—–]\s*(?:which|that)$")
#: between the object and the participle of a ``passive`` rule: auxiliaries, negation,
#: adverbs and a comma ("was", "has not been", "is reportedly", ", backed by")
_PASSIVE_GAP = re.compile(r"(?:\s|,|\b(?:was|were|is|are|be|been|being|has|have|had|will|would|"
                          r"could|may|might|can|must|should|not|never|also|already|now|"
                          r"(?:was|were|is|are|has|have|had)n[’']t|\w+ly)\b)*", re.I)
_NAME_WORD = re.compile(r"\b[A-Z][\w.’'-]*")  # a capitalised word (part of a name)
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
_ONLY_AUXILIARIES = re.compile(rf"\s*(?:{_AUXILIARIES}\s*)+", re.I)
_AND_CATENATIVE_END = accelerated(re.compile(_COORDINATED + _CATENATIVE + "$", re.I))
#: the whole gap between a name and a trigger is a coordinator (and auxiliaries ...): the
#: name is the object of the verb before, not the subject of the trigger ("Russia invaded
#: Ukraine and annexed Crimea": Russia annexed it, not Ukraine)
#: (after a phrase or an adverb of the first verb: "joined X in 2015 but has not", "support
#: Russia politically and supplies ..."; a copula: "join BRICS and remains a member"; a verb
#: taking the act: "criticized Japan and refused to support Russia")
_COORDINATED_GAP = re.compile(
    r"(?:\s+(?:in|on|at|since|during|after|before|last|this|next)\s+[^,;]{1,40}?|\s+\w+ly)?"
    r"\s*,?\s*" + _COORDINATED
    + r"(?:(?:remains?|remained|is|was|became|becomes)\s+(?:an?\s+|the\s+)?|" + _CATENATIVE
    + r"|[a-z]+\s+(?:its|their)\s+(?:[a-z-]+\s+)?)?", re.I)
#: (_own_verb_phrase) a trigger's first word in -s or in -ed; a perfect or passive auxiliary
_PRESENT_START = re.compile(r"\w*[^\Ws]s\b")
_PAST_START = re.compile(r"\w*ed\b|(?:sold|bought|met|sent|held|led|made|took|gave|won|lost|"
                         r"built|left|fought|paid|struck|began|broke|brought|drew|chose|"
                         r"froze|withdrew|undertook|overtook|sought|hit|cut|set|put|shut|"
                         r"quit|spent|lent|sank|rose|fell|grew|stood|kept)\b")  # (irregular)
_PERFECT = re.compile(r"\b(?:has|have|had|is|are|was|were|been)\b", re.I)
_IN_AT_END = accelerated(re.compile(r"\b(?:in|at)\s+(?:the\s+)?$"))
#: a relative clause set off by dashes, or by commas up to the next comma or dash
_RELATIVE_ASIDE = re.compile(r"[—–]\s*(?:which|who|whose|where)\b[^—–]*[—–]"
                             r"|,\s*(?:which|who|whose|where)\b[^,;:—–]*(?=[,—–])")
#: a relative clause after a comma, to the next comma or the end ("..., which had annexed
#: Crimea in 2014"): its date is its noun's
#: ", and" (or ", but") opening a clause with a subject of its own, up to that subject
#: a quantifier before an organization's name and a member noun after it: some of its
#: members ("Some EU members", "several NATO allies", "two SCO member states")
_SOME_MEMBERS = re.compile(r"\b(?:some|several|many|most|few|a\s+few|a\s+number\s+of|"
                           r"a\s+handful\s+of|half\s+of\s+the|other|individual|certain|two|"
                           r"three|four|five|six|seven|eight|nine|ten|\d+)\s+(?:of\s+the\s+)?$",
                           re.I)
#: an aside that adds a name to the subject before it: "China, as well as India, has refused
#: to sanction Russia", "Russia, along with China, vetoed ..." (not "unlike", "rather than")
_ADDITIVE_ASIDE = re.compile(r",\s+(?:as\s+well\s+as|along\s+with|together\s+with|alongside|"
                             r"(?:just\s+|much\s+)?like)\s+(?=(?:the\s+)?[A-Z])")
#: (_included_subjects) an aside of examples, and the nameless plural subject before it
_INCLUDING = re.compile(r",\s+(?:including|such\s+as|notably|among\s+them|for\s+example|"
                        r"for\s+instance|like)\s+")
_PLURAL_HEAD = re.compile(r"\s*(?:(?:[Ss]ome|[Ss]everal|[Mm]any|[Mm]ost|[Oo]ther|[Ff]ew|[Aa]\s+few|"
                          r"[Aa]\s+number\s+of|[Vv]arious|[Tt]he)\s+)?(?:[\w-]+\s+){0,2}?"
                          r"(?:countries|states|nations|governments|members|member\s+states|"
                          r"allies|partners|powers|neighbou?rs)\s*")
_MEMBER_NOUN = re.compile(r"\s+(?:members?|member\s+(?:states|countries|nations)|allies|"
                          r"countries|states|nations|partners|governments)\b")
_ING_WORD = re.compile(r"\w+ing\b")  # (a trigger's first word in -ing)
_PREP_END = re.compile(r"\b(?:for|of|to|with|on|against|from|into|in)\s*$", re.I)
#: (_group) "X and (, since 2024,) of the Y": the preposition before X repeated
_REPEATED_PREPOSITION = re.compile(
    r"\s*,?\s*(?:and|or)\s*(?:(?P<aside>,\s*(?:since|from|in|until|as\s+of)\s+"
    r"(?:[A-Z][a-z]+\s+)?\d{4}\s*,)\s*|\s)(?P<prep>of|with|to|from)\s+(?:the\s+)?")
#: "accused X of (supplying)": the accused is the subject of the -ing trigger after "of"
_OF_GAP = re.compile(r"\s+of\s+")
_ACCUSING = re.compile(r"\b(?:accus(?:e|es|ed|ing)|suspect(?:s|ed|ing)?)\s+(?:the\s+)?$", re.I)
#: a preposition right before an -ing trigger: the participle's subject is its clause's
#: ("Japan invaded Iran after annexing Iraq": Japan annexed Iraq, not Iran)
_PREP_ING_GAP = re.compile(r"\b(?:after|before|by|while|since|without|despite|upon|through|"
                           r"when|instead\s+of|rather\s+than)\s+$", re.I)
#: a speech verb in a subject's gap: the trigger is in the clause it reports
_SPEECH_IN_GAP = re.compile(r"\b(?:said|says|say|told|tells|added|adds|argued|argues|claimed|"
                            r"stated|insisted|insists|warned|warns|wrote|writes)\s+"
                            r"(?:that\s+)?(?!(?:he|she|they|it|we)\b)\S")  # ("said he met")
#: right after an opening date that dates its paragraph: a comma, a dash or a bracket
_DATE_SET_OFF = re.compile(r"\s*(?:[,—–(]|-\s|\(\w+\)\s*[-—–])")
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
#: an elided verb phrase after another subject (``RelationExtractor._elided``): "..., and
#: so did Japan", "..., and neither has China", "While India condemned Russia, China did not."
_ELLIPSIS_AUX = r"(?:did|does|do|has|have|had|is|are|was|were|will|would)"
_ELLIPSIS_AUX_WORD = re.compile(rf"\b{_ELLIPSIS_AUX}\b")  # (a sentence without one: no ellipsis)
_ELLIPSIS = re.compile(
    rf",?\s+(?:(?:and|but|while|whereas|yet)\s+)?(?:so|(?P<neither>neither|nor))\s+"
    rf"{_ELLIPSIS_AUX}\s+(?P<who>(?:the\s+)?[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){{0,3}}?)"
    rf"(?:\s+(?:too|either|as\s+well))?\s*(?:[.;!]|$)"
    rf"|,\s+(?:(?:and|but|while|whereas|yet)\s+)?(?P<who2>(?:the\s+)?[A-Z][\w.’'-]*"
    rf"(?:\s+[A-Z][\w.’'-]*){{0,3}}?)\s+{_ELLIPSIS_AUX}(?P<not>\s+not|n[’']t|\s+never)?"
    rf"(?:\s+(?:too|either|as\s+well|so))?\s*(?:[.;!]|$)")
#: how a title set off by commas before a name opens (``RelationExtractor._titled``)
_TITLE_OPENING = re.compile(r",\s+(?:the|his|her|its|their|a|an|[A-Z][\w-]*[’']s)\s", re.I)
#: a bracket of up to four words right after a word: an acronym or a gloss, not a clause
#: (the words possessive: a bracket without its ")" is not retried with each word split in
#: every way; a 1,700-character "word" took 13 s)
_SHORT_BRACKET = re.compile(r"(?<=\w)\s\((?=[A-Z]|(?:formerly|former|also|or|aka|pop\.)\s)"
                            r"[^()\s]++(?:\s[^()\s]++){0,3}+\s?\)")
_JOINED_CLAUSE = re.compile(r",\s+(?:and|but)\s+(?:(?:in|on|by|since)\s+[^,]{1,30}?\s+|"
                            r"(?:then|later|also|now)\s+)?(?:the\s+)?$")
_RELATIVE_TAIL = re.compile(r",\s*(?:which|who|whose)\b[^,;:—–]*")
_RELATIVE_ASIDE_START = re.compile(r"[,—–]\s*(?:which|who|whose|where)\b")
#: an apposition with an indefinite article between commas ("Turkey, a NATO member, ..."),
#: one of the asides of ``defaults.aside`` (the one that dates only itself)
_APPOSITION = re.compile(r",\s+(?:a|an)\s[^,;]{0,100},")
#: "which"/"who" right after a name, opening a relative clause that stands for it
_RELATIVE_PRONOUN = re.compile(r"\s*[,—–]\s*(?:which|who)\b")
#: the end of a text that opens a relative clause about the name before it, up to its verb
#: (adverbs, auxiliaries, a negation between): ", which invaded", ", who has also visited"
_RELATIVE_GAP_END = re.compile(
    rf"[,—–]\s*(?:which|who)\s+(?:{_ADVERBS}|{_AUXILIARIES}\s+)*$", re.I)
#: "Kosovo, whose independence is ...", "Crimea, whose annexation remains ...": the head noun
_WHOSE_GAP_END = re.compile(
    rf"[,—–]\s*whose\s+(?P<head>[a-z]+)\s+(?:{_ADVERBS}|(?:{_AUXILIARIES}|remain(?:s|ed)?)\s+)*$",
    re.I)
#: heads whose "whose" is the event done to the antecedent ("Crimea, whose annexation ...")
_WHOSE_EVENTS = frozenset({"annexation", "invasion", "occupation"})
#: the kinds of events held somewhere, and the "in" that names the place after one
_PLACED_EVENTS = frozenset({"Event", "Meeting", "Summit"})
_IN_BETWEEN = re.compile(r"\s+in\s+(?:the\s+)?")
#: a plan right before a trigger: "Xi was due to meet", "is scheduled to visit"
_PLANNED = re.compile(r"\b(?:due|set|scheduled|slated|supposed|expected|planning|planned|"
                      r"going|meant)\s+to\s+(?:\w+ly\s+)?$", re.I)
#: what may open a sentence before its subject when a relative clause follows the subject
#: ("In 2001, Kazakhstan, which ...": an opening phrase; "Sanctions on Russia, which": no)
_SUBJECT_OPENING = re.compile(r"(?:[^,]*,\s*)?(?:[Tt]he\s+)?")
_SPEAKERS = frozenset({"Person", "State", "Institution", "InternationalOrganization"})
_NAMED_LATER = frozenset({"Resolution", "ResolutionVote", "Agreement", "Event", "Annexation",
                          "Sanction"})


def _rel(iri: str) -> str:
    return "/".join(iri.split("/")[-3:])


def _closed_relatives(text: str, end: int) -> list[tuple[int, int]]:
    """The relative clauses between commas (or dashes) in text[:end], each with its closing
    comma: "Turkey, which bought S-400s from Russia, was ..."."""
    if _RELATIVE_ASIDE_START.search(text, 0, end) is None:
        return []
    out = []
    for a in _RELATIVE_ASIDE.finditer(text, 0, end):
        close = a.end() + 1 if a.end() < len(text) and text[a.end()] in ",—–" else a.end()
        if close <= end:
            out.append((a.start(), close))
    return out


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


def _key(m: Mention) -> tuple[int, int, str]:
    return (m.start, m.end, m.entity)


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
    # beyond str.lower() (ruleset.CASE_TRAPS): substring tests then prove nothing
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

    def __init__(self, types_of, by_iri: dict[str, MintedActor]) -> None:
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
            hit, found = cues.dates(text, self.year)
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

    def __init__(self, cfg: cues.CueConfig, types_of, types: _Types,
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

    def add(self, text: str, local: list[Mention], lowered: str | None) -> None:
        """The next sentence, with its mentions (resolved anaphors among them) and its
        lower-case text (None: not usable, see ruleset.CASE_TRAPS)."""
        self.current = None
        self.pending.append((text, local, len(self.minted), lowered))

    def _who(self, text: str, local: list[Mention], n_minted: int,
             lowered: str | None) -> tuple[str, ...]:
        named = [m for m in local if m.kind not in ("anaphor", "singular")]
        if not named:
            return ()
        if len(self.minted) > n_minted:  # actors minted since were not known then
            later = {a.iri for a in self.minted[n_minted:]}
            by_iri = {iri: a for iri, a in self.types.by_iri.items() if iri not in later}
            return cues.speaker(self.cfg, text, 0, named,
                                lambda iri: self.types_of(iri, by_iri) & _SPEAKERS, lowered)
        types = self.types
        return cues.speaker(self.cfg, text, 0, named,
                            lambda iri: types[iri] & _SPEAKERS, lowered)

    def speaker(self) -> tuple[str, ...]:
        """The speaker of the latest sentence added."""
        if self.current is not None:
            return self.current
        text, local, n_minted, lowered = self.pending.pop()
        who = self._who(text, local, n_minted, lowered)
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


class RelationExtractor:
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
        # (searches over whole sentences: ``accelerated`` adds a first-character lookahead)
        self.clause_break = accelerated(re.compile(defaults.get("clause_break", r"[;:]")))
        self.subject_stop = accelerated(re.compile(defaults.get("subject_gap_stop", r"$^"), re.I))
        self.object_stop = re.compile(defaults.get("object_gap_stop", r"$^"), re.I)
        self.possessive_heads = set(defaults.get("possessive_heads", []))
        # right after a name, what makes it a modifier: a hyphen ("US-requested") or one
        # of the rules' modifier head nouns ("the SCO summit")
        heads = "|".join(map(re.escape, defaults.get("modifier_heads", [])))
        self.modifier = re.compile(_MODIFIER + (
            rf"|(?i:\s+(?:(?:military|financial|economic|humanitarian|lethal)\s+)?(?:{heads})\b)"
            if heads else ""))
        # prepositional asides between commas are skipped ("China has, for instance in its
        # relations with X, already contradicted Y"); idioms ignored inside gaps
        self.aside = re.compile(defaults.get("aside", r"$^"), re.I)
        # an attempt or intention between the subject and its trigger: no assertion of an
        # ``achieved`` rule
        self.intent_gap = re.compile(defaults.get("intent_gap", r"$^"), re.I)
        # a request by the subject that another act, between it and any rule's trigger
        self.request_gap = re.compile(defaults.get("request_gap", r"$^"), re.I)
        # right after the object of a ``cancellable`` rule: the event did not take place
        self.called_off = re.compile(defaults.get("called_off", r"$^"), re.I)
        self.called_off_later = re.compile(defaults.get("called_off_later", r"$^"), re.I)
        # a claim the sentence calls false: the opening right before the subject ("reports
        # that"), the verdict right after the object ("are false")
        self.claim_opening = re.compile(defaults.get("claim_opening", r"$^"), re.I)
        self.said_false = re.compile(defaults.get("said_false", r"$^"), re.I)
        # nouns that an -ing trigger right after them describes ("a resolution condemning X"):
        # then only the name right before the noun is the subject ("a UN General Assembly
        # resolution condemning X")
        described = "|".join(map(re.escape, defaults.get("described_nouns", [])))
        self.described = re.compile(rf"\b(?:{described})\s+(?:[\w/-]*\d[\w/-]*\s+)?$", re.I) \
            if described else None
        # (a body's vote condemning X is no position of the body's: its outcome is not said)
        positions = "|".join(map(re.escape, (n for n in defaults.get("described_nouns", [])
                                             if n not in ("vote", "votes"))))
        self.described_by = re.compile(rf"\s+(?:draft\s+)?(?:{positions})\s+", re.I)
        self.defeated_before = re.compile(defaults.get("defeated_before", r"$^"), re.I)
        self.issued_statement = re.compile(defaults.get("issued_statement", r"$^"), re.I)
        self.blocked_before = re.compile(defaults.get("blocked_before", r"$^"), re.I)
        self.opposed_gap = re.compile(defaults.get("opposed_gap", r"$^"), re.I)
        self.gap_ignore = accelerated(re.compile(defaults.get("gap_ignore", r"$^"), re.I))
        self.cue_break = accelerated(re.compile(defaults.get("cue_clause_break", r"[;:]")))
        openers = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(
            defaults.get("cue_clause_openers", []), key=lambda w: (-len(w), w)))
        # "Despite X, Y ...": the comma after such a phrase opening the sentence ends a clause
        self.opening_phrase = re.compile(rf"\W*(?:{openers})\b[^,;:]*,", re.I) \
            if openers else None
        # each searched with only the branches whose characters the sentence holds
        self._alternations = {
            self.clause_break: PrunedAlternation(re.compile(defaults.get("clause_break",
                                                                         r"[;:]"))),
            self.cue_break: PrunedAlternation(re.compile(defaults.get("cue_clause_break",
                                                                      r"[;:]")))}
        self.anaphora: dict = rules.get("anaphora", {})
        self.domains: dict[str, str] = rules.get("domains", {})
        self.figure = accelerated(re.compile(defaults.get("figure", r"$^"), re.I))
        self.cues = cues.CueConfig.from_rules(rules)
        self.rules = sorted((parse_rule(r, defaults) for r in rules.get("rules", [])),
                            key=lambda r: r.id)
        # one search per rule and sentence tells whether any of its triggers occurs at all;
        # before it, a cheaper test: the words every trigger match starts with (if known)
        self._any_trigger = {r.id: accelerated(re.compile(
            "|".join(f"(?:{t.pattern})" for t in r.triggers), re.I)) for r in self.rules}
        # each trigger with the lower-case words one of which its matches start with or
        # contain (None: unknown, or the rule's only trigger, which the search above found)
        self._triggers = {r.id: tuple((accelerated(t), _trigger_words(t) if len(r.triggers) > 1
                                       else None) for t in r.triggers) for r in self.rules}
        # (_group) any rule's trigger right before a name, or a verb or trigger right after it
        every = "|".join(f"(?:{t.pattern})" for r in self.rules for t in r.triggers)
        self._verb_before = re.compile(rf"(?:{every})\s+(?:(?:the|a|an)\s+)?$", re.I)
        self._any_verb = re.compile(rf"\b(?:{every})", re.I)
        self._verb_after = re.compile(
            rf"\s+(?:{_ADVERBS})*(?:{_AUXILIARIES}|\b(?:said|says|told|tells|followed|follows)\b"
            rf"|{every})", re.I)
        self._requires = {r.id: accelerated(r.requires) if r.requires else None
                          for r in self.rules}
        self._subject_stop = {r.id: accelerated(r.subject_gap_stop) if r.subject_gap_stop
                              else self.subject_stop for r in self.rules}
        self._gates = {r.id: _gate(r) for r in self.rules}
        # the head words of the events a rule mints ("resolution|vote")
        self._mint_heads = {r.id: re.compile(rf"\b(?:{(r.mint or {}).get('head', 'resolution')})\b",
                                             re.I) for r in self.rules if r.mint is not None}
        # the types one of which a mention of the sentence must have for the rule to fire:
        # the subject's (every locator and the VP-coordination fallback take mentions of the
        # argument's types) and a possessor object's (looked for first), if any
        self._arg_types = {r.id: (r.subject.types, r.object.types if r.object is not None
                                  and r.object.side == "possessor" else None)
                           for r in self.rules}
        # gate word -> positions of the rules it opens; rules without a gate are always tried
        self._ungated = tuple(i for i, r in enumerate(self.rules) if self._gates[r.id] is None)
        # an ungated rule: strings one of which every trigger match contains (if known)
        needs = {i: _needs(self.rules[i]) for i in self._ungated}
        self._always = frozenset(i for i, n in needs.items() if n is None)
        needle_rules: dict[str, list[int]] = {}
        for i, n in needs.items():
            for w in sorted(n or ()):
                needle_rules.setdefault(w, []).append(i)
        self._needles = sorted((w, tuple(r)) for w, r in needle_rules.items())
        # the domain keywords of the "domain" qualifier, compiled once
        self._domain_res = [(accelerated(re.compile(rf"\b{kw}\b", re.I)), d)
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
        # a sentence's text -> the spans of the clause breaks' and the cue breaks' matches
        # (None: not searched yet), kept until a few sentences later (the text is the key:
        # hashing a compiled expression hashes its whole code)
        self._breaks: dict[str, list[list[tuple[int, int]] | None]] = {}
        self._break_searches = (self._alternations[self.clause_break],
                                self._alternations[self.cue_break])
        self._rules_of: dict[str, list[int]] = {}
        for i, r in enumerate(self.rules):
            for w in sorted(self._gates[r.id] or ()):
                self._rules_of.setdefault(w, []).append(i)
        # gate words by their first three letters: looked up at each word start of a sentence
        self._by_head: dict[str, list[str]] = {}
        for w in sorted(self._rules_of):
            self._by_head.setdefault(w[:3], []).append(w)
        # per rule position: the rule, its argument types, the alternation of its triggers,
        # whether an argument is a possessor (found only as a mention right before an
        # apostrophe: "Russia's invasion") and the lower-case strings one of which a clause
        # matching ``requires`` holds (None: no such test, or not known)
        self._plan = [(r, *self._arg_types[r.id], self._any_trigger[r.id],
                       any(a is not None and a.side == "possessor" and not a.pronoun
                           for a in (r.subject, r.object)),
                       required_literals(r.requires) if r.requires else None)
                      for r in self.rules]
        ids = [r.id for r in self.rules]
        if len(set(ids)) != len(ids):
            raise EntenteError("graph/rules.yaml: duplicate rule ids")

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
        resolved: list[Mention] = []
        types = _Types(self.types_of, {a.iri: a for a in minted})
        year = _year(doc.meta.date)
        by_sentence: dict[int, list[Mention]] = {}
        for m in mentions:
            by_sentence.setdefault(m.sentence, []).append(m)
        paragraphs = _ParagraphDates(year)
        voices = _Voices(self.cues, self.types_of, types, minted)
        out: dict[tuple, Assertion] = {}
        seen: set[tuple] = set()
        events: dict[str, str] = {}
        event_paragraphs: dict[str, int] = {}
        discourse = Discourse(self.anaphora, types.__getitem__)
        named: dict[int, set[str]] = {}

        def named_in(paragraph: int) -> set[str]:
            if not named:  # (once per document, when a phrase first asks)
                for s in sentences:
                    named.setdefault(s.paragraph, set()).update(
                        m.entity for m in by_sentence.get(s.index, ()))
            return named.get(paragraph, set())

        new_tuple = tuple.__new__
        for sent in sentences:
            # (substring tests in lower case prove nothing with CASE_TRAPS characters)
            text = sent.text  # (an ASCII text holds no CASE_TRAPS character: no search)
            lowered = text.lower() if text.isascii() or CASE_TRAPS.search(text) is None \
                else None
            # the sentence's mentions with offsets in the sentence (Mention: start, end, text,
            # entity, sentence, kind; made with tuple.__new__, no Python-level __new__ frame)
            offset = sent.start
            local = discourse.mentions(text, [
                new_tuple(Mention, (start - offset, end - offset, name, entity, number, kind))
                for start, end, name, entity, number, kind in by_sentence.get(sent.index, ())],
                lowered)
            voices.add(text, local, lowered)
            paragraphs.see(sent)
            if not local:
                continue  # every rule's subject is one of the sentence's mentions
            candidates = self._candidates(text, lowered)
            if not candidates:
                continue
            # (the sentence's context is made when a rule's trigger first matches)
            ctx: _Ctx | None = None
            present, n_minted = self._types_present(local, types), len(minted)
            possessive: bool | None = None  # a mention right before an apostrophe (if known)
            elliptic: bool | None = None  # an ellipsis's auxiliary in the sentence (if known)
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
                if clause_words is not None and lowered is not None:
                    for w in clause_words:
                        if w in lowered:
                            break
                    else:
                        continue  # no clause of the sentence can match ``requires``
                hit = any_trigger.search(text)
                if hit is None:
                    continue
                if ctx is None:
                    ctx = _Ctx(doc, sent, local, year, paragraphs, voices, events,
                               event_paragraphs, lowered=lowered, named_in=named_in,
                               excepting=lowered is None
                               or _EXCEPTION_WORD.search(lowered) is not None)
                for a in self._apply(rule, ctx, types, minted, hit.start()):
                    # one fact per sentence: a second rule (or trigger) stating it again adds
                    # nothing; a symmetric rule's fact in either order is one fact
                    # (a fact stated twice with different certainties is two claims: "Iran may
                    # supply missiles to Russia, but it already supplies drones to Russia")
                    key = (sent.start, a.object, a.predicate, a.subject, a.negated, a.certainty) \
                        if rule.symmetric and a.object < a.subject \
                        else (sent.start, a.subject, a.predicate, a.object, a.negated, a.certainty)
                    if key not in seen:
                        seen.add(key)
                        out.setdefault((sent.start, a.rule, a.subject, a.object, a.predicate,
                                        a.certainty), a)
                        if ctx.anaphors or any(m.kind in _RESOLVED for m in local):
                            resolved += _anaphors_for(a, [*local, *ctx.anaphors], sent)
                        if elliptic is None:
                            elliptic = _ELLIPSIS_AUX_WORD.search(text) is not None
                        if elliptic:
                            for b in self._elided(a, rule, text, local, types):
                                out.setdefault((sent.start, b.rule, b.subject, b.object,
                                                b.predicate, b.certainty), b)
        if resolved:
            mentions += dict.fromkeys(resolved)  # (each once, in the order found)
        return [out[k] for k in sorted(out)]

    @staticmethod
    def _elided(a: Assertion, rule: Rule, text: str, local: list[Mention],
                types: _Types) -> list[Assertion]:
        """The same act of another subject, its verb phrase elided after the object: "While
        India condemned Russia, China did not", "Russia has never recognized Kosovo, and
        neither has China", "India condemned Russia, and so did Japan" (the polarity the
        ellipsis says: negated after "not" or "neither"/"nor", else affirmed)."""
        # the clause's subject is the fact's subject, or its object when that stands before the
        # trigger: "India is buying Russian oil, and so is China" is Russia's supply of China
        if rule.subject.side == "before":
            role, other, arg = "subject", a.object, rule.subject
        elif rule.object is not None and rule.object.side == "before":
            role, other, arg = "object", a.subject, rule.object
        else:
            return []
        other_ends = [m.end for m in local if m.entity == other]
        if not other_ends or any(m.entity in a.attributed_to for m in local):
            return []  # (a speaker's sentence: the elided phrase may be the speech verb's,
            # "China said it supports Russia, and India did not")
        out = []
        for hit in _ELLIPSIS.finditer(text, max(other_ends)):
            g = "who" if hit.group("who") is not None else "who2"
            start, end = hit.span(g)
            name_ends = (end, end - 1) if text[end - 1] == "." else (end,)  # "Japan." | "U.S."
            m = next((m for m in local if start <= m.start and m.end in name_ends
                      and m.kind not in _RESOLVED), None)
            if m is None or m.entity in (a.subject, a.object) \
                    or arg.types.isdisjoint(types[m.entity]):
                continue
            negated = hit.group("neither") is not None or hit.group("not") is not None
            out.append(replace(a, **{role: m.entity}, negated=negated))
        return out

    @staticmethod
    def _types_present(local: list[Mention], types: _Types) -> set[str]:
        """The types of the sentence's mentions (each locator takes only mentions of its
        argument's types)."""
        present: set[str] = set()
        for m in local:
            present.update(types[m.entity])
        return present

    def _candidates(self, text: str, lowered: str | None) -> Sequence[int]:
        """The positions of the rules whose triggers may occur in ``text``, in rule order
        (``lowered``: the text in lower case, None with CASE_TRAPS): the ungated ones
        and those with a gate word in the text whose first three letters start a word
        (every trigger match starts at a word boundary with one of its rule's gate words)."""
        if lowered is None:
            return range(len(self.rules))  # case folding beyond str.lower(): every rule
        found = set(self._always)
        for w, rules in self._needles:
            if w in lowered:
                found.update(rules)
        for head in self._by_head.keys() & _WORD_HEAD.findall(lowered):
            for w in self._by_head[head]:
                if w in lowered:
                    found.update(self._rules_of[w])
        return sorted(found)

    def _apply(self, rule: Rule, ctx: _Ctx, types: _Types, minted: list[MintedActor],
               first: int = 0):
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
                    hit = cues.find_date(text[cs:rel.end()], ctx.year)  # the clause's own date
                    date = hit[2] if hit else None
                elif own is not None:  # "joined X in 2015 but has not recognized Y": undated;
                    hit = cues.find_date(text[own:ce], ctx.year) or cues.find_date(  # "In 2014,
                        text[:subjects[0].start], ctx.year)  # Russia invaded X and annexed Y"
                    date = hit[2] if hit else ctx.paragraph_dates[0] \
                        if len(ctx.paragraph_dates) == 1 else None
                elif (inner := _relative_holding(text, ts, te)) is not None:
                    # "In 2020, Turkey, which bought S-400s from Russia, was sanctioned": the
                    # purchase is dated by its own clause only
                    hit = cues.find_date(text[inner[0]:inner[1]], ctx.year)
                    date = hit[2] if hit else None
                elif app is not None:  # "Iran, a member of the SCO
                    hit = cues.find_date(text[app[0]:app[1]], ctx.year)
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
                    hit = cues.find_date("in " + text[until.end():ce].lstrip(), ctx.year)  # (a
                    # start now: "until 2022" read as "in 2022", which a bare year needs)
                    date = hit[2] if hit else None
                elif not neg and not rule.negate and rule.property in _STATUSES \
                        and (until := _UNTIL.search(text, te, min(ce, te + 60))) is not None:
                    neg = True  # "Britain, an EU member until 2020": no longer, since then
                    hit = cues.find_date("in " + text[until.end():ce].lstrip(), ctx.year)
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
                        and cues.dated_since(text, when, ctx.year), **quals,
                    )

    def _but_not(self, rule: Rule, ctx: _Ctx, te: int, subjects: list[Mention],
                 objects: list[Mention], pairs: list[tuple[Mention, str]], types: _Types
                 ) -> list[tuple[Mention, str]]:
        """The pairs an exception after the last argument of the trigger denies: "China
        supports Russia but not Iran", "Kosovo is recognized by the US but not by Serbia",
        "India buys oil from Russia but not from Iran" (the name in that argument's place;
        not a possessor: "sanctioned Russia but not China's banks")."""
        text = ctx.sent.text
        after = [m for m in (*subjects, *objects) if m.start >= te]
        if not after:
            return []
        last = max(after, key=lambda m: m.end)
        hit = _BUT_NOT.match(text, last.end)
        if hit is None:
            return []
        as_subject = any(last is s for s in subjects)
        arg = rule.subject if as_subject else rule.object
        if arg is None:
            return []
        other = next((m for m in self._typed(ctx, arg.types, types)
                      if m.start == hit.end() and m.entity != last.entity), None)
        if other is None or _CONTRAST_END.match(text, other.end) is None:
            return []
        if as_subject:
            return [(other, t) for s, t in pairs if s is last and other.entity != t]
        return [(s, other.entity) for s, t in pairs
                if t == last.entity and s.entity != other.entity]

    def _speaker_in_part(self, speaker: tuple[str, ...], mentions: list[Mention], text: str,
                         ts: int) -> tuple[str, ...]:
        """The sentence's speaker for a trigger at ``ts``, unless a semicolon parts the
        trigger from where the speaker speaks ("Russia claims the pipeline is commercial;
        China imports Russian gas through it" is the text's), or the trigger is in the
        speaker's own relative clause or apposition ("Putin, who met Xi in Beijing, said ...":
        the meeting is the text's). (A speaker named in an earlier sentence, "..., he said",
        stays.)"""
        asides = ", a" in text or _RELATIVE_ASIDE_START.search(text) is not None
        if ";" not in text and not asides:
            return speaker
        speaking = [m for m in mentions if m.entity in speaker
                    and cues.speaks_at(self.cues, text, m.start, m.end)]
        for m in speaking if asides else ():
            aside = _RELATIVE_ASIDE.match(text, m.end) or _APPOSITION.match(text, m.end)
            if aside is not None and aside.start() <= ts < aside.end():
                return ()
        if ";" not in text:
            return speaker
        start = text.rfind(";", 0, ts) + 1
        end = text.find(";", ts)
        end = len(text) if end < 0 else end
        if not speaking or any(start <= m.start < end for m in speaking):
            return speaker
        return ()

    def _partners(self, rule: Rule, ctx: _Ctx, te: int, ce: int, types: _Types,
                  exclude: set[tuple[int, int, str]]) -> list[Mention]:
        """The parties after "with" in the trigger's clause, of the subject's types: "Russia
        signed a trade agreement with China (and Belarus)". Not a possessor ("with China's
        help"), not a demonym ("with Chinese firms"), nor past a comma or another verb
        ("signed a deal and held talks with China")."""
        text = ctx.sent.text
        if "with" not in text[te:ce]:
            return []
        cands = sorted((m for m in self._typed(ctx, rule.subject.types, types)
                        if te <= m.start and m.end <= ce and m.kind != "singular"
                        and _key(m) not in exclude), key=lambda m: (m.start, -m.end))
        for m in cands:
            with_ = _WITH_BEFORE.search(text, max(te, m.start - 10), m.start)
            if with_ is None:
                continue
            gap = text[te:with_.start()]
            head = self._mint_heads[rule.id].search(gap)
            if _PARTNER_BREAK.search(gap) or words(gap) > 10 or m.text in self.demonyms \
                    or _POSSESSIVE_S.match(text[m.end:m.end + 3]) \
                    or (head is not None and _AND_OR.search(gap, head.end()) is not None):
                return []  # (after the agreement's noun, "and" opens another phrase: "signed
                # a deal and held talks with X"; before it, "a trade and energy agreement")
            return self._group(m, cands, text, backward=False, clauses=True)
        return []

    @staticmethod
    def _wished_of_object(ctx: _Ctx, cs: int, ts: int) -> bool:
        """With the subject after the trigger (the seller in "buy Russian oil"), the name
        before the trigger followed only by "to" (the object of a wish or a request, as for
        subjects): "The US pressured India to stop buying Russian oil"."""
        before = [m for m in ctx.mentions if cs <= m.start and m.end <= ts]
        return bool(before) and _asked_to_act(ctx.sent.text, cs, before[-1].start,
                                              before[-1].end, ts, ctx.mentions)

    def _plan_called_off(self, rule: Rule, text: str, objects: list[Mention], ts: int) -> bool:
        """A plan (``_PLANNED`` before the trigger of a ``cancellable`` rule) called off in a
        clause after ", but": "Xi was due to meet Biden in June, but the talks were
        cancelled" did not take place; "Xi met Biden, but their second meeting was
        postponed" is no plan."""
        return rule.cancellable and bool(objects) \
            and self.called_off_later.match(text, objects[-1].end) is not None \
            and _PLANNED.search(text, max(0, ts - 40), ts) is not None

    def _denied_after(self, rule: Rule, text: str, first: int, objects: list[Mention],
                      ce: int) -> bool:
        """What follows the object denies the relation: the event was called off (a
        ``cancellable`` rule: "Xi's meeting with Biden was cancelled"), or the claim is said
        to be false ("Reports that China supports Russia are false"; the opening right before
        the subject, which starts at ``first``)."""
        if not objects:
            return False
        end = objects[-1].end
        if rule.cancellable and self.called_off.match(text, end, ce) is not None:
            return True
        return self.said_false.match(text, end, ce) is not None \
            and self.claim_opening.search(text, max(0, first - 40), first) is not None

    def _clause(self, text: str, ts: int, te: int, cue: bool = False) -> tuple[int, int]:
        """The clause of text[ts:te]: between the clause breaks around it (``cue``: the cue
        clause breaks, defaults.cue_clause_break)."""
        known = self._breaks.get(text)
        if known is None:
            if len(self._breaks) > 8:
                self._breaks.clear()
            known = self._breaks[text] = [None, None]
        spans = known[cue]
        if spans is None:  # the matches in the sentence (only the branches it can match)
            spans = known[cue] = [b.span() for b in
                                  self._break_searches[cue].for_text(text).finditer(text)]
            if "(" in text:  # a short bracket right after a word is no clause ("The European
                # Union (EU) imposed ...", "Türkiye (formerly Turkey) is ...")
                short = {p for m in _SHORT_BRACKET.finditer(text)
                         for p in (m.start(), m.end() - 1)}
                if short:
                    spans[:] = [sp for sp in spans if sp[0] not in short]
            opening = self.opening_phrase.match(text) \
                if cue and self.opening_phrase is not None else None
            if opening is not None:  # the comma closing "Despite X," (a clause break too)
                spans.append((opening.end() - 1, opening.end()))
                spans.sort()
        start, end = 0, len(text)
        for b_start, b_end in spans:
            if b_end <= ts:
                start = b_end
            elif b_start >= te:
                end = b_start
                break
        return start, end

    def _object_stop(self, word: str) -> bool:
        stop = self._stop_words.get(word)
        if stop is None:
            stop = self.object_stop.fullmatch(word) is not None
            if len(self._stop_words) >= 100_000:
                self._stop_words.clear()
            self._stop_words[word] = stop
        return stop

    def _included_subjects(self, rule: Rule, ctx: _Ctx, cs: int, ts: int,
                           types: _Types) -> list[Mention]:
        """The names of an aside listing examples of the clause's nameless plural subject
        ("Several countries, including India and Turkey, have refused to sanction Russia",
        "Some EU members, for example Hungary and Slovakia, oppose ..."): they act."""
        text = ctx.sent.text
        close = text.rfind(",", cs, ts)
        if close < 0:
            return []
        hits = list(_INCLUDING.finditer(text, cs, close))
        if not hits or not _PLURAL_HEAD.fullmatch(text, cs, hits[-1].start()):
            return []
        gap = text[close + 1:ts]
        if words(gap) > rule.max_gap or self._subject_stop[rule.id].search(gap):
            return []
        return self._listed_names(ctx, rule.subject.types, types, hits[-1].end(), close)

    def _with_added(self, rule: Rule, ctx: _Ctx, subjects: list[Mention], ts: int,
                    types: _Types) -> list[Mention]:
        """The subjects and the names of an additive aside right after them, when it holds
        only names of the subject's types ("China, as well as India and Brazil, has refused
        to ..."): they act too."""
        text = ctx.sent.text
        hit = _ADDITIVE_ASIDE.match(text, subjects[-1].end)
        if hit is None:
            return subjects
        close = text.find(",", hit.end(), ts)
        if close < 0:
            return subjects
        # ("China, like most of Russia's partners, ...": no name alone, nothing added)
        return [*subjects, *self._listed_names(ctx, rule.subject.types, types, hit.end(), close)]

    def _listed_names(self, ctx: _Ctx, wanted: frozenset[str], types: _Types, start: int,
                      end: int) -> list[Mention]:
        """The names of the ``wanted`` types that fill ``start``..``end`` of the sentence,
        joined ("India and Turkey", "the EU"); none if anything else stands there."""
        text = ctx.sent.text
        names = [m for m in self._typed(ctx, wanted, types)
                 if start <= m.start and m.end <= end and m.kind not in _RESOLVED]
        if not names or text[start:names[0].start] not in ("", "the ") \
                or names[-1].end != end \
                or any(JOINER.fullmatch(text, a.end, b.start) is None
                       for a, b in zip(names, names[1:], strict=False)):
            return []
        return names

    @staticmethod
    def _typed(ctx: _Ctx, wanted: frozenset[str], types: _Types) -> list[Mention]:
        """The sentence's mentions with one of the ``wanted`` types, in order (worked out
        once per sentence and set of types)."""
        found = ctx.typed.get(wanted)
        if found is None:
            found = ctx.typed[wanted] = [m for m in ctx.mentions
                                         if not wanted.isdisjoint(types[m.entity])]
        return found

    def _locate(self, arg: Arg, rule: Rule, ctx: _Ctx, cs: int, ce: int, ts: int, te: int,
                types: _Types, exclude: frozenset | set = frozenset()) -> list[Mention]:
        text = ctx.sent.text
        asides = ctx.asides.get((cs, ce))
        if asides is None:  # (the same clause for the subject and the object)
            asides = ctx.asides[cs, ce] = [(a.start(), a.end())
                                          for a in self.aside.finditer(text, cs, ce)]
        # an aside that holds the trigger is the relation's own context ("like Carnegie
        # Moscow's Dmitry Trenin,"): only the others are skipped
        if asides and any(a <= ts and te <= b for a, b in asides):  # (an aside may open
            asides = [(a, b) for a, b in asides if not (a <= ts and te <= b)]  # with it)
        ms = self._typed(ctx, arg.types, types)  # (only mentions of the argument's types)
        if asides:
            ms = [m for m in ms if (m.start, m.end, m.entity) not in exclude
                  and not any(a <= m.start and m.end <= b for a, b in asides)]
        elif exclude:
            ms = [m for m in ms if (m.start, m.end, m.entity) not in exclude]
        if arg.side in ("before", "possessor"):
            cands = [m for m in ms if cs <= m.start and m.end <= ts]
            if arg.side == "before" and ts > 0 and text[ts - 1] in "-‐":
                # a trigger glued to the word before ("an Indian-drafted resolution"): only
                # a name glued there is its subject ("a US-drafted resolution"), no earlier one
                glued = [m for m in cands if m.end == ts - 1]
                return [glued[-1]] if glued else []
            if rule.passive and (rels := _closed_relatives(text, ts)) \
                    and _PASSIVE_GAP.fullmatch(text, rels[-1][1], ts):
                # "Turkey, which bought S-400s from Russia, was sanctioned by the US": the
                # name before the relative clause (Turkey is sanctioned, not Russia)
                before = [m for m in ms if m.end <= rels[-1][0]]
                if not before or text[before[-1].end:rels[-1][0]].strip() \
                        or PREP_BEFORE.search(text, 0, before[-1].start):
                    return []
                return self._group(before[-1], before, text, backward=True)
            if rule.passive and not cands:  # "Crimea, which was annexed by Russia": the name
                return self._relative_head(ms, text, cs, ts)  # before the relative pronoun
            # nearest first; of two ending together the enclosing one first ("the annexation
            # of Crimea is not recognized": the annexation before Crimea, when both may be)
            for m in sorted(reversed(cands), key=_nearest_end_first):
                gap = self.gap_ignore.sub(" ", unmask(text, m.end, ts, asides) if asides
                                          else text[m.end:ts])
                if arg.side == "possessor":
                    if _POSSESSOR_GAP.match(gap):
                        return self._group(m, cands, text, backward=True)
                    if m.text in self.demonyms and gap == " " \
                            and _PRONOUN_EVENT.match(text, ts) \
                            and _DEFINITE_BEFORE.search(text, max(0, m.start - 40), m.start):
                        return [m]  # "the Russian invasion of Georgia": Russia's (not "a
                        # Russian invasion of X", as often a prospect: "would not support a
                        # Russian invasion of Ukraine")
                    continue
                if rule.passive:  # only auxiliaries between, and not inside a phrase
                    poss = _POSSESSED.match(text, m.end) if text.startswith(("'s", "’s"), m.end) \
                        else None
                    if poss is not None and poss.group(1).lower() in self.possessive_heads:
                        gap = text[poss.end(1):ts]  # "Kosovo's independence is recognized by"
                    if _PASSIVE_GAP.fullmatch(gap) and not PREP_BEFORE.search(text, 0, m.start) \
                            and not self._verb_before.search(text, max(0, m.start - 48),
                                                             m.start):
                        # (not another verb's object: "Serbia's refusal to recognize Kosovo is
                        # backed by Russia" is no support of Kosovo)
                        return self._group(m, cands, text, backward=True)
                    return []
                if arg.side == "before" and _ING_WORD.match(text, ts) \
                        and _OF_GAP.fullmatch(gap) \
                        and _ACCUSING.search(text, max(0, m.start - 24), m.start):
                    return self._group(m, cands, text, backward=True, clauses=True)
                if arg.side == "before" and _PREP_ING_GAP.search(gap) \
                        and _ING_WORD.match(text, ts) \
                        and self._verb_before.search(text, max(cs, m.start - 48), m.start):
                    # m is the object of the verb before: the clause's opening subject, if any
                    first = cands[0]
                    if first is m or words(text[cs:first.start]) > 2 \
                            or PREP_BEFORE.search(text, cs, first.start):
                        return []
                    return self._group(first, cands, text, backward=False, clauses=True)
                if arg.side == "before" and _COORDINATED_GAP.fullmatch(gap):
                    return []  # the object of the verb before ("invaded Ukraine and annexed")
                if arg.side == "before" and m.text in self.demonyms and _JOINS.search(gap):
                    return []  # "Turkey buys Russian oil and supports Ukraine": a modifier
                    # of the object before, not the subject of the verb after "and"
                if ("its " in gap or "their " in gap) and _PRONOUN_POSSESSIVE_END.search(gap) \
                        and "'" not in gap and "’" not in gap \
                        and PREP_BEFORE.search(text, max(0, m.start - 30), m.start):
                    # "Russia's ties with India complicate its partnership with China": the
                    # pronoun is the phrase's possessor's, not the name in its "with" phrase
                    heads = [c for c in cands if c.end <= m.start
                             and _POSSESSIVE_S.match(text[c.end:c.end + 3]) is not None]
                    return heads[-1:]
                if gap.startswith(",") and self._titled(text, cs, m.start):
                    # the name in apposition to a title before it: "The Russian president,
                    # Vladimir Putin, (did not) criticize(d) NATO": the gap after its comma
                    gap = gap[1:]
                elif arg.side == "before" and _APPOSITION_OPEN.fullmatch(gap) \
                        and self._subject_stop[rule.id].search(gap) \
                        and (app := _apposition_span(text, ts, te)) is not None \
                        and app[0] == m.end:
                    # the trigger in an apposition right after the name: "Iran, a key
                    # supplier of drones to Russia, ...": the name is its subject (a rule
                    # whose gap test reads such an apposition keeps it)
                    gap = " "
                n_words = words(gap)
                if n_words <= 4 and _POSSESSIVE_S.match(gap):
                    if self._subject_stop[rule.id].search(gap, 2) or _BUT.search(gap) \
                            or _AND_NOR.search(gap) or (
                            _PERSONS_AIDE.match(gap) and "Person" in types[m.entity]):
                        # ("Xi's special envoy met Putin": the envoy, not Xi)
                        return []  # "China's response to sanctions on X": not its sanctions;
                        # "criticized Russia's war but backs X": another verb's object
                    return self._group(m, cands, text, backward=True,  # "China's trade links"
                                       clauses=True)
                if n_words > rule.max_gap or self._subject_stop[rule.id].search(gap) \
                        or (n_words > 1 and _SPEECH_IN_GAP.search(gap) is not None):
                    return []  # (a speech verb opens the reported clause: "Lukashenko said
                    # Minsk fully supports X" is not Lukashenko's support)
                return self._group(m, cands, text, backward=True, clauses=not arg.listed)
            if arg.pronoun and _PRONOUN_EVENT.match(text, ts):  # ("defended its invasion";
                return self._pronoun_possessor(ctx, ms, ts)  # not "... in its war against")
            # a name that contains the trigger ("a draft resolution put forward by X")
            around = [m for m in ms if m.start < ts and te <= m.end]
            return around[:1] if arg.side == "before" else []
        if arg.side == "around":  # the name the trigger is part of ("a joint X-Y statement")
            return [m for m in ms if m.start <= ts and te <= m.end][:1]
        if arg.side == "inside":
            inside = [m for m in ms if ts <= m.start and m.end <= te]
            # the first, and those joined to it ("an EU and NATO member": both)
            joined = inside[:1]
            for m in inside[1:]:
                if m.start < joined[-1].end \
                        or JOINER.fullmatch(text, joined[-1].end, m.start) is None:
                    break
                joined.append(m)
            return joined
        if arg.side == "after_by":
            hit = _BY.match(text[te:ce])
            if not hit:
                return []
            ts, arg = te + hit.end(), Arg("after", arg.types, arg.preps)
            te = ts
        cands = sorted((m for m in ms if te <= m.start and m.end <= ce and m.kind != "singular"),
                       key=lambda m: (m.start, -m.end))
        # words since the argument's own preposition ("support for") are counted from the
        # trigger's end when the trigger ends with one (else from one in the gap)
        prep_ends_trigger = bool(cands) and _PREP_END.search(text, max(ts, te - 8), te) is not None
        for i, m in enumerate(cands):
            nxt = cands[i + 1] if i + 1 < len(cands) else None
            if nxt and nxt.start == m.start and nxt.text in self.demonyms \
                    and "State" in types[nxt.entity] \
                    and "State" in arg.types and not types[m.entity] & {
                        "State", "InternationalOrganization", "Person"}:
                continue  # "support a Russian invasion": the state, not the event
            # (an event right before "in" and m is the phrase's head, m its place: the gap
            # ends before the event: "a visit to the Olympic Games in Beijing")
            end = self._event_in_place(arg, m, ctx.mentions, te, text, types)
            gap = self.gap_ignore.sub(" ", unmask(text, te, end, asides) if asides
                                      else text[te:end])
            gap_words = WORD.findall(gap)
            if gap_words and any(te <= x.start and x.end <= end
                                 and not _POSSESSIVE_S.match(text[x.end:x.end + 3])
                                 and x.text not in self.demonyms  # ("his Chinese counterpart")
                                 for x in ctx.mentions):
                return []  # another name first: "arms sales to Taiwan anger Beijing" (the
                # place is the object; the state after it is not)
            if gap_words and ts > 0 and text[ts - 1] in "-‐":
                return []  # "Russia-backed militias attacked Ukrainian positions": the trigger
                # glued to its subject modifies the noun right after it, the object if any
            if arg.loose:
                if len(gap_words) > rule.max_gap:
                    return []
                return self._group(m, cands, text, backward=False, clauses=True)
            if _PHRASE_BREAK.search(gap) or self.modifier.match(text, m.end):
                return []  # another phrase, or a modifier ("US-requested", "the SCO summit")
            if len(gap_words) > rule.max_gap:
                return []
            stops = self._stop_words
            previous = ""
            after_prep = 0 if prep_ends_trigger else -1
            for w in gap_words:
                w = w.lower()
                stop = stops.get(w)
                if stop is None:
                    stop = self._object_stop(w)
                if stop and w not in arg.preps:
                    return []
                if _participle_after_noun(previous, w):
                    return []  # "sanctions on companies supplying Russia": their object
                after_prep = 0 if stop else after_prep + 1 if after_prep >= 0 else -1
                if after_prep > 2:
                    return []  # the preposition's own noun phrase came first ("support for
                    # the resolution angered the US": the US is not supported)
                previous = w
            poss = self._possessing(text, m.end)
            if poss is not None:
                if nxt is not None and nxt.start == poss.start(1):
                    continue  # "Russia's annexation of Crimea": the named event, not Russia
                return []
            group = self._group(m, cands, text, backward=False, clauses=True)
            if len(group) > 1 and _HYPHEN.fullmatch(text, group[0].end, group[1].start) \
                    and _NAMES_A_THING.match(text, group[-1].end):
                return []  # "the China-Pakistan Economic Corridor": the project, not its states
            if len(group) > 1 and self._possessing(text, group[-1].end) is not None:
                return []  # "praising Russia and China's traditions of friendship": the pair
                # possesses the object, as one name does
            return group
        return []

    def _possessing(self, text: str, end: int) -> re.Match[str] | None:
        """The "'s" and noun right after a name ending at ``end`` when the name possesses
        another thing, not itself ("China's traditions"; not "China's position", a
        ``defaults.possessive_heads`` noun that stands for the name)."""
        poss = _POSSESSED.match(text, end)
        if poss is None or {(w or "").lower() for w in poss.groups()} & self.possessive_heads:
            return None
        return poss

    @staticmethod
    def _pronoun_possessor(ctx: _Ctx, ms: list[Mention], ts: int) -> list[Mention]:
        """A possessor "its" right before the trigger (up to two words between) stands for
        the nearest name of the argument's types before it in the sentence; returned as an
        anaphor mention at "its", so that the cue windows stay the phrase's own."""
        text = ctx.sent.text
        hit = _PRONOUN_POSSESSIVE_END.search(text, max(0, ts - 40), ts)
        if hit is None or not text.startswith("its", hit.start() + 1):
            return []  # (not "their": the nearest name is one, the pronoun many)
        at = hit.start() + 1
        before = [m for m in ms if m.end <= at and m.kind != "singular"]
        if not before:
            return []
        found = Mention(at, at + 3, "its", before[-1].entity,
                        before[-1].sentence, "anaphor")
        ctx.anaphors.append(found)
        return [found]

    @staticmethod
    def _event_in_place(arg: Arg, m: Mention, mentions: list[Mention], te: int, text: str,
                        types: _Types) -> int:
        """Where the gap before candidate ``m`` ends: at an event named right before "in"
        and ``m`` (after the trigger), for an argument that takes "in" (``m`` is where the
        event was: "Putin's visit to the Olympic Games in Beijing" is a visit to China);
        else at ``m``."""
        if "in" not in arg.preps or " in " not in text[te:m.start]:
            return m.start
        for x in mentions:
            if te <= x.start and x.end < m.start and not types[x.entity].isdisjoint(
                    _PLACED_EVENTS) and _IN_BETWEEN.fullmatch(text, x.end, m.start):
                return x.start
        return m.start

    def _titled(self, text: str, cs: int, start: int) -> bool:
        """Whether a title set off by commas ends right before ``start`` ("The Russian
        president, |Vladimir Putin"; "Speaking in Beijing, China's foreign minister, |Wang
        Yi"): a phrase the ``aside`` rule reads as one (a determiner or a possessive before a
        title, ally, partner ...), opening the clause or after its comma."""
        head = text[cs:start].rstrip()
        if not head.endswith(","):
            return False
        phrase = ", " + head[head.rfind(",", 0, len(head) - 1) + 1:].lstrip()
        return _TITLE_OPENING.match(phrase) is not None \
            and self.aside.fullmatch(phrase) is not None

    def _relative_head(self, ms: list[Mention], text: str, cs: int, ts: int) -> list[Mention]:
        """The object of a passive participle in a relative clause: the name right before
        ", which" ("Crimea, which was annexed by Russia in 2014"), when only auxiliaries stand
        between the pronoun and the participle."""
        opening = _RELATIVE_PRONOUN_END.search(text, 0, cs)
        if opening is None or not _PASSIVE_GAP.fullmatch(text, cs, ts):
            return []
        before = [m for m in ms if m.end <= opening.start()]
        if not before or text[before[-1].end:opening.start()].strip() \
                or PREP_BEFORE.search(text, 0, before[-1].start):
            return []
        return self._group(before[-1], before, text, backward=True)

    def _group(self, m: Mention, cands: list[Mention], text: str, backward: bool,
               clauses: bool = False) -> list[Mention]:
        """m plus the mentions conjoined with it ("China and Russia", "Sino-Russian").

        With ``clauses``, a name that belongs to another clause ends the group: before an
        object, a name followed by a verb or a trigger ("supports Ukraine and Germany opposes
        X": Germany is not supported); before a subject, a name right after a trigger ("China
        supports Russia and Iran supports Syria": Russia does not support Syria)."""
        if len(cands) == 1:  # (m alone)
            return [m]
        group = [m] + [c for c in cands if (c.start, c.end) == (m.start, m.end) and c != m]
        ordered = sorted(cands, key=lambda c: c.start, reverse=backward)
        rest = [c for c in ordered if (c.start < m.start if backward else c.start > m.start)]
        own = len(group)  # (m and the mentions of its own span)
        listed = False  # a joiner other than a bare comma ("and", "or", a hyphen) was seen
        for c in rest:
            edge = group[-1]
            between = text[c.end:edge.start] if backward else text[edge.end:c.start]
            same = (c.start, c.end) == (edge.start, edge.end)
            if not (same or JOINER.fullmatch(between)) and (
                    backward or not self._repeats_preposition(text, between, group[0].start)):
                break
            if not same and _JOINED.fullmatch(between) \
                    and not _JOINED_IN.match(text, (edge if backward else c).end):
                break  # "X joined Y in opposing Z" is a list; "X joined the EAEU" is not
            if backward and PREP_BEFORE.search(text[:c.start]):
                break  # "On Iran, China and Russia ...": Iran is not part of the subject
            if clauses and not same and not _HYPHEN.fullmatch(between):  # ("Sino-Russian")
                if not backward and "," in between and "and" in between \
                        and _GAPPED_AFTER.match(text, c.end):
                    break  # the subject of a gapped clause ("..., and Turkey to Azerbaijan")
                if not backward and _WORD_AFTER.match(text, c.end) and (
                        (self._verb_after.match(text, c.end)
                         and not _BETWEEN_BEFORE.search(text, max(0, group[0].start - 9),
                                                        group[0].start))
                        or ("and" in between and _VERBISH_AFTER.match(text, c.end)
                            and not _PAIR_PREP.search(text, max(0, group[0].start - 9),
                                                      group[0].start))):
                    break  # the subject of a verb after ("The EU sanctioned Russia, and
                    # Hungary objected": Hungary is not sanctioned; but "trade between India
                    # and Russia has surged": a pair after "between" is whole)
                if backward and _WORD_BEFORE.search(text, max(0, c.start - 6), c.start) \
                        and self._verb_before.search(text, max(0, c.start - 48), c.start):
                    group = group[:own]  # the object of a verb before, and the names listed
                    break  # with it ("supports Ukraine and Poland, and Germany opposes")
                if backward and "," in between and "and" in between \
                        and self._any_verb.search(text, max(0, c.start - 60), c.start):
                    break  # the last of an object list before ("Turkey buys gas from Russia
                    # and Azerbaijan, and Hungary buys oil": Azerbaijan buys nothing)
            listed = listed or (not same and between.strip() != ",")
            group.append(c)
        # (a headline's "Russia, Iran sign": a list at the start; "Russia, China's largest oil
        # supplier, ...": an apposition opened by a possessor)
        headline = backward and len(group) > own \
            and not text[:min(c.start for c in group)].strip() \
            and not text.startswith(("'", "’"), m.end)
        if not listed and not headline:
            # names joined by commas alone are no list ("If China supports Russia, the US
            group = group[:own]  # will ...": Russia is not the US's co-subject)
        return sorted(group, key=lambda c: c.start)

    @staticmethod
    def _repeats_preposition(text: str, between: str, first_start: int) -> bool:
        """A list whose second name repeats the first one's preposition, a year's aside
        between ("a member of the CSTO and, since 2024, of the SCO")."""
        hit = _REPEATED_PREPOSITION.fullmatch(between)
        return hit is not None and re.search(
            rf"\b{hit.group('prep')}\s+(?:the\s+)?$", text[max(0, first_start - 12):first_start],
            re.I) is not None

    def _sentence_subject(self, rule: Rule, ctx: _Ctx, cs: int, ts: int,
                          types: _Types, arg: Arg | None = None) -> list[Mention]:
        """VP coordination: "Moscow and Beijing support X ... and neither recognize Y"; and the
        name a relative clause follows ("Kazakhstan, which borders China, joined ...").
        ``arg``: the argument the clause's subject stands for, the rule's subject by default,
        or an object before the trigger ("India, which is large, buys weapons from France":
        the buyer)."""
        text = ctx.sent.text
        typed = self._typed(ctx, (arg or rule.subject).types, types)
        if _AND_END.search(text[cs:ts]) or _AND_CATENATIVE_END.search(text[cs:ts]):
            # "China would violate X and openly support Y": the clause's own subject
            inside = [m for m in typed if cs <= m.start and m.end <= ts]
            if inside and PREP_BEFORE.search(text, cs, inside[0].start) is not None:
                # an opening phrase ("Speaking in Beijing, Putin praised X and criticized
                # Y"): the clause's subject is the first name after its comma
                comma = text.find(",", inside[0].end, ts)
                inside = [m for m in inside if comma >= 0 and m.start > comma
                          and words(text[comma:m.start]) <= 2]
                opening = comma + 1
            else:
                opening = cs
            if inside and words(text[opening:inside[0].start]) <= 2 \
                    and PREP_BEFORE.search(text, opening, inside[0].start) is None \
                    and _POSSESSIVE_S.match(text[inside[0].end:inside[0].end + 3]) is None:
                # (not a possessor: "Russia's war has pushed Finland to ... and join NATO")
                group = self._group(inside[0], inside, text, backward=False)
                if group[0] is inside[0]:
                    return group
        cands = [m for m in typed if m.end <= cs]
        if not cands or words(text[:cands[0].start]) > 2 \
                or PREP_BEFORE.search(text, 0, cands[0].start) is not None:
            return []  # (not in an opening phrase: "Speaking in Berlin, the EU chief ...")
        first = cands[0]
        group = self._group(first, list(reversed(cands)), text, backward=False)
        if group[0] is not first:
            return []
        coordination = _COORDINATION.match(text[cs:ts].lstrip("—–- ")) \
            or _COMMA_AND_END.search(text[cs:ts])
        # "China was the only permanent member that abstained"
        relative = _RELATIVE.fullmatch(text[group[-1].end:cs])
        if coordination or relative:
            return group
        if _SUBJECT_OPENING.fullmatch(text[:first.start]) \
                and self._after_relative_clause(rule, text, group[-1].end, ts):
            return group  # "Kazakhstan, which borders China, joined ..."
        return []

    def _opening_phrase_subject(self, rule: Rule, ctx: _Ctx, cs: int, ce: int, ts: int,
                                te: int, types: _Types) -> list[Mention]:
        """The subject of an -ing trigger opening the sentence after a preposition: the first
        name after the phrase's comma ("Rather than condemning Russia, China blamed NATO",
        "By supplying drones to Russia, Iran ...": the trigger's first word in -ing); the
        phrase's negation ("rather than", "instead of", "far from", "without") is a cue of
        ``cues.negation``."""
        text = ctx.sent.text
        if not _ING_WORD.match(text, ts) or _ING_OPENING.fullmatch(text, cs, ts) is None:
            return []
        comma = text.find(",", te, ce)
        if comma < 0:
            return []
        after = [m for m in self._typed(ctx, rule.subject.types, types) if m.start > comma]
        if not after or words(text[comma + 1:after[0].start]) > 1 \
                or PREP_BEFORE.search(text, comma, after[0].start) is not None:
            return []
        return self._group(after[0], after, text, backward=False)

    def _relative_antecedent(self, rule: Rule, ctx: _Ctx, ts: int,
                             types: _Types, arg: Arg | None = None) -> list[Mention]:
        """The name a relative clause holding the trigger is about: "NATO condemned Russia,
        which invaded Ukraine in 2022" (Russia invaded it; ``arg``: the argument it stands
        for, the subject by default, or an object before the trigger: "Serbia, which buys
        Russian gas, ...").  Not a name inside a phrase after a preposition, whose head the
        clause is about ("sanctions on Russia, which were imposed ...", "the invasion of
        Ukraine, which ...")."""
        text = ctx.sent.text
        gap = _RELATIVE_GAP_END.search(text, max(0, ts - 60), ts)
        if gap is None:
            return self._whose_antecedent(rule, ctx, ts, types, arg)
        typed = self._typed(ctx, (arg or rule.subject).types, types)
        before = [m for m in typed
                  if m.end <= gap.start() and not text[m.end:gap.start()].strip(" ”\"’'")]
        if not before or PREP_BEFORE.search(text, max(0, before[-1].start - 16),
                                             before[-1].start) is not None:
            return []
        return self._group(before[-1], typed, text, backward=True)

    def _whose_antecedent(self, rule: Rule, ctx: _Ctx, ts: int, types: _Types,
                          arg: Arg | None = None) -> list[Mention]:
        """The argument a "whose" clause holding the trigger stands for: the name before it,
        for a head that stands for its possessor ("Kosovo, whose independence is recognized
        by X", ``defaults.possessive_heads``); the known event done to that name ("Crimea,
        whose annexation remains unrecognized by X": the annexation of Crimea) for an event
        head, when the argument may be one; nothing for another head ("Russia, whose ally
        ...")."""
        text = ctx.sent.text
        hit = _WHOSE_GAP_END.search(text, max(0, ts - 60), ts)
        if hit is None:
            return []
        wanted = (arg or rule.subject).types
        names = [m for m in ctx.mentions if m.end <= hit.start()]
        if not names or text[names[-1].end:hit.start()].strip(" ”\"’'") \
                or PREP_BEFORE.search(text, max(0, names[-1].start - 16), names[-1].start):
            return []
        name, head = names[-1], hit.group("head").lower()
        if head in _WHOSE_EVENTS:
            event = self._known_event(content(f"{head} of {name.text}"), _base_of(ctx), set())
            if event is None or wanted.isdisjoint(types[event]):
                return []
            found = Mention(hit.start("head"), hit.end("head"), hit.group("head"), event,
                            name.sentence, "anaphor")  # ("annexation" stands for it)
            ctx.anaphors.append(found)
            return [found]
        if head not in self.possessive_heads or wanted.isdisjoint(types[name.entity]):
            return []
        return self._group(name, self._typed(ctx, wanted, types), text, backward=True)

    def _after_relative_clause(self, rule: Rule, text: str, end: int, ts: int) -> bool:
        """Whether a relative clause of a subject ending at ``end`` makes it the subject of the
        trigger at ``ts``: the trigger right after the clause ("Kazakhstan, which borders
        China and Russia, joined the EAEU": the clause is skipped), or in it with "which"/"who"
        for the subject ("Kazakhstan, which joined the EAEU in 2015, ..."); the words left
        between them within the rule's limits."""
        aside = _RELATIVE_ASIDE.match(text, end)
        if aside is not None and aside.end() <= ts:
            gap = text[aside.end():ts].lstrip(",—– ")
        else:
            pronoun = _RELATIVE_PRONOUN.match(text, end)
            if pronoun is None or pronoun.end() > ts:
                return False
            gap = text[pronoun.end():ts]
        return words(gap) <= rule.max_gap and not self._subject_stop[rule.id].search(gap)

    def _mint(self, rule: Rule, ctx: _Ctx, text: str, te: int, ce: int,
              minted: list[MintedActor], types: _Types,
              act_date: Callable[[], str | None] = lambda: None,
              parties: Sequence[str] = ()) -> str | None:
        """The event or agreement the phrase after the trigger names: a known one, the one
        named before ("the resolution"), or a new one minted; None if nothing tells it from
        another.  ``parties``: with the mint key ``parties``, the signers, whose names tell a
        nameless agreement ("a trade agreement") from another's."""
        spec = rule.mint or {}
        tail = text[te:ce]
        if _DEMANDING_END.search(tail) and _THAT_START.match(text, ce):
            # (its "that" clause names it: "a resolution demanding that Russia withdraw its
            # troops", to the clause's next break)
            after = self.clause_break.search(text, ce + 4)
            tail = text[te:after.start() if after else len(text)]
        head = self._mint_heads[rule.id].search(tail)
        if not head or words(tail[:head.start()]) > int(spec.get("max_gap", 8)) \
                or _SUBORDINATOR.search(tail, 0, head.start()) is not None:
            return None  # (after a subordinator the phrase is another verb's: "abstained from
            # criticism of Russia after it vetoed a resolution on Syria")
        np = tail[:head.end()]
        cut = [m.end() for m in _NP_CUT.finditer(np)]
        art = _ARTICLE.search(np[cut[-1] if cut else 0:])
        start = (cut[-1] if cut else 0) + (art.start() if art else 0)
        number = _DOC_NUMBER.match(tail, head.end())
        name_end = number.end() if number else head.end()
        comp = _COMPLEMENT.match(tail[name_end:])
        comp_end = comp.end() if comp and words(comp.group(0)) >= 2 else 0  # not a bare verb
        when = cues.find_date(tail[name_end:name_end + comp_end], None) if comp else None
        if when:  # "a memorandum on gas transit on 4 May 2021": the date is not the name
            comp_end = len(_DATE_TAIL.sub("",
                                  tail[name_end:name_end + when[0]]))
        if comp_end and spec.get("parties") \
                and (party := _WITH_PARTY.search(tail, name_end, name_end + comp_end)):
            comp_end = party.start() - name_end  # (its parties name it below, in order)
        label_words = tail[start:name_end + comp_end].split()[:16]
        label = " ".join(label_words).strip(" ,")
        found = content(label)
        if len(found) > 1 and _YEAR_WORD.fullmatch(found[0]):
            found = [*found[1:], found[0]]  # "the 2023 BRICS summit": the year last, as in
            # "the BRICS summit in 2023" (one IRI for both)
        # the class: by head word ("memorandum" -> Memorandum) or the rule's default
        kind = (spec.get("types") or {}).get(head.group(0).lower(), spec.get("type", "Resolution"))
        if found == [head.group(0).lower()] or len(found) < 2 or (
                not set(found) - _BODY_WORDS - _EVENT_NOUNS - {head.group(0).lower()}
                and not _INDEFINITE.match(label) and kind in ctx.minted_events):
            # ("the draft resolution", "the UN Security Council resolution": no name of its
            # own, the one named before if any, else a new one of its act's year, below; "a
            # UN General Assembly resolution" is a new one)
            earlier = ctx.minted_events.get(kind)  # "the resolution": the last one named
            if earlier is not None:
                ctx.anaphors.append(Mention(te + start, te + head.end(),
                                            tail[start:head.end()], earlier, 0, "anaphor"))
            return earlier
        base = _base_of(ctx)
        # "a UN General Assembly resolution" introduces one: a known event only when the
        # sentence also says something of it beyond the phrase (its other label words)
        indefinite = bool(_INDEFINITE.match(label))
        # (a bare phrase, "sign cooperation treaty" in a headline, needs context too, unless
        # it is a whole label: "opposes sanctions against Russia")
        bare = not indefinite and not _DETERMINED.match(label) and label[:1].islower()
        if (indefinite or bare) and not set(found) - _GENERIC_WORDS - {head.group(0).lower()} \
                and not _year_after(text, te, ce):
            return None  # "signed a new agreement", "an important deal": nothing that tells
            # it from any other (its IRI would be every document's "new agreement")
        # the names in its complement ("a resolution on Syria") must be in the event's label
        names = set(content(" ".join(_NAME_WORD.findall(
            tail[name_end:name_end + comp_end]))))
        if number:  # "resolution ES-11/1" is not Resolution 68/262
            names.update(content(number.group()))
        in_sentence = set(content(text))
        known = None if not set(found) - _BODY_WORDS - {head.group(0).lower()} \
            else self._known_event(found, base, in_sentence, indefinite or bare, names,
                                  _act_years(text, te, ce) if rule.same_year
                                  else _year_after(text, te, ce), whole_ok=bare)
        if known and (context := self.link_contexts.get(known[len(base):])) is not None \
                and ctx.named_in is not None \
                and not all(base + c in ctx.named_in(ctx.sent.paragraph) for c in context):
            known = None  # "Moldova signed a cooperation agreement with the EU": not the
            # EU-Russia one (its paragraph names no Russia)
        if known and spec.get("dated") and not _act_years(text, te, ce) \
                and (own := _YEAR_WORD.search(known[len(base):])) is not None \
                and own.group() not in _year_of(act_date()) \
                and self._known_event(found, base, in_sentence, True, names) != known:
            known = None  # a recurring event named without a year ("attended the SCO summit
            # in Astana") is a known one of the act's year, or one the sentence names beyond
            # the phrase ("the SCO summit in Bishkek": 2019's); not any year's
        if known and kind == "Resolution" and not types[known] & _RESOLUTION_KINDS:
            known = None  # "vetoed a Security Council resolution on Ukraine in February
            # 2022": a resolution, not the Council's meeting on Ukraine of January 2022
        if known:
            ctx.name_event(kind, known)
            return known
        segment = spec.get("kind", "event")  # "event" or "agreement": the IRI's kind
        # a nameless agreement ("a trade agreement", "a comprehensive strategic partnership
        # treaty": no capitalised word of its own) is its parties': theirs in its IRI, so that
        # Russia and Iran's treaty is not Russia and North Korea's
        by_parties = sorted({p.rsplit("/", 1)[-1]: p for p in parties}.items()) \
            if spec.get("parties") and not any(
                w[:1].isupper() for w in label_words
                if w != head.group(0) and w not in ("A", "An", "The")) else []
        year: set[str] = set()  # the year its IRI and label take, if any
        if not any(_YEAR_WORD.fullmatch(w) for w in found):  # (none of its own)
            if spec.get("dated"):
                # a recurring event ("the SCO summit") is one only with its year: the act's
                # (none, or several in the sentence: its date's)
                year = _act_years(text, te, ce)
                if len(year) != 1:
                    year = _year_of(act_date())
                if not year:
                    return None
            elif indefinite or bare:
                # a new one dated by its act: its year in its name ("vetoed a UN resolution
                # on Syria in October 2016" and "... in April 2018" are two resolutions)
                year = _year_after(text, te, ce)
            if not year and not set(found) - _BODY_WORDS - _GENERIC_WORDS - _EVENT_NOUNS:
                # only head, body and generic words ("abstained on a UN General Assembly
                # resolution", "the vote on the resolution", none named before): only its
                # act's year tells it from others (else its IRI would be every document's)
                year = _year_after(text, te, ce) or _year_of(act_date())
                if not year:
                    return None
        extra = [self._name_of(p, types) for _, p in by_parties]
        if year:
            found = [*found[:9], *year]
            extra.append(next(iter(year)))
        if extra:
            label = f"{label} ({', '.join(extra)})"
        slug = slugify(" ".join([*(w for w, _ in by_parties), *found[:10]]))
        iri = f"{base}id/{segment}/{slug}"
        if iri not in types.by_iri:
            actor = MintedActor(iri=iri, kind=segment, label=label,
                                rdf_types=(ONTOLOGY_NS + kind,))
            types.mint(actor)
            ctx.typed.clear()  # (the IRI's types may change)
            minted.append(actor)
        ctx.name_event(kind, iri)
        return iri

    def _name_of(self, iri: str, types: _Types) -> str:
        """An entity's preferred label (a minted one's label), for a minted name."""
        minted = types.by_iri.get(iri)
        if minted is not None:
            return minted.label
        return self.pref_labels.get(_rel(iri)) or iri.rsplit("/", 1)[-1]

    def _known_event(self, phrase: list[str], base: str, sentence: set[str],
                     need_context: bool = False, names: set[str] | frozenset[str] = frozenset(),
                     years: set[str] | frozenset[str] = frozenset(),
                     whole_ok: bool = False) -> str | None:
        """The one reference event or agreement whose label covers >= 3/4 of the phrase
        (ties broken by the label's words found elsewhere in the sentence, which
        ``need_context`` requires: an indefinite phrase introduces a new event otherwise;
        then by the label the phrase covers most of: "Crimea's annexation" is the
        annexation of Crimea, not the resolution labelled "100-country condemnation of
        Russia's annexation of Crimea").
        ``names``: words one of its labels must hold (the names of the phrase's topic: a
        resolution "on Syria" is not the one on Venezuela). ``years``: the sentence's years,
        for a ``same_year`` rule: an event or agreement of another year is not it ("signed
        the historic gas deal in 2014" is not the 2022 deal)."""
        wanted = set(phrase)
        best: list[tuple[float, int, float, str]] = []  # (score, context, tightness, IRI)
        # only a label sharing a word with the phrase can cover any of it
        near = set().union(*(self._label_words.get(w, ()) for w in wanted))
        for rel in sorted(near):
            labels = self.entity_labels[rel]
            if names and not any(names <= lab for lab in labels):
                continue
            if years:  # (the years of its IRI and labels)
                own = set(_YEAR_WORD.findall(rel)).union(
                    *({w for w in lab if _YEAR_WORD.fullmatch(w)} for lab in labels))
                if own and not own & years:
                    continue
            score = max(len(wanted & lab) / len(wanted) for lab in labels)
            if score >= 0.75:  # context and tightness: from the labels that cover the phrase
                covering = [lab for lab in labels if len(wanted & lab) >= 0.75 * len(wanted)]
                context = max(len((lab - wanted) & sentence) for lab in covering)
                tight = max(len(wanted & lab) / len(lab) for lab in covering)
                best.append((score, context, tight, rel))
        best.sort(reverse=True)
        if need_context and best and best[0][1] == 0 and not (whole_ok and best[0][2] == 1):
            return None  # (``whole_ok``: a phrase that is a whole label needs none)
        if best and (len(best) == 1 or best[0][:3] > best[1][:3]):
            return base + best[0][3]
        return None

    def _qualifiers(self, rule: Rule, ctx: _Ctx, clause: tuple[int, int],
                    trigger: tuple[int, int], used: set[str], types: _Types) -> dict:
        cs, ce = clause
        text = ctx.sent.text[cs:ce]
        out: dict = {}
        if "domain" in rule.qualifiers:
            lowered = ctx.lowered  # (no CASE_TRAPS: the same offsets as the text)
            if lowered is not None:  # a keyword is searched where it may occur
                clause_lowered = lowered[cs:ce]
                maybe = set(self._domain_always)
                for w, keywords in self._domain_needles:
                    if w in clause_lowered:
                        maybe.update(keywords)
                found = {self._domain_words[i][1] for i in maybe
                         if self._domain_words[i][0].search(text)}
            else:
                found = {d for kw, d in self._domain_res if kw.search(text)}
            out["in_domain"] = tuple(sorted(found))
        if "region" in rule.qualifiers:
            places = [m.entity for m in ctx.mentions if cs <= m.start and m.end <= ce
                      and m.entity not in used and "Region" in types[m.entity]
                      and _LOCATIVE.search(ctx.sent.text[:m.start])]
            out["in_region"] = tuple(sorted(set(places)))
        if "place" in rule.qualifiers:
            # a place or the event held there ("at the G20 summit in Japan": the summit)
            at = sorted((m for m in ctx.mentions if cs <= m.start and m.end <= ce
                         and m.entity not in used
                         and types[m.entity] & {"Place", "State", "Event"}
                         and _IN_AT_END.search(ctx.sent.text[:m.start])),
                        key=lambda m: (m.start, -m.end))
            out["at_place"] = at[0].entity if at else None
        if "figure" in rule.qualifiers:
            # the figure nearest the trigger ("about 75% of FDI into X came from, and almost
            # 50% of trade was with, Y": each relation its own figure)
            ts, te = trigger
            figs = [f for f in self.figure.finditer(ctx.sent.text, cs, ce) if f.group(0).strip()]
            fig = min(figs, key=lambda f: (max(ts - f.end(), f.start() - te, 0), f.start()),
                      default=None)
            out["figure"] = fig.group(0).strip() if fig else None
        return out

    def _date(self, ctx: _Ctx, cs: int, ce: int, ts: int, floor: bool = False) -> str | None:
        """The date of a relation whose trigger starts at ``ts`` in the clause text[cs:ce]
        (rules sharing a clause share it, or each side of a time told from another:
        "eight years after")."""
        key = (cs, ce, floor)
        if key not in ctx.clause_dates:
            ctx.clause_dates[key] = self._clause_date(ctx, cs, ce, floor)
        date = ctx.clause_dates[key]
        if date is not _TOLD_FROM_ANOTHER:
            return cast("str | None", date)
        text = ctx.sent.text
        relative = _RELATIVE_SPAN.search(text, cs, ce)
        if relative is None:  # (found only with the sentence's asides blanked: the clause's)
            part = text[cs:ce]
        else:
            # the phrase after it (to a comma) is the other event, with its own date ("eight
            # years after Russia annexed Crimea in 2014"); the rest of the clause is the
            # relation's
            comma = text.find(",", relative.end(), ce)
            other_end = ce if comma < 0 else comma
            if relative.start() <= ts < other_end:
                part = text[relative.end():other_end]
            else:
                part = text[cs:relative.start()] + " " + text[other_end:ce]
        hit = cues.find_date(part, ctx.year)
        return hit[2] if hit else None

    def _clause_date(self, ctx: _Ctx, cs: int, ce: int,
                     floor: bool = False) -> str | object | None:
        """The date of the clause text[cs:ce] (``floor``: nothing before ``cs`` is the
        clause's, except a date opening the sentence)."""
        text = ctx.sent.text
        if ctx.no_dates is None:
            ctx.no_dates = not cues.may_hold_date(text)
        if ctx.no_dates:  # (neither the clause nor the rest of the sentence holds one)
            return ctx.paragraph_dates[0] if len(ctx.paragraph_dates) == 1 \
                and _RELATIVE_TIME.search(text, cs, ce) is None else None
        if _RELATIVE_ASIDE_START.search(text) is not None:
            # a relative clause between dashes or commas dates its own noun, not the
            # relation ("Kosovo—which declared independence in 2008—"): blanked, same length
            text = _RELATIVE_ASIDE.sub(lambda m: " " * len(m.group()), text)
        if ", a" in text:  # so does an apposition ("Iran, a member of the SCO since 2023,")
            text = _APPOSITION.sub(lambda m: " " * len(m.group()), text)
        if ("fter" in text or "efore" in text) \
                and _RELATIVE_SPAN.search(text, cs, ce) is not None:
            return _TOLD_FROM_ANOTHER  # "eight years after annexing Crimea in 2014": per side
        hit = cues.find_date(text[cs:ce], ctx.year)
        if hit:
            return hit[2]
        if _RELATIVE_TIME.search(text, cs, ce):
            return None  # "two years later, China and Russia held ...": not the other date
        if _OWN_TIME.search(text, cs, ce):
            return None  # a time of its own that cannot be resolved ("in July" in an undated
            # text): not the date of another clause
        # the only date elsewhere, within the statement: not beyond a semicolon or a
        # contrast ("..., while Lavrov met Wang Yi"; "...; Uzbekistan withdrew in 2012"),
        # unless it opens the sentence ("In 2014, X ...; Y ...")
        before = [m.end() for m in _CONTRAST.finditer(text, 0, cs)]
        after = _CONTRAST.search(text, ce)
        region_start = before[-1] if before else 0
        if floor:
            region_start = max(region_start, cs)
        region_end = after.start() if after is not None else len(text)
        if "which" in text or "who" in text:  # a relative clause dates its own noun ("...
            # sanctions on Russia, which had annexed Crimea in 2014"): blanked, same length
            text = _RELATIVE_TAIL.sub(lambda m: " " * len(m.group()), text)
        outside = cues.all_dates(text[region_start:cs] + " " + text[ce:region_end], ctx.year)
        if len(outside) == 1:
            return outside[0]
        if not outside and region_start > 0:
            opening = cues.find_date(text[:region_start], ctx.year)
            if opening is not None and words(text[:opening[0]]) <= 1:
                return opening[2]
        return ctx.paragraph_dates[0] if len(ctx.paragraph_dates) == 1 else None


_RESOLVED = frozenset({"anaphor", "singular"})  # Mention kinds of resolved anaphors
# a time told from another ("two years later", "the following year", "weeks ago"): a clause
# that holds one takes no date from elsewhere in the sentence or paragraph
_OWN_TIME = re.compile(r"\b(?:(?:in|on|since|by|until|last|this|next|early|late|mid)[\s-]+"
                       rf"(?:{'|'.join(m.capitalize() for m in cues.MONTHS)})"
                       r"|(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
                       r"Sunday)|yesterday|last\s+(?:week|month))\b")
_CONTRAST = re.compile(r";|,?\s+(?:while|whereas|but|although|though|yet)\b"
                       r"|,[\d¹²³⁴⁵⁶⁷⁸⁹⁰]{0,3}\s+and\s+(?=(?:the\s+)?(?-i:[A-Z]))", re.I)
_UNTIL = re.compile(r"\b(?:until|till)\b", re.I)
#: (memberships and affiliations) a status not yet or no longer held, right before the
#: trigger or in it: "an aspiring NATO member" (group 1), "a former CSTO member"
_STATUSES = frozenset({"memberOf", "affiliatedWith"})
_STATUS_WORD = re.compile(r"\b(?:(aspiring|prospective|future|would-be|candidate|potential|"
                          r"hopeful)|former|ex-|onetime|one-time|erstwhile|(?:was|were)\s+once|"
                          r"used\s+to\s+be)\b", re.I)
_YEAR_WORD = re.compile(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)")


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
        found = cues.find_date(hit.group("aside"), year) \
            if hit is not None and hit.group("aside") else None
        if found is not None:
            for o in objects:
                out[o.entity] = found[2] if o.start >= b.start \
                    else (None if date == found[2] else date)
    return out


def _act_years(text: str, te: int, ce: int) -> set[str]:
    """The year of an act whose trigger ends at ``te``: that of the first year after it in its
    clause ("signed a gas deal with China in 2014 and sold oil to India in 2022": 2014), else
    every year of the sentence."""
    after = _YEAR_WORD.search(text, te, ce)
    return {after.group()} if after else set(_YEAR_WORD.findall(text))


#: a clause joined after a relation's ("..., and in 2022 Russia vetoed ...")
_CLAUSE_AFTER = re.compile(r",\s+(?:and|but|while|whereas)\s+")


def _year_after(text: str, te: int, ce: int) -> set[str]:
    """The first year after a trigger ending at ``te`` in its clause, if any: the act's own
    ("vetoed a draft resolution on 25 February 2022" is not the 2019 draft)."""
    cut = _CLAUSE_AFTER.search(text, te, ce)  # (not another clause's: "vetoed a resolution
    after = _YEAR_WORD.search(text, te, cut.start() if cut else ce)  # on Venezuela, and in
    return {after.group()} if after else set()  # 2022 Russia vetoed ...")


def _of_another_year(iri: str, years: set[str]) -> bool:
    """A reference event or agreement whose IRI holds a year, for an act of other years:
    another event ("signed the historic gas deal in 2014" is not the 2022 deal)."""
    own = set(_YEAR_WORD.findall(iri.rpartition("/id/")[2]))
    return bool(own and years and not own & years)
_TOLD_FROM_ANOTHER = object()  # (a clause's date that depends on the side of _RELATIVE_SPAN)
_RELATIVE_SPAN = re.compile(
    r"\b(?:\w+\s+(?:years?|months?|weeks?|days?|decades?)|shortly|soon|just|right|"
    r"immediately|long)\s+(?:after|before)\b|^\W*(?:[Ss]oon\s+|[Ss]hortly\s+|[Jj]ust\s+)?"
    r"(?:[Aa]fter|[Bb]efore)\b", re.I)
_RELATIVE_TIME = accelerated(re.compile(
    r"\b(?:later|earlier|afterwards?|subsequently|ago|the\s+(?:following|next|previous|"
    r"preceding)\s+(?:year|month|week|day|decade)s?)\b", re.I))


#: the opening of an indefinite apposition up to a trigger in it (``_APPOSITION``): ", a key "
_APPOSITION_OPEN = re.compile(r",\s+(?:a|an)\s+(?:[\w-]+\s+){0,3}")


def _apposition_span(text: str, ts: int, te: int) -> tuple[int, int] | None:
    """The span of the apposition (:data:`_APPOSITION`) that holds the trigger text[ts:te]."""
    if ", a" not in text:
        return None
    for m in _APPOSITION.finditer(text):
        if m.start() <= ts and te <= m.end():
            return m.span()
    return None


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


def _anaphors_for(a: Assertion, local: list[Mention], sent: Sentence) -> list[Mention]:
    """The resolved anaphors of the sentence (offsets in the document) that stand for an
    argument of ``a`` the sentence does not name ("They pushed hard ...")."""
    named = {m.entity for m in local if m.kind not in _RESOLVED}
    return [Mention(m.start + sent.start, m.end + sent.start, m.text, m.entity, sent.index,
                    m.kind)
            for m in local if m.kind in _RESOLVED and m.entity in (a.subject, a.object)
            and m.entity not in named]


def _nearest_end_first(m: Mention) -> tuple[int, int]:
    return -m.end, m.start


def _possessive(text: str, mentions: list[Mention]) -> bool:
    """Whether a mention ends right before an apostrophe ("Russia's"): a possessor locator
    finds nothing otherwise (the gap after its mention opens with one, _POSSESSOR_GAP)."""
    for m in mentions:
        if text[m.end:m.end + 1] in _APOSTROPHES:
            return True
    return False


def _gate(rule: Rule) -> frozenset[str] | None:
    """Lower-case words one of which every match of the rule's triggers starts with."""
    words_: list[str] = []
    for trigger in rule.triggers:
        inner = trigger.pattern
        if not (inner.startswith(r"\b(?:") and inner.endswith(r")\b")):
            return None
        prefixes = literal_prefixes(inner[len(r"\b(?:"):-len(r")\b")])
        if prefixes is None or not all(_WORD_HEAD.fullmatch(p[:3]) for p in prefixes):
            return None  # (a gate word is looked up by its first three word characters)
        words_.extend(prefixes)
    return frozenset(words_)


def _trigger_words(trigger: re.Pattern[str]) -> tuple[str, ...] | None:
    """Lower-case words one of which every match of the trigger starts with (or, failing
    that, contains), or None when not known."""
    inner = trigger.pattern
    if inner.startswith(r"\b(?:") and inner.endswith(r")\b"):
        prefixes = literal_prefixes(inner[len(r"\b(?:"):-len(r")\b")])
        if prefixes is not None:
            return tuple(sorted(set(prefixes)))
    needs = required_literals(trigger)
    return tuple(sorted(needs)) if needs is not None else None


def _needs(rule: Rule) -> frozenset[str] | None:
    """Lower-case strings one of which every match of the rule's triggers contains."""
    needs: set[str] = set()
    for trigger in rule.triggers:
        found = required_literals(trigger)
        if found is None:
            return None
        needs |= found
    return frozenset(needs)


def _year(date: str | None) -> int | None:
    return int(date[:4]) if date and date[:4].isdigit() else None


def _year_of(date: str | None) -> set[str]:
    """:func:`_year` as the set a minted event's year is taken from ("2024-05" -> {"2024"})."""
    year = _year(date)
    return {f"{year:04d}"} if year is not None else set()


def _base_of(ctx: _Ctx) -> str:
    """The base IRI, read off any mention of the sentence's document (all share it)."""
    for m in ctx.mentions:
        return m.entity.rsplit("/", 3)[0] + "/"
    return "https://entente.example.org/"


def _participle_after_noun(previous: str, word: str) -> bool:
    """Whether ``word`` (lower case, after the gap word ``previous``) opens a reduced
    relative clause: an -ing word after a word that is no determiner or adverb ("companies
    supplying"; not "the ruling", "rapidly growing", nor the first word: "neighbouring"), nor
    "nor" ("neither endorsing nor condemning X": two verbs, one object)."""
    return (len(word) > 5 and word.endswith("ing") and previous != ""
            and previous not in _BEFORE_ADJECTIVE and previous != "nor"
            and not previous.endswith("ly")
            and word not in _ING_PREPOSITIONS)
