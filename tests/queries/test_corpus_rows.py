"""Each canned query returns exactly the right rows on the real corpus.

The extraction is tuned continuously, so the expected rows are not frozen in a file: they are
derived here, independently of SPARQL, by walking the built dataset's quads in Python (the
oracle), and the canned query's answer must equal them row for row.  A few facts stated
plainly in the corpus anchor the oracle itself (the UN votes, the shared documents).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from importlib.resources import files

import pyoxigraph
import pytest
from entente.graph import canned
from entente.graph.store import StoreInfo, open_read_only

BASE = "https://entente.example.org/"
ENT = "https://entente.example.org/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
TITLE = "http://purl.org/dc/terms/title"
DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"


def short(term: object) -> str | None:
    if term is None:
        return None
    if isinstance(term, pyoxigraph.NamedNode):
        value = term.value.replace(ENT, "ent:")
        return value[len(BASE):] if value.startswith(BASE) else value
    if isinstance(term, pyoxigraph.Literal):
        return term.value
    return str(term)


class Data:
    """The union of all graphs as Python dictionaries (duplicates across graphs merged)."""

    def __init__(self, store: pyoxigraph.Store) -> None:
        self.out: dict = defaultdict(lambda: defaultdict(set))
        for quad in store.quads_for_pattern(None, None, None, None):
            self.out[quad.subject][quad.predicate.value].add(quad.object)

    def objs(self, s: object, p: str) -> list:
        return sorted(self.out.get(s, {}).get(p, ()), key=str)

    def opt(self, s: object, p: str) -> list:
        return self.objs(s, p) or [None]

    def with_type(self, cls: str) -> list:
        node = pyoxigraph.NamedNode(cls)
        return [s for s, props in self.out.items() if node in props.get(RDF_TYPE, ())]

    def labels(self, x: object, extra: tuple[str, ...] = ()) -> list:
        def en(values: list) -> list:
            return [v for v in values if isinstance(v, pyoxigraph.Literal)
                    and (v.language or "") in ("en", "")]
        if x is None:
            return [None]
        pref, rdfs = en(self.objs(x, PREF)), en(self.objs(x, RDFS_LABEL))
        rest = [v for p in extra for v in self.objs(x, p)]
        return [a or b or c for a, b, c in itertools.product(pref or [None], rdfs or [None],
                                                             rest or [None])]

    def superclasses(self, cls: object) -> set:
        seen, todo = {cls}, [cls]
        while todo:
            for sup in self.objs(todo.pop(), SUBCLASS):
                if sup not in seen:
                    seen.add(sup)
                    todo.append(sup)
        return seen

    def specific_types(self, x: object, root: str) -> list:
        """The most specific rdf:types of x under root (as the queries' FILTER NOT EXISTS)."""
        types = [t for t in self.objs(x, RDF_TYPE)
                 if pyoxigraph.NamedNode(root) in self.superclasses(t)]
        return [t for t in types
                if not any(n != t and t in self.superclasses(n) - {n} for n in types)]


class Served:
    """A running 'entente serve' (e.g. over a remote backend): canned queries over HTTP."""

    def __init__(self, url: str) -> None:
        self.url = url

    def canned(self, name: str, params: dict[str, str]) -> list[tuple]:
        import requests

        response = requests.get(f"{self.url}queries/{name}", params={**params, "format": "json"},
                                timeout=60)
        assert response.status_code == 200, response.text
        results = pyoxigraph.parse_query_results(response.content,
                                                 format=pyoxigraph.QueryResultsFormat.JSON)
        names = [v.value for v in results.variables]
        return [tuple(short(s[n]) for n in names) for s in results]


@pytest.fixture(scope="module", params=["embedded", "virtuoso"])
def store(request: pytest.FixtureRequest, built_store: StoreInfo) -> pyoxigraph.Store | Served:
    """The embedded store, or 'entente serve --backend' over Virtuoso (tests/conftest.py)."""
    if request.param == "virtuoso":
        return Served(request.getfixturevalue("remote_served"))
    return open_read_only(built_store)


@pytest.fixture(scope="module")
def data(built_store: StoreInfo) -> Data:
    return Data(open_read_only(built_store))


def run(store: pyoxigraph.Store | Served, name: str, **params: str) -> list[tuple]:
    if isinstance(store, Served):
        return store.canned(name, params)
    query = canned.get(name)
    bound = canned.bind(query, params, BASE)
    subs = canned.to_pyoxigraph(bound)
    results = store.query(query.text_for(bound), use_default_graph_as_union=True,
                          substitutions=subs or None)
    names = [v.value for v in results.variables]
    return [tuple(short(s[n]) for n in names) for s in results]


def rows(items: Iterable[Iterable]) -> list[tuple]:
    return sorted({tuple(short(t) for t in row) for row in items}, key=repr)


def E(local: str) -> pyoxigraph.NamedNode:  # noqa: N802 - reads like the ent: prefix
    return pyoxigraph.NamedNode(ENT + local)


def I(path: str) -> pyoxigraph.NamedNode:  # noqa: N802, E743 - reads like the id: prefix
    return pyoxigraph.NamedNode(BASE + path)


def assertions(d: Data) -> Iterable[tuple]:
    """(a, s, p, o, document) of every assertion with the four required links."""
    for a in d.with_type(ENT + "Assertion"):
        yield from itertools.product([a], d.objs(a, ENT + "subject"), d.objs(a, ENT + "predicate"),
                                     d.objs(a, ENT + "object"), d.objs(a, DERIVED))


# --- the acceptance query -----------------------------------------------------------------


def test_assertions_exact_rows_and_order(store, data: Data) -> None:
    expected = []
    for a, s, p, o, doc in assertions(data):
        # who it is attributed to, in the order of their labels (then IRIs)
        said = sorted((str(lab.value if lab is not None else w.value), w.value)
                      for w in data.objs(a, ENT + "attributedTo")
                      for lab in data.labels(w, (TITLE,)))
        who = list(dict.fromkeys(iri for _, iri in said))
        names = list(dict.fromkeys(name for name, _ in said))
        for pol, cer, date, quote, sent, sl, pl, ol in itertools.product(
            data.opt(a, ENT + "polarity"), data.opt(a, ENT + "certainty"),
            data.opt(a, ENT + "date"), data.opt(a, ENT + "quote"),
            data.opt(a, ENT + "evidence"), data.labels(s), data.labels(p), data.labels(o),
        ):
            starts = data.opt(sent, NIF + "beginIndex") if sent else [None]
            ends = data.opt(sent, NIF + "endIndex") if sent else [None]
            for start, end in itertools.product(starts, ends):
                expected.append((
                    short(a), short(s), short(sl), short(p), short(pl), short(o), short(ol),
                    short(pol), short(cer), " ".join(who), "; ".join(names), short(date),
                    short(doc), short(quote), short(start), short(end)))
    expected = sorted(set(expected), key=lambda r: (r[12], int(r[14] or -1), len(r[0]), r[0]))
    actual = run(store, "assertions")
    assert len(actual) == len(expected) > 50
    assert sum(" " in r[9] for r in actual) > 10  # several with two or more sources
    assert actual == expected


def test_assertions_narrowed_by_document_and_entity(store) -> None:
    everything = run(store, "assertions")
    doc = "id/document/usip-2019-china-russia-cooperation-spans-globe"
    narrowed = run(store, "assertions", document=doc, entity="id/state/china")
    assert narrowed == [r for r in everything if r[12] == doc and r[1] == "id/state/china"]
    assert narrowed


# --- the other questions --------------------------------------------------------------------


@pytest.mark.parametrize("actor", ["id/state/china", "id/state/russia"])
def test_about_actor(store, data: Data, actor: str) -> None:
    me = I(actor)
    expected = []
    for a, s, p, o, doc in assertions(data):
        for role, other in (("subject", o), ("object", s)):
            if (s if role == "subject" else o) != me:
                continue
            # who said it, in the order of the labels
            said = "; ".join(sorted({str(lab.value if lab is not None else w.value)
                                     for w in data.objs(a, ENT + "attributedTo")
                                     for lab in data.labels(w, (TITLE,))}))
            for pl, ol, pol, cer, quote, title, date in itertools.product(
                data.labels(p), data.labels(other), data.opt(a, ENT + "polarity"),
                data.opt(a, ENT + "certainty"), data.opt(a, ENT + "quote"),
                data.opt(doc, TITLE), data.opt(a, ENT + "date"),
            ):
                expected.append((me, role, a, p, pl, other, ol, pol, cer, said, quote, doc,
                                 title, date))
    actual = run(store, "about-actor", actor=actor)
    assert sorted(actual, key=repr) == rows(expected)
    assert sum("; " in r[9] for r in actual) > 5  # several with two or more sources
    # in the order of the documents' IRIs, then of the assertions' (shorter first), then roles
    assert actual == sorted(actual, key=lambda r: (BASE + r[11], len(r[2]), r[2], r[1]))


TIME = "http://www.w3.org/2006/time#"
POSITIONS = tuple(TIME + p for p in ("inXSDgYear", "inXSDgYearMonth", "inXSDDate"))


def claim_dates(data: Data, a: object, o: object) -> list[tuple]:
    """(date, "sentence") for each date the assertion's sentence gives; else (date, "event")
    for the time of the event or agreement it is about (an interval's beginning); else
    [(None, None)]."""
    dates = [(d, "sentence") for d in data.objs(a, ENT + "date")]
    if not dates:
        for time in data.objs(o, TIME + "hasTime"):
            instants = data.objs(time, TIME + "hasBeginning") or [time]
            dates += [(d, "event") for i in instants for q in POSITIONS for d in data.objs(i, q)]
    return dates or [(None, None)]


def time_span(data: Data, timed: object) -> tuple:
    """(span, dateUntil) of what a timeline date begins: the time of ``timed`` (the assertion
    when its sentence gives the date, else the event it is about)."""
    for time in data.objs(timed, TIME + "hasTime"):
        if pyoxigraph.NamedNode(TIME + "ProperInterval") in data.objs(time, RDF_TYPE):
            ends = [d for e in data.objs(time, TIME + "hasEnd") for q in POSITIONS
                    for d in data.objs(e, q)]
            return ("interval", ends[0]) if ends else ("since", None)
    return ("instant", None)


def test_un_votes(store, data: Data) -> None:
    votes = {E(v) for v in ("votedFor", "votedAgainst", "abstainedOn", "vetoed")}
    expected = [
        (s, sl, p, pl, o, ol, pol, date, quote, doc, source)
        for a, s, p, o, doc in assertions(data) if p in votes
        for sl, pl, ol, pol, (date, source), quote in itertools.product(
            data.labels(s), data.labels(p), data.labels(o), data.opt(a, ENT + "polarity"),
            claim_dates(data, a, o), data.opt(a, ENT + "quote"))
    ]
    actual = run(store, "un-votes")
    assert sorted(actual, key=repr) == rows(expected)
    assert Counter(r[10] for r in actual) == {"sentence": 6}  # the corpus, pinned
    # anchored in the text: "In February, China and Russia vetoed a draft U.N. Security Council
    # resolution" (USIP, 2019)
    vetoes = {(r[0], r[7]) for r in actual if r[2] == "ent:vetoed"}
    assert {("id/state/china", "2019-02"), ("id/state/russia", "2019-02")} <= vetoes
    assert run(store, "un-votes", state="id/state/russia") == [
        r for r in actual if r[0] == "id/state/russia"]


def test_agreements(store, data: Data) -> None:
    relations = {E("partyTo"), E("signed"), E("proposes")}
    expected = [
        (o, ol, t, s, sl, p, pol, date, quote, doc, source)
        for a, s, p, o, doc in assertions(data) if p in relations
        for t in data.specific_types(o, ENT + "Agreement")
        for ol, sl, pol, (date, source), quote in itertools.product(
            data.labels(o), data.labels(s), data.opt(a, ENT + "polarity"),
            claim_dates(data, a, o), data.opt(a, ENT + "quote"))
    ]
    everything = run(store, "agreements")
    assert sorted(everything, key=repr) == rows(expected)
    assert Counter(r[10] for r in everything) == {"sentence": 1, "event": 8, None: 2}  # pinned
    assert run(store, "agreements", party="id/state/china") == [
        r for r in everything if r[3] == "id/state/china"]


def test_negated_and_hedged_claims(store, data: Data) -> None:
    negated = [
        (a, s, sl, p, pl, o, ol, cer, quote, doc, date)
        for a, s, p, o, doc in assertions(data) if E("Negated") in data.objs(a, ENT + "polarity")
        for sl, pl, ol, cer, quote, date in itertools.product(
            data.labels(s), data.labels(p), data.labels(o), data.opt(a, ENT + "certainty"),
            data.opt(a, ENT + "quote"), data.opt(a, ENT + "date"))
    ]
    assert sorted(run(store, "negated-claims"), key=repr) == rows(negated)
    hedged = [
        ("certain" if cer == E("Asserted") else "hedged", cer, cl, lo, hi, a, date)
        for a, s, p, o, doc in assertions(data) for cer in data.objs(a, ENT + "certainty")
        for cl, lo, hi, date in itertools.product(
            data.labels(cer), data.opt(cer, ENT + "minProbability"),
            data.opt(cer, ENT + "maxProbability"), data.opt(a, ENT + "date"))
    ]
    actual = run(store, "hedged-claims")
    assert sorted((r[:6] + r[12:] for r in actual), key=repr) == rows(hedged)
    only_hedged = run(store, "hedged-claims", reporting="hedged")
    assert only_hedged == [r for r in actual if r[0] == "hedged"]


def test_claims_by_source_and_economic_figures(store, data: Data) -> None:
    claims = [
        (w, wl, a, pol, cer, doc, date)
        for a, s, p, o, doc in assertions(data) for w in data.objs(a, ENT + "attributedTo")
        for wl, pol, cer, date in itertools.product(data.labels(w, (TITLE,)),
                                                    data.opt(a, ENT + "polarity"),
                                                    data.opt(a, ENT + "certainty"),
                                                    data.opt(a, ENT + "date"))
    ]
    actual = run(store, "claims-by-source")
    assert sorted(((r[0], r[1], r[2], r[6], r[7], r[9], r[10]) for r in actual),
                  key=repr) == rows(claims)
    # one source's (its variant, queries/claims-by-source--source.rq): the same rows in order
    sources = sorted({r[0] for r in actual})
    assert len(sources) > 5
    for source in sources:
        assert run(store, "claims-by-source", source=source) == [
            r for r in actual if r[0] == source]
    figures = [(f, s, a, doc) for a, s, p, o, doc in assertions(data)
               for f in data.objs(a, ENT + "figure")]
    actual = run(store, "economic-figures")
    assert sorted(((r[0], r[1], r[7], r[9]) for r in actual), key=repr) == rows(figures)
    # one document's (its variant, queries/economic-figures--document.rq): the same rows in order
    documents = sorted({r[9] for r in actual})
    assert documents
    for document in documents:
        assert run(store, "economic-figures", document=document) == [
            r for r in actual if r[9] == document]


def test_timeline(store, data: Data) -> None:
    roots = (ENT + "Event", ENT + "Agreement", ENT + "Resolution")
    expected = []
    for a, s, p, o, doc in assertions(data):
        kinds = {t for root in roots for t in data.specific_types(o, root)}
        if p == E("meetsWith"):
            kinds.add(E("Meeting"))
        if p == E("visits"):
            kinds.add(E("Visit"))
        dates = [d for d in claim_dates(data, a, o) if d[0] is not None]
        for kind, (date, source), polarity in itertools.product(
                kinds, dates, data.opt(a, ENT + "polarity")):
            span = time_span(data, a if source == "sentence" else o)
            expected.append((date, kind, s, p, o, a, doc, source, *span, polarity))
    actual = run(store, "timeline")
    assert sorted(((r[0], r[1], r[3], r[5], r[7], r[9], r[11], r[12], r[13], r[14], r[15])
                   for r in actual), key=repr) == rows(expected)
    assert Counter(r[12] for r in actual) == {"sentence": 12, "event": 21}  # the corpus, pinned
    assert Counter(r[13] for r in actual) == {"instant": 29, "since": 4}
    # (a negated claim read as an event that happened: "whose annexation remains
    # unrecognized by China" listed as China recognizes the Annexation of Crimea, 2014-03)
    assert Counter(r[15] for r in actual) == {"ent:Affirmed": 32, "ent:Negated": 1}
    assert [r[0] for r in actual] == sorted(r[0] for r in actual)  # chronological
    doc = "id/document/usip-2019-china-russia-cooperation-spans-globe"
    assert run(store, "timeline", document=doc) == [r for r in actual if r[11] == doc]


#: canned queries that list a class closure explicitly (VALUES) instead of using
#: rdfs:subClassOf*, which Virtuoso 7.2.5 mis-evaluates: (query, variable, root classes)
CLASS_LISTS = [("agreements", "agreementType", ("Agreement",)),
               ("timeline", "kind", ("Event", "Agreement", "Resolution")),
               ("timeline", "timedKind", ("Event", "Agreement", "Resolution"))]


@pytest.mark.parametrize(("name", "variable", "roots"), CLASS_LISTS)
def test_class_lists_match_the_ontology(name: str, variable: str, roots: tuple[str, ...]) -> None:
    ontology = pyoxigraph.Store()
    ontology.load(path=str(files("entente.ontology") / "entente.ttl"),
                  format=pyoxigraph.RdfFormat.TURTLE)
    closure = set()
    for root in roots:
        closure |= {short(r[0]) for r in ontology.query(
            f"SELECT ?c WHERE {{ ?c <{SUBCLASS}>* <{ENT}{root}> }}")}
    match = re.search(r"VALUES \?" + variable + r" \{([^}]*)\}", canned.get(name).text)
    assert match, f"{name}: no VALUES ?{variable} list"
    assert {"ent:" + c for c in re.findall(r"\bent:(\w+)", match.group(1))} == closure
    assert len(closure) > len(roots)  # the ontology does have subclasses


def test_counting_queries(store, data: Data) -> None:
    per_predicate: dict = defaultdict(lambda: [set(), set(), set(), set(), set()])
    per_document: dict = defaultdict(set)
    for a, _s, p, _o, doc in assertions(data):
        counts = per_predicate[p]
        counts[0].add(a)
        counts[4].add(doc)
        if E("Affirmed") in data.objs(a, ENT + "polarity"):
            counts[1].add(a)
        if E("Negated") in data.objs(a, ENT + "polarity"):
            counts[2].add(a)
        if any(c != E("Asserted") for c in data.objs(a, ENT + "certainty")):
            counts[3].add(a)
        per_document[doc].add(a)
    expected = rows((p, *(str(len(c)) for c in counts)) for p, counts in per_predicate.items())
    assert sorted(((r[0],) + r[2:] for r in run(store, "relation-types")), key=repr) == expected
    documents = run(store, "documents")
    assert {r[0]: r[10] for r in documents} == {
        short(d): str(len(per_document.get(d, ()))) for d in data.with_type(ENT + "Document")}
    assert len(documents) == 5
    sentences = Counter(short(data.objs(s, NIF + "referenceContext")[0])
                        for s in data.with_type(ENT + "Sentence"))
    assert {r[0]: int(r[9]) for r in documents} == dict(sentences)


def test_actors(store, data: Data) -> None:
    involved: dict = defaultdict(set)
    for a, s, _p, o, _doc in assertions(data):
        involved[s].add(a)
        involved[o].add(a)
    expected = [(x, t, str(len(involved.get(x, ()))))
                for x in data.out for t in data.specific_types(x, ENT + "Actor")]
    actual = run(store, "actors")
    assert sorted(((r[0], r[2], r[4]) for r in actual), key=repr) == rows(expected)
    counts = [int(r[4]) for r in actual]
    assert counts == sorted(counts, reverse=True)


def test_corroborated_claims(store, data: Data) -> None:
    """Statements asserted with one polarity in two documents or more; a symmetric relation's
    two orders are one statement (the lesser IRI first); unhedgedDocuments counts those whose
    assertion is ent:Asserted."""
    symmetric = set(data.with_type("http://www.w3.org/2002/07/owl#SymmetricProperty"))
    groups: dict = defaultdict(set)
    for a, s, p, o, doc in assertions(data):
        if p in symmetric and o.value < s.value:
            s, o = o, s
        for pol, certainty in itertools.product(data.objs(a, ENT + "polarity"),
                                                data.objs(a, ENT + "certainty")):
            groups[(s, p, o, pol)].add((a, doc, certainty == E("Asserted")))
    expected = [(s, p, o, pol, str(len({d for _, d, _ in members})),
                 str(len({d for _, d, unhedged in members if unhedged})),
                 str(len({a for a, _, _ in members})))
                for (s, p, o, pol), members in groups.items()
                if len({d for _, d, _ in members}) > 1]
    actual = run(store, "corroborated-claims")
    assert sorted(((r[0], r[2], r[4], r[6], r[7], r[8], r[9]) for r in actual), key=repr) == rows(
        expected)
    # (the corpus has both orders of cooperatesWith and meetsWith, and hedged claims)
    merged = {(r[0], r[2], r[4]): (r[7], r[8]) for r in actual}
    assert merged[("id/state/china", "ent:cooperatesWith", "id/state/russia")] == ("5", "5")
    assert merged[("id/state/russia", "ent:invades", "id/state/ukraine")] == ("2", "1")
    assert ("id/state/russia", "ent:cooperatesWith", "id/state/china") not in merged


def test_conflicting_claims(store, data: Data) -> None:
    sides: dict = defaultdict(lambda: {E("Affirmed"): set(), E("Negated"): set()})
    for a, s, p, o, doc in assertions(data):
        for pol in data.objs(a, ENT + "polarity"):
            if pol in (E("Affirmed"), E("Negated")):
                sides[(s, p, o)][pol].add((a, doc))
    expected = []
    for (s, p, o), side in sides.items():
        if not all(side.values()):
            continue
        counts, by, quotes = [], [], []
        for members in side.values():
            counts.append((str(len({a for a, _ in members})), str(len({d for _, d in members}))))
            by.append("; ".join(sorted({
                lab.value if lab is not None else w.value
                for a, _ in members for w in data.objs(a, ENT + "attributedTo")
                for lab in data.labels(w, (TITLE,))})))
            quotes.append(min((q.value for a, _ in members for q in data.objs(a, ENT + "quote")),
                              default=""))
        for sl, pl, ol in itertools.product(data.labels(s), data.labels(p), data.labels(o)):
            expected.append((s, sl, p, pl, o, ol, counts[0][0], counts[1][0], counts[0][1],
                             counts[1][1], *by, *quotes))
    actual = run(store, "conflicting-claims")
    assert sorted(actual, key=repr) == rows(expected)
    assert len(actual) >= 2  # China supports/opposes Russia: affirmed by some, denied by others
    totals = [int(r[6]) + int(r[7]) for r in actual]
    assert totals == sorted(totals, reverse=True)  # most contested first
    subject = actual[0][0]
    assert run(store, "conflicting-claims", subject=subject) == [
        r for r in actual if r[0] == subject]


def test_cooperation_vs_competition_and_shared_memberships(store, data: Data) -> None:
    stance = {**{E(p): "cooperation" for p in ("cooperatesWith", "tradesWith", "investsIn",
                                                "suppliesEnergyTo", "suppliesArmsTo",
                                                "supports", "partyTo", "signed")},
              **{E(p): "competition" for p in ("competesWith", "opposes", "pressures",
                                                "sanctions", "dependsOn")},
              **{E(p): "conflict" for p in ("fightsAgainst", "invades", "occupies",
                                             "annexes")}}
    cells: dict = defaultdict(lambda: (set(), set()))
    for a, _s, p, _o, doc in assertions(data):
        if p not in stance or E("Affirmed") not in data.objs(a, ENT + "polarity"):
            continue
        for dimension, prop in (("domain", "inDomain"), ("region", "inRegion")):
            for area in data.objs(a, ENT + prop):
                cells[(stance[p], dimension, area)][0].add(a)
                cells[(stance[p], dimension, area)][1].add(doc)
    expected = rows((k[0], k[1], k[2], str(len(v[0])), str(len(v[1]))) for k, v in cells.items())
    actual = run(store, "cooperation-vs-competition")
    assert sorted(((r[0], r[1], r[2], r[4], r[5]) for r in actual), key=repr) == expected
    orgs_of = defaultdict(set)
    for s, props in data.out.items():
        for o in props.get(ENT + "memberOf", ()):
            orgs_of[s].add(o)
        for m in props.get(ENT + "hasMember", ()):
            orgs_of[m].add(s)
    shared = orgs_of[I("id/state/china")] & orgs_of[I("id/state/russia")]
    found = run(store, "shared-memberships")
    assert sorted(r[0] for r in found) == sorted(short(o) for o in shared)
    # the affirmed membership claims by either actor, per organization
    pair = {I("id/state/china"), I("id/state/russia")}
    claims = Counter(o for a, s, p, o in {x[:4] for x in assertions(data)}  # (once a document)
                     if p == E("memberOf") and s in pair
                     and E("Affirmed") in data.objs(a, ENT + "polarity"))
    counts = {r[0]: int(r[4]) for r in found}
    # and the oracle itself found what the reference entities say the pair shares
    assert sorted(shared) == [I(f"id/org/{o}") for o in
                              ("brics", "g20", "sco", "un", "un-security-council", "wto")]
    assert sum(claims.values()) > 0
    if isinstance(store, Served) and counts != {short(o): claims[o] for o in shared}:
        pytest.xfail("Virtuoso 7.2.5 counts the claims wrong (docs/performance.md, \"Peers that "
                     "answer other rows\"): " + repr(sorted(counts.items())))
    assert counts == {short(o): claims[o] for o in shared}


@pytest.mark.parametrize(("a", "b", "organizations"), [
    # (an analyst's audit: no rows for the first, the SCO missing from the second; the
    # background list named 7 states' memberships, and France not among the permanent five)
    ("united-states", "france", ("g20", "g7", "nato", "un", "un-security-council")),
    ("china", "india", ("brics", "g20", "sco", "un")),
    ("russia", "kazakhstan", ("eaeu", "sco", "un")),
    ("germany", "poland", ("eu", "nato", "un")),
])
def test_shared_memberships_of_other_pairs(store, a: str, b: str,
                                           organizations: tuple[str, ...]) -> None:
    found = run(store, "shared-memberships", a=f"id/state/{a}", b=f"id/state/{b}")
    assert sorted(r[0] for r in found) == [f"id/org/{o}" for o in organizations]
