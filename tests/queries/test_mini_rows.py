"""Exact answers of the canned queries on the mini dataset (tests/queries/data/mini.trig)."""

from __future__ import annotations

import pyoxigraph

from .conftest import MINI

Q1 = "China and Russia are members of the SCO."
Q2 = "Russia will likely supply gas to China, about 38 bcm."
QB1 = "In February, China and Russia vetoed the resolution."
QB2 = "Russia is not a member of the SCO, he said."
QC1 = "On 4 February 2022 China met Russia; both belong to the SCO."
QC2 = "In May 2014 Russia signed the Power of Siberia deal."
SCO = "Shanghai Cooperation Organisation"
ALPHA = "Alpha <script>alert(1)</script> Institute"
RES = "Security Council resolution on Syria (2019)"
A, B, C = "id/document/doc-a", "id/document/doc-b", "id/document/doc-c"


def test_assertions_filtered_by_document_and_entity(mini_store, run_canned) -> None:
    _, rows = run_canned(mini_store, "assertions", document=B, entity="id/state/russia")
    assert rows == [
        ("id/assertion/doc-b-2", "id/state/russia", "Russia", "ent:vetoed", "vetoed",
         "id/event/resolution-syria-2019", RES, "ent:Affirmed", "ent:Asserted",
         "https://entente.example.org/id/institution/alpha", ALPHA, "2019-02", B, QB1, "0", "52"),
        ("id/assertion/doc-b-3", "id/state/russia", "Russia", "ent:memberOf", "member of",
         "id/org/sco", SCO, "ent:Negated", "ent:Asserted",
         "https://entente.example.org/id/person/bob-speaker", "Bob Speaker", None, B, QB2,
         "53", "95"),
    ]


def test_assertions_lists_every_assertion_once_in_document_order(mini_store, run_canned):
    _, rows = run_canned(mini_store, "assertions")
    assert [r[0] for r in rows] == [
        "id/assertion/doc-a-1", "id/assertion/doc-a-2", "id/assertion/doc-a-3",
        "id/assertion/doc-b-1", "id/assertion/doc-b-2", "id/assertion/doc-b-3",
        "id/assertion/doc-b-4", "id/assertion/doc-c-1", "id/assertion/doc-c-2",
        "id/assertion/doc-c-3",
    ]


def test_shared_memberships(mini_store, run_canned) -> None:
    assert run_canned(mini_store, "shared-memberships")[1] == [
        ("id/org/sco", SCO, "id/state/china", "id/state/russia", "3"),
    ]
    assert run_canned(mini_store, "shared-memberships", a="id/state/india")[1] == []


def test_about_actor_covers_both_roles(mini_store, run_canned) -> None:
    _, rows = run_canned(mini_store, "about-actor", actor="id/state/china")
    assert [(r[1], r[2], r[3], r[5], r[9], r[13]) for r in rows] == [
        ("subject", "id/assertion/doc-a-1", "ent:memberOf", "id/org/sco", "Ann Author", None),
        ("object", "id/assertion/doc-a-3", "ent:suppliesEnergyTo", "id/state/russia", "Ann Author",
         "2022"),
        ("subject", "id/assertion/doc-b-1", "ent:vetoed", "id/event/resolution-syria-2019", ALPHA,
         "2019-02"),
        ("subject", "id/assertion/doc-b-4", "ent:competesWith", "id/state/russia", "Bob Speaker",
         None),
        ("subject", "id/assertion/doc-c-1", "ent:participantIn", "id/event/summit-2022-02-04",
         ALPHA, "2022-02-04"),
    ]


def test_timeline_is_chronological(mini_store, run_canned) -> None:
    _, rows = run_canned(mini_store, "timeline")
    assert [(r[0], r[7], r[1], r[3]) for r in rows] == [
        ("2014-05", "id/agreement/power-of-siberia", "ent:Treaty", "id/state/russia"),
        ("2019-02", "id/event/resolution-syria-2019", "ent:Resolution", "id/state/china"),
        ("2019-02", "id/event/resolution-syria-2019", "ent:Resolution", "id/state/russia"),
        ("2022-02-04", "id/event/summit-2022-02-04", "ent:Summit", "id/state/china"),
    ]


_UPDATE_PREFIXES = """
    PREFIX ent: <https://entente.example.org/ontology#>
    PREFIX prov: <http://www.w3.org/ns/prov#>
    PREFIX time: <http://www.w3.org/2006/time#>
    PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
    BASE <https://entente.example.org/>"""


def _with_event_times() -> pyoxigraph.Store:
    """The mini dataset with times on its three events and agreements (as entities.ttl has
    them) and three claims about them whose sentences give no date."""
    store = pyoxigraph.Store()
    store.load(path=str(MINI), format=pyoxigraph.RdfFormat.TRIG)
    store.update(_UPDATE_PREFIXES + """
        INSERT DATA {
          GRAPH <https://entente.example.org/graph/entities> {
            <id/event/summit-2022-02-04> time:hasTime <id/time/2022-02-04> .
            <id/time/2022-02-04> a time:Instant ; time:inXSDDate "2022-02-04"^^xsd:date .
            <id/event/resolution-syria-2019> time:hasTime <id/time/2019-02-28> .
            <id/time/2019-02-28> a time:Instant ; time:inXSDDate "2019-02-28"^^xsd:date .
            <id/agreement/power-of-siberia> time:hasTime <id/time/since-2014-05> .
            <id/time/since-2014-05> a time:ProperInterval ; time:hasBeginning <id/time/2014-05> .
            <id/time/2014-05> a time:Instant ; time:inXSDgYearMonth "2014-05"^^xsd:gYearMonth .
          }
          GRAPH <https://entente.example.org/graph/document/doc-c> {
            <id/assertion/doc-c-8> a ent:Assertion ; ent:subject <id/state/russia> ;
              ent:predicate ent:participantIn ; ent:object <id/event/summit-2022-02-04> ;
              ent:polarity ent:Affirmed ; prov:wasDerivedFrom <id/document/doc-c> .
            <id/assertion/doc-c-9> a ent:Assertion ; ent:subject <id/state/india> ;
              ent:predicate ent:signed ; ent:object <id/agreement/power-of-siberia> ;
              ent:polarity ent:Affirmed ; prov:wasDerivedFrom <id/document/doc-c> .
            <id/assertion/doc-c-10> a ent:Assertion ; ent:subject <id/state/india> ;
              ent:predicate ent:abstainedOn ; ent:object <id/event/resolution-syria-2019> ;
              ent:polarity ent:Affirmed ; prov:wasDerivedFrom <id/document/doc-c> .
          }
        }""")
    return store


def test_timeline_dates_an_undated_claim_by_its_events_time(run_canned) -> None:
    """An assertion without a date of its own takes the time of the event it is about (the
    beginning of an interval); one with a date keeps it."""
    _, rows = run_canned(_with_event_times(), "timeline")
    assert [(r[0], r[7], r[3], r[9], r[12]) for r in rows] == [
        ("2014-05", "id/agreement/power-of-siberia", "id/state/russia", "id/assertion/doc-c-3",
         "sentence"),
        ("2014-05", "id/agreement/power-of-siberia", "id/state/india", "id/assertion/doc-c-9",
         "event"),
        ("2019-02", "id/event/resolution-syria-2019", "id/state/china", "id/assertion/doc-b-1",
         "sentence"),
        ("2019-02", "id/event/resolution-syria-2019", "id/state/russia", "id/assertion/doc-b-2",
         "sentence"),
        ("2019-02-28", "id/event/resolution-syria-2019", "id/state/india",
         "id/assertion/doc-c-10", "event"),
        ("2022-02-04", "id/event/summit-2022-02-04", "id/state/china", "id/assertion/doc-c-1",
         "sentence"),
        ("2022-02-04", "id/event/summit-2022-02-04", "id/state/russia", "id/assertion/doc-c-8",
         "event"),
    ]


def test_timeline_says_what_a_date_begins(run_canned) -> None:
    """span: "instant", "since" (an interval without an end: the claim's own "since May
    2014", or an agreement's) or "interval" (with the end as dateUntil)."""
    store = _with_event_times()
    store.update(_UPDATE_PREFIXES + """
        INSERT DATA {
          GRAPH <https://entente.example.org/graph/entities> {
            <id/event/talks-2019> a ent:Meeting ; time:hasTime <id/time/2019-03--2019-07> .
            <id/time/2019-03--2019-07> a time:ProperInterval ;
              time:hasBeginning <id/time/2019-03> ; time:hasEnd <id/time/2019-07> .
            <id/time/2019-03> a time:Instant ; time:inXSDgYearMonth "2019-03"^^xsd:gYearMonth .
            <id/time/2019-07> a time:Instant ; time:inXSDgYearMonth "2019-07"^^xsd:gYearMonth .
          }
          GRAPH <https://entente.example.org/graph/document/doc-c> {
            <id/assertion/doc-c-3> time:hasTime <id/time/since-2014-05> .
            <id/assertion/doc-c-11> a ent:Assertion ; ent:subject <id/state/india> ;
              ent:predicate ent:participantIn ; ent:object <id/event/talks-2019> ;
              ent:polarity ent:Affirmed ; prov:wasDerivedFrom <id/document/doc-c> .
          }
        }""")
    _, rows = run_canned(store, "timeline")
    assert [(r[0], r[9], r[12], r[13], r[14]) for r in rows] == [
        ("2014-05", "id/assertion/doc-c-3", "sentence", "since", None),
        ("2014-05", "id/assertion/doc-c-9", "event", "since", None),
        ("2019-02", "id/assertion/doc-b-1", "sentence", "instant", None),
        ("2019-02", "id/assertion/doc-b-2", "sentence", "instant", None),
        ("2019-02-28", "id/assertion/doc-c-10", "event", "instant", None),
        ("2019-03", "id/assertion/doc-c-11", "event", "interval", "2019-07"),
        ("2022-02-04", "id/assertion/doc-c-1", "sentence", "instant", None),
        ("2022-02-04", "id/assertion/doc-c-8", "event", "instant", None),
    ]


def test_un_votes_and_agreements_date_an_undated_claim_by_the_resolutions_time(
        run_canned) -> None:
    store = _with_event_times()
    assert [(r[0], r[2], r[7], r[10]) for r in run_canned(store, "un-votes")[1]] == [
        ("id/state/china", "ent:vetoed", "2019-02", "sentence"),
        ("id/state/russia", "ent:vetoed", "2019-02", "sentence"),
        ("id/state/india", "ent:abstainedOn", "2019-02-28", "event"),
    ]
    assert [(r[3], r[5], r[7], r[10]) for r in run_canned(store, "agreements")[1]] == [
        ("id/state/india", "ent:signed", "2014-05", "event"),
        ("id/state/russia", "ent:signed", "2014-05", "sentence"),
    ]


def test_un_votes_by_state(mini_store, run_canned) -> None:
    _, rows = run_canned(mini_store, "un-votes", state="id/state/russia")
    assert rows == [
        ("id/state/russia", "Russia", "ent:vetoed", "vetoed", "id/event/resolution-syria-2019",
         RES, "ent:Affirmed", "2019-02", QB1, B, "sentence"),
    ]


def test_agreements_and_parties(mini_store, run_canned) -> None:
    assert run_canned(mini_store, "agreements")[1] == [
        ("id/agreement/power-of-siberia", "Power of Siberia deal", "ent:Treaty", "id/state/russia",
         "Russia", "ent:signed", "ent:Affirmed", "2014-05", QC2, C, "sentence"),
    ]


def test_claims_by_source(mini_store, run_canned) -> None:
    _, rows = run_canned(mini_store, "claims-by-source", source="id/person/bob-speaker")
    assert [(r[0], r[2], r[6], r[7]) for r in rows] == [
        ("id/person/bob-speaker", "id/assertion/doc-b-3", "ent:Negated", "ent:Asserted"),
        ("id/person/bob-speaker", "id/assertion/doc-b-4", "ent:Affirmed", "ent:Possible"),
    ]


def test_hedged_claims_with_probability_ranges(mini_store, run_canned) -> None:
    _, rows = run_canned(mini_store, "hedged-claims", reporting="hedged")
    assert [r[:6] for r in rows] == [
        ("hedged", "ent:Likely", "likely", "0.55", "0.8", "id/assertion/doc-a-3"),
        ("hedged", "ent:Possible", "possible", None, None, "id/assertion/doc-b-4"),
    ]
    _, rows = run_canned(mini_store, "hedged-claims")
    assert [r[0] for r in rows].count("certain") == 8


def test_negated_claims(mini_store, run_canned) -> None:
    assert run_canned(mini_store, "negated-claims")[1] == [
        ("id/assertion/doc-b-3", "id/state/russia", "Russia", "ent:memberOf", "member of",
         "id/org/sco", SCO, "ent:Asserted", QB2, B, None),
    ]


def test_cooperation_vs_competition(mini_store, run_canned) -> None:
    assert run_canned(mini_store, "cooperation-vs-competition")[1] == [
        ("cooperation", "domain", "ent:Energy", "energy", "1", "1"),
        ("competition", "region", "id/place/central-asia", "Central Asia", "1", "1"),
        ("cooperation", "region", "id/place/central-asia", "Central Asia", "1", "1"),
    ]
    assert run_canned(mini_store, "cooperation-vs-competition", stance="competition")[1] == [
        ("competition", "region", "id/place/central-asia", "Central Asia", "1", "1"),
    ]
    assert run_canned(mini_store, "cooperation-vs-competition", stance="conflict")[1] == []


def test_cooperation_vs_competition_counts_armed_conflict(run_canned) -> None:
    store = pyoxigraph.Store()
    store.load(path=str(MINI), format=pyoxigraph.RdfFormat.TRIG)
    store.update("""
        PREFIX ent: <https://entente.example.org/ontology#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        INSERT DATA { GRAPH <https://entente.example.org/id/document/doc-c> {
          <https://entente.example.org/id/assertion/doc-c-9> a ent:Assertion ;
            ent:predicate ent:fightsAgainst ; ent:polarity ent:Affirmed ;
            ent:inRegion <https://entente.example.org/id/place/central-asia> ;
            prov:wasDerivedFrom <https://entente.example.org/id/document/doc-c> .
          <https://entente.example.org/id/assertion/doc-c-10> a ent:Assertion ;
            ent:predicate ent:invades ; ent:polarity ent:Negated ;
            ent:inRegion <https://entente.example.org/id/place/central-asia> ;
            prov:wasDerivedFrom <https://entente.example.org/id/document/doc-c> .
        } }""")
    assert run_canned(store, "cooperation-vs-competition", stance="conflict")[1] == [
        ("conflict", "region", "id/place/central-asia", "Central Asia", "1", "1"),
    ]


def test_economic_figures(mini_store, run_canned) -> None:
    assert run_canned(mini_store, "economic-figures")[1] == [
        ("about 38 bcm", "id/state/russia", "Russia", "supplies energy to", "id/state/china",
         "China", "2022", "id/assertion/doc-a-3", Q2, A),
    ]


def test_corroborated_claims(mini_store, run_canned) -> None:
    _, rows = run_canned(mini_store, "corroborated-claims")
    assert [r[:10] for r in rows] == [  # (two documents, both unhedged; two assertions)
        ("id/state/russia", "Russia", "ent:memberOf", "member of", "id/org/sco", SCO,
         "ent:Affirmed", "2", "2", "2"),
    ]
    assert sorted(rows[0][10].split()) == [
        "https://entente.example.org/" + A, "https://entente.example.org/" + C,
    ]


def test_conflicting_claims(mini_store, run_canned) -> None:
    _, rows = run_canned(mini_store, "conflicting-claims")
    assert rows == [
        ("id/state/russia", "Russia", "ent:memberOf", "member of", "id/org/sco", SCO,
         "2", "1", "2", "1", f"{ALPHA}; Ann Author", "Bob Speaker", Q1, QB2),
    ]
    assert run_canned(mini_store, "conflicting-claims", subject="id/state/china")[1] == []


def test_documents_with_counts(mini_store, run_canned) -> None:
    assert run_canned(mini_store, "documents")[1] == [
        (A, "Partners of convenience", "Ann Author", "id/institution/alpha", ALPHA, "2022-02-10",
         None, "en", "a.txt", "2", "3"),
        (B, "Vetoes and summits", None, "id/institution/alpha", ALPHA, "2019", None, None,
         "b.txt", "2", "4"),
        (C, "Summit diplomacy", None, "id/institution/alpha", ALPHA, None, None, None, "c.txt",
         "2", "3"),
    ]


def test_actors_with_most_specific_type(mini_store, run_canned) -> None:
    _, rows = run_canned(mini_store, "actors")
    assert rows[:3] == [
        ("id/state/russia", "Russia", "ent:State", "state", "7"),
        ("id/state/china", "China", "ent:State", "state", "5"),
        ("id/org/sco", SCO, "ent:InternationalOrganization", "international organization", "4"),
    ]
    assert ("id/institution/alpha", ALPHA, "ent:ThinkTank", "think tank", "0") in rows


def test_relation_types(mini_store, run_canned) -> None:
    assert run_canned(mini_store, "relation-types")[1] == [
        ("ent:memberOf", "member of", "4", "3", "1", "0", "3"),
        ("ent:vetoed", "vetoed", "2", "2", "0", "0", "1"),
        ("ent:competesWith", "competes with", "1", "1", "0", "1", "1"),
        ("ent:participantIn", "participant in", "1", "1", "0", "0", "1"),
        ("ent:signed", "signed", "1", "1", "0", "0", "1"),
        ("ent:suppliesEnergyTo", "supplies energy to", "1", "1", "0", "1", "1"),
    ]
