"""Sentence templates for synthetic claims, shared by the dataset and the text generator.

Each template maps an ontology relation to an English clause built with the trigger verbs
the extractor's rules handle ("vetoed", "is a member of", "is likely to defer to" ...), in
asserted, hedged and negated forms, so that synthetic text reads like the corpus and the
synthetic graph carries the same quotes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Template:
    predicate: str  # ent: local name
    rule: str  # the extraction rule id recorded in ent:rule
    subject: str  # entity kind
    object: str  # entity kind
    asserted: str  # "{s} vetoed {o}"
    base: str  # after a hedge: "{s} is likely to" + " veto {o}"
    negated: str  # "{s} did not veto {o}"
    domains: tuple[str, ...] = ()  # ent: domain concepts this relation is often qualified with
    regional: bool = False  # may carry "in {region}"
    figure: bool = False  # may carry an economic figure
    object_class: str | None = None  # narrower ent: class of the object, e.g. ResolutionVote


TEMPLATES: tuple[Template, ...] = (
    Template("memberOf", "membership", "state", "org", "{s} is a member of {o}",
             "join {o}", "{s} is not a member of {o}"),
    Template("vetoed", "veto", "state", "event", "{s} vetoed {o}", "veto {o}",
             "{s} did not veto {o}", ("Diplomacy",),
             object_class="ResolutionVote"),
    Template("votedFor", "vote-for", "state", "event", "{s} voted for {o}",
             "vote for {o}", "{s} did not vote for {o}", ("Diplomacy",),
             object_class="ResolutionVote"),
    Template("votedAgainst", "vote-against", "state", "event", "{s} voted against {o}",
             "vote against {o}", "{s} did not vote against {o}", ("Diplomacy",),
             object_class="ResolutionVote"),
    Template("abstainedOn", "abstention", "state", "event", "{s} abstained on {o}",
             "abstain on {o}", "{s} did not abstain on {o}", ("Diplomacy",),
             object_class="ResolutionVote"),
    Template("meetsWith", "meeting", "state", "state", "{s} met {o}", "meet {o}",
             "{s} did not meet {o}", ("Diplomacy",)),
    Template("participantIn", "participation", "state", "event", "{s} took part in {o}",
             "take part in {o}", "{s} did not take part in {o}", ("Defence",)),
    Template("signed", "signing", "state", "agreement", "{s} signed {o}", "sign {o}",
             "{s} did not sign {o}", ("Diplomacy",)),
    Template("supports", "support", "state", "agreement", "{s} supports {o}", "support {o}",
             "{s} does not support {o}", ("Diplomacy", "Infrastructure")),
    Template("opposes", "opposition", "state", "state", "{s} opposes {o}", "oppose {o}",
             "{s} does not oppose {o}", ("Security",), regional=True),
    Template("sanctions", "sanctions", "state", "state", "{s} imposed sanctions on {o}",
             "impose sanctions on {o}", "{s} did not impose sanctions on {o}",
             ("Finance", "Trade")),
    Template("defersTo", "deference", "state", "state", "{s} defers to {o}", "defer to {o}",
             "{s} does not defer to {o}", ("Security", "Economy"), regional=True),
    Template("cooperatesWith", "cooperation", "state", "state", "{s} cooperates with {o}",
             "cooperate with {o}", "{s} does not cooperate with {o}",
             ("Energy", "Defence", "Technology", "Finance", "Security"), regional=True),
    Template("competesWith", "competition", "state", "state", "{s} competes with {o}",
             "compete with {o}", "{s} does not compete with {o}",
             ("Energy", "Trade", "Infrastructure", "Security"), regional=True),
    Template("tradesWith", "trade", "state", "state", "{s} trades with {o}", "trade with {o}",
             "{s} does not trade with {o}", ("Trade", "Economy"), figure=True),
    Template("investsIn", "investment", "state", "state", "{s} invested in {o}",
             "invest in {o}", "{s} did not invest in {o}", ("Finance", "Infrastructure"),
             regional=True, figure=True),
    Template("suppliesEnergyTo", "energy-supply", "state", "state", "{s} supplies gas to {o}",
             "supply gas to {o}", "{s} does not supply gas to {o}", ("Energy",), figure=True),
    Template("dependsOn", "dependence", "state", "state", "{s} depends on {o}", "depend on {o}",
             "{s} does not depend on {o}", ("Energy", "Technology", "Trade"), figure=True),
    Template("recognizes", "recognition", "state", "place", "{s} recognized {o}",
             "recognize {o}", "{s} did not recognize {o}", ("Diplomacy",)),
    Template("annexes", "annexation", "state", "place", "{s} annexed {o}", "annex {o}",
             "{s} did not annex {o}", ("Security",)),
    Template("pressures", "pressure", "state", "state", "{s} pressured {o}", "pressure {o}",
             "{s} did not pressure {o}", ("Diplomacy", "Security")),
    Template("partyTo", "party", "state", "agreement", "{s} is a party to {o}",
             "become a party to {o}", "{s} is not a party to {o}", ("Diplomacy",)),
    Template("proposes", "proposal", "state", "agreement", "{s} proposed {o}", "propose {o}",
             "{s} did not propose {o}", ("Diplomacy",)),
)

#: certainty concept (ent: local name) -> the hedge put before the verb's base form
HEDGES: dict[str, tuple[str, ...]] = {
    "AlmostCertain": ("will almost certainly",),
    "HighlyLikely": ("is highly likely to", "is very likely to"),
    "Likely": ("is likely to", "is expected to", "will probably"),
    "RoughlyEvenChance": ("has a roughly even chance to",),
    "Unlikely": ("is unlikely to",),
    "HighlyUnlikely": ("is highly unlikely to",),
    "Remote": ("has only a remote chance to",),
    "Possible": ("may", "could"),
}

#: certainty mix: (concept, weight); "Asserted" = no hedge
CERTAINTY_MIX: tuple[tuple[str, float], ...] = (
    ("Asserted", 0.62), ("Likely", 0.1), ("Possible", 0.1), ("HighlyLikely", 0.05),
    ("Unlikely", 0.05), ("AlmostCertain", 0.03), ("RoughlyEvenChance", 0.02),
    ("HighlyUnlikely", 0.02), ("Remote", 0.01),
)

FIGURES = ("about a sixth of its imports", "about 75% of foreign direct investment",
           "nearly 40% of its oil exports", "roughly $190 billion a year",
           "about a quarter of its gas supply", "more than half of its arms imports",
           "some 30 billion cubic metres of gas a year")

DOMAIN_WORDS = {"Energy": "energy", "Defence": "defence", "Finance": "finance", "Trade": "trade",
                "Technology": "technology", "Security": "security", "Diplomacy": "diplomacy",
                "Infrastructure": "infrastructure", "Economy": "the economy",
                "HumanRights": "human rights", "NuclearWeapons": "nuclear weapons"}

FILLERS = (
    "{s} has long sought a greater role in {r}.",
    "Relations between {s} and {o} have evolved considerably over the past decade.",
    "Observers in {s} watch developments in {r} closely.",
    "The relationship remains asymmetric, and many analysts doubt that it will last.",
    "This is not the first time such questions have been raised.",
    "{s} and {o} describe their partnership as having no limits.",
    "Trade figures published by {s} tell a more sober story.",
)


def pick_certainty(rng: random.Random) -> str:
    names = [c for c, _ in CERTAINTY_MIX]
    return rng.choices(names, weights=[w for _, w in CERTAINTY_MIX])[0]
