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
Polarity, certainty, attribution and time come from ``graph/cues.py`` (the dates from
``graph/date_cues.py``).

The package's modules, each a part of :class:`RelationExtractor` or what those parts share:

* ``extractor``: the class, its compiled rules and the loop over a document's sentences;
* ``apply``: one rule at one sentence (trigger matches, arguments, checks, the assertion);
* ``polarity``: a match's cue window, negation and certainty, and the sentence's mood;
* ``arguments``: the argument locators (``objects``: the ``after`` one); ``subjects``: a
  ``before`` subject further away;
* ``checks``: the clause, and the checks and additions to a match; ``predicates``: tests
  over the sentence text (counterfactuals, requests, denials, a verb phrase's own tense);
* ``events``: minting an object event; ``dates``: qualifiers, time and a status's span;
* ``context``: a document's and a sentence's context; ``patterns``: the shared patterns.
"""

from entente.graph.relations.extractor import RelationExtractor
from entente.graph.ruleset import Rule

__all__ = ["RelationExtractor", "Rule"]
