"""The actors, places, agreements and events that synthetic data talks about.

Real reference entities come from the bundled ``ontology/entities.ttl`` when it is there
(so synthetic documents link to the same IRIs as the corpus); a built-in list of real
actors (states, organizations, regions ...) fills the pools when it is not, and synthetic
people, institutions, agreements and events are added deterministically from a seed so
that larger datasets have proportionally more distinct resources.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from importlib.resources import files

from entente.graph.namespaces import slugify
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from entente.config import ONTOLOGY_NS


@dataclass(frozen=True)
class Entity:
    iri: str
    label: str
    kind: str  # state | org | person | institution | agreement | event | place
    classes: tuple[str, ...]  # local names in ent:
    alt_labels: tuple[str, ...] = ()
    article: bool = False  # "the Arctic", "the SCO"
    date: str | None = None  # events: when it happened; agreements: the year concluded
    reference: bool = True  # defined in the entities graph (False: minted in a document)

    def phrase(self, rng: random.Random | None = None, *, alias: bool = True) -> str:
        """A surface form for running text (sometimes an alias, e.g. 'Beijing')."""
        label = self.label
        if alias and rng is not None and self.alt_labels and rng.random() < 0.3:
            label = rng.choice(self.alt_labels)
            return label
        return f"the {label}" if self.article and not label.startswith("the ") else label


# (slug, label, alt labels, article) -------------------------------------------------------
_STATES = [
    ("china", "China", ("Beijing",), False), ("russia", "Russia", ("Moscow", "the Kremlin"), False),
    ("united-states", "United States", ("Washington", "the U.S."), True),
    ("ukraine", "Ukraine", ("Kyiv", "Kiev"), False), ("india", "India", ("New Delhi",), False),
    ("kazakhstan", "Kazakhstan", ("Astana",), False), ("japan", "Japan", ("Tokyo",), False),
    ("north-korea", "North Korea", ("Pyongyang",), False), ("iran", "Iran", ("Tehran",), False),
    ("syria", "Syria", ("Damascus",), False), ("germany", "Germany", ("Berlin",), False),
    ("turkey", "Turkey", ("Ankara",), False), ("mongolia", "Mongolia", (), False),
    ("belarus", "Belarus", ("Minsk",), False), ("uzbekistan", "Uzbekistan", (), False),
    ("vietnam", "Vietnam", ("Hanoi",), False), ("pakistan", "Pakistan", (), False),
    ("france", "France", ("Paris",), False),
    ("united-kingdom", "United Kingdom", ("London",), True),
    ("brazil", "Brazil", (), False), ("south-africa", "South Africa", (), False),
]
_ORGS = [
    ("sco", "Shanghai Cooperation Organisation", ("SCO",), True),
    ("brics", "BRICS", (), False), ("united-nations", "United Nations", ("UN",), True),
    ("un-security-council", "UN Security Council", ("Security Council",), True),
    ("un-general-assembly", "UN General Assembly", ("General Assembly",), True),
    ("nato", "NATO", (), False), ("european-union", "European Union", ("EU",), True),
    ("eurasian-economic-union", "Eurasian Economic Union", ("EAEU",), True),
    ("csto", "Collective Security Treaty Organization", ("CSTO",), True),
    ("asean", "ASEAN", (), False),
]
_PLACES = [
    ("central-asia", "Central Asia", (), False), ("arctic", "Arctic", (), True),
    ("crimea", "Crimea", (), False), ("taiwan", "Taiwan", (), False),
    ("siberia", "Siberia", (), False), ("south-china-sea", "South China Sea", (), True),
    ("middle-east", "Middle East", (), True), ("korean-peninsula", "Korean Peninsula", (), True),
    ("donbas", "Donbas", (), False), ("far-east", "Russian Far East", (), True),
]
_AGREEMENTS = [
    ("treaty-of-good-neighborliness", "Treaty of Good-Neighborliness and Friendly Cooperation",
     "Treaty"),
    ("power-of-siberia-gas-deal", "Power of Siberia gas deal", "Deal"),
    ("belt-and-road-initiative", "Belt and Road Initiative", "Proposal"),
    ("joint-statement-2022-02-04", "joint statement of 4 February 2022", "JointStatement"),
    ("freeze-for-freeze", "freeze for freeze proposal", "Proposal"),
    ("new-start", "New START treaty", "Treaty"),
]
_FIRST = ["Anna", "Boris", "Chen", "Daria", "Elena", "Feng", "Grigory", "Hui", "Igor", "Jing",
          "Kirill", "Lei", "Marina", "Nikolai", "Olga", "Pavel", "Qiang", "Roman", "Sergei",
          "Tatiana", "Vera", "Wei", "Xia", "Yuri", "Zhang", "Alexander", "Li", "Maria", "Dmitri",
          "Mei", "Peter", "Sarah", "James", "Laura", "David", "Emma", "Thomas", "Julia"]
_LAST = ["Ivanov", "Wang", "Petrova", "Li", "Smirnov", "Zhao", "Kuznetsova", "Liu", "Popov",
         "Chen", "Volkov", "Yang", "Sokolova", "Huang", "Lebedev", "Zhou", "Kozlov", "Wu",
         "Novikova", "Xu", "Morozov", "Sun", "Orlov", "Ma", "Fischer", "Miller", "Schmidt",
         "Brown", "Keller", "Nowak", "Dubois", "Rossi", "Larsen", "Evans", "Weber", "Young"]
_INST_TOPICS = ["Eurasian", "Strategic", "International", "Asian", "Security", "Energy",
                "Economic", "Arctic", "Pacific", "European", "Global", "Regional"]
_INST_FORMS = [("Institute for {t} Studies", "ResearchInstitute"),
               ("Center for {t} Policy", "ThinkTank"), ("{t} Affairs Council", "ThinkTank"),
               ("{t} Review", "MediaOutlet"), ("{t} News Agency", "MediaOutlet")]
_TOPICS = ["Syria", "Ukraine", "North Korea", "Myanmar", "Venezuela", "Libya", "Iran",
           "Afghanistan", "Yemen", "Mali", "Sudan", "Belarus"]
EVENT_FORMS = [
    ("draft resolution on {topic}", "ResolutionVote"),
    ("summit in {place}", "Summit"), ("joint naval exercise in {place}", "JointMilitaryExercise"),
    ("talks on {topic}", "Meeting"),
]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]

_KINDS = {  # ent: class local name -> kind
    "State": "state", "InternationalOrganization": "org", "Person": "person",
    "Institution": "institution", "ThinkTank": "institution", "ResearchInstitute": "institution",
    "MediaOutlet": "institution", "GovernmentBody": "institution", "Company": "institution",
    "IntelligenceService": "institution", "Agreement": "agreement", "Treaty": "agreement",
    "JointStatement": "agreement", "Memorandum": "agreement", "Deal": "agreement",
    "Proposal": "agreement", "UnilateralDeclaration": "agreement", "Place": "place",
    "Region": "place", "Event": "event", "Meeting": "event", "Summit": "event",
    "ResolutionVote": "event", "JointMilitaryExercise": "event", "Sanction": "event",
    "MilitaryOperation": "event", "Invasion": "event", "Annexation": "event",
}


def reference_entities_ttl() -> str | None:
    """The bundled entities.ttl text, or None when the ontology package does not ship it."""
    resource = files("entente.ontology") / "entities.ttl"
    return resource.read_text(encoding="utf-8") if resource.is_file() else None


def _from_entities_ttl(text: str, base: str) -> list[Entity]:
    graph = Graph()
    graph.parse(data=text, format="turtle", publicID=base)
    out: list[Entity] = []
    for subject in sorted(set(graph.subjects(RDF.type, None))):
        if not isinstance(subject, URIRef) or not str(subject).startswith(base + "id/"):
            continue
        classes = sorted(
            str(t)[len(ONTOLOGY_NS):] for t in graph.objects(subject, RDF.type)
            if str(t).startswith(ONTOLOGY_NS) and str(t)[len(ONTOLOGY_NS):] in _KINDS
        )
        labels = [lit for lit in graph.objects(subject, SKOS.prefLabel)]
        if not classes or not labels:
            continue
        label = str(sorted(labels, key=lambda lit: (lit.language != "en", str(lit)))[0])
        alts = tuple(sorted({str(a) for a in graph.objects(subject, SKOS.altLabel)}))
        kind = _KINDS[classes[0]]
        article = label.lower().startswith("the ") or kind == "org" and len(label.split()) > 1
        out.append(Entity(str(subject), label.removeprefix("the "), kind, tuple(classes), alts,
                          article))
    return out


@dataclass
class World:
    """Pools of entities by kind, grown on demand with deterministic synthetic members."""

    base: str
    rng: random.Random
    pools: dict[str, list[Entity]] = field(default_factory=dict)
    from_ttl: bool = False
    ttl_iris: frozenset[str] = frozenset()
    _subsets: dict[tuple[str, str, int], list[Entity]] = field(default_factory=dict)

    @classmethod
    def create(cls, base: str, seed: int, *, use_reference: bool = True) -> World:
        world = cls(base=base, rng=random.Random(seed))
        builtin = world._builtin()
        ttl = reference_entities_ttl() if use_reference else None
        found = _from_entities_ttl(ttl, base) if ttl else []
        world.from_ttl = bool(found)
        known = {e.iri for e in found}
        world.ttl_iris = frozenset(known)
        for entity in found + [e for e in builtin if e.iri not in known]:
            world.pools.setdefault(entity.kind, []).append(entity)
        # China and Russia first: the skewed choice below favours the head of each pool.
        for kind in world.pools:
            world.pools[kind].sort(key=lambda e: (_priority(e.iri), e.iri))
        return world

    def iri(self, kind: str, slug: str) -> str:
        return f"{self.base}id/{kind}/{slug}"

    def _builtin(self) -> list[Entity]:
        out = [Entity(self.iri("state", s), lab, "state", ("State",), alts, art)
               for s, lab, alts, art in _STATES]
        out += [Entity(self.iri("org", s), lab, "org", ("InternationalOrganization",), alts, art)
                for s, lab, alts, art in _ORGS]
        out += [Entity(self.iri("place", s), lab, "place", ("Region",), alts, art)
                for s, lab, alts, art in _PLACES]
        out += [Entity(self.iri("agreement", s), lab, "agreement", (cls_,), (), True)
                for s, lab, cls_ in _AGREEMENTS]
        return out

    def pick(self, kind: str, *, skew: float = 1.2, cls: str | None = None) -> Entity:
        """A member of the pool, Zipf-like: the head (China, Russia, the SCO) is frequent.
        ``cls``: only entities of that ent: class (e.g. ResolutionVote), when there are any."""
        pool = self.pools[kind]
        if cls is not None:
            key = (kind, cls, len(pool))
            if key not in self._subsets:
                self._subsets[key] = [e for e in pool if cls in e.classes] or pool
            pool = self._subsets[key]
        weights = _zipf_weights(len(pool), skew)
        return self.rng.choices(pool, cum_weights=weights)[0]

    def grow(self, n_docs: int) -> None:
        """Add synthetic people, institutions, agreements and events in proportion to size."""
        rng = self.rng
        n_inst = max(8, min(400, n_docs // 4))
        have = {e.iri for e in self.pools.get("institution", [])}
        for i in range(n_inst):
            form, cls_ = _INST_FORMS[i % len(_INST_FORMS)]
            topic = _INST_TOPICS[(i // len(_INST_FORMS)) % len(_INST_TOPICS)]
            label = form.format(t=topic)
            if i >= len(_INST_FORMS) * len(_INST_TOPICS):
                label = f"{label} {MONTHS[i % 12][:3]}{i}"
            iri = self.iri("institution", slugify(label))
            if iri not in have:
                have.add(iri)
                self.pools.setdefault("institution", []).append(
                    Entity(iri, label, "institution", (cls_,), (), True))
        people = [f"{f} {lname}" for lname in _LAST for f in _FIRST]
        rng.shuffle(people)
        people = people[:max(20, min(len(people), n_docs * 2))]
        self.pools["person"] = [
            Entity(self.iri("person", slugify(name)), name, "person", ("Person",), (), False,
                   reference=False)
            for name in people
        ]
        n_events = max(12, n_docs)
        places = self.pools["place"]
        for i in range(n_events):
            form, cls_ = EVENT_FORMS[i % len(EVENT_FORMS)]
            year = 2000 + (i // 48) % 25
            month = 1 + (i // 4 + i // 48) % 12
            text = form.format(topic=_TOPICS[(i // 4) % len(_TOPICS)],
                               place=places[(i // 4) % len(places)].phrase())
            label = f"{MONTHS[month - 1]} {year} {text}"
            self.pools.setdefault("event", []).append(
                Entity(self.iri("event", slugify(label)), label, "event", (cls_,), (), True,
                       date=f"{year}-{month:02d}"))
        n_agreements = max(4, n_docs // 3)
        for i in range(n_agreements):
            a, b = self.pools["state"][i % 7], self.pools["state"][(i * 3 + 1) % 11]
            kind = ("Memorandum", "Deal", "JointStatement", "Treaty")[i % 4]
            noun = {"Memorandum": "memorandum on", "Deal": "deal on",
                    "JointStatement": "joint statement on", "Treaty": "treaty on"}[kind]
            topic = ("energy", "trade", "security", "technology", "finance")[i % 5]
            label = f"{a.label}-{b.label} {noun} {topic} ({2000 + i % 24})"
            iri = self.iri("agreement", slugify(label))
            self.pools["agreement"].append(Entity(iri, label, "agreement", (kind,), (), True,
                                                  date=str(2000 + i % 24)))


def _priority(iri: str) -> int:
    tail = iri.rsplit("/", 1)[-1]
    order = ["china", "russia", "sco", "brics", "united-states", "un-security-council",
             "central-asia", "arctic"]
    return order.index(tail) if tail in order else len(order)


_WEIGHT_CACHE: dict[tuple[int, float], list[float]] = {}


def _zipf_weights(n: int, skew: float) -> list[float]:
    key = (n, skew)
    if key not in _WEIGHT_CACHE:
        total, cum = 0.0, []
        for rank in range(1, n + 1):
            total += 1.0 / rank**skew
            cum.append(total)
        _WEIGHT_CACHE[key] = cum
    return _WEIGHT_CACHE[key]
