"""Compose synthetic documents: sentences with exact mention offsets and the claims they make.

A document is a title, paragraphs of sentences (claims and filler) and a trailing block of
page chrome ("Related Publications", a copyright line), like the corpus texts.  Everything
is drawn from a seeded ``random.Random`` so the same seed gives the same documents.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from entente.bench.templates import (
    DOMAIN_WORDS,
    FIGURES,
    FILLERS,
    HEDGES,
    TEMPLATES,
    Template,
    pick_certainty,
)
from entente.bench.world import MONTHS, Entity, World

#: templates whose asserted/negated forms read well with "X and Y" as the subject
_COMPOUND = {"vetoed", "votedFor", "votedAgainst", "abstainedOn", "signed", "participantIn",
             "sanctions", "proposes"}


@dataclass(frozen=True)
class Claim:
    subject: Entity
    template: Template
    object: Entity
    negated: bool
    certainty: str
    speaker: Entity | None
    date: str | None
    domains: tuple[str, ...]
    regions: tuple[Entity, ...]
    figure: str | None


@dataclass
class SynthSentence:
    start: int
    end: int
    text: str
    mentions: list[tuple[int, int, Entity]]  # absolute offsets
    claims: list[Claim] = field(default_factory=list)


@dataclass
class SynthDocument:
    slug: str
    title: str
    authors: list[Entity]
    publisher: Entity
    date: str
    text: str
    sentences: list[SynthSentence]
    chrome: tuple[int, int, str]  # start, end, reason of the excluded trailing segment

    @property
    def people(self) -> list[Entity]:
        """Persons minted in this document (authors and quoted speakers), first use order."""
        seen: dict[str, Entity] = {a.iri: a for a in self.authors}
        for sentence in self.sentences:
            for _, _, entity in sentence.mentions:
                if entity.kind == "person":
                    seen.setdefault(entity.iri, entity)
        return list(seen.values())


class _Builder:
    def __init__(self) -> None:
        self.chunks: list[str] = []
        self.length = 0
        self.mentions: list[tuple[int, int, Entity]] = []

    def add(self, text: str, entity: Entity | None = None) -> None:
        if entity is not None:
            self.mentions.append((self.length, self.length + len(text), entity))
        self.chunks.append(text)
        self.length += len(text)

    def text(self) -> str:
        return "".join(self.chunks)


def _date(rng: random.Random) -> tuple[str, str]:
    year = rng.randint(1996, 2024)
    month = rng.randint(1, 12)
    form = rng.random()
    if form < 0.35:
        return f"In {year}, ", str(year)
    if form < 0.75:
        return f"In {MONTHS[month - 1]} {year}, ", f"{year}-{month:02d}"
    day = rng.randint(1, 28)
    return f"On {day} {MONTHS[month - 1]} {year}, ", f"{year}-{month:02d}-{day:02d}"


def _claim_sentence(world: World, rng: random.Random, out: _Builder, template: Template,
                    certainty: str | None = None, negated: bool | None = None,
                    subjects: list[Entity] | None = None) -> list[Claim]:
    certainty = certainty or pick_certainty(rng)
    if negated is None:
        negated = certainty == "Asserted" and rng.random() < 0.12
    if subjects is None:
        subjects = [world.pick(template.subject)]
        if template.predicate in _COMPOUND and certainty == "Asserted" and rng.random() < 0.3:
            second = world.pick(template.subject)
            if second.iri != subjects[0].iri:
                subjects.append(second)
    obj = world.pick(template.object, cls=template.object_class)
    while obj.iri in {s.iri for s in subjects}:
        obj = world.pick(template.object, skew=0.6, cls=template.object_class)
    speaker = world.pick("person", skew=0.8) if rng.random() < 0.35 else None
    date_text, date = _date(rng) if rng.random() < 0.55 else ("", None)
    if date_text:
        out.add(date_text)
    if speaker is not None and rng.random() < 0.5:
        out.add("According to " if not date_text else "according to ")
        out.add(speaker.label, speaker)
        out.add(", ")
        speaker_suffix = False
    else:
        speaker_suffix = speaker is not None
    form = template.negated if negated else template.asserted
    if certainty != "Asserted":
        form = "{s} " + rng.choice(HEDGES[certainty]) + " " + template.base
    head, tail = form.split("{s}", 1)
    out.add(head)
    for i, subject in enumerate(subjects):
        if i:
            out.add(" and ")
        out.add(subject.phrase(rng), subject)
    before, after = tail.split("{o}", 1)
    out.add(before)
    out.add(obj.phrase(rng, alias=obj.kind == "state"), obj)
    out.add(after)
    domains: tuple[str, ...] = ()
    regions: tuple[Entity, ...] = ()
    figure = None
    if template.domains and rng.random() < 0.5:
        domains = (rng.choice(template.domains),)
        out.add(f" on {DOMAIN_WORDS[domains[0]]}")
    if template.regional and rng.random() < 0.4:
        region = world.pick("place")
        regions = (region,)
        out.add(" in ")
        out.add(region.phrase(), region)
    if template.figure and rng.random() < 0.6:
        figure = rng.choice(FIGURES)
        out.add(f", accounting for {figure}")
    if speaker_suffix and speaker is not None:
        out.add(", ")
        out.add(speaker.label, speaker)
        out.add(rng.choice((" said", " told reporters", " argues", " wrote")))
    out.add(".")
    return [Claim(s, template, obj, negated, certainty, speaker, date, domains, regions, figure)
            for s in subjects]


def _filler(world: World, rng: random.Random, out: _Builder) -> None:
    form = rng.choice(FILLERS)
    s, o, r = world.pick("state"), world.pick("state"), world.pick("place")
    while o.iri == s.iri:
        o = world.pick("state", skew=0.5)
    rest = form
    while "{" in rest:
        pre, rest = rest.split("{", 1)
        key, rest = rest.split("}", 1)
        out.add(pre)
        entity = {"s": s, "o": o, "r": r}[key]
        out.add(entity.phrase(rng), entity)
    out.add(rest)


def compose_document(world: World, rng: random.Random, index: int, *,
                     coverage: bool = False) -> SynthDocument:
    """One synthetic document.  ``coverage``: one claim per template (the first document),
    so that every relation, hedge and polarity occurs even in the smallest dataset."""
    publisher = world.pick("institution", skew=0.7)
    authors = [world.pick("person", skew=0.5) for _ in range(rng.choice((1, 1, 2)))]
    if len(authors) == 2 and authors[0].iri == authors[1].iri:
        authors.pop()
    year = rng.randint(2008, 2024)
    date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    topic = world.pick("state")
    title = f"{topic.label} and {world.pick('state', skew=2.0).label}: report {index + 1}"
    slug = f"synth-{year}-{index + 1:06d}"
    header = f"{title}\n\nBy {' and '.join(a.label for a in authors)}\n\n"
    text: list[str] = [header]
    pos = len(header)
    sentences: list[SynthSentence] = []
    plan: list[Template | None]
    if coverage:
        plan = list(TEMPLATES) + [None] * 6
    else:
        plan = [rng.choice(TEMPLATES) if rng.random() < 0.45 else None
                for _ in range(rng.randint(16, 48))]
    for k, template in enumerate(plan):
        builder = _Builder()
        claims: list[Claim] = []
        if template is None:
            _filler(world, rng, builder)
        elif coverage:
            certainty = list(HEDGES)[k % len(HEDGES)] if k % 3 == 2 else "Asserted"
            claims = _claim_sentence(world, rng, builder, template, certainty=certainty,
                                     negated=k % 5 == 4 and certainty == "Asserted",
                                     subjects=[world.pools["state"][k % 2]])
        else:
            claims = _claim_sentence(world, rng, builder, template)
        sentence_text = builder.text()
        sentence_text = sentence_text[0].upper() + sentence_text[1:]
        mentions = [(pos + a, pos + b, e) for a, b, e in builder.mentions]
        sentences.append(SynthSentence(pos, pos + len(sentence_text), sentence_text, mentions,
                                       claims))
        sep = "\n\n" if k % 5 == 4 else " "
        text.append(sentence_text + sep)
        pos += len(sentence_text) + len(sep)
    if not text[-1].endswith("\n\n"):
        text[-1] = text[-1].rstrip(" ") + "\n\n"
        pos += 1
    chrome = (f"Related Publications\n{world.pick('state').label} after the crisis: a new "
              f"balance? Read more\nCopyright (c) {year} {publisher.label}. All rights "
              "reserved.\n")
    start = pos
    text.append(chrome)
    full = "".join(text)
    return SynthDocument(slug, title, authors, publisher, date, full, sentences,
                         (start, start + len(chrome) - 1, "related-publications"))
