"""Relation extraction end to end on the fixture documents in tests/fixtures/docs/.

Six short texts of our own (a news wire, an official statement, an analyst quote, a briefing,
a think-tank brief on energy deals with figures, a wire report on a UN vote and sanctions),
phrased unlike the corpus, run through the real pipeline (corpus loader, chrome, sentence splitter,
linker, rules); the assertions must equal tests/fixtures/docs/expected.json exactly.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from entente.graph.corpus import load_corpus
from entente.graph.extract import extract_document
from entente.graph.relations import RelationExtractor

from entente.errors import EntenteError

BASE = "https://entente.example.org/"
ENT = "https://entente.example.org/ontology#"
DOCS = Path(__file__).resolve().parent.parent / "fixtures" / "docs"
ROOT = Path(__file__).resolve().parents[2]


def _short(iri: str) -> str:
    return iri.removeprefix(ENT).removeprefix(BASE)


@pytest.fixture(scope="module")
def extracted(tools) -> dict[str, list[dict]]:
    linker, extractor = tools
    documents, problems = load_corpus(DOCS)
    assert problems == []
    out = {}
    for doc in documents:
        ex = extract_document(doc, linker, extractor)
        quotes = {s.index: s.text for s in ex.sentences}
        out[doc.meta.slug] = [
            {"subject": _short(a.subject), "predicate": _short(a.predicate),
             "object": _short(a.object), "negated": a.negated, "certainty": a.certainty,
             "attributedTo": [_short(x) for x in a.attributed_to], "date": a.date,
             "inDomain": list(a.in_domain), "inRegion": [_short(x) for x in a.in_region],
             "atPlace": a.at_place and _short(a.at_place), "figure": a.figure,
             "rule": a.rule, "quote": quotes[a.sentence]}
            for a in ex.assertions
        ]
    return out


def test_fixture_documents_give_exactly_the_expected_assertions(extracted) -> None:
    expected = json.loads((DOCS / "expected.json").read_text(encoding="utf-8"))
    assert extracted == expected


def test_rules_checksum_is_the_sha256_of_the_rules_file(tools) -> None:
    import hashlib
    from importlib.resources import files

    data = (files("entente.graph") / "rules.yaml").read_bytes()
    assert tools[1].rules_sha256 == hashlib.sha256(data).hexdigest()


def test_malformed_rule_is_reported_with_its_id() -> None:
    rules = {"rules": [{"id": "broken", "property": "supports", "triggers": ["("],
                        "subject": {"types": ["State"]}}]}
    with pytest.raises(EntenteError, match=r"rules\.yaml: rule 'broken' is malformed"):
        RelationExtractor(rules, b"", {})


def test_a_rules_file_that_is_not_yaml_is_reported_with_its_line() -> None:
    from entente.graph.bundled import load_rules

    with pytest.raises(EntenteError, match=r"^graph/rules\.yaml: invalid YAML: .*line 2, col"):
        load_rules(b"rules: [1, 2\nlinking: 3\n")
    with pytest.raises(EntenteError, match=r"^graph/rules\.yaml: expected a mapping at the top"):
        load_rules(b"- 1\n")
    # anchors and merge keys, which the rules file uses, read as the pure-Python loader reads
    assert load_rules(b"a: &x {k: 1}\nb: {<<: *x, j: 2}\n") == {"a": {"k": 1},
                                                              "b": {"k": 1, "j": 2}}


def _facts(tools, text: str) -> list[tuple[str, str, str, bool]]:
    """Run the bundled linker and rules over text split at ". " (one paragraph)."""
    from entente.graph.model import DocumentMeta, Sentence, SourceDocument

    linker, extractor = tools
    doc = SourceDocument("t.txt", text, "0" * 64, len(text), DocumentMeta(slug="t"))
    sentences, start = [], 0
    for n, part in enumerate(text.split(". "), start=1):
        sentences.append(Sentence(n, start, start + len(part), part, 0))
        start += len(part) + 2
    mentions, minted = linker.link(doc, sentences)
    return [(_short(a.subject), _short(a.predicate), _short(a.object), a.negated)
            for a in extractor.extract(doc, sentences, mentions, minted)]


def _dated_facts(tools, text: str) -> list[tuple[str, str, str, bool, str | None]]:
    """The facts of one sentence with their dates (extract_document's sentences)."""
    from entente.graph.model import DocumentMeta, SourceDocument

    linker, extractor = tools
    doc = SourceDocument("t.txt", text, "0" * 64, len(text), DocumentMeta(slug="t"))
    return [(_short(a.subject), _short(a.predicate), _short(a.object), a.negated, a.date)
            for a in extract_document(doc, linker, extractor).assertions]


@pytest.mark.parametrize(("text", "expected"), [
    # plural anaphora: the last conjoined pair
    ("Japan and India signed the Budapest Memorandum. Both countries oppose Iran",
     [("id/state/india", "signed", "id/agreement/budapest-memorandum", False),
      ("id/state/japan", "signed", "id/agreement/budapest-memorandum", False),
      ("id/state/india", "opposes", "id/state/iran", False),
      ("id/state/japan", "opposes", "id/state/iran", False)]),
    # singular anaphora: the state that opened the previous sentence
    ("Serbia sits on the border. The country is not a member of the EU",
     [("id/state/serbia", "memberOf", "id/org/eu", True)]),
    # ... unless the anaphor is in a fronted adverbial clause: then it points ahead, to the
    # state that opens the main clause (cataphora)
    ("Japan sits on the border. After it joined NATO, Finland supported Ukraine",
     [("id/state/finland", "memberOf", "id/org/nato", False),
      ("id/state/finland", "supports", "id/state/ukraine", False)]),
    ("Japan sits on the border. After it annexed Crimea, Russia was sanctioned by the EU",
     [("id/state/russia", "annexes", "id/place/crimea", False),
      ("id/org/eu", "sanctions", "id/state/russia", False)]),
    ("Japan sits on the border. Although it has joined NATO, Finland does not support Iran",
     [("id/state/finland", "memberOf", "id/org/nato", False),
      ("id/state/finland", "supports", "id/state/iran", True)]),
    # (a main clause that opens with no state: the anaphor points back)
    ("Japan sits on the border. After it joined NATO, the EU supported Ukraine",
     [("id/state/japan", "memberOf", "id/org/nato", False),
      ("id/org/eu", "supports", "id/state/ukraine", False)]),
    # a prepositional aside between commas is skipped
    ("Japan has, for instance in its relations with Iran, repeatedly supported India",
     [("id/state/japan", "supports", "id/state/india", False)]),
    # an introductory phrase is not part of the subject
    ("On Syria, Iran and Turkey opposed Israel",
     [("id/state/iran", "opposes", "id/state/israel", False),
      ("id/state/turkey", "opposes", "id/state/israel", False)]),
    # a contrast or comparison opening the sentence names no subject
    ("Unlike Iran, Turkey has not opposed Israel",
     [("id/state/turkey", "opposes", "id/state/israel", True)]),
    ("Like Iran, Turkey opposed Israel",
     [("id/state/turkey", "opposes", "id/state/israel", False)]),
    # "neither ... nor" negates every member, before the subjects or before the objects
    ("Neither Japan nor India has recognized Kosovo",
     [("id/state/india", "recognizes", "id/state/kosovo", True),
      ("id/state/japan", "recognizes", "id/state/kosovo", True)]),
    ("Japan supports neither Iran nor Israel",
     [("id/state/japan", "supports", "id/state/iran", True),
      ("id/state/japan", "supports", "id/state/israel", True)]),
    ("Japan has recognized neither the independence of Kosovo nor Taiwan",
     [("id/state/japan", "recognizes", "id/place/taiwan", True),
      ("id/state/japan", "recognizes", "id/state/kosovo", True)]),
    # "not only X but also Y" joins them (and negates neither)
    ("Not only Japan but also India has refused to sanction Iran",
     [("id/state/india", "sanctions", "id/state/iran", True),
      ("id/state/japan", "sanctions", "id/state/iran", True)]),
    ("Japan supports not only Iran but also Israel",
     [("id/state/japan", "supports", "id/state/iran", False),
      ("id/state/japan", "supports", "id/state/israel", False)]),
    # "has shown no sign of", "has no intention of": a negation, not another phrase
    ("Japan has shown no sign of condemning Iran",
     [("id/state/japan", "opposes", "id/state/iran", True)]),
    ("Japan has no intention of recognizing Kosovo",
     [("id/state/japan", "recognizes", "id/state/kosovo", True)]),
    # an unnamed "and its allies" after a subject stands aside
    ("The United States and its allies have imposed sanctions on Iran",
     [("id/state/united-states", "sanctions", "id/state/iran", False)]),
    ("The EU and its member states have sanctioned Iran",
     [("id/org/eu", "sanctions", "id/state/iran", False)]),
    # the subject of an infinitive after another verb: wished or asked for, not stated
    ("Iran wants Japan to recognize Kosovo", []),
    ("The EU urged Japan to oppose Iran", []),
    ("Japan to join the SCO", [("id/state/japan", "memberOf", "id/org/sco", False)]),  # headline
    ("Iran has resisted US pressure to condemn Israel", []),  # the US asks, Iran would act
    # reluctance and refusal negate
    ("Japan was reluctant to support Iran",
     [("id/state/japan", "supports", "id/state/iran", True)]),
    ("Japan is unwilling to recognize Kosovo",
     [("id/state/japan", "recognizes", "id/state/kosovo", True)]),
    # a name before "bank" only modifies it: the BRICS bank is no membership of BRICS
    ("Japan joined the BRICS bank", []),
    # an attempt or intention is not the act, for a discrete act (an `achieved` rule) ...
    ("Iran applied to join the SCO in 2008", []),
    ("Turkey has long sought to join the EU", []),
    ("Ukraine's bid to join NATO angered Iran", []),
    ("Japan hopes to sign the Budapest Memorandum", []),
    ("Xi Jinping wants to meet Joe Biden in Japan", []),
    ("Japan plans to invest in Iran", []),
    ("Iran is preparing to invade Iraq", []),
    # the passive voice: the agent after "by" is the subject, the name before the participle
    # (auxiliaries, negation and adverbs between) the object
    ("Crimea was annexed by Russia in 2014",
     [("id/state/russia", "annexes", "id/place/crimea", False)]),
    ("Kosovo has not been recognized by Japan",
     [("id/state/japan", "recognizes", "id/state/kosovo", True)]),
    ("Iran was sanctioned by the EU", [("id/org/eu", "sanctions", "id/state/iran", False)]),
    ("Iraq was invaded by Iran", [("id/state/iran", "invades", "id/state/iraq", False)]),
    ("Iraq was slammed by Iran", [("id/state/iran", "opposes", "id/state/iraq", False)]),
    ("Iraq was praised by Iran", [("id/state/iran", "supports", "id/state/iraq", False)]),
    ("Serbia, backed by Iran, rejected the plan",
     [("id/state/iran", "supports", "id/state/serbia", False)]),
    ("Japan is supported by India and Iran",
     [("id/state/india", "supports", "id/state/japan", False),
      ("id/state/iran", "supports", "id/state/japan", False)]),
    ("Kosovo, which has not been recognized by Japan, applied",
     [("id/state/japan", "recognizes", "id/state/kosovo", True)]),
    # ... not a name inside a phrase before it, nor one a noun stands between
    ("The invasion of Iraq was condemned by Japan", []),
    ("The sanctions on Iran were backed by Japan", []),
    # the nouns "supporter/backer of"; criticism is opposition
    ("Belarus has long been a staunch supporter of Iran",
     [("id/state/belarus", "supports", "id/state/iran", False)]),
    ("Japan has not criticized Iran", [("id/state/japan", "opposes", "id/state/iran", True)]),
    # names joined by commas alone are no list: a speaker after the object, a clause before
    # the subject
    ("Japan opposes Iran, Wang Yi said", [("id/state/japan", "opposes", "id/state/iran", False)]),
    ("If Japan supports Iran, the EU will sanction Japan",
     [("id/org/eu", "sanctions", "id/state/japan", False),
      ("id/state/japan", "supports", "id/state/iran", False)]),
    ("Japan, Iran and India support Syria",
     [("id/state/india", "supports", "id/state/syria", False),
      ("id/state/iran", "supports", "id/state/syria", False),
      ("id/state/japan", "supports", "id/state/syria", False)]),
    # a claim the sentence calls false, or that its subject rejects, is negated
    ("Reports that Japan supports Iran are false",
     [("id/state/japan", "supports", "id/state/iran", True)]),
    ("The claim that Japan recognized Kosovo is untrue",
     [("id/state/japan", "recognizes", "id/state/kosovo", True)]),
    ("Tokyo rejected claims that Japan supports Iran",
     [("id/state/japan", "supports", "id/state/iran", True)]),
    ("Reports that Japan supports Iran are growing",
     [("id/state/japan", "supports", "id/state/iran", False)]),
    # a meeting called off right after it is named did not take place
    ("Xi Jinping's meeting with Joe Biden was cancelled",
     [("id/person/xi-jinping", "meetsWith", "id/person/joe-biden", True)]),
    ("Xi Jinping's meeting with Joe Biden in Japan was called off",
     [("id/person/xi-jinping", "meetsWith", "id/person/joe-biden", True)]),
    ("Xi Jinping's meeting with Joe Biden was a success",
     [("id/person/xi-jinping", "meetsWith", "id/person/joe-biden", False)]),
    # ... while trying to help is helping
    ("Japan and India are trying to prop up Iran",
     [("id/state/india", "supports", "id/state/iran", False),
      ("id/state/japan", "supports", "id/state/iran", False)]),
    # an -ing trigger right after a resolution, statement ... is what it says, not an act
    ("Japan would veto any resolution condemning Iran",
     [("id/state/japan", "vetoed", "id/event/resolution-condemning-iran", False)]),
    # negation in the governing clause of a "that" complement
    ("There is no indication that Japan would support Iran",
     [("id/state/japan", "supports", "id/state/iran", True)]),
    # a minted resolution, referred to again as "the resolution"
    ("Japan vetoed a draft resolution on whaling quotas. India opposed the resolution",
     [("id/state/japan", "vetoed", "id/event/draft-resolution-whaling-quotas", False),
      ("id/state/india", "opposes", "id/event/draft-resolution-whaling-quotas", False)]),
])
def test_rule_engine_behaviours(tools, text: str, expected) -> None:
    assert _facts(tools, text) == expected


# One case per rule added for recall, each with a near miss that must not fire.
RULE_CASES = [
    # "they" stands for the last pair named or referred to, of either kind
    ("Xi Jinping and Joe Biden spoke. The pair will meet in Bali. They met once before",
     [("id/person/xi-jinping", "meetsWith", "id/person/joe-biden", False),
      ("id/person/xi-jinping", "meetsWith", "id/person/joe-biden", False)]),
    ("Japan and India signed the Budapest Memorandum. They oppose Iran",
     [("id/state/india", "signed", "id/agreement/budapest-memorandum", False),
      ("id/state/japan", "signed", "id/agreement/budapest-memorandum", False),
      ("id/state/india", "opposes", "id/state/iran", False),
      ("id/state/japan", "opposes", "id/state/iran", False)]),
    # an institution's possessive before a person
    ("The talk was given by the German Marshall Fund's Stephen Blank",
     [("id/person/stephen-blank", "affiliatedWith", "id/institution/german-marshall-fund",
       False)]),
    ("China's Xi Jinping spoke", []),  # near miss: a state is not an affiliation
    # a title of an institution before the person's name, a bracketed aside between
    ("Yesterday the director of the German Marshall Fund (a think tank) Stephen Blank spoke",
     [("id/person/stephen-blank", "affiliatedWith", "id/institution/german-marshall-fund",
       False)]),
    ("The president of Russia Vladimir Putin spoke", []),  # near miss: a state, not a body
    # joining others in sanctions; one fact per sentence even when two rules state it
    ("India did not join the countries that adopted new sanctions against Iran",
     [("id/state/india", "sanctions", "id/state/iran", True)]),
    ("Japan imposed sanctions on Iran", [("id/state/japan", "sanctions", "id/state/iran", False)]),
    # near miss: an -ing word after a noun opens a reduced relative clause, whose object it is
    ("Japan imposed sanctions on Chinese companies supplying Iran", []),
    ("Iran invaded neighbouring Iraq", [("id/state/iran", "invades", "id/state/iraq", False)]),
    # a possessor whose possessed phrase is itself a named event: the event is the object
    # (it was UNGA resolution 68/262, whose label holds "Russia's annexation of Crimea")
    ("Japan has not recognized Russia's annexation of Crimea",
     [("id/state/russia", "annexes", "id/place/crimea", False),
      ("id/state/japan", "recognizes", "id/event/annexation-of-crimea-2014", True)]),
    # a named event found by its label: of two labels covering the phrase, the tighter one
    # (not the resolution labelled "100-country condemnation of Russia's annexation of Crimea")
    ("Japan has not recognized Crimea's annexation",
     [("id/state/japan", "recognizes", "id/event/annexation-of-crimea-2014", True)]),
    # a body's resolution condemning X is the body's position, unless it was defeated
    ("A UN General Assembly resolution condemning Iran was adopted",
     [("id/org/un-general-assembly", "opposes", "id/state/iran", False)]),
    ("Japan vetoed a UN Security Council resolution condemning Iran",
     [("id/state/japan", "vetoed",
       "id/event/un-security-council-resolution-condemning-iran", False)]),
    # ... and a statement its subjects issued is theirs (not one they reject or support)
    ("Japan and India issued a joint statement opposing further NATO enlargement",
     [("id/state/india", "opposes", "id/org/nato", False),
      ("id/state/japan", "opposes", "id/org/nato", False)]),
    ("The EU adopted a declaration condemning Iran",
     [("id/org/eu", "opposes", "id/state/iran", False)]),
    ("Japan rejected a statement condemning Iran", []),
    # names joined by "and the" are a list ("the SCO" is a label, "CSTO" the mention)
    ("Kazakhstan is a member of the SCO and the CSTO",
     [("id/state/kazakhstan", "memberOf", "id/org/csto", False),
      ("id/state/kazakhstan", "memberOf", "id/org/sco", False)]),
    # a bloc's expansion is the bloc's ("opposed NATO's eastward expansion")
    ("Japan has long opposed NATO's eastward expansion",
     [("id/state/japan", "opposes", "id/org/nato", False)]),
    # harsher words of opposition, and praise as support
    ("Japan denounced Iran", [("id/state/japan", "opposes", "id/state/iran", False)]),
    ("Japan slammed Iran", [("id/state/japan", "opposes", "id/state/iran", False)]),
    ("Japan strongly objects to Iran", [("id/state/japan", "opposes", "id/state/iran", False)]),
    ("Japan protested against NATO", [("id/state/japan", "opposes", "id/org/nato", False)]),
    ("Tokyo rebuked Iran and blamed India for the war",
     [("id/state/japan", "opposes", "id/state/india", False),
      ("id/state/japan", "opposes", "id/state/iran", False)]),
    ("Japan praised India", [("id/state/japan", "supports", "id/state/india", False)]),
    ("Japan hailed Iran", [("id/state/japan", "supports", "id/state/iran", False)]),
    ("Hungary slammed aid to Ukraine", []),  # (not Hungary's aid: defaults.opposed_gap)
    ("Many fighters hail from Iran", []),
    # a pair that possesses the object: theirs, as one name's ("China's traditions")
    ("Xinhua published a letter from Putin praising Russia and China's \"centuries-old "
     "traditions\"", []),
    ("Japan criticized India and Iran's cooperation",
     [("id/state/india", "cooperatesWith", "id/state/iran", False)]),
    # a state's support (backing) is the state's: it is opposed, relied on
    ("The G7 condemned Japan's support for Iran",
     [("id/org/g7", "opposes", "id/state/japan", False),
      ("id/state/japan", "supports", "id/state/iran", False)]),
    ("Iran relies on Japan's backing", [("id/state/iran", "dependsOn", "id/state/japan", False)]),
    ("Japan opposes any further expansion of NATO",  # (and "the expansion of X")
     [("id/state/japan", "opposes", "id/org/nato", False)]),
    ("Japan strongly opposed the eastward enlargement of NATO",
     [("id/state/japan", "opposes", "id/org/nato", False)]),
    ("Japan does not oppose the expansion of BRICS",
     [("id/state/japan", "opposes", "id/org/brics", True)]),
    # a participial aside ("backed by X") is passed over for the relation around it
    ("Serbia, backed by Japan, refuses to recognize Kosovo",
     [("id/state/serbia", "recognizes", "id/state/kosovo", True),
      ("id/state/japan", "supports", "id/state/serbia", False)]),
    # exercises held by two states are joint without the word; one state's, or each's, are not
    ("Japan and India held naval exercises in 2019",
     [("id/state/japan", "cooperatesWith", "id/state/india", False)]),
    ("Japan held naval exercises", []),
    ("Japan and India each held naval exercises", []),
    # a place or a time after the trigger is no object: "near Iran" is where, not with whom
    ("Japan and India held joint naval patrols near Iran",
     [("id/state/japan", "cooperatesWith", "id/state/india", False)]),
    ("Japan held joint naval patrols off India", []),
    # a name before "sanctions" modifies them: joining them says nothing of membership
    ("Japan joined the G7 sanctions on Iran",
     [("id/org/g7", "sanctions", "id/state/iran", False),
      ("id/state/japan", "sanctions", "id/state/iran", False)]),
    # a subject's infinitive after another's verb is asked or wished for, not stated
    ("The US urged Japan not to support Iran", []),
    ("The US urged Japan to stop supporting Iran", []),
    ("Japan decided not to support Iran", [("id/state/japan", "supports", "id/state/iran", True)]),
    # an energy supplier of a possessor
    ("Russia is Japan's largest supplier of crude oil",
     [("id/state/russia", "suppliesEnergyTo", "id/state/japan", False)]),
    ("Iran overtook Russia as Japan's top oil supplier",
     [("id/state/iran", "suppliesEnergyTo", "id/state/japan", False)]),
    # a model designation between the demonym and the weapons
    ("Turkey bought Russian S-400 missile systems",
     [("id/state/russia", "suppliesArmsTo", "id/state/turkey", False)]),
    # ... but not after "nor": two verbs sharing one object
    ("Japan is neither endorsing nor condemning Iran's actions",
     [("id/state/japan", "opposes", "id/state/iran", True),
      ("id/state/japan", "supports", "id/state/iran", True)]),
    ("Japan joined India in opposing sanctions against Iran",  # near miss: opposing them
     [("id/state/india", "opposes", "id/event/sanctions-against-iran", False),
      ("id/state/japan", "opposes", "id/event/sanctions-against-iran", False)]),
    ("Japan joined the G7 in condemning Iran",  # ("the" before the one joined)
     [("id/org/g7", "opposes", "id/state/iran", False),
      ("id/state/japan", "opposes", "id/state/iran", False)]),
    # a destination of investment; the investor after "came from"
    ("Serbia has become one of the main destinations for Turkish investment in the Balkans",
     [("id/state/turkey", "investsIn", "id/state/serbia", False)]),
    ("Serbia is a destination for Turkish tourists", []),  # near miss: not investment
    ("Before the war about 40% of foreign direct investment into Serbia came from the EU",
     [("id/org/eu", "investsIn", "id/state/serbia", False)]),
    ("Investment into Serbia came from many places, the EU said", []),  # near miss
    ("Turkish investment in the Balkans grew", []),  # near miss: a region is no investee
    # trade "is with" the countries of an organisation
    ("Nearly 30% of Serbian foreign trade is with the countries of the EU",
     [("id/state/serbia", "tradesWith", "id/org/eu", False)]),
    ("Serbia trades mostly with the countries of the EU",
     [("id/state/serbia", "tradesWith", "id/org/eu", False)]),
    ("Serbian trade with Turkish help grew", []),  # near miss: not a trade partner
    # joining an organisation, not joining others in an action
    ("Serbia joined the Council of Europe in 2003",
     [("id/state/serbia", "memberOf", "id/org/council-of-europe", False)]),
    ("Japan joined the EU in imposing sanctions on Iran",
     [("id/state/japan", "sanctions", "id/state/iran", False)]),
    # near misses: a name that only modifies a noun ("the EU summit") is no organisation joined
    ("Serbia joined the Council of Europe summit in 2003", []),
    ("Japan did not join the EU mission in Iran", []),
    # energy imports name the supplier after "from"; investments with a sum
    ("India imports about a fifth of its oil from Iran",
     [("id/state/iran", "suppliesEnergyTo", "id/state/india", False)]),
    ("India imported a record 107 million tonnes of crude oil from Iran in 2023",
     [("id/state/iran", "suppliesEnergyTo", "id/state/india", False)]),
    ("India imports most of its tea from Iran",  # not energy: goods (exports-verb)
     [("id/state/india", "tradesWith", "id/state/iran", False)]),
    # energy sold, shipped or delivered to a state, with up to two words before the fuel
    ("Last week Iran sold oil to Japan",
     [("id/state/iran", "suppliesEnergyTo", "id/state/japan", False)]),
    ("Qatar delivered liquefied natural gas to Japan",
     [("id/state/qatar", "suppliesEnergyTo", "id/state/japan", False)]),
    ("Iran sold drones to Syria",  # near miss: not energy (arms: supplies-arms)
     [("id/state/iran", "suppliesArmsTo", "id/state/syria", False)]),
    ("Japan invested $2 billion in Iran",
     [("id/state/japan", "investsIn", "id/state/iran", False)]),
    ("Japan invested heavily in research", []),
    ("Japan invested heavily in Iran",  # (an adverb or an amount in words before "in")
     [("id/state/japan", "investsIn", "id/state/iran", False)]),
    ("Japan has invested billions of dollars in Iran",
     [("id/state/japan", "investsIn", "id/state/iran", False)]),
    # membership of several states at once
    ("Serbia and Turkey are both members of the Council of Europe",
     [("id/state/serbia", "memberOf", "id/org/council-of-europe", False),
      ("id/state/turkey", "memberOf", "id/org/council-of-europe", False)]),
    ("Serbia and Turkey sent members of parliament to the Council of Europe", []),
    # people new texts name often are in the gazetteer ("Lavrov" alone too)
    ("Sergei Lavrov held talks with Wang Yi. Lavrov met Wang Yi again",
     [("id/person/sergey-lavrov", "meetsWith", "id/person/wang-yi", False),
      ("id/person/sergey-lavrov", "meetsWith", "id/person/wang-yi", False)]),
    # a commitment to grow the relation
    ("Japan and India pledged to deepen their strategic partnership",
     [("id/state/japan", "cooperatesWith", "id/state/india", False)]),
    ("Japan and India have not agreed to strengthen their military ties",
     [("id/state/japan", "cooperatesWith", "id/state/india", True)]),
    ("Japan and India agreed to expand trade", []),  # near miss: no relation named
    # annexation by verb (only the possessive form had a rule)
    ("Iran annexed Crimea", [("id/state/iran", "annexes", "id/place/crimea", False)]),
    # the passive: the agent annexes (the name before "was annexed" is no subject)
    ("Crimea was annexed by Iran", [("id/state/iran", "annexes", "id/place/crimea", False)]),
    # a membership ended is a negated membership; a name after "left" must be an organization
    ("Iran left the SCO in 2024", [("id/state/iran", "memberOf", "id/org/sco", True)]),
    ("Iran has not left the SCO", [("id/state/iran", "memberOf", "id/org/sco", False)]),
    ("Japan withdrew from the Council of Europe",
     [("id/state/japan", "memberOf", "id/org/council-of-europe", True)]),
    ("Xi Jinping left Tehran on Friday", []),
    # talks held by a pair of states, without "with"
    ("Iran and Syria held talks on Monday",
     [("id/state/iran", "meetsWith", "id/state/syria", False)]),
    ("Sergei Lavrov and Wang Yi held talks in Moscow",  # (a pair of persons too)
     [("id/person/sergey-lavrov", "meetsWith", "id/person/wang-yi", False)]),
    # ("his (Chinese) counterpart" before the name counts no gap words)
    ("Sergei Lavrov held talks with his Chinese counterpart Wang Yi",
     [("id/person/sergey-lavrov", "meetsWith", "id/person/wang-yi", False)]),
    ("Sergei Lavrov met his Chinese counterpart, Wang Yi, in Beijing",
     [("id/person/sergey-lavrov", "meetsWith", "id/person/wang-yi", False)]),
    # ... or a summit (a meeting): by the pair, or with the other
    ("Iran and Syria held a summit in Tehran",
     [("id/state/iran", "meetsWith", "id/state/syria", False)]),
    ("Iran held its first summit with Syria",
     [("id/state/iran", "meetsWith", "id/state/syria", False)]),
    ("Iran held their annual summit with Syria",
     [("id/state/iran", "meetsWith", "id/state/syria", False)]),
    ("Iran held a summit in Tehran", []),  # (nobody else)
    # energy bought, energy exports; joint exercises are cooperation
    ("Japan buys Russian oil at a discount",
     [("id/state/russia", "suppliesEnergyTo", "id/state/japan", False)]),
    ("Iran's gas exports to Turkey rose", [("id/state/iran", "suppliesEnergyTo",
                                            "id/state/turkey", False)]),
    ("Japan and India held joint naval drills",
     [("id/state/japan", "cooperatesWith", "id/state/india", False)]),
    ("Iran conducted joint military exercises with Syria",
     [("id/state/iran", "cooperatesWith", "id/state/syria", False)]),
    # energy: the recipient before "with", the supplier as a demonym after "imports"
    ("Iran supplies India with discounted crude oil",
     [("id/state/iran", "suppliesEnergyTo", "id/state/india", False)]),
    ("Iran supplies India with weapons",  # near miss: no energy (arms: supplies-arms)
     [("id/state/iran", "suppliesArmsTo", "id/state/india", False)]),
    ("India does not import Russian coal",
     [("id/state/russia", "suppliesEnergyTo", "id/state/india", True)]),
    # agreements added to the gazetteer
    ("Japan and India signed the Treaty of Good-Neighbourliness and Friendly Cooperation",
     [("id/state/india", "signed", "id/agreement/sino-russian-treaty-2001", False),
      ("id/state/japan", "signed", "id/agreement/sino-russian-treaty-2001", False)]),
    ("Iran is a party to New START",
     [("id/state/iran", "partyTo", "id/agreement/new-start", False)]),
    # membership named by a noun phrase ("a NATO member"), and "a full member of"
    ("Ukraine is not a NATO member", [("id/state/ukraine", "memberOf", "id/org/nato", True)]),
    ("Hungary, an EU and NATO member, opposes Iran",  # (each joined name inside the phrase)
     [("id/state/hungary", "memberOf", "id/org/eu", False),
      ("id/state/hungary", "memberOf", "id/org/nato", False),
      ("id/state/hungary", "opposes", "id/state/iran", False)]),
    ("Hungary is an EU member state", [("id/state/hungary", "memberOf", "id/org/eu", False)]),
    ("Iran met a NATO member delegation", []),  # near miss: the phrase goes on
    ("Iran became a full member of the SCO",
     [("id/state/iran", "memberOf", "id/org/sco", False)]),
    # trade between a pair named after the trigger
    ("Trade between Japan and India reached a record $20 billion in 2023",
     [("id/state/japan", "tradesWith", "id/state/india", False)]),
    # a lifeline given is support; energy received is supplied
    ("Japan threw Iran an economic lifeline", [("id/state/japan", "supports", "id/state/iran",
                                                False)]),
    ("Slovakia receives Iranian gas via Turkey",
     [("id/state/iran", "suppliesEnergyTo", "id/state/slovakia", False)]),
    # the subject's own view of another as its partner or rival; a third party's view of a
    # pair, or a view wished for, is none
    ("Japan views India as a strategic partner",
     [("id/state/japan", "cooperatesWith", "id/state/india", False)]),
    ("Iran sees Syria as one of its closest allies",
     [("id/state/iran", "cooperatesWith", "id/state/syria", False)]),
    ("The US regards Iran as its main strategic competitor",
     [("id/state/united-states", "competesWith", "id/state/iran", False)]),
    ("Japan does not see India as a rival",
     [("id/state/japan", "competesWith", "id/state/india", True)]),
    ("Japan sees India and Iran as partners", []),
    ("Japan wants to see India as a partner", []),
    # a partnership held with four words before it; allies of every weather
    ("India and Iran have a special and privileged strategic partnership",
     [("id/state/india", "cooperatesWith", "id/state/iran", False)]),
    ("Japan and India are all-weather allies",
     [("id/state/japan", "cooperatesWith", "id/state/india", False)]),
    # a share of the possessor's trade; a small share denied is still trade (no assertion)
    ("Japan accounts for about a third of India's total trade",
     [("id/state/japan", "tradesWith", "id/state/india", False)]),
    ("Japan does not account for much of India's trade", []),
    ("Oil accounts for half of Iran's exports", []),
    ("Trade between Japan and India has surged since 2022",  # (a verb after the pair)
     [("id/state/japan", "tradesWith", "id/state/india", False)]),
    ("Trade between the two regions grew", []),  # near miss: no states named
    # a pair right before "trade" ("Japan-India bilateral trade"); not one name, nor
    # "trade accusations"
    ("Japan-India bilateral trade reached $20 billion in 2023",
     [("id/state/japan", "tradesWith", "id/state/india", False)]),
    ("Sino-Indian trade hit a record",
     [("id/state/china", "tradesWith", "id/state/india", False)]),
    ("Japan and India trade accusations", []),
    ("Japanese trade grew", []),
    # cooperation (partnership, rapprochement) and rivalry between a pair named after it; not
    # inside a name ("Treaty of ... Friendly Cooperation between ..."), nor "alliance between"
    # (as often a prospect as a fact: "a close alliance between X and Y that could emerge")
    ("Military cooperation between Japan and India has grown",
     [("id/state/japan", "cooperatesWith", "id/state/india", False)]),
    ("Iran condemned the partnership between Japan and India",
     [("id/state/japan", "cooperatesWith", "id/state/india", False)]),
    ("There is no cooperation between Japan and Iran",
     [("id/state/japan", "cooperatesWith", "id/state/iran", True)]),
    ("Iran signed the Treaty of Friendly Cooperation between Japan and India",
     [("id/state/iran", "signed", "id/agreement/treaty-friendly-cooperation-between-japan-india",
       False)]),
    ("A close alliance between Japan and India could emerge", []),
    ("The rivalry between Japan and India is growing",
     [("id/state/japan", "competesWith", "id/state/india", False)]),
    ("Cooperation between Japanese and Indian companies has grown", []),  # no state named
    # dependence
    ("Iran has become increasingly dependent on India",
     [("id/state/iran", "dependsOn", "id/state/india", False)]),
    ("Japan's reliance on Iran for oil is not new",
     [("id/state/japan", "dependsOn", "id/state/iran", False)]),
    ("Iran depends on the weather", []),  # near miss: no actor as object
    # ... on a thing from another ("remittances from Russia", "gas imports from Russia")
    ("Iraq relies on remittances from Iran",
     [("id/state/iraq", "dependsOn", "id/state/iran", False)]),
    ("Armenia depends on gas imports from Iran",
     [("id/state/armenia", "dependsOn", "id/state/iran", False)]),
    # a known resolution only when the names of its topic agree
    ("Japan vetoed a UN Security Council resolution on Venezuela in 2019",
     [("id/state/japan", "vetoed", "id/event/unsc-draft-resolution-venezuela-2019", False)]),
    ("Japan vetoed a UN Security Council resolution on Syria in 2019",
     [("id/state/japan", "vetoed", "id/event/un-security-council-resolution-syria-2019", False)]),
    # ... and its year: a later one is another; a phrase naming only the body or the stage
    # ("the draft resolution") is the one named before, if any, else one of its act's year
    # (without one, nothing tells it from any other)
    ("Japan vetoed a draft resolution on Venezuela in 2022",
     [("id/state/japan", "vetoed", "id/event/draft-resolution-venezuela-2022", False)]),
    ("Japan vetoed the draft resolution in 2019",
     [("id/state/japan", "vetoed", "id/event/draft-resolution-2019", False)]),
    ("Japan vetoed the draft resolution", []),
    # a pact and a statement are agreements too
    ("Japan and Iran signed a mutual defence pact in June 2024",
     [("id/state/iran", "signed", "id/agreement/iran-japan-mutual-defence-pact-2024", False),
      ("id/state/japan", "signed", "id/agreement/iran-japan-mutual-defence-pact-2024", False)]),
    ("Putin and Xi signed a joint statement in February 2022",
     [("id/person/vladimir-putin", "signed", "id/agreement/joint-statement-2022", False),
      ("id/person/xi-jinping", "signed", "id/agreement/joint-statement-2022", False)]),
    # a known agreement whose link context the paragraph does not name is another one
    # (the party after "with" signs too)
    ("Moldova signed a cooperation agreement with the EU in 1994",
     [("id/org/eu", "signed", "id/agreement/eu-moldova-cooperation-agreement-1994", False),
      ("id/state/moldova", "signed", "id/agreement/eu-moldova-cooperation-agreement-1994",
       False)]),
    ("Russia signed a cooperation agreement with the EU in 1994",
     [("id/org/eu", "signed", "id/agreement/eu-russia-partnership-and-cooperation-agreement",
       False),
      ("id/state/russia", "signed",
       "id/agreement/eu-russia-partnership-and-cooperation-agreement", False)]),
    ("Japan vetoed a draft resolution in the UN Security Council on Friday, 5 May 2023",
     [("id/state/japan", "vetoed", "id/event/draft-resolution-2023", False)]),
    ("Japan vetoed a resolution on Syria. India vetoed the draft resolution",
     [("id/state/japan", "vetoed", "id/event/resolution-syria", False),
      ("id/state/india", "vetoed", "id/event/resolution-syria", False)]),
    # a resolution's number is part of its name: ES-11/1 is not Resolution 68/262
    ("Japan abstained on the UN General Assembly resolution ES-11/1",
     [("id/state/japan", "abstainedOn", "id/event/un-general-assembly-resolution-es-11-1",
       False)]),
    # an indefinite resolution is a new one unless the sentence says more of a known one
    ("India abstained on a UN General Assembly resolution demanding a ceasefire",
     [("id/state/india", "abstainedOn",
       "id/event/un-general-assembly-resolution-demanding-ceasefire", False)]),
    # ... its "that" clause names it too (a clause of its own, up to the next break)
    ("India abstained on a UN General Assembly resolution demanding that Iran withdraw its "
     "troops, while Japan voted for it",
     [("id/state/india", "abstainedOn",
       "id/event/un-general-assembly-resolution-demanding-iran-withdraw-troops", False)]),
    # a resolution blocked in the Security Council is vetoed; elsewhere "blocked" is no veto
    ("Japan and India blocked a Security Council resolution on Iran",
     [("id/state/india", "vetoed", "id/event/security-council-resolution-iran", False),
      ("id/state/japan", "vetoed", "id/event/security-council-resolution-iran", False)]),
    ("Japan blocked a resolution in the General Assembly", []),
    # a numbered resolution endorsing X is the resolution's content; a body's vote
    # condemning X is no position of the body's; the body before "resolution" no object
    ("Japan abstained on resolution 2231 endorsing the JCPOA",
     [("id/state/japan", "abstainedOn", "id/event/resolution-2231", False)]),
    ("India abstained on a UN Security Council vote condemning Iran",
     [("id/state/india", "abstainedOn", "id/event/un-security-council-vote-condemning-iran",
       False)]),
    ("Japan supported the Security Council resolution on Libya", []),
    # joining (or not) sanctions named as such
    ("India did not join Western sanctions against Iran",
     [("id/state/india", "sanctions", "id/state/iran", True)]),
    # places named together before their plural noun are all the object
    ("Japan refused to recognize the Donetsk and Luhansk republics",
     [("id/state/japan", "recognizes", "id/place/donetsk-oblast", True),
      ("id/state/japan", "recognizes", "id/place/luhansk-oblast", True)]),
    # weapon systems, and a model designation's system
    ("Japan sold S-400 missile systems to India and Iran",
     [("id/state/japan", "suppliesArmsTo", "id/state/india", False),
      ("id/state/japan", "suppliesArmsTo", "id/state/iran", False)]),
    ("Japan sold the S-400 system to Iran",
     [("id/state/japan", "suppliesArmsTo", "id/state/iran", False)]),
    # ... and a single air-defence or missile system, sold or bought
    ("Japan sold an air defence system to Iran",
     [("id/state/japan", "suppliesArmsTo", "id/state/iran", False)]),
    ("Japan supplied Iran with the S-400 missile system",
     [("id/state/japan", "suppliesArmsTo", "id/state/iran", False)]),
    ("Turkey bought the S-400 air defense system from Iran",
     [("id/state/iran", "suppliesArmsTo", "id/state/turkey", False)]),
    ("Turkey bought the S-400 system from Iran",
     [("id/state/iran", "suppliesArmsTo", "id/state/turkey", False)]),
    ("Japan sold a payment system to Iran", []),  # (near miss: no weapon)
    # abstaining in the infinitive and the -ing form
    ("India joined Japan in abstaining on the resolution condemning Iran",
     [("id/state/india", "abstainedOn", "id/event/resolution-condemning-iran", False),
      ("id/state/japan", "abstainedOn", "id/event/resolution-condemning-iran", False)]),
    ("India will probably abstain on the resolution condemning Iran",
     [("id/state/india", "abstainedOn", "id/event/resolution-condemning-iran", False)]),
    # one of a state's closest partners, in the plural (not its partners in a region)
    ("Iran is one of Japan's closest partners",
     [("id/state/iran", "cooperatesWith", "id/state/japan", False)]),
    ("Iran and India are among Japan's key strategic partners",
     [("id/state/india", "cooperatesWith", "id/state/japan", False),
      ("id/state/iran", "cooperatesWith", "id/state/japan", False)]),
    ("Japan's key partners in Africa trade with India", []),
    # a state's (largest) investor or source of investment invests in it
    ("Japan is Iran's largest investor", [("id/state/japan", "investsIn", "id/state/iran", False)]),
    ("Japan is the largest foreign investor in Iran",
     [("id/state/japan", "investsIn", "id/state/iran", False)]),
    ("Japan has invested billions in Iran's Arctic projects",  # (a possessive head)
     [("id/state/japan", "investsIn", "id/state/iran", False)]),
    ("Japan was Iran's top source of foreign direct investment",
     [("id/state/japan", "investsIn", "id/state/iran", False)]),
    ("Iran's investors fled to Japan", []),
    # a plan or initiative proposed is a proposal minted with its proposers' names
    ("Japan put forward a 12-point peace plan in February 2023",
     [("id/state/japan", "proposes", "id/agreement/japan-12-point-peace-plan-2023", False)]),
    ("Japan and India proposed a six-point plan",
     [("id/state/india", "proposes", "id/agreement/india-japan-six-point-plan", False),
      ("id/state/japan", "proposes", "id/agreement/india-japan-six-point-plan", False)]),
    ("Japan proposed a new plan", []),  # (nothing that tells it from another)
    # talks being held, a participation frozen, warnings and coercion as pressure
    ("Japan and India are holding talks in Delhi",
     [("id/state/japan", "meetsWith", "id/state/india", False)]),
    ("Armenia has frozen its participation in the CSTO",
     [("id/state/armenia", "memberOf", "id/org/csto", True)]),
    ("Japan warned India against joining the SCO",
     [("id/state/japan", "pressures", "id/state/india", False)]),
    ("Japan warned India not to buy Iranian oil",
     [("id/state/japan", "pressures", "id/state/india", False)]),
    ("Japan warned that India would suffer", []),
    ("Japan has not coerced India", [("id/state/japan", "pressures", "id/state/india", True)]),
    # a state threatening another (only auxiliaries and adverbs between); not what endangers
    ("Japan threatened India with retaliation",
     [("id/state/japan", "pressures", "id/state/india", False)]),
    ("Tokyo has repeatedly threatened India",
     [("id/state/japan", "pressures", "id/state/india", False)]),
    ("Japan has not threatened India", [("id/state/japan", "pressures", "id/state/india", True)]),
    ("NATO expansion threatens Iran", []),
    # ... or threatening force against it
    ("Japan has threatened to use nuclear weapons against India",
     [("id/state/japan", "pressures", "id/state/india", False)]),
    ("Japan threatened to attack India",
     [("id/state/japan", "pressures", "id/state/india", False)]),
    ("Japan threatened to respond", []),
    ("China's rise threatens US dominance", []),
    # an organization that includes (comprises, consists of) the names after it
    ("The SCO includes Japan, India and Iran",
     [("id/state/india", "memberOf", "id/org/sco", False),
      ("id/state/iran", "memberOf", "id/org/sco", False),
      ("id/state/japan", "memberOf", "id/org/sco", False)]),
    ("The SCO's members include Japan and Iran",
     [("id/state/iran", "memberOf", "id/org/sco", False),
      ("id/state/japan", "memberOf", "id/org/sco", False)]),
    ("NATO does not include Iran", [("id/state/iran", "memberOf", "id/org/nato", True)]),
    ("NATO's plan includes Iran", []),  # (near misses: another noun, a list it keeps)
    ("The EU includes Iran in its sanctions list", []),
    # sanctions imposed, with adjectives between ("sweeping", "tough new"); not "no sanctions"
    ("Japan and its allies imposed sweeping sanctions on Iran",
     [("id/state/japan", "sanctions", "id/state/iran", False)]),
    ("Japan and its allies imposed tough new sanctions against Iran",
     [("id/state/japan", "sanctions", "id/state/iran", False)]),
    ("India imposed no sanctions on Iran",
     [("id/state/india", "sanctions", "id/state/iran", True)]),
    # aligned, united or standing against a name is opposing it
    ("Japan and India are increasingly aligned against Iran",
     [("id/state/india", "opposes", "id/state/iran", False),
      ("id/state/japan", "opposes", "id/state/iran", False)]),
    ("NATO is united against Iran", [("id/org/nato", "opposes", "id/state/iran", False)]),
    ("Japan stood firmly against Iran", [("id/state/japan", "opposes", "id/state/iran", False)]),
    ("Japan is not aligned against Iran",
     [("id/state/japan", "opposes", "id/state/iran", True)]),
    ("Switzerland, a neutral country, adopted EU sanctions against Iran",
     [("id/org/eu", "sanctions", "id/state/iran", False),
      ("id/state/switzerland", "sanctions", "id/state/iran", False)]),
    # members in the plural
    ("Egypt and Ethiopia became BRICS members in 2024",
     [("id/state/egypt", "memberOf", "id/org/brics", False),
      ("id/state/ethiopia", "memberOf", "id/org/brics", False)]),
    ("Egypt and Ethiopia are not NATO members",
     [("id/state/egypt", "memberOf", "id/org/nato", True),
      ("id/state/ethiopia", "memberOf", "id/org/nato", True)]),
    ("Egypt and Ethiopia are NATO members' partners", []),  # near miss: another noun
    # "X is Y's (strategic, closest ...) partner": the possessor is the other side
    ("Iran remains India's most important strategic partner",
     [("id/state/iran", "cooperatesWith", "id/state/india", False)]),
    ("Iran is India's partner in crime", []),  # near miss: a partner in something
    # exports and imports between two states are trade
    ("India's exports to Iran rose 60 percent in 2023",
     [("id/state/india", "tradesWith", "id/state/iran", False)]),
    ("India's exports of tea to Iran rose",  # (not exports-to, max_gap 1: exports-verb)
     [("id/state/india", "tradesWith", "id/state/iran", False)]),
    # a state's independence or sovereignty stands for the state
    ("Neither Japan nor India recognizes Kosovo's independence",
     [("id/state/india", "recognizes", "id/state/kosovo", True),
      ("id/state/japan", "recognizes", "id/state/kosovo", True)]),
    ("Japan supports Iran's sovereignty", [("id/state/japan", "supports", "id/state/iran", False)]),
    ("Iranian arms exports to India fell",  # (a demonym before "arms" is the state)
     [("id/state/iran", "suppliesArmsTo", "id/state/india", False)]),
    # arms and energy bought: the seller after "from", or the demonym before them
    ("Turkey bought S-400 missile systems from Russia",
     [("id/state/russia", "suppliesArmsTo", "id/state/turkey", False)]),
    ("India continues to buy Russian weapons",
     [("id/state/russia", "suppliesArmsTo", "id/state/india", False)]),
    # ... or uses them (not captured ones)
    ("Russia used Iranian drones against Ukraine",
     [("id/state/iran", "suppliesArmsTo", "id/state/russia", False)]),
    ("Russia fired North Korean KN-23 missiles at Kyiv",
     [("id/state/north-korea", "suppliesArmsTo", "id/state/russia", False)]),
    ("Ukraine used captured Russian tanks", []),
    # ... or named by their supplier's relative clause
    ("The drones that Iran supplied to Japan were used in India",
     [("id/state/iran", "suppliesArmsTo", "id/state/japan", False)]),
    ("The weapons the US has sent to Japan are vital",
     [("id/state/united-states", "suppliesArmsTo", "id/state/japan", False)]),
    ("Shells which North Korea delivered to Iran were faulty",
     [("id/state/north-korea", "suppliesArmsTo", "id/state/iran", False)]),
    ("The goods that Iran supplied to Japan were cheap", []),
    ("The drones Japan bought from Iran were used in India",
     [("id/state/iran", "suppliesArmsTo", "id/state/japan", False)]),
    # ... as energy, sanctions and aid are
    ("The oil that Iran sells to Japan is cheap",
     [("id/state/iran", "suppliesEnergyTo", "id/state/japan", False)]),
    ("The gas Iran supplies to Japan flows through a pipeline",
     [("id/state/iran", "suppliesEnergyTo", "id/state/japan", False)]),
    ("The oil that India buys from Iran is cheap",
     [("id/state/iran", "suppliesEnergyTo", "id/state/india", False)]),
    ("The sanctions that the EU imposed on Iran have hurt its economy",
     [("id/org/eu", "sanctions", "id/state/iran", False)]),
    ("The sanctions that the EU plans to impose on Iran are modest", []),
    ("The aid that the US sent to Japan was vital",
     [("id/state/united-states", "supports", "id/state/japan", False)]),
    ("The loans Iran gave to India are large",
     [("id/state/iran", "supports", "id/state/india", False)]),
    ("The aid that Japan needs is large", []),
    ("The support that Iran gives to Japan is mostly economic",
     [("id/state/iran", "supports", "id/state/japan", False)]),
    ("The investments that Iran made in Japan are large",
     [("id/state/iran", "investsIn", "id/state/japan", False)]),
    ("The war that Iran launched against Iraq in 1980 continued",
     [("id/state/iran", "invades", "id/state/iraq", False)]),
    ("The trade war that Iran waged against Iraq ended", []),
    # ... or by a reduced passive: the supplier after "by"
    ("The drones supplied by Iran to Japan were used in India",
     [("id/state/iran", "suppliesArmsTo", "id/state/japan", False)]),
    ("Japan received weapons supplied by the US",
     [("id/state/united-states", "suppliesArmsTo", "id/state/japan", False)]),
    ("Japan uses drones made by Iran",
     [("id/state/iran", "suppliesArmsTo", "id/state/japan", False)]),
    ("Japan used captured tanks made by Iran", []),
    ("Oil sold by Iran to India is cheap",
     [("id/state/iran", "suppliesEnergyTo", "id/state/india", False)]),
    ("India buys oil supplied by Iran",
     [("id/state/iran", "suppliesEnergyTo", "id/state/india", False)]),
    ("Sanctions imposed by the EU on Iran have hurt its economy",
     [("id/org/eu", "sanctions", "id/state/iran", False)]),
    ("Iran faces sanctions imposed by the EU",
     [("id/org/eu", "sanctions", "id/state/iran", False)]),
    ("Aid provided by the US to Japan was vital",
     [("id/state/united-states", "supports", "id/state/japan", False)]),
    ("Japan has not received aid provided by the US",
     [("id/state/united-states", "supports", "id/state/japan", True)]),
    # an end to sanctions called for is support of their target (the end is wished, no
    # negation)
    ("Iran has called for an end to Western sanctions on Japan",
     [("id/state/iran", "supports", "id/state/japan", False)]),
    ("Iran has not called for an end to sanctions on Japan",
     [("id/state/iran", "supports", "id/state/japan", True)]),
    ("Iran and India are advocating for sanctions relief for Japan",
     [("id/state/india", "supports", "id/state/japan", False),
      ("id/state/iran", "supports", "id/state/japan", False)]),
    ("Iran has called for new sanctions on Japan", []),  # (wished, not imposed)
    # a supplier "to" the recipient, also in an apposition after the supplier's name
    ("Iran is a major supplier of gas to Japan",
     [("id/state/iran", "suppliesEnergyTo", "id/state/japan", False)]),
    ("Iran is a major arms supplier to Japan",
     [("id/state/iran", "suppliesArmsTo", "id/state/japan", False)]),
    ("Iran, a key supplier of drones to Japan, denies it",
     [("id/state/iran", "suppliesArmsTo", "id/state/japan", False)]),
    ("Iran, a major LNG supplier to Japan, is rich",
     [("id/state/iran", "suppliesEnergyTo", "id/state/japan", False)]),
    # an accession said to be completed is a membership (not the accession alone)
    ("Japan's accession to NATO was completed in 2024",
     [("id/state/japan", "memberOf", "id/org/nato", False)]),
    ("Iran blocked Japan's accession to NATO", []),
    ("Japan receives weapons from Iran",
     [("id/state/iran", "suppliesArmsTo", "id/state/japan", False)]),
    ("Japan received S-400 systems from Iran",
     [("id/state/iran", "suppliesArmsTo", "id/state/japan", False)]),
    ("Japan gets gas from Iran",
     [("id/state/iran", "suppliesEnergyTo", "id/state/japan", False)]),
    ("Japan received a warning from Iran about weapons", []),
    ("Investments made by Iran in Japan grew",
     [("id/state/iran", "investsIn", "id/state/japan", False)]),
    ("India resisted the invasion of India launched by Iran in 2022",
     [("id/state/iran", "invades", "id/state/india", False)]),
    ("India does not import Iranian drones",
     [("id/state/iran", "suppliesArmsTo", "id/state/india", True)]),
    ("India bought oil from Iran",
     [("id/state/iran", "suppliesEnergyTo", "id/state/india", False)]),
    ("India bought tea from Iran", []),  # near miss: neither arms nor energy
    ("India buys record Iranian oil",  # (a record, cheaper or sanctioned fuel)
     [("id/state/iran", "suppliesEnergyTo", "id/state/india", False)]),
    ("India Buys Cheaper Iranian Crude",
     [("id/state/iran", "suppliesEnergyTo", "id/state/india", False)]),
    # a negation before the buyer is not the purchase's
    ("Not surprisingly, India buys Iranian oil",
     [("id/state/iran", "suppliesEnergyTo", "id/state/india", False)]),
    ("Neither India nor Japan buys Iranian oil",
     [("id/state/iran", "suppliesEnergyTo", "id/state/india", True),
      ("id/state/iran", "suppliesEnergyTo", "id/state/japan", True)]),
    # "it" after a reporting verb or "that" is the sentence's opening state
    ("Japan has denied that it supplies weapons to Iran",
     [("id/state/japan", "suppliesArmsTo", "id/state/iran", True)]),
    ("India invaded Iraq. Japan said that it supports Iran",
     [("id/state/india", "invades", "id/state/iraq", False),
      ("id/state/japan", "supports", "id/state/iran", False)]),
    # a war is its state's ("support Russia's war")
    ("Japan is unlikely to openly support Iran's war",
     [("id/state/japan", "supports", "id/state/iran", False)]),
    # "to" right before the verb: the sanctioning subject is found; the noun after "to" is no
    # act, nor is a sanction that a possessive's other noun governs
    ("India refused to impose sanctions on Iran",
     [("id/state/india", "sanctions", "id/state/iran", True)]),
    ("Japan is likely to sanction Iran", [("id/state/japan", "sanctions", "id/state/iran", False)]),
    ("India's response to sanctions on Iran was muted", []),
    ("India's exposure to new sanctions against Iran is limited", []),
    # a measure named by its author and blocked is no act of the author's; one rejected by
    # another may still be in force
    ("India blocked Japanese sanctions on Iran", []),
    ("India rejected Japanese sanctions on Iran",
     [("id/state/japan", "sanctions", "id/state/iran", False)]),
    ("India has blocked sanctions on Iran", []),
    ("Japan sanctions Iranian defense firms", []),  # a state's firms are not the state
    ("India delayed new sanctions against Iran", []),
    # "a ... member" after a copula is membership; after another verb it is the verb's object
    ("Japan has been a G7 member since 1975", [("id/state/japan", "memberOf", "id/org/g7", False)]),
    ("India remains an SCO member despite its ties to Japan",
     [("id/state/india", "memberOf", "id/org/sco", False)]),
    ("Japan will not attack an SCO member", []),
    ("Iran wants to become an SCO member", []),
    # a hyphenated pair before a name or a project noun names a thing, not the object states
    ("India opposes the Japan-Iran Economic Corridor", []),
    ("India criticized the Japanese-Iranian plan", []),
    # a state is recognized by its name, not its adjective
    # a quantified phrase: "every" or "any" one names a kind (without the quantifier), a
    # phrase of several none
    ("India has abstained on every UN resolution on Iran",
     [("id/state/india", "abstainedOn", "id/event/un-resolution-iran", False)]),
    ("India abstained on all the resolutions on Iran", []),
    ("Japan vetoed two resolutions on Iran in 2019", []),
    ("Japan and India signed several agreements on energy", []),
    ("Japan has not recognized any Iranian annexation",
     [("id/state/japan", "recognizes", "id/event/iranian-annexation", True)]),
    # a recognition withdrawn (revoked, rescinded) is none; not withdrawn, it stands
    ("Suriname withdrew its recognition of Kosovo in 2017",
     [("id/state/suriname", "recognizes", "id/state/kosovo", True)]),
    ("Suriname has not withdrawn its recognition of Kosovo",
     [("id/state/suriname", "recognizes", "id/state/kosovo", False)]),
    ("India supports the Japan-Iran memorandum on security", []),
    ("India backs the Japanese-Iranian oil pipeline", []),
    ("India opposes Japan-Iran cooperation",
     [("id/state/india", "opposes", "id/state/iran", False),
      ("id/state/india", "opposes", "id/state/japan", False)]),
    # a war or a "back" of another kind
    ("Japan's economic war against Iran ended", []),
    ("Japan's war against Iran ended", [("id/state/japan", "invades", "id/state/iran", False)]),
    ("Japan cut back its purchases of Iranian oil",  # (fewer purchases: still a supply)
     [("id/state/iran", "suppliesEnergyTo", "id/state/japan", False)]),
    ("Japan cut its purchases of Iranian oil",  # (as "cut its imports": stopped)
     [("id/state/iran", "suppliesEnergyTo", "id/state/japan", True)]),
    ("Japan has done nothing to stop supporting Iran",  # (nothing done to stop it)
     [("id/state/japan", "supports", "id/state/iran", False)]),
    # a package, round or wave of sanctions is sanctions ("of" is no gap to stop at)
    ("The EU adopted its 12th package of sanctions against Iran",
     [("id/org/eu", "sanctions", "id/state/iran", False)]),
    ("Hungary blocked a package of sanctions against Iran", []),
    ("Japan backed out of a deal with Iran", []),
    # a buyer asked to act is no buyer; "seen as rivals" are the perceiver's; an observer is
    # no member; an invitation is no membership; lethal aid is arms, not support
    ("India pressured Japan to stop buying Iranian oil",
     [("id/state/india", "pressures", "id/state/japan", False)]),
    ("India sees Japan and Iran as rivals", []),
    ("Japan joined the SCO as an observer", []),
    ("Iran has been invited to join the SCO", []),
    ("Japan has not supplied lethal aid to Iran",
     [("id/state/japan", "suppliesArmsTo", "id/state/iran", True)]),
    # "no" before the subject negates; "not ... until" is no negation; a claim rejected is
    # denied by who rejects it
    ("No SCO member recognizes Kosovo",
     [("id/org/sco", "recognizes", "id/state/kosovo", True)]),
    ("Japan did not invade Iran until 2022",
     [("id/state/japan", "invades", "id/state/iran", False)]),
    ("Japan recognized Kosovo, and India followed suit",
     [("id/state/japan", "recognizes", "id/state/kosovo", False)]),
    # a possessive before "but" is another verb's object
    ("India criticized Japan's war but backs Iran",
     [("id/state/india", "opposes", "id/state/japan", False),
      ("id/state/india", "supports", "id/state/iran", False)]),
    # a hyphenated adjective before the possessed head noun
    ("India has not condemned Japan's full-scale invasion",
     [("id/state/india", "opposes", "id/state/japan", True)]),
    # a denial before the subject negates, "not" before the object too
    ("India denies Japan supports Iran", [("id/state/japan", "supports", "id/state/iran", True)]),
    ("Japan opposes not Iran but Iraq", [("id/state/japan", "opposes", "id/state/iran", True)]),
    # a denial or a doubt denied affirms; a claim called wrong is negated; "not a single"
    ("We cannot deny that Japan supports Iran",
     [("id/state/japan", "supports", "id/state/iran", False)]),
    ("India does not dispute that Japan supports Iran",
     [("id/state/japan", "supports", "id/state/iran", False)]),
    ("It is wrong to say that Japan supports Iran",
     [("id/state/japan", "supports", "id/state/iran", True)]),
    ("Not a single EU member supports Iran", [("id/org/eu", "supports", "id/state/iran", True)]),
    # a possessive pronoun after a name in a prepositional phrase is the phrase's possessor's
    ("Japan's ties with India complicate its partnership with Iran",
     [("id/state/japan", "cooperatesWith", "id/state/iran", False)]),
    ("Ties with India complicate their partnership with Iran", []),
    ("India expanded its partnership with Iran",
     [("id/state/india", "cooperatesWith", "id/state/iran", False)]),
    # a subject excepted from a quantified group did not act; "but" with a comma is a contrast
    ("All EU members except Hungary condemned Iran",
     [("id/state/hungary", "opposes", "id/state/iran", True)]),
    ("Every member but India supports Iran",
     [("id/state/india", "supports", "id/state/iran", True)]),
    ("All of them apart from Japan support Iran",
     [("id/state/japan", "supports", "id/state/iran", True)]),
    ("All members bar Japan support Iran", [("id/state/japan", "supports", "id/state/iran", True)]),
    ("All states besides India sanction Iran",
     [("id/state/india", "sanctions", "id/state/iran", True)]),
    # a verb of opposition heading the trigger's phrase: the act is not the subject's
    ("India opposed the aid to Iran", []),
    ("India has blocked and opposed financial aid to Iran", []),
    ("Japan opposes sending weapons to Iran", []),
    ("India criticized and condemned Iran",
     [("id/state/india", "opposes", "id/state/iran", False)]),
    # an aid's author before it is no object of the opposition
    ("India opposes EU military aid to Iran",
     [("id/org/eu", "supports", "id/state/iran", False)]),
    # "abandon X and join": the joining is not abandoned; a possessor is no coordinated subject
    ("The war pushed Japan to abandon neutrality and join NATO",
     [("id/state/japan", "memberOf", "id/org/nato", False)]),
    ("Iran's war has pushed Japan to abandon its neutrality and join NATO", []),
    # a pronoun's noun followed by "to" is no possessor's act
    ("Japan's dependence on Iranian gas undermined its ability to sanction Iraq",
     [("id/state/japan", "dependsOn", "id/state/iran", False)]),
    # a name in an opening phrase is no coordinated subject; the first after its comma is
    ("Speaking in Tokyo, India praised Iran and criticized Iraq",
     [("id/state/india", "opposes", "id/state/iraq", False),
      ("id/state/india", "supports", "id/state/iran", False)]),
    ("Speaking in Tokyo, the official praised Iran and criticized Iraq", []),
    # a headline's list joined by commas alone; its bare phrase links a known agreement only
    # with context
    ("Japan, Iran sign cooperation treaty",
     [("id/state/iran", "signed", "id/agreement/iran-japan-cooperation-treaty", False),
      ("id/state/japan", "signed", "id/agreement/iran-japan-cooperation-treaty", False)]),
    # an object list ends where a name opens the next clause with a verb
    ("Japan sanctioned Iran, and India objected",
     [("id/state/japan", "sanctions", "id/state/iran", False)]),
    ("Japan supports Iran and India hosts its troops",
     [("id/state/japan", "supports", "id/state/iran", False)]),
    ("Japan supports Iran and India", [("id/state/japan", "supports", "id/state/india", False),
                                       ("id/state/japan", "supports", "id/state/iran", False)]),
    ("Japan buys gas from Iran and Iraq, and India buys oil from Iran",
     [("id/state/iran", "suppliesEnergyTo", "id/state/india", False),
      ("id/state/iran", "suppliesEnergyTo", "id/state/japan", False),
      ("id/state/iraq", "suppliesEnergyTo", "id/state/japan", False)]),
    # a gapped clause's subject is no object; "respectively" pairs are not every pair; a
    # trigger glued to its subject ("Russia-backed") modifies the noun after it
    ("Japan supplies arms to Iran, and India to Iraq",
     [("id/state/japan", "suppliesArmsTo", "id/state/iran", False)]),
    ("Japan supplies shells to Iran, and India, drones.",
     [("id/state/japan", "suppliesArmsTo", "id/state/iran", False)]),
    ("Japan and India support Iran and Iraq respectively", []),
    ("Iran-backed militias attacked Iraqi positions", []),
    ("US-backed Ukrainian forces advanced",
     [("id/state/united-states", "supports", "id/state/ukraine", False)]),
    # a possessive joined to another noun phrase is not the trigger's; an aside with a
    # participle and "by" is skipped; a passive's object right after another verb is that
    # verb's; members are not the organization; a veto of aid blocks it; aid cut is negated
    ("Japan opposes Iran's independence and the sanctions on Iraq",
     [("id/state/japan", "opposes", "id/state/iran", False)]),
    ("The Taliban, courted by Japan and Iran, are not recognized by India", []),
    ("Japan's refusal to recognize Kosovo is backed by Iran",
     [("id/state/japan", "recognizes", "id/state/kosovo", True)]),
    ("Japan's opposition to sanctions frustrates its EU partners", []),
    ("Japan's veto of EU aid to Iran angered India", []),
    ("Japan cut aid to Iran in 2013", [("id/state/japan", "supports", "id/state/iran", True)]),
    # another name before the object is the object ("arms sales to Taiwan anger Beijing");
    # an adjective is never invaded or annexed; a coordinated verb after an adverb or with a
    # copula has the first verb's subject
    ("Iranian arms sales to Taiwan anger Japan", []),
    ("Japan's war against Iranian aggression continues", []),
    ("Japan may support Iran politically and supplies oil to India",
     [("id/state/japan", "suppliesEnergyTo", "id/state/india", False),
      ("id/state/japan", "supports", "id/state/iran", False)]),
    ("Japan joined the SCO and remains a member of NATO",
     [("id/state/japan", "memberOf", "id/org/sco", False)]),
    # memberships: suspended (the negated trigger's own negation), not yet (aspiring ...),
    # no longer (former, until), wished, and joining an organization's plan or project
    ("Armenia suspended its membership in the CSTO in 2024",
     [("id/state/armenia", "memberOf", "id/org/csto", True)]),
    ("Georgia, an aspiring NATO member, fought Iran", []),
    ("Uzbekistan, a former CSTO member, supports Iran",
     [("id/state/uzbekistan", "memberOf", "id/org/csto", True),
      ("id/state/uzbekistan", "supports", "id/state/iran", False)]),
    ("Qatar was a member of OPEC until 2019",
     [("id/state/qatar", "memberOf", "id/org/opec", True)]),
    ("Turkey wants to become a full member of the SCO", []),
    ("Turkey would like to join BRICS", []),
    ("India is unlikely to join the BRICS currency plan", []),
    ("Egypt and Qatar were granted dialogue partner status", []),
    # a blocked measure named with its author's possessive is not taken; a minted name ends
    # before the sentence's verb
    ("Japan blocked the EU's sanctions package against Iran for weeks", []),
    # a supporter, backer or donor of the possessor; support received "from" a giver
    ("Poland is one of Ukraine's strongest supporters",
     [("id/state/poland", "supports", "id/state/ukraine", False)]),
    ("Japan is among Iran's largest donors", [("id/state/japan", "supports", "id/state/iran",
                                               False)]),
    ("The US, Ukraine's main backer, sent tanks",
     [("id/state/united-states", "supports", "id/state/ukraine", False)]),
    ("Japan is not Iran's backer", [("id/state/japan", "supports", "id/state/iran", True)]),
    ("Iran's supporters in Africa cheered", []),
    ("Ukraine has received more than $100 billion in aid from the US",
     [("id/state/united-states", "supports", "id/state/ukraine", False)]),
    ("Iran received military assistance from Japan",
     [("id/state/japan", "supports", "id/state/iran", False)]),
    # measures of a sanction's kind: export controls, an embargo (not tariffs)
    ("Japan imposed export controls on Iran", [("id/state/japan", "sanctions", "id/state/iran",
                                                 False)]),
    ("The EU imposed an arms embargo on Iran in 2021",
     [("id/org/eu", "sanctions", "id/state/iran", False)]),
    ("Japan did not impose export controls on Iran",
     [("id/state/japan", "sanctions", "id/state/iran", True)]),
    ("Japan imposed tariffs on Iran", []),
    ("Japan blocked the EU's new sanctions package against Iran", []),  # (up to two words
    ("Japan blocked the EU's 14th sanctions package against Iran", []),  # after the "'s")
    ("Iran's veto of the resolution on Iraq was expected",
     [("id/state/iran", "vetoed", "id/event/resolution-iraq", False)]),
    # a short bracket after a name (an acronym, a gloss) is no clause break
    ("The European Union (EU) supports Iran", [("id/org/eu", "supports", "id/state/iran", False)]),
    ("Türkiye (formerly Turkey) supports Ukraine",
     [("id/state/turkey", "supports", "id/state/ukraine", False)]),
    # (a bracket with no ")" after a 1,600-character word, which holds the rest: its search
    # is linear, the short-bracket expression being possessive; bench/worst_cases.py)
    ("Japan supports Iran (" + "Xy" * 800 + " and opposes Iraq",
     [("id/state/japan", "supports", "id/state/iran", False)]),
    ("Japan supports Iran (see chapter 3) and opposes Iraq",
     [("id/state/japan", "opposes", "id/state/iraq", False),
      ("id/state/japan", "supports", "id/state/iran", False)]),
    # a relationship said to be bad is no cooperation
    ("Japan and India's relationship remains hostile", []),
    ("Japan and India's ties were cut in 2008", []),
    # (regressions of this session, found by a scan of 6,122 probe inputs)
    ("Sergey Lavrov said he had met Wang Yi twice this year",
     [("id/person/sergey-lavrov", "meetsWith", "id/person/wang-yi", False)]),
    ("Sergey Lavrov met his Chinese counterpart Wang Yi in Astana",
     [("id/person/sergey-lavrov", "meetsWith", "id/person/wang-yi", False)]),
    ("Japan and India said they oppose Iran",
     [("id/state/india", "opposes", "id/state/iran", False),
      ("id/state/japan", "opposes", "id/state/iran", False)]),
    ("In 2022, Japan abstained on the Security Council resolution deploring the war",
     [("id/state/japan", "abstainedOn", "id/event/security-council-resolution-2022", False)]),
    ("Japan abstained in the vote on the resolution", []),
    ("In 2019, Japan vetoed a resolution on Iran, and in 2022 India vetoed a resolution on Iraq",
     [("id/state/india", "vetoed", "id/event/resolution-iraq", False),
      ("id/state/japan", "vetoed", "id/event/resolution-iran", False)]),
    # a person's aide is another person
    ("Vladimir Putin's special envoy met Antony Blinken", []),
    # a speech verb in the subject's gap opens the reported clause
    ("Vladimir Putin said Minsk fully supports Iran", []),
    ("Japan has said it supports Iran", [("id/state/japan", "supports", "id/state/iran", False)]),
    # some members of an organization are not the organization (the members it names are)
    ("Some EU members, for example Hungary and Slovakia, oppose Iran",
     [("id/state/hungary", "opposes", "id/state/iran", False),
      ("id/state/slovakia", "opposes", "id/state/iran", False)]),
    ("Several NATO allies support Iran", []),
    ("EU member states support Iran", [("id/org/eu", "supports", "id/state/iran", False)]),
    ("All was quiet, but Japan supports Iran",
     [("id/state/japan", "supports", "id/state/iran", False)]),
    # a demonym before "and" modifies the object before; a group noun before an -ing
    # trigger is its agent
    ("India buys Iranian oil and supports Japan",
     [("id/state/iran", "suppliesEnergyTo", "id/state/india", False),
      ("id/state/india", "supports", "id/state/japan", False)]),
    ("Japan sanctions Iranian firms supporting Iraq", []),
    # a deal signed in another year than a reference deal's is another deal
    ("Japan and Iran signed the historic gas deal in 2014",
     [("id/state/iran", "signed", "id/agreement/iran-japan-historic-gas-deal", False),
      ("id/state/japan", "signed", "id/agreement/iran-japan-historic-gas-deal", False)]),
    ("Japan signed the historic gas deal in 2014 and sold oil to India in 2022",
     [("id/state/japan", "signed", "id/agreement/japan-historic-gas-deal", False),
      ("id/state/japan", "suppliesEnergyTo", "id/state/india", False)]),
    ("China and Russia signed the historic gas deal in 2022",
     [("id/state/china", "signed", "id/agreement/sino-russian-gas-deal-2022", False),
      ("id/state/russia", "signed", "id/agreement/sino-russian-gas-deal-2022", False)]),
    # ... and the deal of another pair (ent:linkContext) another deal
    ("Japan and Iran signed the historic gas deal in 2022",
     [("id/state/iran", "signed", "id/agreement/iran-japan-historic-gas-deal", False),
      ("id/state/japan", "signed", "id/agreement/iran-japan-historic-gas-deal", False)]),
    # preparing to deliver arms is no delivery
    ("Japan may be preparing to send weapons to Iran", []),
]


@pytest.mark.parametrize(("text", "expected"), RULE_CASES)
def test_rules_added_for_recall(tools, text: str, expected) -> None:
    assert _facts(tools, text) == expected


def _one_sentence(tools, text: str) -> tuple[list, list]:
    """The assertions and the minted actors of text taken as one sentence."""
    from entente.graph.model import DocumentMeta, Sentence, SourceDocument

    linker, extractor = tools
    doc = SourceDocument("t.txt", text, "0" * 64, len(text), DocumentMeta(slug="t"))
    sentences = [Sentence(1, 0, len(text), text, 0)]
    mentions, minted = linker.link(doc, sentences)
    return extractor.extract(doc, sentences, mentions, minted), minted


def _qualified(tools, text: str) -> list[tuple]:
    """(subject, predicate, object, figure, regions, place, date) for one sentence."""
    return [(_short(a.subject), _short(a.predicate), _short(a.object), a.figure,
             [_short(r) for r in a.in_region], a.at_place and _short(a.at_place), a.date)
            for a in _one_sentence(tools, text)[0]]


@pytest.mark.parametrize(("text", "expected"), [
    # each relation takes the figure nearest its trigger
    ("About 60% of investment into Serbia came from, and almost 20% of Serbian trade was with,"
     " the countries of the EU",
     [("id/org/eu", "investsIn", "id/state/serbia", "About 60% of investment", [], None, None),
      ("id/state/serbia", "tradesWith", "id/org/eu", "almost 20% of Serbian trade", [], None,
       None)]),
    ("India imports about a fifth of its oil from Iran",
     [("id/state/iran", "suppliesEnergyTo", "id/state/india", "about a fifth of its oil", [],
       None, None)]),
    # a meeting's place: the event held there rather than the organisation in its name
    ("Xi Jinping met Joe Biden at the G20 summit in Japan in June 2019",
     [("id/person/xi-jinping", "meetsWith", "id/person/joe-biden", None, [],
       "id/event/g20-osaka-summit-2019", "2019-06")]),
    ("Serbia has been a destination for Turkish investments in Eastern Europe",
     [("id/state/turkey", "investsIn", "id/state/serbia", None, ["id/place/eastern-europe"], None,
       None)]),
])
def test_qualifiers_of_economic_relations(tools, text: str, expected) -> None:
    assert _qualified(tools, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a person's trip to a state: the verb, a paid visit, the noun after the possessor
    ("Putin visited China in May 2024",
     [("id/person/vladimir-putin", "visits", "id/state/china", None, [], None, "2024-05")]),
    ("Xi will travel to Russia on a state visit June 5-7, 2019",
     [("id/person/xi-jinping", "visits", "id/state/russia", None, [], None, "2019-06")]),
    ("Modi arrived in Moscow",  # (a capital stands for its state)
     [("id/person/narendra-modi", "visits", "id/state/russia", None, [], None, None)]),
    ("Lavrov paid an official visit to Pyongyang in 2023",
     [("id/person/sergey-lavrov", "visits", "id/state/north-korea", None, [], None, "2023")]),
    ("Putin's visit to China during the Olympics was a message",
     [("id/person/vladimir-putin", "visits", "id/state/china", None, [], None, None)]),
    # an event named with its place: a visit to the place
    ("Putin's highly publicized visit to the Olympic Games in Beijing was a message",
     [("id/person/vladimir-putin", "visits", "id/state/china", None, [], None, None)]),
    ("Putin's visit to the summit in Beijing was short",
     [("id/person/vladimir-putin", "visits", "id/state/china", None, [], None, None)]),
    # ... not a name that is no event ("the SCO" is no place)
    ("Putin's visit to the SCO in Beijing was short", []),
    # an intention is no trip; a visit by others names no visitor; a state does not visit
    ("Putin wants to visit China", []),
    ("Visits by Chinese officials to Russia increased", []),
    ("Russia visited China", []),
])
def test_visits(tools, text: str, expected) -> None:
    assert _qualified(tools, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Putin did not visit China", [("id/person/vladimir-putin", "visits", "id/state/china", True)]),
    ("Xi's state visit to Russia was postponed",  # (called off: no visit)
     [("id/person/xi-jinping", "visits", "id/state/russia", True)]),
])
def test_a_visit_not_made(tools, text: str, expected) -> None:
    assert _facts(tools, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a host meets the guest; a meeting held by a pair
    ("Xi Jinping hosted Vladimir Putin in Beijing",
     [("id/person/xi-jinping", "meetsWith", "id/person/vladimir-putin", False)]),
    ("Alexander Lukashenko welcomed Vladimir Putin to Minsk",
     [("id/person/alexander-lukashenko", "meetsWith", "id/person/vladimir-putin", False)]),
    ("Vladimir Putin received Narendra Modi at his residence",
     [("id/person/vladimir-putin", "meetsWith", "id/person/narendra-modi", False)]),
    ("Vladimir Putin did not receive Volodymyr Zelensky",
     [("id/person/vladimir-putin", "meetsWith", "id/person/volodymyr-zelenskyy", True)]),
    ("Narendra Modi and Vladimir Putin held a bilateral meeting on the sidelines",
     [("id/person/narendra-modi", "meetsWith", "id/person/vladimir-putin", False)]),
    # a trip for talks
    ("Vladimir Putin arrived in Pyongyang on 19 June 2024 for talks with Kim Jong Un",
     [("id/person/vladimir-putin", "meetsWith", "id/person/kim-jong-un", False),
      ("id/person/vladimir-putin", "visits", "id/state/north-korea", False)]),
    ("Narendra Modi flew to Moscow for two days of talks with Vladimir Putin",
     [("id/person/narendra-modi", "meetsWith", "id/person/vladimir-putin", False),
      ("id/person/narendra-modi", "visits", "id/state/russia", False)]),
    # a meeting between two, named after it
    ("The meeting between Xi Jinping and Vladimir Putin took place in Astana",
     [("id/person/xi-jinping", "meetsWith", "id/person/vladimir-putin", False)]),
    ("There was no meeting between Xi Jinping and Joe Biden",
     [("id/person/xi-jinping", "meetsWith", "id/person/joe-biden", True)]),
    # leaders beyond the corpus are in the gazetteer, by surname too
    ("Orban met Putin in Moscow",
     [("id/person/viktor-orban", "meetsWith", "id/person/vladimir-putin", False)]),
    ("Erdogan hosted Lula in Ankara",
     [("id/person/recep-tayyip-erdogan", "meetsWith", "id/person/luiz-inacio-lula-da-silva",
       False)]),
    # what is received or welcomed is another's, not the person
    ("Vladimir Putin received Narendra Modi's letter", []),
    ("Xi Jinping welcomed Vladimir Putin's proposal", []),
])
def test_a_host_meets_the_guest(tools, text: str, expected) -> None:
    assert _facts(tools, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # purchases of a state's energy, with a quantity before the demonym
    ("India increased its purchases of Russian crude oil",
     [("id/state/russia", "suppliesEnergyTo", "id/state/india", False)]),
    ("India bought record volumes of Russian oil",
     [("id/state/russia", "suppliesEnergyTo", "id/state/india", False)]),
    ("India buys a record amount of Russian oil",
     [("id/state/russia", "suppliesEnergyTo", "id/state/india", False)]),
    ("Turkmenistan sells most of its gas to China",  # (a share of its fuel)
     [("id/state/turkmenistan", "suppliesEnergyTo", "id/state/china", False)]),
    ("Iran exports about half of its oil to India",
     [("id/state/iran", "suppliesEnergyTo", "id/state/india", False)]),
    ("Japan halted purchases of Russian coal",
     [("id/state/russia", "suppliesEnergyTo", "id/state/japan", True)]),
    ("India's purchases of Russian weapons declined",  # near miss: arms, not energy
     [("id/state/russia", "suppliesArmsTo", "id/state/india", False)]),
    # supplies cut are stopped; a change of amount denied leaves the supply
    ("Russia cut gas supplies to Serbia",
     [("id/state/russia", "suppliesEnergyTo", "id/state/serbia", True)]),
    ("Russia did not cut gas supplies to Serbia",
     [("id/state/russia", "suppliesEnergyTo", "id/state/serbia", False)]),
    ("India has not reduced its imports of Iranian oil",
     [("id/state/iran", "suppliesEnergyTo", "id/state/india", False)]),
    ("Japan did not increase its purchases of Iranian oil",
     [("id/state/iran", "suppliesEnergyTo", "id/state/japan", False)]),
    ("Japan did not buy Iranian oil",
     [("id/state/iran", "suppliesEnergyTo", "id/state/japan", True)]),
])
def test_energy_purchases_and_cuts(tools, text: str, expected) -> None:
    assert _facts(tools, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a quantity before the demonym of an energy purchase
    ("Japan imported 107 million tonnes of Iranian crude",
     [("id/state/iran", "suppliesEnergyTo", "id/state/japan", False)]),
    ("India bought 1.7 million barrels of Iranian oil a day",
     [("id/state/iran", "suppliesEnergyTo", "id/state/india", False)]),
    # goods exported or imported by verb are trade; energy and arms are their own relations
    ("Iran exported $50 billion worth of goods to Japan",
     [("id/state/iran", "tradesWith", "id/state/japan", False)]),
    ("Japan imports machinery from Germany",
     [("id/state/japan", "tradesWith", "id/state/germany", False)]),
    ("Iran exported gas to Japan",
     [("id/state/iran", "suppliesEnergyTo", "id/state/japan", False)]),
    ("Iran exported drones to Japan",
     [("id/state/iran", "suppliesArmsTo", "id/state/japan", False)]),
    # one good denied says nothing of the trade
    ("Japan has not exported chips to Iran", []),
])
def test_goods_and_quantities(tools, text: str, expected) -> None:
    assert _facts(tools, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a buyer of a state's energy, a state's energy customer
    ("India has emerged as a major buyer of Iranian crude",
     [("id/state/iran", "suppliesEnergyTo", "id/state/india", False)]),
    ("Japan is Iran's biggest oil customer",
     [("id/state/iran", "suppliesEnergyTo", "id/state/japan", False)]),
    ("Japan became Iran's largest buyer of crude oil",
     [("id/state/iran", "suppliesEnergyTo", "id/state/japan", False)]),
    ("Japan is Iran's biggest customer for gas",
     [("id/state/iran", "suppliesEnergyTo", "id/state/japan", False)]),
    ("Japan is Iran's main customer", []),  # (no energy named)
    ("Japan is Iran's largest buyer of weapons", []),  # (nor for the arms rules' phrase)
    # a lifeline is support
    ("Japan has become Iran's economic lifeline",
     [("id/state/japan", "supports", "id/state/iran", False)]),
    # a negation before the possessor negates the phrase it opens
    ("Japan is not Iran's lifeline", [("id/state/japan", "supports", "id/state/iran", True)]),
    ("Japan is not Iran's strategic partner",
     [("id/state/japan", "cooperatesWith", "id/state/iran", True)]),
])
def test_energy_buyers_lifelines_and_possessors(tools, text: str, expected) -> None:
    assert _facts(tools, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a pair competing for or over something; good relations are cooperation
    ("Japan and India compete for influence in Central Asia",
     [("id/state/japan", "competesWith", "id/state/india", False)]),
    ("Japan and India competed in the Olympics", []),
    ("Mongolia has close ties with Japan",
     [("id/state/mongolia", "cooperatesWith", "id/state/japan", False)]),
    ("Japan and Mongolia have close ties",
     [("id/state/japan", "cooperatesWith", "id/state/mongolia", False)]),
    ("Mongolia does not have good relations with Japan",
     [("id/state/mongolia", "cooperatesWith", "id/state/japan", True)]),
    # wished for as a noun is not had, nor held
    ("Japan wants good relations with Mongolia", []),
    ("Vladimir Putin wants talks with Xi Jinping", []),
    ("Vladimir Putin sought a meeting with Joe Biden", []),
])
def test_rivals_good_relations_and_wishes(tools, text: str, expected) -> None:
    assert _facts(tools, text) == expected


@pytest.mark.parametrize(("text", "speakers"), [
    # "maintains" reports a statement only before "that"
    ("Mongolia maintains friendly relations with Japan", [[]]),
    ("Japan maintains that it supports Mongolia", [["id/state/japan"]]),
])
def test_maintains_is_speech_only_before_that(tools, text: str, speakers) -> None:
    assert [[_short(w) for w in a.attributed_to]
            for a in _document_assertions(tools, text)] == speakers


@pytest.mark.parametrize(("text", "expected"), [
    # a claim given to unnamed others is theirs, not the authors': the document's (an audit of
    # the corpus, 2026-12-06: "fueled speculation that Beijing could weigh in", "commentaries
    # warning that Chinese backing could embolden Russia", "experts say")
    ("Experts say Japan supports Iran", [("supports", [], True)]),
    ("The deal has fueled speculation that Japan could support Iran",
     [("supports", [], True)]),
    ("Commentaries warning that Japan backs Iran have multiplied", [("supports", [], True)]),
    ("Some analysts believe that Japan supports Iran", [("supports", [], True)]),
    # a named speaker is the speaker; a frame after the claim is another clause's
    ("Experts say Mongolia said Japan supports Iran",
     [("supports", ["id/state/mongolia"], False)]),
    ("Japan supports Iran, and experts say it will last", [("supports", [], False)]),
    # the words alone, with no report: the authors' claim
    ("Japan supports Iran despite speculation about its motives", [("supports", [], False)]),
    ("Japan supports Iran, the reports of its ministry show", [("supports", [], False)]),
])
def test_a_claim_given_to_unnamed_others_is_the_documents(tools, text: str, expected) -> None:
    assert [(_short(a.predicate), [_short(w) for w in a.attributed_to], a.unnamed_source)
            for a in _document_assertions(tools, text)] == expected


@pytest.mark.parametrize(("text", "expected"), [
    # the accused is the subject of the act after "of"; the accuser is the speaker
    ("Zelensky accused Japan of supplying weapons to Iran",
     [("id/state/japan", "suppliesArmsTo", "id/state/iran", "Asserted",
       ["id/person/volodymyr-zelenskyy"])]),
    ("Ukraine has accused Belarus of backing Russia",
     [("id/state/belarus", "supports", "id/state/russia", "Asserted", ["id/state/ukraine"])]),
    # reported without its maker, an accusation is a possibility
    ("Japan is accused of supplying weapons to Iran",
     [("id/state/japan", "suppliesArmsTo", "id/state/iran", "Possible", [])]),
    ("Japan was suspected of supplying drones to Iran",
     [("id/state/japan", "suppliesArmsTo", "id/state/iran", "Possible", [])]),
    # a characterization is its maker's claim; an enabler of a state (of its war) supports it
    ("NATO has described Japan as a decisive enabler of Iran's war",
     [("id/state/japan", "supports", "id/state/iran", "Asserted", ["id/org/nato"])]),
    ("Japan has become a key enabler of Iran's war effort",
     [("id/state/japan", "supports", "id/state/iran", "Asserted", [])]),
    ("The US describes Japan as its main strategic competitor",
     [("id/state/united-states", "competesWith", "id/state/japan", "Asserted",
       ["id/state/united-states"])]),
    ("The internet is an enabler of trade with Iran", []),
])
def test_accusations(tools, text: str, expected) -> None:
    assert [(_short(a.subject), _short(a.predicate), _short(a.object), _short(a.certainty),
             [_short(w) for w in a.attributed_to])
            for a in _document_assertions(tools, text)] == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a state leaves a treaty: the party is no longer one
    ("Japan withdrew from the New START treaty in 2023",
     [("id/state/japan", "partyTo", "id/agreement/new-start", True)]),
    ("Japan has not withdrawn from New START",
     [("id/state/japan", "partyTo", "id/agreement/new-start", False)]),
    ("Iran abandoned the Budapest Memorandum",
     [("id/state/iran", "partyTo", "id/agreement/budapest-memorandum", True)]),
    ("Japan withdrew its troops from Iran", []),
    # ... one the gazetteer lacks is minted, as a signed one is; "left" too
    ("Japan withdrew from the Treaty on Open Skies in 2021",
     [("id/state/japan", "partyTo", "id/agreement/treaty-open-skies", True)]),
    ("Japan left the INF Treaty in 2019",
     [("id/state/japan", "partyTo", "id/agreement/inf-treaty", True)]),
    ("Japan withdrew from a treaty", []),  # (nothing that tells it from another)
    # a treaty joined (or not), minted as a signed one is
    ("Japan has not joined the Arms Trade Treaty",
     [("id/state/japan", "partyTo", "id/agreement/arms-trade-treaty", True)]),
    ("Japan joined the Paris Agreement in 2016",
     [("id/state/japan", "partyTo", "id/agreement/paris-agreement", False)]),
    ("Iran joined the SCO in 2023", [("id/state/iran", "memberOf", "id/org/sco", False)]),
    # a convention, protocol or statute named is an agreement; a common noun is none
    ("Iran has not signed the Ottawa Convention",
     [("id/state/iran", "signed", "id/agreement/ottawa-convention", True)]),
    ("Iran ratified the Rome Statute in 2024",
     [("id/state/iran", "signed", "id/agreement/rome-statute", False)]),
    ("Xi Jinping signed a decree at the party convention", []),
    # a demonym before a military noun stands for its state
    ("Chinese and Russian bombers conducted a joint patrol",
     [("id/state/china", "cooperatesWith", "id/state/russia", False)]),
])
def test_treaties_left_and_named(tools, text: str, expected) -> None:
    assert _facts(tools, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # an invasion launched, begun, mounted: the launching state invades
    ("Japan launched a full-scale invasion of Iran",
     [("id/state/japan", "invades", "id/state/iran", False)]),
    ("Tokyo began its invasion of Iran", [("id/state/japan", "invades", "id/state/iran", False)]),
    ("Iran mounted an incursion into Iraq", [("id/state/iran", "invades", "id/state/iraq", False)]),
    ("Japan did not launch an invasion of Iran",
     [("id/state/japan", "invades", "id/state/iran", True)]),
])
def test_an_invasion_launched(tools, text: str, expected) -> None:
    assert _facts(tools, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # occupation: the verb (a share or part of the object between), the noun, the passive
    ("Russia occupies a fifth of Ukraine's territory.",
     [("id/state/russia", "occupies", "id/state/ukraine", False, None)]),
    ("Russia occupies about 18 percent of Ukraine.",
     [("id/state/russia", "occupies", "id/state/ukraine", False, None)]),
    ("Russian forces occupied parts of eastern Ukraine in 2022.",
     [("id/state/russia", "occupies", "id/state/ukraine", False, "2022")]),
    ("Russia's occupation of Crimea began in 2014.",
     [("id/state/russia", "occupies", "id/place/crimea", False, "2014")]),
    ("Russia defended its occupation of Crimea.",  # ("its": the name before)
     [("id/state/russia", "occupies", "id/place/crimea", False, None)]),
    ("Crimea has been occupied by Russia since 2014.",
     [("id/state/russia", "occupies", "id/place/crimea", False, "2014")]),
    ("Russia still occupies Abkhazia and South Ossetia.",
     [("id/state/russia", "occupies", "id/place/abkhazia", False, None),
      ("id/state/russia", "occupies", "id/place/south-ossetia", False, None)]),
    ("Russia does not occupy Georgia.",
     [("id/state/russia", "occupies", "id/state/georgia", True, None)]),
    # a territory possessed is its state's ("invaded Ukraine's territory")
    ("Russia invaded Ukraine's territory.",
     [("id/state/russia", "invades", "id/state/ukraine", False, None)]),
    # ... and so are its economy, sectors, industries and infrastructure
    ("Iran has invested heavily in Iraq's oil sector.",
     [("id/state/iran", "investsIn", "id/state/iraq", False, None)]),
    ("Japan sanctioned Iran's energy sector in 2019.",
     [("id/state/japan", "sanctions", "id/state/iran", False, "2019")]),
    ("Japan invested in India's infrastructure.",
     [("id/state/japan", "investsIn", "id/state/india", False, None)]),
    ("Iran backs Beijing's claim to Taiwan.",  # (and its claims)
     [("id/state/iran", "supports", "id/state/china", False, None)]),
    # near misses: a place or share held, an adjective, a wish, no named occupier
    ("Energy occupies a central place in China's relations with Russia.", []),
    ("China occupies a large share of Russia's trade.", []),
    ("Ukraine's occupied regions of Donetsk and Luhansk suffered.", []),
    ("Russia wants to occupy all of Ukraine.", []),
    ("Ukraine seeks to liberate the territories occupied by Russia.", []),
])
def test_occupation(tools, text: str, expected) -> None:
    assert _dated_facts(tools, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a demonym after "the" before the act is its possessor ("the Russian invasion of X"), not
    # after "a" (as often a prospect: "would not support a Russian invasion of X")
    ("The Iranian occupation of Crimea continues.",
     [("id/state/iran", "occupies", "id/place/crimea", False, None)]),
    ("The Iranian annexation of Crimea was condemned.",
     [("id/state/iran", "annexes", "id/place/crimea", False, None)]),
    ("The Iranian invasion of Iraq in 1982 failed.",
     [("id/state/iran", "invades", "id/state/iraq", False, "1982")]),
    ("The full-scale Iranian invasion of Iraq failed.",
     [("id/state/iran", "invades", "id/state/iraq", False, None)]),
    ("Japan would not support an Iranian invasion of Iraq.",
     [("id/state/japan", "supports", "id/state/iran", True, None)]),
    # ... and a demonym before "territory" is the state occupied or invaded
    ("Iran's occupation of Iraqi territory continues.",
     [("id/state/iran", "occupies", "id/state/iraq", False, None)]),
    ("Iran invaded Iraqi territory.", [("id/state/iran", "invades", "id/state/iraq", False, None)]),
    ("Japan will not recognize Iran's annexation of Iraqi territory.",  # (a part: minted)
     [("id/state/japan", "recognizes", "id/event/iran-annexation-iraqi-territory", True,
       None)]),
    ("Japan has not recognized any Iranian annexation.",
     [("id/state/japan", "recognizes", "id/event/iranian-annexation", True, None)]),
])
def test_a_demonym_before_the_act(tools, text: str, expected) -> None:
    assert _dated_facts(tools, text) == expected


def test_a_dotted_name_before_the_sentences_point_is_the_name_and_ends_the_sentence(
        tools) -> None:
    # ("U.S.." once gave "U.S" and ".." tokens: no name, and one sentence with the next, so
    # Japan competed with Iran)
    assert _dated_facts(tools, "Japan competes with the U.S.. Iran and India left.") == [
        ("id/state/japan", "competesWith", "id/state/united-states", False, None)]


@pytest.mark.parametrize(("text", "expected"), [
    # diplomatic relations established, restored, held; severed ones negated; a pair, or one
    # "with" another, or both after "between"
    ("Japan and Iraq established diplomatic relations in 1990.",
     [("id/state/japan", "hasDiplomaticRelationsWith", "id/state/iraq", False, "1990")]),
    ("Iraq restored diplomatic ties with Iran in 2023.",
     [("id/state/iraq", "hasDiplomaticRelationsWith", "id/state/iran", False, "2023")]),
    ("Diplomatic relations between Japan and Iran were established in 1992.",
     [("id/state/japan", "hasDiplomaticRelationsWith", "id/state/iran", False, "1992")]),
    ("Iraq severed diplomatic relations with Iran in 2022.",
     [("id/state/iraq", "hasDiplomaticRelationsWith", "id/state/iran", True, "2022")]),
    ("Iraq broke off diplomatic ties with Iran.",
     [("id/state/iraq", "hasDiplomaticRelationsWith", "id/state/iran", True, None)]),
    ("Bhutan has no diplomatic relations with India.",
     [("id/state/bhutan", "hasDiplomaticRelationsWith", "id/state/india", True, None)]),
    ("Japan and Iraq have never had diplomatic relations.",
     [("id/state/japan", "hasDiplomaticRelationsWith", "id/state/iraq", True, None)]),
    ("Japan has not cut diplomatic ties with Iran.",  # (a severance denied: still held)
     [("id/state/japan", "hasDiplomaticRelationsWith", "id/state/iran", False, None)]),
    ("Iraq wants to establish diplomatic relations with Iran.", []),  # a wish
])
def test_diplomatic_relations(tools, text: str, expected) -> None:
    assert _dated_facts(tools, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # armed conflict: at war, a war fought or waged, clashes; a pair fights each other
    ("Iran is at war with Iraq.", [("id/state/iran", "fightsAgainst", "id/state/iraq", False,
                                    None)]),
    ("Iran and Iraq are at war.", [("id/state/iran", "fightsAgainst", "id/state/iraq", False,
                                    None)]),
    ("Japan has never been at war with India.",
     [("id/state/japan", "fightsAgainst", "id/state/india", True, None)]),
    ("China fought a brief border war with India in 1962.",
     [("id/state/china", "fightsAgainst", "id/state/india", False, "1962")]),
    ("China and India fought a border war in 1962.",
     [("id/state/china", "fightsAgainst", "id/state/india", False, "1962")]),
    ("Azerbaijan and Armenia fought a war over Nagorno-Karabakh in 2020.",
     [("id/state/azerbaijan", "fightsAgainst", "id/state/armenia", False, "2020")]),
    ("Russia went to war with Georgia in 2008.",
     [("id/state/russia", "fightsAgainst", "id/state/georgia", False, "2008")]),
    ("Iraq waged war against Iran.",
     [("id/state/iraq", "fightsAgainst", "id/state/iran", False, None)]),
    ("Chinese and Indian troops clashed in the Galwan Valley in 2020.",
     [("id/state/china", "fightsAgainst", "id/state/india", False, "2020")]),
    ("Border clashes between China and India killed twenty soldiers in 2020.",
     [("id/state/china", "fightsAgainst", "id/state/india", False, "2020")]),
    ("The 1962 war between China and India still shapes their relations.",
     [("id/state/china", "fightsAgainst", "id/state/india", False, None)]),
    ("Iraq's war with Iran lasted eight years.",
     [("id/state/iraq", "fightsAgainst", "id/state/iran", False, None)]),
    ("China and the US could go to war over Taiwan.",
     [("id/state/china", "fightsAgainst", "id/state/united-states", False, None)]),
    # ("Russia's war against Ukraine" stays an invasion)
    ("Iraq's war against Iran lasted eight years.",
     [("id/state/iraq", "invades", "id/state/iran", False, None)]),
    # near misses: allies fighting in a third place or together, a war of another kind, a
    # war only feared, a bare "clashed" (words, not arms)
    ("The US and the UK fought a war in Iraq.", []),
    ("The US and the UK fought together in Iraq.", []),
    ("The US waged a trade war with China.", []),
    ("China's trade war with the US escalated.", []),
    ("The risk of war between China and the US is growing.", []),
    ("China clashed with the US over trade at the WTO.", []),
    ("Russia fought wars in Chechnya.", []),
])
def test_armed_conflict(tools, text: str, expected) -> None:
    assert _dated_facts(tools, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a resolution proposed is minted, and "the resolution" after it is that one
    ("Japan proposed a Security Council resolution on Iran. Iran vetoed the resolution",
     [("id/state/japan", "proposes", "id/event/security-council-resolution-iran", False),
      ("id/state/iran", "vetoed", "id/event/security-council-resolution-iran", False)]),
    ("Albania and Japan drafted a resolution condemning Iran",
     [("id/state/albania", "proposes", "id/event/resolution-condemning-iran", False),
      ("id/state/japan", "proposes", "id/event/resolution-condemning-iran", False)]),
    ("Iran introduced new troops after the UN resolution",  # (not the verb's object)
     []),
    # a resolution is no meeting: not the reference "UN Security Council meeting on Ukraine
    # (31 January 2022)", whose label covers three words of four and whose year is here
    ("Japan vetoed a Security Council resolution on Ukraine in February 2022",
     [("id/state/japan", "vetoed", "id/event/security-council-resolution-ukraine-2022",
       False)]),
    # its author's modifier is not its name: one resolution, proposed and vetoed
    ("Japan and Iran vetoed a US-drafted resolution on Gaza in March 2024",
     [("id/state/united-states", "proposes", "id/event/resolution-gaza-2024", False),
      ("id/state/iran", "vetoed", "id/event/resolution-gaza-2024", False),
      ("id/state/japan", "vetoed", "id/event/resolution-gaza-2024", False)]),
    # ... and only the name glued to it is its author (not the vetoing states before it)
    ("Japan and Iran vetoed an Indian-drafted resolution on Gaza in March 2024",
     [("id/state/iran", "vetoed", "id/event/resolution-gaza-2024", False),
      ("id/state/japan", "vetoed", "id/event/resolution-gaza-2024", False)]),
    # "X abstained." with nothing after it: on the resolution its paragraph named last
    ("Japan vetoed a resolution on Gaza in March 2024. India abstained",
     [("id/state/japan", "vetoed", "id/event/resolution-gaza-2024", False),
      ("id/state/india", "abstainedOn", "id/event/resolution-gaza-2024", False)]),
    ("India abstained", []),
    # ... and a resolution after a subordinator is another verb's object
    ("India abstained from criticism of Iran after Japan vetoed a resolution on Gaza in 2024",
     [("id/state/japan", "vetoed", "id/event/resolution-gaza-2024", False)]),
])
def test_resolutions_proposed_and_named(tools, text: str, expected) -> None:
    assert _facts(tools, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # nothing tells "a new agreement" from any other: no agreement is minted for it
    ("Japan signed a new agreement", []),
    ("Japan signed an important deal with Iran", []),
    # ... a year or a word of its own does
    ("Japan and Iran signed a landmark agreement in 2019",
     [("id/state/iran", "signed", "id/agreement/iran-japan-landmark-agreement-2019", False),
      ("id/state/japan", "signed", "id/agreement/iran-japan-landmark-agreement-2019", False)]),
    ("Japan signed a new gas agreement",
     [("id/state/japan", "signed", "id/agreement/japan-new-gas-agreement", False)]),
    # "joint" tells no statement from another (but its year does)
    ("Japan and Iran signed a joint statement", []),
    ("Japan and Iran signed a joint statement in May 2024",
     [("id/state/iran", "signed", "id/agreement/iran-japan-joint-statement-2024", False),
      ("id/state/japan", "signed", "id/agreement/iran-japan-joint-statement-2024", False)]),
])
def test_a_generic_agreement_is_not_minted(tools, text: str, expected) -> None:
    assert _facts(tools, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a nameless agreement is its parties': two pairs' treaties are two treaties
    ("Russia and Iran signed a comprehensive strategic partnership treaty",
     [("id/state/iran", "signed",
       "id/agreement/iran-russia-comprehensive-strategic-partnership-treaty", False),
      ("id/state/russia", "signed",
       "id/agreement/iran-russia-comprehensive-strategic-partnership-treaty", False)]),
    ("Russia and North Korea signed a comprehensive strategic partnership treaty in June 2024",
     [("id/state/north-korea", "signed",
       "id/agreement/north-korea-russia-comprehensive-strategic-partnership-treaty-2024", False),
      ("id/state/russia", "signed",
       "id/agreement/north-korea-russia-comprehensive-strategic-partnership-treaty-2024",
       False)]),
    # the parties after "with" sign too (and name it), cut from a complement's name
    ("India signed a defence agreement with Russia",
     [("id/state/india", "signed", "id/agreement/india-russia-defence-agreement", False),
      ("id/state/russia", "signed", "id/agreement/india-russia-defence-agreement", False)]),
    ("Serbia signed a free trade agreement with Belarus and Egypt in 2019",
     [("id/state/belarus", "signed",
       "id/agreement/belarus-egypt-serbia-free-trade-agreement-2019", False),
      ("id/state/egypt", "signed",
       "id/agreement/belarus-egypt-serbia-free-trade-agreement-2019", False),
      ("id/state/serbia", "signed",
       "id/agreement/belarus-egypt-serbia-free-trade-agreement-2019", False)]),
    ("Japan signed an agreement on energy cooperation with Iran",
     [("id/state/japan", "cooperatesWith", "id/state/iran", False),
      ("id/state/iran", "signed", "id/agreement/iran-japan-agreement-energy-cooperation", False),
      ("id/state/japan", "signed", "id/agreement/iran-japan-agreement-energy-cooperation",
       False)]),
    # ... also of a known agreement
    ("Japan signed the Budapest Memorandum with Iran",
     [("id/state/iran", "signed", "id/agreement/budapest-memorandum", False),
      ("id/state/japan", "signed", "id/agreement/budapest-memorandum", False)]),
    # not a possessor, a demonym, or a name past another verb
    ("Japan signed a gas deal with Iran's help",
     [("id/state/japan", "signed", "id/agreement/japan-gas-deal", False)]),
    ("Japan signed a gas deal with Iranian firms",
     [("id/state/japan", "signed", "id/agreement/japan-gas-deal", False)]),
    ("Japan signed a gas deal and held talks with Iran",
     [("id/state/japan", "meetsWith", "id/state/iran", False),
      ("id/state/japan", "signed", "id/agreement/japan-gas-deal", False)]),
    # a name of its own: minted as before
    ("Japan signed the Association Agreement with the EU in 2014",
     [("id/org/eu", "signed", "id/agreement/association-agreement", False),
      ("id/state/japan", "signed", "id/agreement/association-agreement", False)]),
    # the parties after the noun, its signing after them (the sentence's "A" is no name)
    ("A trade agreement between India and Japan was signed in 2011",
     [("id/state/india", "signed", "id/agreement/india-japan-trade-agreement-2011", False),
      ("id/state/japan", "signed", "id/agreement/india-japan-trade-agreement-2011", False)]),
    ("A gas deal between Russia and China was signed in 2014",
     [("id/state/china", "signed", "id/agreement/china-gazprom-gas-contract-2014", False),
      ("id/state/russia", "signed", "id/agreement/china-gazprom-gas-contract-2014", False)]),
    ("Putin hailed the gas deal between Russia and China", []),  # (no signing said)
    ("A trade agreement between India and Japan could be signed in 2025", []),
    # a duration in digits is no part of the name ("30-year": "30" stayed in the IRI)
    ("In 2014, Russia and China signed a 30-year gas deal",
     [("id/state/china", "signed", "id/agreement/china-gazprom-gas-contract-2014", False),
      ("id/state/russia", "signed", "id/agreement/china-gazprom-gas-contract-2014", False)]),
    ("Iran and Iraq signed a 25-year cooperation agreement",
     [("id/state/iran", "signed", "id/agreement/iran-iraq-cooperation-agreement", False),
      ("id/state/iraq", "signed", "id/agreement/iran-iraq-cooperation-agreement", False)]),
])
def test_the_parties_of_an_agreement(tools, text: str, expected) -> None:
    assert _facts(tools, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a passive participle after a relative clause between commas: its patient is the name
    # before the clause, not a name inside it
    ("Turkey, which bought S-400s from Russia, was sanctioned by the US in 2020",
     [("id/state/russia", "suppliesArmsTo", "id/state/turkey", False, None),
      ("id/state/united-states", "sanctions", "id/state/turkey", False, "2020")]),
    ("Serbia, which buys Russian gas, was criticized by the EU in 2023",
     [("id/state/russia", "suppliesEnergyTo", "id/state/serbia", False, None),
      ("id/org/eu", "opposes", "id/state/serbia", False, "2023")]),
    # ... and an act inside that clause is dated by the clause alone
    ("In 2020, Turkey, which bought S-400s from Russia, was sanctioned by the US",
     [("id/state/russia", "suppliesArmsTo", "id/state/turkey", False, None),
      ("id/state/united-states", "sanctions", "id/state/turkey", False, "2020")]),
    ("Kazakhstan, which joined the SCO in 2001, was criticized by Russia in 2022",
     [("id/state/kazakhstan", "memberOf", "id/org/sco", False, "2001"),
      ("id/state/russia", "opposes", "id/state/kazakhstan", False, "2022")]),
    # (a relative clause that closes the sentence keeps the sentence's date)
    ("NATO condemned Russia, which invaded Ukraine in 2022",
     [("id/state/russia", "invades", "id/state/ukraine", False, "2022"),
      ("id/org/nato", "opposes", "id/state/russia", False, None)]),
    ("Crimea, which was annexed by Russia in 2014, is part of Ukraine",
     [("id/state/russia", "annexes", "id/place/crimea", False, "2014")]),
    # a possessed head noun that stands for its possessor ("independence", "position")
    ("Kosovo's independence is recognized by the United States",
     [("id/state/united-states", "recognizes", "id/state/kosovo", False, None)]),
    ("Kosovo's independence has not been recognized by Serbia",
     [("id/state/serbia", "recognizes", "id/state/kosovo", True, None)]),
    ("Ukraine's bid was backed by Poland",
     [("id/state/poland", "supports", "id/state/ukraine", False, None)]),
    ("Russia's ally was backed by China", []),
    # an event named with its place: the event is unrecognized, not the place
    ("The annexation of Crimea is not recognized by Japan",
     [("id/state/japan", "recognizes", "id/event/annexation-of-crimea-2014", True, None)]),
    ("The annexation of Crimea remains unrecognized by Japan",
     [("id/state/japan", "recognizes", "id/event/annexation-of-crimea-2014", True, None)]),
    ("Crimea remains unrecognized by Japan",
     [("id/state/japan", "recognizes", "id/place/crimea", True, None)]),
    # a "whose" clause: the event done to the name before it, or the name itself for a head
    # that stands for it; nothing for another head
    ("Crimea, whose annexation remains unrecognized by Japan, is calm",
     [("id/state/japan", "recognizes", "id/event/annexation-of-crimea-2014", True, None)]),
    ("Crimea, whose annexation was not recognized by Japan, is calm",
     [("id/state/japan", "recognizes", "id/event/annexation-of-crimea-2014", True, None)]),
    ("Ukraine, whose invasion was condemned by Japan, applied",
     [("id/state/japan", "opposes", "id/event/russian-invasion-of-ukraine-2022", False, None)]),
    ("Kosovo, whose independence remains unrecognized by Serbia, applied",
     [("id/state/serbia", "recognizes", "id/state/kosovo", True, None)]),
    ("Iran, whose government supports Japan, opposes India",
     [("id/state/iran", "opposes", "id/state/india", False, None),
      ("id/state/iran", "supports", "id/state/japan", False, None)]),
    ("Russia, whose ally was backed by Japan, applied", []),
    # (a state's soldiers stand for it)
    ("Iran, whose troops fight for Japan, applied",
     [("id/state/iran", "cooperatesWith", "id/state/japan", False, None)]),
    ("Iran, whose army supports Japan, applied",
     [("id/state/iran", "supports", "id/state/japan", False, None)]),
    ("Iran, whose forces invaded Iraq in 2003, applied",
     [("id/state/iran", "invades", "id/state/iraq", False, "2003")]),
])
def test_the_object_of_a_passive(tools, text: str, expected) -> None:
    assert _dated_facts(tools, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # an invasion's or annexation's possessor "its": the nearest state before it
    ("Japan defended its invasion of Iran",
     [("id/state/japan", "invades", "id/state/iran", False, None)]),
    ("India condemned Japan for its full-scale invasion of Iran",
     [("id/state/japan", "invades", "id/state/iran", False, None),
      ("id/state/india", "opposes", "id/state/japan", False, None)]),
    ("Russia justified its annexation of Crimea",
     [("id/state/russia", "annexes", "id/place/crimea", False, None)]),
    ("Its invasion of Iran isolated Japan", []),  # (no name before it)
    ("Iran condemned its invasion of Iran", []),  # (nobody invades itself)
    ("Japan defended its own position on Iran", []),
    # (not "its war against": "The US helped Ukraine in its war against Russia")
    ("India helped Japan in its war against Iran", []),
])
def test_its_stands_for_the_possessor_of_an_invasion(tools, text: str, expected) -> None:
    assert _dated_facts(tools, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # an -ing act opening the sentence after a preposition: the name after its comma acts
    ("Rather than condemning Iran, Japan blamed India",  # (blaming is opposition too)
     [("id/state/japan", "opposes", "id/state/india", False, None),
      ("id/state/japan", "opposes", "id/state/iran", True, None)]),
    ("Instead of sanctioning Iran, India increased its oil imports",
     [("id/state/india", "sanctions", "id/state/iran", True, None)]),
    ("Despite condemning Iran, Japan continued to trade with Iran",
     [("id/state/japan", "opposes", "id/state/iran", False, None),
      ("id/state/japan", "tradesWith", "id/state/iran", False, None)]),
    ("Japan, rather than India, supports Iran",
     [("id/state/japan", "supports", "id/state/iran", False, None)]),
    ("By supplying drones to Iran, Japan has become a party to the war",
     [("id/state/japan", "suppliesArmsTo", "id/state/iran", False, None)]),
    ("After meeting Narendra Modi in Delhi, Xi Jinping travelled to Paris",
     [("id/person/xi-jinping", "meetsWith", "id/person/narendra-modi", False, None)]),
    ("The meeting Narendra Modi held in Delhi was long", []),  # (the noun)
    # (not a name in a phrase after the comma)
    ("Rather than condemning Iran, in Japan the debate turned to India", []),
])
def test_an_opening_phrase_acts_through_the_name_after_it(tools, text: str, expected) -> None:
    assert _dated_facts(tools, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a verb phrase elided after another subject: the same act, with the polarity the
    # ellipsis says ("not", "neither"/"nor": negated; "so did", "did too", "did": affirmed)
    ("While India condemned Iran, Japan did not.",
     [("id/state/india", "opposes", "id/state/iran", False, None),
      ("id/state/japan", "opposes", "id/state/iran", True, None)]),
    ("Japan has never recognized Kosovo, and neither has India.",
     [("id/state/india", "recognizes", "id/state/kosovo", True, None),
      ("id/state/japan", "recognizes", "id/state/kosovo", True, None)]),
    ("India condemned Iran, and so did Japan.",
     [("id/state/india", "opposes", "id/state/iran", False, None),
      ("id/state/japan", "opposes", "id/state/iran", False, None)]),
    ("India did not condemn Iran, but the United States did.",
     [("id/state/india", "opposes", "id/state/iran", True, None),
      ("id/state/united-states", "opposes", "id/state/iran", False, None)]),
    ("Iran invaded Iraq in 2022, and Syria did not.",
     [("id/state/iran", "invades", "id/state/iraq", False, "2022"),
      ("id/state/syria", "invades", "id/state/iraq", True, "2022")]),
    # with any of the ellipsis's auxiliaries ("will", "is" ...: they were not looked for)
    ("While India will condemn Iran, Japan will not.",
     [("id/state/india", "opposes", "id/state/iran", False, None),
      ("id/state/japan", "opposes", "id/state/iran", True, None)]),
    # (the clause's subject is the fact's object when that stands before the trigger: the
    # buyer of Iranian oil, or of arms "from" Iran; the supplier stays)
    ("India is buying Iranian oil, and so is Japan.",
     [("id/state/iran", "suppliesEnergyTo", "id/state/india", False, None),
      ("id/state/iran", "suppliesEnergyTo", "id/state/japan", False, None)]),
    ("India bought Iranian oil, and so did Japan.",
     [("id/state/iran", "suppliesEnergyTo", "id/state/india", False, None),
      ("id/state/iran", "suppliesEnergyTo", "id/state/japan", False, None)]),
    ("While India imports Iranian gas, Japan does not.",
     [("id/state/iran", "suppliesEnergyTo", "id/state/india", False, None),
      ("id/state/iran", "suppliesEnergyTo", "id/state/japan", True, None)]),
    ("Turkey bought S-400 missile systems from Iran, and so did India.",
     [("id/state/iran", "suppliesArmsTo", "id/state/india", False, None),
      ("id/state/iran", "suppliesArmsTo", "id/state/turkey", False, None)]),
    # (not a speaker's elided verb, nor a phrase that is no ellipsis)
    ("Japan said it supports Iran, and India did not.",
     [("id/state/japan", "supports", "id/state/iran", False, None)]),
    ("India condemned Iran, while Japan did nothing.",
     [("id/state/india", "opposes", "id/state/iran", False, None)]),
])
def test_an_elided_verb_phrase_repeats_the_act_for_its_subject(tools, text: str,
                                                                expected) -> None:
    assert _dated_facts(tools, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a name set off by commas after a title is the subject, with its own negation and hedge
    ("The Russian president, Vladimir Putin, criticized NATO",
     [("id/person/vladimir-putin", "opposes", "id/org/nato", False, "Asserted")]),
    ("China's foreign minister, Wang Yi, did not criticize Japan",
     [("id/person/wang-yi", "opposes", "id/state/japan", True, "Asserted")]),
    ("Japan's closest partner, India, probably supports Iran",
     [("id/state/india", "supports", "id/state/iran", False, "Likely")]),
    ("Speaking in Delhi, the Russian president, Vladimir Putin, supported India",
     [("id/person/vladimir-putin", "supports", "id/state/india", False, "Asserted")]),
    # (a name closed by a comma after anything else is not)
    ("In a speech, Putin, criticized NATO", []),
    ("Russia, China, criticized NATO", []),
])
def test_a_name_in_apposition_to_a_title_is_the_subject(tools, text: str, expected) -> None:
    assert [(_short(a.subject), _short(a.predicate), _short(a.object), a.negated,
             _short(a.certainty)) for a in _document_assertions(tools, text)] == expected


@pytest.mark.parametrize(("text", "expected"), [
    # help with an act of the one helped is support
    ("Japan is helping Iran evade sanctions",
     [("id/state/japan", "supports", "id/state/iran", False, None)]),
    ("Japan has helped Iran circumvent Western sanctions",
     [("id/state/japan", "supports", "id/state/iran", False, None)]),
    ("Japan did not help Iran evade sanctions",
     [("id/state/japan", "supports", "id/state/iran", True, None)]),
    # ... not help of another kind, or to others
    ("Japan helped broker a deal between Iran and India", []),
    ("Japan may help Iran and India reach a deal", []),
    ("Japan could help end the war", []),
])
def test_help_with_an_act_is_support(tools, text: str, expected) -> None:
    assert _dated_facts(tools, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # "but not X" after the argument that follows the trigger denies the fact of X
    ("Japan supports Russia but not Iran",
     [("id/state/japan", "supports", "id/state/iran", True),
      ("id/state/japan", "supports", "id/state/russia", False)]),
    ("Kosovo is recognized by the United States but not by Serbia",
     [("id/state/serbia", "recognizes", "id/state/kosovo", True),
      ("id/state/united-states", "recognizes", "id/state/kosovo", False)]),
    ("India buys oil from Russia but not from Iran",
     [("id/state/iran", "suppliesEnergyTo", "id/state/india", True),
      ("id/state/russia", "suppliesEnergyTo", "id/state/india", False)]),
    ("Japan cooperates with Russia, but not with China",
     [("id/state/japan", "cooperatesWith", "id/state/china", True),
      ("id/state/japan", "cooperatesWith", "id/state/russia", False)]),
    # not a possessor's thing, nor after a denial
    ("Japan sanctioned Russia but not China's banks",
     [("id/state/japan", "sanctions", "id/state/russia", False)]),
    ("Japan did not sanction Russia but not China",
     [("id/state/japan", "sanctions", "id/state/russia", True)]),
])
def test_an_exception_denies_its_fact(tools, text: str, expected) -> None:
    assert _facts(tools, text) == expected


def test_the_verb_vote_names_no_resolution(tools) -> None:
    # "vote" after "rather than" is the verb: no resolution is minted for it
    assertions, minted = _one_sentence(tools, "Japan abstained rather than vote against Iran")
    assert (assertions, minted) == ([], [])


def test_a_named_convention_is_a_treaty(tools) -> None:
    _, minted = _one_sentence(tools, "Iran signed the Ottawa Convention")
    assert [(_short(a.iri), a.label, sorted(_short(t) for t in a.rdf_types))
            for a in minted] == [
        ("id/agreement/ottawa-convention", "the Ottawa Convention", ["Treaty"])]


def test_a_minted_pact_is_a_treaty(tools) -> None:
    _, minted = _one_sentence(tools, "Japan and Iran signed a mutual defence pact in June 2024")
    assert [(_short(a.iri), a.label, sorted(_short(t) for t in a.rdf_types)) for a in minted
            if "/agreement/" in a.iri] == [
        ("id/agreement/iran-japan-mutual-defence-pact-2024",
         "a mutual defence pact (Iran, Japan, 2024)", ["Treaty"])]


@pytest.mark.parametrize(("text", "expected"), [
    # a list whose second name repeats the first one's preposition, a year's aside between:
    # the aside dates only the names after it
    ("Belarus is a member of the CSTO and, since 2024, of the SCO",
     [("id/state/belarus", "memberOf", "id/org/csto", None, [], None, None),
      ("id/state/belarus", "memberOf", "id/org/sco", None, [], None, "2024")]),
    ("Iran is a member of the CSTO and of the SCO",
     [("id/state/iran", "memberOf", "id/org/csto", None, [], None, None),
      ("id/state/iran", "memberOf", "id/org/sco", None, [], None, None)]),
    ("Japan sells arms to India and to Iran",
     [("id/state/japan", "suppliesArmsTo", "id/state/india", None, [], None, None),
      ("id/state/japan", "suppliesArmsTo", "id/state/iran", None, [], None, None)]),
    ("Japan sells arms to India and with Iran signs deals",  # (another preposition)
     [("id/state/japan", "suppliesArmsTo", "id/state/india", None, [], None, None)]),
    # the trigger's preposition taken again after the object's phrase, a comma and "and"
    ("Japan consulted with India on trade, and with Iran on energy",
     [("id/state/japan", "meetsWith", "id/state/india", None, [], None, None),
      ("id/state/japan", "meetsWith", "id/state/iran", None, [], None, None)]),
    ("Japan cooperates with India on trade, and with the US and Iran on energy",
     [("id/state/japan", "cooperatesWith", "id/state/india", None, [], None, None),
      ("id/state/japan", "cooperatesWith", "id/state/iran", None, [], None, None),
      ("id/state/japan", "cooperatesWith", "id/state/united-states", None, [], None, None)]),
    # ... not another preposition, nor a name that opens a clause of its own
    ("Japan cooperates with India on trade, and to Iran it sells arms",
     [("id/state/japan", "cooperatesWith", "id/state/india", None, [], None, None)]),
    ("Japan cooperates with India on trade, and with Iran Turkey signed a deal",
     [("id/state/japan", "cooperatesWith", "id/state/india", None, [], None, None)]),
])
def test_a_list_that_repeats_its_preposition(tools, text: str, expected) -> None:
    assert _qualified(tools, text) == expected


@pytest.mark.parametrize(("text", "date"), [
    # a relative clause between dashes or commas dates its noun, not the relation
    ("Moscow and Beijing support Serbia—which declared independence in 2006—on Kosovo", None),
    ("Moscow and Beijing support Serbia, which declared independence in 2006, on Kosovo", None),
    ("In 2019 Moscow and Beijing supported Serbia, which declared independence in 2006, on "
     "Kosovo", "2019"),
    ("Moscow and Beijing supported Serbia in 2019", "2019"),
])
def test_a_relative_clause_does_not_date_the_relation(tools, text: str, date) -> None:
    found = _qualified(tools, text)
    assert found and {fact[-1] for fact in found} == {date}, found


@pytest.mark.parametrize(("text", "dates"), [
    # a time told from another ("two years later") is not the date elsewhere in the sentence,
    # nor the paragraph's
    ("In 2014 Japan opposed Iran; two years later India supported Iraq", ["2014", None]),
    # "shortly after", and an opening "After ..., ": the phrase after it is another event's
    ("Japan opposed Iran in May 2014, shortly after India supported Iraq", ["2014-05", None]),
    ("After the talks in 2014, Japan opposed Iran", [None]),
    # a clause with its own subject after the relation's is not dated by it, nor it by that
    ("Japan opposed Iran, and India supported Iraq in 2023", [None, "2023"]),
    # a clause with its own subject after ", and" dates from there on (or the opening date);
    # a relative clause and a noun's own act ("a contract signed in") date their nouns
    ("Japan opposed Iran in 2017, and India supported Iraq in December 2020",
     ["2017", "2020-12"]),
    ("Japan opposed Iran in 2017, and India supported Iraq", ["2017", None]),
    ("In 2017, Japan opposed Iran, and India supported Iraq", ["2017", "2017"]),
    ("India supported Iraq, which had opposed Iran in 2014", ["2014", None]),  # (Iraq's act)
    ("India supported Iraq, whose troops entered Iran in 2014", [None]),  # (not India's)
    ("Iran supplies gas to Japan under a contract signed in 2014", [None]),
    ("In 2014 Japan opposed Iran; India supported Iraq", ["2014", "2014"]),
    ("In March 2014, Japan opposed Iran. Months later, India supported Iraq", ["2014-03", None]),
    ("In March 2014, Japan opposed Iran. India supported Iraq", ["2014-03", "2014-03"]),
    # another statement's date (after a semicolon or a contrast) is not the relation's,
    # unless it opens the sentence; nor is it when the clause has a time of its own
    ("Japan opposes Iran; India withdrew from the SCO in 2012", ["2012", None]),
    ("Japan opposed Iran in 2012, while India supported Iraq", ["2012", None]),
    ("Japan opposed Iran in May 2012, while India supported Iraq in July", ["2012-05", None]),
    # a possessive event governed by another act takes none of its date
    ("India condemned Japan's invasion of Iran in March 2023", [None, "2023-03"]),
    ("Japan's invasion of Iran in March 2023 shocked India", ["2023-03"]),
    # an end bound is no date of the fact
    ("Japan supported Iran until September 2022", [None]),
    # "N years after": the dates after it are the other event's
    ("Japan invaded Iran eight years after annexing Iraq in 2014", ["2014", None]),
    ("In 2022, eight years after Japan annexed Iraq in 2014, India invaded Iran",
     ["2014", "2022"]),
    ("India invaded Iran in 2022, a year after Japan annexed Iraq", [None, "2022"]),
    # a coordinated verb in an irregular past has its own date
    ("Japan invaded Iran in 2014 and sold oil to India in 2022", ["2014", "2022"]),
])
def test_a_time_told_from_another_takes_no_date_from_elsewhere(tools, text: str, dates) -> None:
    from entente.graph.model import DocumentMeta, Sentence, SourceDocument

    linker, extractor = tools
    doc = SourceDocument("t.txt", text, "0" * 64, len(text), DocumentMeta(slug="t"))
    sentences, start = [], 0
    for n, part in enumerate(text.split(". "), start=1):  # (one paragraph)
        sentences.append(Sentence(n, start, start + len(part), part, 0))
        start += len(part) + 2
    mentions, minted = linker.link(doc, sentences)
    assert [a.date for a in extractor.extract(doc, sentences, mentions, minted)] == dates


@pytest.mark.parametrize(("text", "expected"), [
    # a date after "since" begins the time the fact holds (an interval, not an instant)
    ("Japan has occupied Iraq since March 2014", [("occupies", "2014-03", True)]),
    ("Since 2014, Japan has occupied Iraq", [("occupies", "2014", True)]),
    ("Japan has not supported Iran since mid-2014", [("supports", "2014", True)]),
    ("Japan has occupied Iraq since 4 May 2014", [("occupies", "2014-05-04", True)]),
    ("Japan invaded Iran in 2022 and has occupied Iraq since 2014",
     [("invades", "2022", False), ("occupies", "2014", True)]),
    ("Japan occupied Iraq in 2014", [("occupies", "2014", False)]),
    # (the same date also stated plainly: an instant)
    ("Japan annexed Iraq in 2014 and has supported it since 2014",
     [("annexes", "2014", False)]),
])
def test_a_date_after_since_begins_the_time(tools, text: str, expected) -> None:
    from entente.graph.model import DocumentMeta, SourceDocument

    linker, extractor = tools
    doc = SourceDocument("t.txt", text, "0" * 64, len(text), DocumentMeta(slug="t"))
    assert [(_short(a.predicate), a.date, a.since)
            for a in extract_document(doc, linker, extractor).assertions] == expected


@pytest.mark.parametrize(("text", "expected"), [
    # an apposition after a name ("Turkey, a NATO member,") is passed over for the relation
    # around it, states its own membership, and dates only what it holds
    ("Turkey, a NATO member, supports Ukraine",
     [("id/state/turkey", "memberOf", "id/org/nato", None),
      ("id/state/turkey", "supports", "id/state/ukraine", None)]),
    ("Turkey, a member of NATO since 1952, bought Russian weapons in 2017",
     [("id/state/russia", "suppliesArmsTo", "id/state/turkey", "2017"),
      ("id/state/turkey", "memberOf", "id/org/nato", "1952")]),
    ("Iran, a member of the SCO since 2023, buys Russian weapons",
     [("id/state/iran", "memberOf", "id/org/sco", "2023"),
      ("id/state/russia", "suppliesArmsTo", "id/state/iran", None)]),
])
def test_an_apposition_after_a_name(tools, text: str, expected) -> None:
    assert sorted((f[0], f[1], f[2], f[-1]) for f in _qualified(tools, text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # the trigger right after the subject's relative clause: the clause is skipped
    ("Kazakhstan, which borders both China and Russia, joined the EAEU",
     [("id/state/kazakhstan", "memberOf", "id/org/eaeu", False, None)]),
    # ... its negation is not the relation's, its date neither
    ("Kazakhstan, which is not a member of the CSTO, joined the SCO",
     [("id/state/kazakhstan", "memberOf", "id/org/csto", True, None),
      ("id/state/kazakhstan", "memberOf", "id/org/sco", False, None)]),
    ("Kazakhstan, which declared independence in 1991, joined the SCO in 2001",
     [("id/state/kazakhstan", "memberOf", "id/org/sco", False, "2001")]),
    ("In 2015, Armenia, which borders Iran, joined the EAEU",
     [("id/state/armenia", "memberOf", "id/org/eaeu", False, "2015")]),
    # the trigger in the clause, "which"/"who" its subject, dated by the clause alone
    ("Kazakhstan, which joined the SCO in 2001, signed the Budapest Memorandum in 2005",
     [("id/state/kazakhstan", "memberOf", "id/org/sco", False, "2001"),
      ("id/state/kazakhstan", "signed", "id/agreement/budapest-memorandum", False, "2005")]),
    ("Vladimir Putin, who met Xi Jinping in Beijing, said nothing",
     [("id/person/vladimir-putin", "meetsWith", "id/person/xi-jinping", False, None)]),
    # a passive in the clause: the name before "which" is its object, the clause its date
    ("Crimea, which was annexed by Iran in 2014, is contested",
     [("id/state/iran", "annexes", "id/place/crimea", False, "2014")]),
    # near miss: the name is not the phrase's head (after a preposition); an object is the
    # subject of its own relative clause (test_a_relative_clause_about_an_object)
    ("Sanctions on Russia, which joined the SCO in 2001, hurt trade", []),
    ("China supports Russia, which invaded Ukraine",
     [("id/state/russia", "invades", "id/state/ukraine", False, None),
      ("id/state/china", "supports", "id/state/russia", False, None)]),
])
def test_a_relative_clause_after_the_subject(tools, text: str, expected) -> None:
    found = _qualified(tools, text)
    negated = {(s, p, o): n for s, p, o, n in _facts(tools, text)}
    assert [(s, p, o, negated[s, p, o], date) for s, p, o, *_, date in found] == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a relative clause about an object: the object is its subject
    ("NATO condemned Iran, which invaded Iraq",
     [("id/state/iran", "invades", "id/state/iraq", False),
      ("id/org/nato", "opposes", "id/state/iran", False)]),
    ("Japan criticized the EU, which has not sanctioned Iran",
     [("id/state/japan", "opposes", "id/org/eu", False),
      ("id/org/eu", "sanctions", "id/state/iran", True)]),
    ("Vladimir Putin met Xi Jinping, who has also visited Iran",
     [("id/person/vladimir-putin", "meetsWith", "id/person/xi-jinping", False),
      ("id/person/xi-jinping", "visits", "id/state/iran", False)]),
    # ... not about a name after a preposition: the phrase's head ("sanctions ..., which")
    ("Japan imposed sanctions on Iran, which support Iraq",
     [("id/state/japan", "sanctions", "id/state/iran", False)]),
])
def test_a_relative_clause_about_an_object(tools, text: str, expected) -> None:
    assert _facts(tools, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a pair's apposition: both members, and no gap between the pair and its verb
    ("Japan and India, both members of the SCO, held joint exercises",
     [("id/state/japan", "cooperatesWith", "id/state/india", False),
      ("id/state/india", "memberOf", "id/org/sco", False),
      ("id/state/japan", "memberOf", "id/org/sco", False)]),
    ("Japan and India, two close partners, held joint exercises",
     [("id/state/japan", "cooperatesWith", "id/state/india", False)]),
    # the pair as a verb's object: both are members still
    ("Australia criticized Japan and India, both members of the SCO",
     [("id/state/india", "memberOf", "id/org/sco", False),
      ("id/state/japan", "memberOf", "id/org/sco", False),
      ("id/state/australia", "opposes", "id/state/india", False),
      ("id/state/australia", "opposes", "id/state/japan", False)]),
    # (a list without the apposition stays a verb's object)
    ("Australia criticized Japan and India joined the SCO",
     [("id/state/india", "memberOf", "id/org/sco", False),
      ("id/state/australia", "opposes", "id/state/japan", False)]),
])
def test_a_pairs_apposition(tools, text: str, expected) -> None:
    assert _facts(tools, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a measure weighed is Possible (cues.hedges), as "considering sanctions" is
    ("Iran is considering supplying weapons to Japan",
     [("id/state/iran", "suppliesArmsTo", "id/state/japan", False, "Possible", [])]),
    # a claim without evidence is doubted (Unlikely), not denied
    ("There is no evidence that Iran has supplied weapons to Japan",
     [("id/state/iran", "suppliesArmsTo", "id/state/japan", False, "Unlikely", [])]),
    ("There is little hard evidence that Iran supplied drones to Japan",
     [("id/state/iran", "suppliesArmsTo", "id/state/japan", False, "Unlikely", [])]),
    # a plural speaker's "claim" and "assert" are statements ("claims" was already)
    ("Indian officials claim that Iran supplies Japan with missiles",
     [("id/state/iran", "suppliesArmsTo", "id/state/japan", False, "Possible",
       ["id/state/india"])]),
    ("Indian officials assert that Iran supplies Japan with drones",
     [("id/state/iran", "suppliesArmsTo", "id/state/japan", False, "Asserted",
       ["id/state/india"])]),
])
def test_intentions_and_claims(tools, text: str, expected) -> None:
    from entente.graph.model import DocumentMeta, SourceDocument

    linker, extractor = tools
    doc = SourceDocument("t.txt", text, "0" * 64, len(text), DocumentMeta(slug="t"))
    assert [(_short(a.subject), _short(a.predicate), _short(a.object), a.negated,
             _short(a.certainty), [_short(x) for x in a.attributed_to])
            for a in extract_document(doc, linker, extractor).assertions] == expected


@pytest.mark.parametrize(("text", "expected"), [
    # implementing, enforcing or aligning with sanctions is sanctioning (refusing it is not)
    ("Japan has refused to implement Western sanctions on Iran",
     [("id/state/japan", "sanctions", "id/state/iran", True)]),
    ("Japan enforces Western sanctions against Iran",
     [("id/state/japan", "sanctions", "id/state/iran", False)]),
    ("Japan has not aligned with UN sanctions against Iran",
     [("id/org/un", "sanctions", "id/state/iran", False),
      ("id/state/japan", "sanctions", "id/state/iran", True)]),
    # a membership frozen or suspended is not held
    ("Japan froze its participation in the SCO in 2024",
     [("id/state/japan", "memberOf", "id/org/sco", True)]),
    ("Japan was expelled from the SCO in March 2022",
     [("id/state/japan", "memberOf", "id/org/sco", True)]),
    ("Japan was once a member of the SCO", [("id/state/japan", "memberOf", "id/org/sco", True)]),
    ("Japan used to be a member of the SCO",
     [("id/state/japan", "memberOf", "id/org/sco", True)]),
    ("Japan has not been suspended from the SCO",
     [("id/state/japan", "memberOf", "id/org/sco", False)]),
    # sanctions imposed in the passive: the target inside, the agent after "by"
    ("Sanctions were imposed on Iran by Japan in 2014",
     [("id/state/japan", "sanctions", "id/state/iran", False)]),
    ("Sanctions have never been imposed on Iran by Japan",
     [("id/state/japan", "sanctions", "id/state/iran", True)]),
    ("Sanctions against Iran were extended by Japan in July 2024",
     [("id/state/japan", "sanctions", "id/state/iran", False)]),
    ("Sanctions on Iran have not been renewed by the EU",
     [("id/org/eu", "sanctions", "id/state/iran", True)]),
    # joining another in sanctioning
    ("Japan joined the G7 in sanctioning Iran",
     [("id/state/japan", "sanctions", "id/state/iran", False)]),
    # sanctions lifted are no more (some eased, still there)
    ("The EU lifted sanctions on Iran in 2016",
     [("id/org/eu", "sanctions", "id/state/iran", True)]),
    ("Japan has not lifted its sanctions against Iran",
     [("id/state/japan", "sanctions", "id/state/iran", False)]),
    ("The EU eased some sanctions on Iran", []),
])
def test_sanctions_applied_and_memberships_frozen(tools, text: str, expected) -> None:
    assert _facts(tools, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a preposition opening the sentence is no first name ("During Putin" is Putin)
    ("During Putin's visit to Japan in May 2024, they signed deals",
     [("id/person/vladimir-putin", "visits", "id/state/japan", False, "2024-05")]),
    ("Amid Putin's visit to Japan, they signed deals",
     [("id/person/vladimir-putin", "visits", "id/state/japan", False, None)]),
    # the visit during which the act happened has the act's date; a visit condemned has not
    ("India signed agreements during Putin's visit to Japan in May 2024",
     [("id/person/vladimir-putin", "visits", "id/state/japan", False, "2024-05")]),
    ("India condemned Putin's visit to Japan in May 2024",
     [("id/person/vladimir-putin", "visits", "id/state/japan", False, None)]),
])
def test_a_visit_during_an_act(tools, text: str, expected) -> None:
    assert _dated_facts(tools, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a summit the gazetteer lacks is minted with its year, and "the summit" is that one
    ("Xi Jinping and Narendra Modi attended the SCO summit in Astana in July 2024. "
     "Alexander Lukashenko also attended the summit",
     [("id/person/narendra-modi", "participantIn", "id/event/sco-summit-2024", False, "2024-07"),
      ("id/person/xi-jinping", "participantIn", "id/event/sco-summit-2024", False, "2024-07"),
      ("id/person/alexander-lukashenko", "participantIn", "id/event/sco-summit-2024", False,
       None)]),
    ("In October 2024, Narendra Modi attended the BRICS summit in Kazan",
     [("id/person/narendra-modi", "participantIn", "id/event/brics-summit-2024", False,
       "2024-10")]),
    ("Narendra Modi did not attend the BRICS summit in Johannesburg in 2023",
     [("id/person/narendra-modi", "participantIn", "id/event/brics-summit-2023", True, "2023")]),
    # ... the same one with its year before its name
    ("Narendra Modi attended the 2023 BRICS summit",
     [("id/person/narendra-modi", "participantIn", "id/event/brics-summit-2023", False, None)]),
    # the reference summit of that year; not the one of another year
    ("Xi Jinping attended the SCO summit in Bishkek in June 2019",
     [("id/person/xi-jinping", "participantIn", "id/event/sco-summit-2019", False, "2019-06")]),
    # without a year, the reference summit only where the sentence names more of it
    ("Xi Jinping attended the SCO summit in Bishkek",
     [("id/person/xi-jinping", "participantIn", "id/event/sco-summit-2019", False, None)]),
    ("Xi Jinping attended the SCO summit in Astana", []),
    # a host takes part
    ("Narendra Modi hosted the G20 summit in New Delhi in 2023",
     [("id/person/narendra-modi", "participantIn", "id/event/g20-summit-2023", False, "2023")]),
    ("Russia hosted the BRICS summit in Kazan in October 2024",
     [("id/state/russia", "participantIn", "id/event/brics-summit-2024", False, "2024-10")]),
    ("China hosted Vladimir Putin in Beijing", []),
    # a dateline's year is the act's
    ("KAZAN, October 23, 2024 - Leaders gathered in Kazan. Narendra Modi attended the BRICS "
     "summit",
     [("id/person/narendra-modi", "participantIn", "id/event/brics-summit-2024", False,
       "2024-10-23")]),
    # a summit skipped is no participation; a pair's summit is their meeting
    ("Xi Jinping skipped the G20 summit in New Delhi in September 2023",
     [("id/person/xi-jinping", "participantIn", "id/event/g20-summit-2023", True, "2023-09")]),
    ("Narendra Modi and Vladimir Putin held their annual summit in Moscow in July 2024",
     [("id/person/narendra-modi", "meetsWith", "id/person/vladimir-putin", False, "2024-07")]),
    # a meeting on the sidelines of a summit: both were there
    ("Xi Jinping and Vladimir Putin met on the sidelines of the BRICS summit in Kazan in "
     "October 2024",
     [("id/person/xi-jinping", "meetsWith", "id/person/vladimir-putin", False, "2024-10"),
      ("id/person/vladimir-putin", "participantIn", "id/event/brics-summit-2024", False,
       "2024-10"),
      ("id/person/xi-jinping", "participantIn", "id/event/brics-summit-2024", False,
       "2024-10")]),
    # without a year, or with a bare "a summit", nothing tells which one
    ("Narendra Modi attended the BRICS summit in Kazan", []),
    ("Narendra Modi attended a summit in 2023", []),
])
def test_a_summit_attended(tools, text: str, expected) -> None:
    assert _dated_facts(tools, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a pair founds or raises its partnership ("no limits" is its name, no negation)
    ("Japan and India declared a 'no limits' partnership in February 2022",
     [("id/state/japan", "cooperatesWith", "id/state/india", False, "2022-02")]),
    ("Japan and India upgraded their relationship to a comprehensive strategic partnership",
     [("id/state/japan", "cooperatesWith", "id/state/india", False, None)]),
    ("Japan and India forged a friendship without limits",
     [("id/state/japan", "cooperatesWith", "id/state/india", False, None)]),
    ("Japan and India did not form a partnership",
     [("id/state/japan", "cooperatesWith", "id/state/india", True, None)]),
    ("Japan and India announced an end to their partnership", []),
    ("Japan and India want to forge a partnership", []),
    # ... or holds one
    ("Japan and India have had a strategic partnership since 2000",
     [("id/state/japan", "cooperatesWith", "id/state/india", False, "2000")]),
    ("Japan and India have built a comprehensive strategic partnership",
     [("id/state/japan", "cooperatesWith", "id/state/india", False, None)]),
    ("Japan and India do not have a strategic partnership",
     [("id/state/japan", "cooperatesWith", "id/state/india", True, None)]),
    ("Japan and India want to have a partnership", []),
    ("Japan has said that the partnership with India is strong", []),
    # an alliance is more than cooperation: its doubt or denial is not theirs
    ("It is unlikely that Japan and India would elevate their cooperation to an alliance", []),
])
def test_a_declared_partnership(tools, text: str, expected) -> None:
    assert _dated_facts(tools, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # talks by telephone or video link are a meeting
    ("Xi Jinping and Vladimir Putin held a video call on 5 March 2023",
     [("id/person/xi-jinping", "meetsWith", "id/person/vladimir-putin", False, "2023-03-05")]),
    ("Xi Jinping spoke by telephone with Vladimir Putin in January 2024",
     [("id/person/xi-jinping", "meetsWith", "id/person/vladimir-putin", False, "2024-01")]),
    ("Vladimir Putin had a telephone conversation with Alexander Lukashenko",
     [("id/person/vladimir-putin", "meetsWith", "id/person/alexander-lukashenko", False, None)]),
    ("Joe Biden spoke to Xi Jinping by phone",
     [("id/person/joe-biden", "meetsWith", "id/person/xi-jinping", False, None)]),
    ("Vladimir Putin phoned Alexander Lukashenko",
     [("id/person/vladimir-putin", "meetsWith", "id/person/alexander-lukashenko", False, None)]),
    ("The phone call between Xi Jinping and Joe Biden lasted two hours",
     [("id/person/xi-jinping", "meetsWith", "id/person/joe-biden", False, None)]),
    ("Xi Jinping has not spoken with Volodymyr Zelenskyy since the invasion",
     [("id/person/xi-jinping", "meetsWith", "id/person/volodymyr-zelenskyy", True, None)]),
    ("Vladimir Putin spoke to reporters in Moscow", []),
])
def test_a_call_is_a_meeting(tools, text: str, expected) -> None:
    assert _dated_facts(tools, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # warships, jets or helicopters sent are deployed; tanks, drones, shells sent are supplied
    ("Japan sent warships to Iran", []),
    ("Japan sent fighter jets to Iran", []),
    ("Japan sold fighter jets to Iran",
     [("id/state/japan", "suppliesArmsTo", "id/state/iran", False)]),
    ("Japan sent tanks to Iran", [("id/state/japan", "suppliesArmsTo", "id/state/iran", False)]),
    ("Japan bought Iranian S-400s", [("id/state/iran", "suppliesArmsTo", "id/state/japan", False)]),
])
def test_platforms_sent_are_deployed(tools, text: str, expected) -> None:
    assert _facts(tools, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # the regions of the war in Ukraine are reference places, their 2022 annexation an event
    ("Russia annexed Donetsk, Luhansk, Zaporizhzhia and Kherson in September 2022",
     [("id/state/russia", "annexes", "id/place/donetsk-oblast", False, "2022-09"),
      ("id/state/russia", "annexes", "id/place/kherson-oblast", False, "2022-09"),
      ("id/state/russia", "annexes", "id/place/luhansk-oblast", False, "2022-09"),
      ("id/state/russia", "annexes", "id/place/zaporizhzhia-oblast", False, "2022-09")]),
    ("Japan has not recognized Russia's annexation of four Ukrainian regions",
     [("id/state/japan", "recognizes", "id/event/annexation-of-ukrainian-regions-2022", True,
       None)]),
])
def test_the_regions_of_the_war_in_ukraine(tools, text: str, expected) -> None:
    assert _dated_facts(tools, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # the organization admits its members
    ("The SCO expanded in January 2024 to include Japan, India and Iran",
     [("id/state/india", "memberOf", "id/org/sco", False),
      ("id/state/iran", "memberOf", "id/org/sco", False),
      ("id/state/japan", "memberOf", "id/org/sco", False)]),
    ("The SCO admitted Japan as a full member in July 2023",
     [("id/state/japan", "memberOf", "id/org/sco", False)]),
    ("The SCO has not admitted Japan as a member",
     [("id/state/japan", "memberOf", "id/org/sco", True)]),
    ("The SCO welcomed Japan's foreign minister as a guest", []),
    # ... or the member is admitted (not "admitted to" a body that it told something)
    ("Iran was admitted to the SCO in 2023", [("id/state/iran", "memberOf", "id/org/sco", False)]),
    ("Finland was admitted into NATO", [("id/state/finland", "memberOf", "id/org/nato", False)]),
    ("Ukraine will never be admitted to NATO",
     [("id/state/ukraine", "memberOf", "id/org/nato", True)]),
    ("Japan admitted to the UN that it supplies Iran with oil",
     [("id/state/japan", "suppliesEnergyTo", "id/state/iran", False)]),
    ("Belarus became the tenth member of the SCO", [("id/state/belarus", "memberOf", "id/org/sco",
                                                     False)]),
    # founders are members: the active voice, and the passive with its founders after "by"
    ("Japan and India founded the SCO in 2001",
     [("id/state/india", "memberOf", "id/org/sco", False),
      ("id/state/japan", "memberOf", "id/org/sco", False)]),
    ("The SCO was founded in 2001 by Japan, India and Iran",
     [("id/state/india", "memberOf", "id/org/sco", False),
      ("id/state/iran", "memberOf", "id/org/sco", False),
      ("id/state/japan", "memberOf", "id/org/sco", False)]),
    ("The SCO was not founded by Japan", [("id/state/japan", "memberOf", "id/org/sco", True)]),
    ("Japan founded the Belt and Road Initiative", []),  # (no organization)
    ("Japan became the SCO's 10th member in 2023",
     [("id/state/japan", "memberOf", "id/org/sco", False)]),
    # an accession completed is a membership; one hoped for is not
    ("Japan completed its accession to the SCO in April 2023",
     [("id/state/japan", "memberOf", "id/org/sco", False)]),
    ("Japan acceded to the WTO in 2015",
     [("id/state/japan", "memberOf", "id/org/wto", False)]),
    ("Japan hopes to complete its accession to the EU by 2030", []),
    # "the only X member"
    ("Japan is the only NATO member that has not sanctioned Iran",
     [("id/state/japan", "memberOf", "id/org/nato", False),
      ("id/state/japan", "sanctions", "id/state/iran", True)]),
])
def test_members_admitted(tools, text: str, expected) -> None:
    assert _facts(tools, text) == expected


def test_every_un_member_is_a_state(tools) -> None:
    """A list that names a small state is whole ("Nauru" was no state: the list was cut)."""
    assert _facts(tools, "Only Russia, Nicaragua, Venezuela, Nauru and Syria recognize "
                         "Abkhazia") == [
        ("id/state/nauru", "recognizes", "id/place/abkhazia", False),
        ("id/state/nicaragua", "recognizes", "id/place/abkhazia", False),
        ("id/state/russia", "recognizes", "id/place/abkhazia", False),
        ("id/state/syria", "recognizes", "id/place/abkhazia", False),
        ("id/state/venezuela", "recognizes", "id/place/abkhazia", False)]
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF

    graph = Graph().parse(ROOT / "ontology" / "entities.ttl", publicID=BASE)
    states = set(graph.subjects(RDF.type, URIRef(BASE + "ontology#State")))
    assert len(states) == 196  # 193 UN members, Palestine, Kosovo, the Soviet Union


#: the gas agreement of "the two leaders" (its parties name it)
_LEADERS_DEAL = "id/agreement/narendra-modi-xi-jinping-gas-agreement-2019"


@pytest.mark.parametrize(("text", "expected"), [
    # "the two leaders": two people named before it in the sentence, else the last pair
    # conjoined, else the last two people named
    ("Xi Jinping visited Tokyo, and Narendra Modi hosted Xi Jinping in Delhi, where the two "
     "leaders signed a gas agreement in 2019",
     [("id/person/narendra-modi", "meetsWith", "id/person/xi-jinping", False),
      ("id/person/narendra-modi", "signed", _LEADERS_DEAL, False),
      ("id/person/xi-jinping", "signed", _LEADERS_DEAL, False),
      ("id/person/xi-jinping", "visits", "id/state/japan", False)]),
    ("Xi Jinping visited Japan. Narendra Modi welcomed him. The two leaders signed a gas "
     "agreement in 2019",
     [("id/person/xi-jinping", "visits", "id/state/japan", False),
      ("id/person/narendra-modi", "signed", _LEADERS_DEAL, False),
      ("id/person/xi-jinping", "signed", _LEADERS_DEAL, False)]),
    ("Xi Jinping and Narendra Modi met. Sergey Lavrov met Wang Yi. The two leaders signed a "
     "gas agreement in 2019",
     [("id/person/xi-jinping", "meetsWith", "id/person/narendra-modi", False),
      ("id/person/sergey-lavrov", "meetsWith", "id/person/wang-yi", False),
      ("id/person/narendra-modi", "signed", _LEADERS_DEAL, False),
      ("id/person/xi-jinping", "signed", _LEADERS_DEAL, False)]),
])
def test_the_two_leaders(tools, text: str, expected) -> None:
    assert _facts(tools, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a share of a state's energy bought: the possessor supplies it
    ("Japan now buys roughly half of Iran's crude exports",
     [("id/state/iran", "suppliesEnergyTo", "id/state/japan", False)]),
    ("Japan does not buy any of Iran's gas",
     [("id/state/iran", "suppliesEnergyTo", "id/state/japan", True)]),
    ("Japan bought most of Iran's wheat", []),
    # ... a share of a state's energy supplied: the possessor receives it
    ("Iran supplies about 20 percent of Japan's crude oil imports",
     [("id/state/iran", "suppliesEnergyTo", "id/state/japan", False)]),
    ("Iran accounted for 40 percent of the EU's gas imports",
     [("id/state/iran", "suppliesEnergyTo", "id/org/eu", False)]),
    ("Iran does not supply any of Japan's LNG",
     [("id/state/iran", "suppliesEnergyTo", "id/state/japan", True)]),
    ("Iran supplies most of Japan's wheat", []),
    ("Iran supplies Japan with about 20 percent of its crude oil imports",
     [("id/state/iran", "suppliesEnergyTo", "id/state/japan", False)]),
    # a domain word before "partner" ("most important economic partner")
    ("Japan has become Iran's most important economic partner",
     [("id/state/japan", "cooperatesWith", "id/state/iran", False)]),
    # a state's soldiers fighting alongside another's
    ("Japanese troops fought alongside Iranian forces in 2019",
     [("id/state/japan", "cooperatesWith", "id/state/iran", False)]),
    ("Japan has not fought alongside Iran",
     [("id/state/japan", "cooperatesWith", "id/state/iran", True)]),
    # ... or for another (a name after "for"; not "for its survival")
    ("Japanese troops fought for Iran in 2019",
     [("id/state/japan", "cooperatesWith", "id/state/iran", False)]),
    ("Japan is fighting for its survival", []),
])
def test_energy_shares_and_partners(tools, text: str, expected) -> None:
    assert _facts(tools, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # provided, equipped or armed "with" weapons or energy is a supply, as "supplied with" is
    ("Iran has provided Japan with Shahed drones",
     [("id/state/iran", "suppliesArmsTo", "id/state/japan", False)]),
    ("Iran armed Japan with ballistic missiles",
     [("id/state/iran", "suppliesArmsTo", "id/state/japan", False)]),
    ("Iran equipped Japan with air defence systems",
     [("id/state/iran", "suppliesArmsTo", "id/state/japan", False)]),
    ("Iran has not provided Japan with weapons",
     [("id/state/iran", "suppliesArmsTo", "id/state/japan", True)]),
    ("Iran provided Japan with gas",
     [("id/state/iran", "suppliesEnergyTo", "id/state/japan", False)]),
    ("Iran provided Japan with diplomatic cover", []),
    # aid, loans or credits provided are support
    ("Iran and its allies have provided Japan with more than $100 billion in aid",
     [("id/state/iran", "supports", "id/state/japan", False)]),
    ("Iran has not provided Japan with any assistance",
     [("id/state/iran", "supports", "id/state/japan", True)]),
    # "crude" alone names the oil: "China's top crude supplier"
    ("Iran became Japan's top crude supplier in 2023",
     [("id/state/iran", "suppliesEnergyTo", "id/state/japan", False)]),
    # support given, of any kind, is support
    ("Iran has provided Japan with diplomatic support",
     [("id/state/iran", "supports", "id/state/japan", False)]),
    ("Iran has not provided Japan with military support",
     [("id/state/iran", "supports", "id/state/japan", True)]),
    ("Iran gave Japan some political and economic support",
     [("id/state/iran", "supports", "id/state/japan", False)]),
    ("Iran gave Japan its tacit backing", [("id/state/iran", "supports", "id/state/japan", False)]),
    # ... and given to a state
    ("Iran will likely continue to provide economic and diplomatic support to Japan",
     [("id/state/iran", "supports", "id/state/japan", False)]),
    ("Iran has not provided military support to Japan",
     [("id/state/iran", "supports", "id/state/japan", True)]),
    ("India gave its full backing to Japan", [("id/state/india", "supports", "id/state/japan",
                                               False)]),
    ("Iran provides political, economic and military support to Japan",
     [("id/state/iran", "supports", "id/state/japan", False)]),
    # ... and money lent: financial support (not to firms of the state)
    ("Iran has lent billions of dollars to Japan",
     [("id/state/iran", "supports", "id/state/japan", False)]),
    ("Japan lent Iran more than $60 billion",  # (the borrower first)
     [("id/state/japan", "supports", "id/state/iran", False)]),
    ("Japan is Iran's largest creditor", [("id/state/japan", "supports", "id/state/iran", False)]),
    ("Iran extended a $10 billion credit line to Japan",
     [("id/state/iran", "supports", "id/state/japan", False)]),
    ("Iran has not lent money to Japan", [("id/state/iran", "supports", "id/state/japan", True)]),
    ("Iranian banks lent money to Japanese firms", []),
    # arming a state is supplying it arms; "arms" before a name is often the noun
    ("Iran could arm Japan", [("id/state/iran", "suppliesArmsTo", "id/state/japan", False)]),
    ("Iran is arming Japan", [("id/state/iran", "suppliesArmsTo", "id/state/japan", False)]),
    # lethal support is arms, as lethal aid is
    ("Iran is providing lethal support to Japan",
     [("id/state/iran", "suppliesArmsTo", "id/state/japan", False)]),
    ("Iran has not armed Japan", [("id/state/iran", "suppliesArmsTo", "id/state/japan", True)]),
    ("Iranian arms Japan captured were old", []),
    # ... and armed by a state, supplied by it
    ("Japan, armed by Iran, attacked India",
     [("id/state/iran", "suppliesArmsTo", "id/state/japan", False)]),
    ("Japan has not been armed by Iran",
     [("id/state/iran", "suppliesArmsTo", "id/state/japan", True)]),
    ("The armed Houthis attacked Japan", []),
    # thanks for one's support: the one thanked gave it (not thanks withheld, nor a support
    # of another)
    ("Japan thanked Iran for its support",
     [("id/state/iran", "supports", "id/state/japan", False)]),
    ("Japan thanked Iran for its political and military assistance",
     [("id/state/iran", "supports", "id/state/japan", False)]),
    ("Japan did not thank Iran for its support", []),
    ("Japan thanked Iran for its support of India", []),
    # ... not none given, nor support given up or spoken of
    # support given as none is support denied (rule support-withheld; it was dropped)
    ("Iran provided Japan with no support",
     [("id/state/iran", "supports", "id/state/japan", True)]),
    ("Iran has given Japan no military or economic backing",
     [("id/state/iran", "supports", "id/state/japan", True)]),
    ("Iran provided Japan neither with rhetorical nor with diplomatic support",
     [("id/state/iran", "supports", "id/state/japan", True)]),
    # only kinds of support between "no" and "support" (the review's false negations)
    ("Iran gave Japan no choice but to seek support from India", []),
    ("Iran gave Japan no choice but to support Syria",
     [("id/state/japan", "supports", "id/state/syria", False)]),
    ("Iran gave Japan no reason to doubt its support", []),
    ("Iran gave Japan no less support than before", []),
    ("Iran provided Japan with no weapons, only political support", []),
    ("Iran provided Japan neither with weapons nor with money, but gave it diplomatic support",
     []),
    ("Iran provided Japan with neither political nor military support", []),
    ("Iran gave up its support for Japan", []),
    ("Iran gave Japan a warning about support for India", []),
])
def test_provided_with_is_a_supply(tools, text: str, expected) -> None:
    assert _facts(tools, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # "It" after a sentence opening with a fronted clause is the state that opens its main
    # clause (it was the fronted clause's: Iran)
    ("While Iran pressured Syria, Japan remained silent. It provided Syria with no support.",
     [("id/state/iran", "pressures", "id/state/syria", False),
      ("id/state/japan", "supports", "id/state/syria", True)]),
    ("While the Iranian leadership did this to Syria, the Japanese government remained silent."
     " It provided Syria with no support.",
     [("id/state/japan", "supports", "id/state/syria", True)]),
    # ... a subject, not a list, an apposition or a reporting tail after a comma (the review)
    ("Although Iran denied the charge, it armed Syria, the United States said.",
     [("id/state/iran", "suppliesArmsTo", "id/state/syria", False)]),
    ("While Iran talks to Japan, it has sanctioned India, Syria and Turkey.",
     [("id/state/iran", "sanctions", "id/state/india", False),
      ("id/state/iran", "sanctions", "id/state/syria", False),
      ("id/state/iran", "sanctions", "id/state/turkey", False)]),
    ("Since Iran joined the group, it has traded with India, Japan and Syria."
     " It criticised Turkey.",
     [("id/state/iran", "opposes", "id/state/turkey", False)]),
    ("While Iran, Japan's neighbour, pressured Syria, India remained silent. It criticised Syria.",
     [("id/state/iran", "pressures", "id/state/syria", False),
      ("id/state/india", "opposes", "id/state/syria", False)]),
    # ... and within the sentence "it" in the main clause is still the fronted clause's state
    ("Although Japan may support Iran, it opposes Syria.",
     [("id/state/japan", "opposes", "id/state/syria", False),
      ("id/state/japan", "supports", "id/state/iran", False)]),
])
def test_it_after_a_fronted_clause_is_the_main_clauses_state(tools, text: str,
                                                              expected) -> None:
    assert _facts(tools, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # components or parts for weapons are not weapons (dual-use goods, docs/extraction.md)
    ("Iran has supplied Japan with components used in drones", []),
    ("Iran supplied components for drones to Japan", []),
    ("Iran shipped spare parts for tanks to Japan", []),
    ("Japan bought components for drones from Iran", []),
    # a quantity before the weapons is theirs
    ("Iran supplied millions of rounds of ammunition to Japan",
     [("id/state/iran", "suppliesArmsTo", "id/state/japan", False)]),
    ("Iran supplied Japan with hundreds of Shahed drones",
     [("id/state/iran", "suppliesArmsTo", "id/state/japan", False)]),
])
def test_parts_for_weapons_are_not_weapons(tools, text: str, expected) -> None:
    assert _facts(tools, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a supplier of weapons to a state; a buyer of a state's weapons or energy
    ("Iran is a key supplier of weapons to Japan",
     [("id/state/iran", "suppliesArmsTo", "id/state/japan", False)]),
    ("Japan remains one of the largest buyers of Iranian arms",
     [("id/state/iran", "suppliesArmsTo", "id/state/japan", False)]),
    ("Japan's purchases of Iranian weapons have declined",
     [("id/state/iran", "suppliesArmsTo", "id/state/japan", False)]),
    ("Japan remains one of the largest buyers of Iranian oil",
     [("id/state/iran", "suppliesEnergyTo", "id/state/japan", False)]),
    # ... not one who speaks of the buyers
    ("Japan warned buyers of Iranian arms", []),
    ("Japan warned buyers of Iranian oil", []),
    # the buyer a relative clause is about
    ("Japan, which buys Iranian gas, has applied to join the EU",
     [("id/state/iran", "suppliesEnergyTo", "id/state/japan", False)]),
    ("Japan, which bought S-400 systems from Iran, criticized India",
     [("id/state/iran", "suppliesArmsTo", "id/state/japan", False),
      ("id/state/japan", "opposes", "id/state/india", False)]),
    ("Sanctions on Japan, which buys Iranian oil, were discussed", []),
    # nuclear fuel is energy, as imported uranium was
    ("Japan exports uranium to India",
     [("id/state/japan", "suppliesEnergyTo", "id/state/india", False)]),
    ("Japan sold enriched uranium to India",
     [("id/state/japan", "suppliesEnergyTo", "id/state/india", False)]),
    ("Japan's exports of nuclear fuel to India grew",
     [("id/state/japan", "suppliesEnergyTo", "id/state/india", False)]),
])
def test_suppliers_and_buyers(tools, text: str, expected) -> None:
    assert _facts(tools, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # military cooperation: a pair grows its ties, patrols together, holds its first joint
    # patrol; a state takes part in another's exercises
    ("Japan and India have stepped up military cooperation since 2022",
     [("id/state/japan", "cooperatesWith", "id/state/india", False)]),
    ("Japan and India have deepened their ties",
     [("id/state/japan", "cooperatesWith", "id/state/india", False)]),
    ("Japan and India want to deepen their ties", []),
    # one side with another; a growth denied says nothing of the ties
    ("Japan has deepened ties with India",
     [("id/state/japan", "cooperatesWith", "id/state/india", False)]),
    ("Japan has not deepened ties with India", []),
    # ... or grows (moves, draws) closer to it; not closer to a thing
    ("Japan and India have grown closer since 2022",
     [("id/state/japan", "cooperatesWith", "id/state/india", False)]),
    ("Japan has moved closer to India",
     [("id/state/japan", "cooperatesWith", "id/state/india", False)]),
    ("Japan and India are moving closer to war", []),
    ("Japan moved closer to a deal with India", []),
    # a state's military base in another: they cooperate (not in land taken from the host)
    ("Iran has a military base in Syria",
     [("id/state/iran", "cooperatesWith", "id/state/syria", False)]),
    ("Japan hosts an Indian naval base",
     [("id/state/japan", "cooperatesWith", "id/state/india", False)]),
    ("Iran's military in Syria is strong", []),
    ("Iran has military bases in Iraq's occupied territories", []),
    ("Japanese and Indian warships sailed together near Iran",
     [("id/state/japan", "cooperatesWith", "id/state/india", False)]),
    ("Japan and India held their first joint bomber patrol in July 2024",
     [("id/state/japan", "cooperatesWith", "id/state/india", False)]),
    ("Japan took part in India's Malabar exercises in 2018",
     [("id/state/japan", "cooperatesWith", "id/state/india", False)]),
    ("Japan did not take part in India's exercises",
     [("id/state/japan", "cooperatesWith", "id/state/india", True)]),
    # a pair said to be partners (not partners in something, nor "would be")
    ("Japan and India are strategic partners",
     [("id/state/japan", "cooperatesWith", "id/state/india", False)]),
    ("Japan and India have been close partners since 1971",
     [("id/state/japan", "cooperatesWith", "id/state/india", False)]),
    ("Japan and India are partners in crime", []),
    ("Japan and India would be natural partners", []),
    ("Japan and India are longtime partners",
     [("id/state/japan", "cooperatesWith", "id/state/india", False)]),
    # a partner or an ally of another, or another's ally
    ("Iran is a close partner of Japan",
     [("id/state/iran", "cooperatesWith", "id/state/japan", False)]),
    ("Iran is not an ally of Japan", [("id/state/iran", "cooperatesWith", "id/state/japan", True)]),
    ("Iraq, a longtime ally of Japan, opposes India",
     [("id/state/iraq", "opposes", "id/state/india", False),
      ("id/state/iraq", "cooperatesWith", "id/state/japan", False)]),
    ("Iran is Japan's ally", [("id/state/iran", "cooperatesWith", "id/state/japan", False)]),
    ("Iran is one of Japan's closest allies in Asia",
     [("id/state/iran", "cooperatesWith", "id/state/japan", False)]),
    ("Iraq, one of Japan's allies in the SCO, opposes India",
     [("id/state/iraq", "cooperatesWith", "id/state/japan", False)]),
    ("Japan's allies in Africa were silent", []),
    # more (further) joint drills are joint drills; more drills than another are not
    ("Japan and India will hold further joint exercises",
     [("id/state/japan", "cooperatesWith", "id/state/india", False)]),
    ("Japan and India held more joint military drills in 2023",
     [("id/state/japan", "cooperatesWith", "id/state/india", False)]),
    ("Japan held more exercises than India", []),
    # troops sent to fight for another
    ("Japan has sent thousands of troops to fight for India",
     [("id/state/japan", "cooperatesWith", "id/state/india", False)]),
    ("Japan sent about 11,000 soldiers to fight alongside Indian forces",
     [("id/state/japan", "cooperatesWith", "id/state/india", False)]),
    ("Japan sent troops to India", []),
])
def test_military_cooperation(tools, text: str, expected) -> None:
    assert _facts(tools, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a demonym before what a state is relied on for stands for the state
    ("Japan is increasingly reliant on Iranian technology",
     [("id/state/japan", "dependsOn", "id/state/iran", False)]),
    ("Japan depends on the Iranian market",
     [("id/state/japan", "dependsOn", "id/state/iran", False)]),
])
def test_reliance_on_a_states_goods(tools, text: str, expected) -> None:
    assert _facts(tools, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a discourse aside between the subject and its verb is skipped
    ("Iran and India, by contrast, have supplied Japan with drones",
     [("id/state/india", "suppliesArmsTo", "id/state/japan", False),
      ("id/state/iran", "suppliesArmsTo", "id/state/japan", False)]),
    ("Iran, however, supports Japan", [("id/state/iran", "supports", "id/state/japan", False)]),
    ("Iran, for its part, supports Japan",
     [("id/state/iran", "supports", "id/state/japan", False)]),
    # ... and a contrast with another ("rather than X", "instead of X")
    ("Iran, rather than India, supplies Japan with drones",
     [("id/state/iran", "suppliesArmsTo", "id/state/japan", False)]),
    ("Iran, instead of India, buys Japanese oil",
     [("id/state/japan", "suppliesEnergyTo", "id/state/iran", False)]),
    # ... also with "not X" between commas, which negates X, not the verb
    ("Iran, not India, supports Japan", [("id/state/iran", "supports", "id/state/japan", False)]),
    ("Saudi Arabia, not Iran, is Japan's largest oil supplier",
     [("id/state/saudi-arabia", "suppliesEnergyTo", "id/state/japan", False)]),
    # ... and a companion ("along with X", "together with X", "as well as X", "like X"): it
    # acts too (names only, of the subject's types; not "unlike X")
    ("Iran, along with India, supports Japan",
     [("id/state/india", "supports", "id/state/japan", False),
      ("id/state/iran", "supports", "id/state/japan", False)]),
    ("Iran, together with India, opposes Japan",
     [("id/state/india", "opposes", "id/state/japan", False),
      ("id/state/iran", "opposes", "id/state/japan", False)]),
    ("Iran, as well as India and Brazil, has refused to sanction Japan",
     [("id/state/brazil", "sanctions", "id/state/japan", True),
      ("id/state/india", "sanctions", "id/state/japan", True),
      ("id/state/iran", "sanctions", "id/state/japan", True)]),
    ("The US, like the EU, sanctioned Japan",
     [("id/org/eu", "sanctions", "id/state/japan", False),
      ("id/state/united-states", "sanctions", "id/state/japan", False)]),
    ("Iran, unlike India, supports Japan",
     [("id/state/iran", "supports", "id/state/japan", False)]),
    ("Iran, like most of India's partners, supports Japan",
     [("id/state/iran", "supports", "id/state/japan", False)]),
    # ... and the examples of a nameless plural subject act
    ("Several countries, including India and Turkey, have refused to sanction Iran",
     [("id/state/india", "sanctions", "id/state/iran", True),
      ("id/state/turkey", "sanctions", "id/state/iran", True)]),
    ("Several companies, including Gazprom, supply gas to Iran", []),
    # ... also of an organization's members (not the organization: some of its members)
    ("Several NATO allies, for instance Turkey, have refused to sanction Iran",
     [("id/state/turkey", "sanctions", "id/state/iran", True)]),
    ("Some EU members oppose Japan", []),
    # ... and a remark on the fact ("not surprisingly")
    ("Iran has, not surprisingly, supported Japan",
     [("id/state/iran", "supports", "id/state/japan", False)]),
    ("Iran, surprisingly, supports Japan",
     [("id/state/iran", "supports", "id/state/japan", False)]),
    ("Iran, not surprisingly, does not support Japan",
     [("id/state/iran", "supports", "id/state/japan", True)]),
    # (the subject's own "not" before an aside still negates; a negated participle in an
    # aside negates only itself)
    ("Iran has not, however, supported Japan",
     [("id/state/iran", "supports", "id/state/japan", True)]),
    ("Iran, not supported by India, opposes Japan",
     [("id/state/iran", "opposes", "id/state/japan", False),
      ("id/state/india", "supports", "id/state/iran", True)]),
    # ("however" joining two clauses still parts them)
    ("Iran supports Japan, however India opposes Japan",
     [("id/state/india", "opposes", "id/state/japan", False),
      ("id/state/iran", "supports", "id/state/japan", False)]),
    # military aid provided or sent is an arms supply too
    ("Iran provided Japan with military aid",
     [("id/state/iran", "suppliesArmsTo", "id/state/japan", False)]),
    # military technology transferred is an arms supply
    ("Iran has transferred advanced military technology to Japan",
     [("id/state/iran", "suppliesArmsTo", "id/state/japan", False)]),
])
def test_asides_and_technology(tools, text: str, expected) -> None:
    assert _facts(tools, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # an apposition opened by a possessor is the subject's role: the possessor's relation
    # is read from it, and the verb after it is the first name's
    ("Iran, Japan's largest oil supplier, supports India",
     [("id/state/iran", "suppliesEnergyTo", "id/state/japan", False),
      ("id/state/iran", "supports", "id/state/india", False)]),
    ("Iran, Japan's most important strategic partner, opposes India",
     [("id/state/iran", "opposes", "id/state/india", False),
      ("id/state/iran", "cooperatesWith", "id/state/japan", False)]),
    ("Iran, Japan's economic lifeline, opposes India",
     [("id/state/iran", "supports", "id/state/japan", False),
      ("id/state/iran", "opposes", "id/state/india", False)]),
    ("In 2023 Iran, Japan's largest trading partner, opposed India",
     [("id/state/iran", "opposes", "id/state/india", False),
      ("id/state/iran", "tradesWith", "id/state/japan", False)]),
    # a role noun after a possessor or "the": the aside is skipped for the verb after it
    ("Iran, Japan's closest ally, supports India",
     [("id/state/iran", "cooperatesWith", "id/state/japan", False),
      ("id/state/iran", "supports", "id/state/india", False)]),
    ("Qatar, the world's largest LNG exporter, supports India",
     [("id/state/qatar", "supports", "id/state/india", False)]),
    # controls: a comparison is no apposition; names joined at a headline's start are a list
    ("Iran, unlike Japan's largest oil supplier, opposes India",
     [("id/state/iran", "opposes", "id/state/india", False)]),
    ("Iran, Japan sign defence pact",
     [("id/state/iran", "signed", "id/agreement/iran-japan-defence-pact", False),
      ("id/state/japan", "signed", "id/agreement/iran-japan-defence-pact", False)]),
    ("Iran and Japan's joint statement condemned India",
     [("id/state/iran", "opposes", "id/state/india", False),
      ("id/state/japan", "opposes", "id/state/india", False)]),
])
def test_appositions_opened_by_a_possessor(tools, text: str, expected) -> None:
    assert _facts(tools, text) == expected



@pytest.mark.parametrize(("text", "expected"), [
    # an object before the trigger (the buyer of "buys weapons from") is the clause's subject
    # after a relative clause or before a coordinated verb, as a subject is
    ("Japan, which is large, buys weapons from France",
     [("id/state/france", "suppliesArmsTo", "id/state/japan", False)]),
    ("Japan, which once relied on Iranian arms, now buys weapons from France",
     [("id/state/france", "suppliesArmsTo", "id/state/japan", False),
      ("id/state/japan", "dependsOn", "id/state/iran", False)]),
    ("Japan supports India and buys weapons from France",
     [("id/state/france", "suppliesArmsTo", "id/state/japan", False),
      ("id/state/japan", "supports", "id/state/india", False)]),
    ("Iran invaded Iraq and buys drones from France",
     [("id/state/france", "suppliesArmsTo", "id/state/iran", False),
      ("id/state/iran", "invades", "id/state/iraq", False)]),
    # (a relative clause holding the trigger is about the name before it; a wish is no buy)
    ("Iran invaded Iraq, which buys weapons from France",
     [("id/state/france", "suppliesArmsTo", "id/state/iraq", False),
      ("id/state/iran", "invades", "id/state/iraq", False)]),
    ("Japan, which is large, wants to buy weapons from France", []),
])
def test_a_buyer_before_a_relative_clause_or_a_coordinated_verb(tools, text: str,
                                                                 expected) -> None:
    assert _facts(tools, text) == expected

def test_a_remark_on_the_fact_is_no_hedge(tools) -> None:
    """'perhaps not surprisingly' remarks on the fact: it stays Asserted ("perhaps" alone
    hedges)."""
    assert _certainties(tools, "Iran has, perhaps not surprisingly, supported Japan.") == [
        ("supports", "id/state/japan", False, "Asserted")]
    assert _certainties(tools, "Iran has perhaps supported Japan.") == [
        ("supports", "id/state/japan", False, "Possible")]


def test_a_pronoun_before_said_is_not_the_speaker(tools) -> None:
    """'..., reshape it," said X': the speaker is X, not the state the pronoun stands for."""
    from entente.graph.model import DocumentMeta, Sentence, SourceDocument

    linker, extractor = tools
    text = ('Japan is looking for partners. "India and Japan will cooperate to reshape it," '
            "said Theresa Fallon, a think tank director")
    doc = SourceDocument("t.txt", text, "0" * 64, len(text), DocumentMeta(slug="t"))
    cut = text.index('"')
    sentences = [Sentence(1, 0, cut - 1, text[: cut - 1], 0),
                 Sentence(2, cut, len(text), text[cut:], 0)]
    mentions, minted = linker.link(doc, sentences)
    found = [(_short(a.subject), _short(a.predicate), _short(a.object),
              [_short(x) for x in a.attributed_to])
             for a in extractor.extract(doc, sentences, mentions, minted)]
    assert found == [("id/state/india", "cooperatesWith", "id/state/japan",
                      ["id/person/theresa-fallon"])]


@pytest.mark.parametrize(("text", "speaker"), [
    # a state speaks through the body or the people that words after its name say
    ("Russia supports Iran, China's foreign ministry said.", "id/state/china"),
    ("Russia supports Iran, the Chinese foreign ministry said.", "id/state/china"),
    ("Russia supports Iran, Chinese officials said.", "id/state/china"),
    ("Russia supports Iran, Beijing said.", "id/state/china"),
    # ... but a person named there is the speaker
    ("Russia supports Iran, Chinese President Xi Jinping said.", "id/person/xi-jinping"),
    # a person's spokesman speaks for the person (docs/extraction.md, "Attribution")
    ("Xi Jinping's spokesman said Russia supports Iran.", "id/person/xi-jinping"),
    # a name that ends a quotation is the quote's, not the speaker of the verb after it
    ('"Russia supports Iran," said Josep Borrell.', "id/person/josep-borrell"),
    ("\u201cRussia supports Iran,\u201d Josep Borrell said.", "id/person/josep-borrell"),
    ("\u2018Russia supports Iran,\u2019 said Josep Borrell.", "id/person/josep-borrell"),
])
def test_a_state_speaks_through_its_bodies(tools, text: str, speaker: str) -> None:
    assert _speakers(tools, text) == [("id/state/russia", "id/state/iran", [speaker])]


def _speakers(tools, text: str) -> list[tuple[str, str, list[str]]]:
    from entente.graph.model import DocumentMeta, SourceDocument

    linker, extractor = tools
    doc = SourceDocument("t.txt", text, "0" * 64, len(text), DocumentMeta(slug="t"))
    return [(_short(a.subject), _short(a.object), [_short(x) for x in a.attributed_to])
            for a in extract_document(doc, linker, extractor).assertions]


@pytest.mark.parametrize(("text", "speakers"), [
    # speakers listed before the verb all speak
    ("Japan and India said that Russia supports Iran.", ["id/state/japan", "id/state/india"]),
    ("Japan, Brazil and India said that Russia supports Iran.",
     ["id/state/japan", "id/state/brazil", "id/state/india"]),
    # ... but a name before a comma alone ends the clause before, unless the list opens the
    # sentence
    ("Russia supports Iran, Japan and India said.", ["id/state/japan", "id/state/india"]),
    ("Russia supports Iran, Josep Borrell said.", ["id/person/josep-borrell"]),
    # a perfect or an adverb between speaker and verb; a concession
    ("Japan has said that Russia supports Iran.", ["id/state/japan"]),
    ("Even India admits that Russia supports Iran.", ["id/state/india"]),
    ("Japan and India have repeatedly said that Russia supports Iran.",
     ["id/state/japan", "id/state/india"]),
    # a verb with a reflexive object reports nothing
    ("Japan declared itself neutral and Russia supports Iran.", []),
    # the plural's verbs
    ("Japanese officials say Russia supports Iran.", ["id/state/japan"]),
    ("Japan and India insist that Russia supports Iran.", ["id/state/japan", "id/state/india"]),
    # a verb before a name speaks for it only inverted after what it reports
    ("Russia supports Iran, said Josep Borrell.", ["id/person/josep-borrell"]),
    ("Analysts said Russia supports Iran.", []),
    ("Officials told reporters Russia supports Iran.", []),
    ("Russia supports Iran, said Josep Borrell, the EU's top diplomat.",
     ["id/person/josep-borrell"]),
    ("The report, citing satellite imagery, said Russia supports Iran.", []),
    # a name after a preposition is part of the speaker's phrase, unless its people speak
    ("The Japanese ambassador to India said Russia supports Iran.", []),
    ("Russia supports Iran, officials in Tokyo said.", ["id/state/japan"]),
    # denials, allegations, pledges and rejected claims are their makers' statements
    ("India alleged that Russia supports Iran.", ["id/state/india"]),
    ("Russia supports Iran, Josep Borrell suggested.", ["id/person/josep-borrell"]),
    ("Japanese officials do not believe that Russia supports Iran.", ["id/state/japan"]),
    ("Wang Yi rejected Japan's claim that Russia supports Iran.", ["id/person/wang-yi"]),
    # ... but one who denies "it" after the claim is not its speaker
    ("Russia supports Iran, but Japan denied it.", []),
    ("Russia supports Iran, a claim Japan denies.", []),
    ("Japan denies that Russia supports Iran.", ["id/state/japan"]),
    # a semicolon parts the speaker from a claim after it
    ("Japan claims the pipeline is commercial; Russia supports Iran.", []),
    ("Japan claims that Russia supports Iran; the pipeline is commercial.", ["id/state/japan"]),
    # a name in apposition after its role speaks (a new person is minted for it), not the
    # state in the role
    ("Japan's foreign minister, Wang Yi, said Russia supports Iran.", ["id/person/wang-yi"]),
    ("Japan's ambassador to India, Igor Morgulov, said Russia supports Iran.",
     ["id/person/igor-morgulov"]),
    ("The president of Japan, Aleksandar Vucic, said Russia supports Iran.",
     ["id/person/aleksandar-vucic"]),
    # ... but not a name after a comma and no role, nor one in a list of places
    ("Russia supports Iran, India, said Josep Borrell.", ["id/person/josep-borrell"]),
    ("The ambassador visited Tokyo, Santa Clara, said Russia supports Iran.", []),
    ("The ambassador visited Tokyo, India, said Russia supports Iran.", []),
])
def test_the_speakers_of_a_sentence(tools, text: str, speakers: list[str]) -> None:
    assert _speakers(tools, text) == [("id/state/russia", "id/state/iran", speakers)]


def test_the_speakers_own_relative_clause_is_the_texts(tools) -> None:
    from entente.graph.model import DocumentMeta, SourceDocument

    linker, extractor = tools
    text = "Vladimir Putin, who met Xi Jinping in Beijing, said Russia supports Iran."
    doc = SourceDocument("t.txt", text, "0" * 64, len(text), DocumentMeta(slug="t"))
    found = [(_short(a.predicate), _short(a.object), [_short(x) for x in a.attributed_to])
             for a in extract_document(doc, linker, extractor).assertions]
    assert found == [("meetsWith", "id/person/xi-jinping", []),
                     ("supports", "id/state/iran", ["id/person/vladimir-putin"])]


@pytest.mark.parametrize(("trigger", "words"), [
    ("vetoe?d|blocked", ["veto", "blocked"]),
    ("meets? with|met with", ["meet", "met"]),
    ("(?:picked|took)(?=\\s+the\\s+side)|aid\\s+to", ["picked", "took", "aid"]),
    ("(?:abc|(?:xyz|uvw)q)r", ["abc", "xyz", "uvw"]),
    ("abc\\|def", ["abc"]),
    ("(?:to\\s+)?keep", None),  # an optional opening: no word every match starts with
    ("(?:abc|de)x", None),  # "de" is too short to be worth testing
    ("ab[c|d]e|fgh", None),
    ("[’']s(?=\\s+(?-i:[A-Z]))", None),
    # lookarounds that open an alternative match no character: the words after them count
    ("(?<!economic\\s)(?<!\\bto\\s)war\\s+against|(?=x)xyz", ["war", "xyz"]),
    ("(?<!a(b)c)def", ["def"]),
])
def test_literal_prefixes_of_a_trigger(trigger: str, words: list[str] | None) -> None:
    import re

    from entente.graph.regex_analysis import literal_prefixes

    assert literal_prefixes(trigger) == words
    if words is not None:  # the test is a necessary condition for a match
        for text in ("Russia vetoed it", "China and Russia met with", "They took the side",
                     "aid to Syria", "xyzqr", "abc"):
            if re.search(rf"\b(?:{trigger})\b", text, re.I):
                assert any(w in text.lower() for w in words)


@pytest.mark.parametrize(("trigger", "needs"), [
    ("(?:to\\s+)?keep(?=\\s+[^,;.]{2,60}\\s+in\\s+power)", {"power"}),  # lookahead text
    ("(?:strategic\\s+)?partner", {"partner"}),  # an optional opening is skipped
    ("coordinat(?:e|es|ed)", {"coordinate"}),  # the branches' common start
    ("to\\s+(?:maintain|preserve|save)", {"maintain", "preserve", "save"}),
    ("(?:abc)?xyz|uvwx", {"xyz", "uvwx"}),
    ("a(?:bc|de)f", None),  # nothing of three characters every match holds
    ("[’']s(?=\\s+(?-i:[A-Z]))", None),
    ("x(?!abc)", None),  # a negative lookahead requires nothing
])
def test_required_literals_of_a_trigger(trigger: str, needs: set[str] | None) -> None:
    import re

    from entente.graph.regex_analysis import required_literals

    pattern = re.compile(rf"\b(?:{trigger})\b", re.I)
    assert required_literals(pattern) == (None if needs is None else frozenset(needs))
    if needs is not None:  # a necessary condition for a match
        for text in ("They keep Assad in power", "a strategic partner of", "to coordinate",
                     "vowed to PRESERVE it", "xyz", "the uvwx"):
            if pattern.search(text):
                assert any(w in text.lower() for w in needs)


def test_required_literals_hold_for_every_bundled_trigger_match() -> None:
    from entente.graph.regex_analysis import required_literals

    texts = [p.read_text(encoding="utf-8") for p in sorted(DOCS.glob("*.txt"))]
    matched = 0
    for rule in RelationExtractor.from_bundled().rules:
        for trigger in rule.triggers:
            needs = required_literals(trigger)
            for text in texts:
                for m in trigger.finditer(text):
                    matched += 1
                    seen = text[m.start():m.end() + 200].lower()  # the match and lookahead
                    assert needs is None or any(w in seen for w in needs), rule.id
    assert matched > 20


@pytest.mark.parametrize(("trigger", "sets"), [
    # "supplied Russia with drones": one of the verbs, and "with"
    ("(?:suppl(?:y|ied)|provid(?:e|ed))(?=\\s+\\w+\\s+with\\s+(?:drones|arms|[A-Z]-\\d+))",
     [{"suppl", "provide"}, {"with"}]),  # (the parser joins "e|ed" to "e(?:|d)")
    ("exports?\\s+of\\s+(?:arms|weapons)\\s+to", [{"export"}, {"arms", "weapons"}]),
    ("(?:abc)?xyz(?:uvw)?", [{"xyz"}]),  # optional parts require nothing
    ("ab(?:cd|ef)gh", []),  # runs of fewer than three characters are left out
    ("x(?!abcd)y", []),
    ("(?<=over\\s)(?:the\\s+)?arms", [{"over"}, {"arms"}]),  # a lookbehind's text counts
])
def test_required_sets_of_a_trigger(trigger: str, sets: list[set[str]]) -> None:
    import re

    from entente.graph.regex_analysis import required_sets

    pattern = re.compile(rf"\b(?:{trigger})\b", re.I)
    assert required_sets(pattern) == tuple(frozenset(s) for s in sets)
    for text in ("China supplied Russia with drones", "China supplied drones to Russia",
                 "exports of arms to Syria", "the export of grain to", "fought over the arms",
                 "xyzuvw", "abefgh"):
        if pattern.search(text):  # a necessary condition for a match: a string of each set
            assert all(any(w in text.lower() for w in s) for s in sets)


def test_required_sets_hold_for_every_bundled_trigger_match() -> None:
    """Every match of every bundled trigger, in the fixture texts, holds a string of each of
    its sets: the rule selection drops a rule whose triggers miss one in a sentence."""
    from entente.graph.regex_analysis import required_sets

    texts = [p.read_text(encoding="utf-8") for p in sorted(DOCS.glob("*.txt"))]
    matched = several = 0
    for rule in RelationExtractor.from_bundled().rules:
        for trigger in rule.triggers:
            sets = required_sets(trigger)
            several += len(sets) > 1
            for line in (line for text in texts for line in text.splitlines()):
                for _ in trigger.finditer(line):  # (the text a trigger is searched in)
                    matched += 1
                    assert all(any(w in line.lower() for w in s) for s in sets), rule.id
    assert matched > 20 and several > 50


def test_a_resolved_anaphor_becomes_the_arguments_span(tools) -> None:
    """'They' in the evidence sentence stands for China and Russia, named a sentence earlier:
    the extractor hands back its span as a mention of each, so every argument of the
    assertion has a span in its evidence sentence (rdfize types it ent:AnaphoricMention)."""
    from entente.graph.model import DocumentMeta, Mention, Sentence, SourceDocument

    linker, extractor = tools
    first, second = "China and Russia held talks in Moscow", "They cooperate with Serbia"
    text = f"{first}. {second}"
    doc = SourceDocument("t.txt", text, "0" * 64, len(text), DocumentMeta(slug="t"))
    sentences = [Sentence(1, 0, len(first), first, 0),
                 Sentence(2, len(first) + 2, len(text), second, 0)]
    mentions, minted = linker.link(doc, sentences)
    mentions = list(mentions)
    linked = len(mentions)
    found = extractor.extract(doc, sentences, mentions, minted)
    assert {_short(a.subject) for a in found if a.sentence == 2} == {
        "id/state/china", "id/state/russia"}
    start = text.index("They")
    assert sorted(mentions[linked:]) == [
        Mention(start, start + 4, "They", f"{BASE}id/state/{state}", 2, "anaphor")
        for state in ("china", "russia")]


def _document_assertions(tools, text: str) -> list:
    """The assertions of text extracted as a whole document (segmented, sentence-split)."""
    from entente.graph.model import DocumentMeta, SourceDocument

    linker, extractor = tools
    doc = SourceDocument("t.txt", text, "0" * 64, len(text), DocumentMeta(slug="t"))
    return extract_document(doc, linker, extractor).assertions


def _certainties(tools, text: str) -> list[tuple[str, str, bool, str]]:
    return [(_short(a.predicate), _short(a.object), a.negated, _short(a.certainty))
            for a in _document_assertions(tools, text)]


@pytest.mark.parametrize(("text", "expected"), [
    # a role set off by commas after a name is an aside, not a break
    ("Xi Jinping, the Chinese president, met Vladimir Putin",
     [("id/person/xi-jinping", "meetsWith", "id/person/vladimir-putin", False)]),
    ("Lavrov, Russia's foreign minister, criticized NATO",
     [("id/person/sergey-lavrov", "opposes", "id/org/nato", False)]),
    ("Japan, the US and Iran support Iraq",  # (a list, not an aside)
     [("id/state/iran", "supports", "id/state/iraq", False),
      ("id/state/japan", "supports", "id/state/iraq", False),
      ("id/state/united-states", "supports", "id/state/iraq", False)]),
    # a coordinated verb that refuses the act, after a first verb with a phrase of its own
    ("Tokyo has called for peace talks but has refused to condemn Tehran",
     [("id/state/japan", "opposes", "id/state/iran", True)]),
    ("Japan called for calm but refrained from condemning Iran",
     [("id/state/japan", "opposes", "id/state/iran", True)]),
    ("Japan abstained from condemning Iran",  # (not from voting: tests of abstainedOn)
     [("id/state/japan", "opposes", "id/state/iran", True)]),
    ("Japan called for calm but abstained from criticizing Iran",
     [("id/state/japan", "opposes", "id/state/iran", True)]),
    ("The US called for talks but Japan refused to condemn Iran",  # (the clause's own subject)
     [("id/state/japan", "opposes", "id/state/iran", True)]),
    # ... or goes on with it
    ("Tokyo has positioned itself as a neutral mediator but continues to support Tehran",
     [("id/state/japan", "supports", "id/state/iran", False)]),
    # (the object of the first verb is not the subject of the act taken by the second)
    ("Japan criticized India and refused to support Iran",
     [("id/state/japan", "opposes", "id/state/india", False),
      ("id/state/japan", "supports", "id/state/iran", True)]),
    ("Japan criticized India and has continued to support Iran",
     [("id/state/japan", "opposes", "id/state/india", False),
      ("id/state/japan", "supports", "id/state/iran", False)]),
    # the object of a verb is not the subject of a verb coordinated after it
    ("Russia invaded Ukraine and annexed Crimea",
     [("id/state/russia", "invades", "id/state/ukraine", False),
      ("id/state/russia", "annexes", "id/place/crimea", False)]),
    ("Japan supports Iran and opposes India",
     [("id/state/japan", "supports", "id/state/iran", False),
      ("id/state/japan", "opposes", "id/state/india", False)]),
    ("Japan met India and will also support Iran",
     [("id/state/japan", "supports", "id/state/iran", False)]),
    # ... nor the owner of the pronoun before the phrase it opens ("its" is Japan's)
    ("Japan condemned Iran and has increased its purchases of Russian oil",
     [("id/state/japan", "opposes", "id/state/iran", False)]),
    # a coordinated verb with its own tense has its own negation; a bare one shares it
    ("Japan does not support Iran but opposes India",
     [("id/state/japan", "supports", "id/state/iran", True),
      ("id/state/japan", "opposes", "id/state/india", False)]),
    ("Japan did not condemn Iran or support India",
     [("id/state/japan", "opposes", "id/state/iran", True),
      ("id/state/japan", "supports", "id/state/india", True)]),
    ("Japan has not supported Iran or recognized Kosovo",
     [("id/state/japan", "supports", "id/state/iran", True),
      ("id/state/japan", "recognizes", "id/state/kosovo", True)]),
    ("Japan has not supported Iran and recognized Kosovo",
     [("id/state/japan", "supports", "id/state/iran", True),
      ("id/state/japan", "recognizes", "id/state/kosovo", True)]),
    ("Japan did not support Iran but recognized Kosovo",
     [("id/state/japan", "supports", "id/state/iran", True),
      ("id/state/japan", "recognizes", "id/state/kosovo", False)]),
    # ... the tense of a coordinated verb that takes the act ("continued to")
    ("Japan did not condemn Iran but continued to trade with India",
     [("id/state/japan", "opposes", "id/state/iran", True),
      ("id/state/japan", "tradesWith", "id/state/india", False)]),
    ("Japan refrained from condemning Iran, and continues to trade with India",
     [("id/state/japan", "opposes", "id/state/iran", True),
      ("id/state/japan", "tradesWith", "id/state/india", False)]),
    ("Japan did not condemn Iran and continue to trade with India",
     [("id/state/japan", "opposes", "id/state/iran", True),
      ("id/state/japan", "tradesWith", "id/state/india", True)]),
    ("Japan did not condemn Iran but refused to trade with India",
     [("id/state/japan", "opposes", "id/state/iran", True),
      ("id/state/japan", "tradesWith", "id/state/india", True)]),
    ("Saudi Arabia has not yet joined BRICS",  # ("yet" is an adverb, not a coordinator)
     [("id/state/saudi-arabia", "memberOf", "id/org/brics", True)]),
    ("Japan neither condemned Iran nor supported India",
     [("id/state/japan", "opposes", "id/state/iran", True),
      ("id/state/japan", "supports", "id/state/india", True)]),
    # ... and a conjoined subject stays one
    ("Japan and India support Iran and oppose Serbia",
     [("id/state/india", "supports", "id/state/iran", False),
      ("id/state/japan", "supports", "id/state/iran", False),
      ("id/state/india", "opposes", "id/state/serbia", False),
      ("id/state/japan", "opposes", "id/state/serbia", False)]),
    # a name joined to an object but followed by a verb opens a clause of its own ...
    ("Japan supports Iran and India opposes Serbia",
     [("id/state/japan", "supports", "id/state/iran", False),
      ("id/state/india", "opposes", "id/state/serbia", False)]),
    ("Japan will support Iran and India will support Serbia",
     [("id/state/japan", "supports", "id/state/iran", False),
      ("id/state/india", "supports", "id/state/serbia", False)]),
    ("Japan supports Iran and Syria, and India opposes Serbia",
     [("id/state/japan", "supports", "id/state/iran", False),
      ("id/state/japan", "supports", "id/state/syria", False),
      ("id/state/india", "opposes", "id/state/serbia", False)]),
    # ... and conjoined objects or subjects stay one
    ("Japan supports Iran and Syria",
     [("id/state/japan", "supports", "id/state/iran", False),
      ("id/state/japan", "supports", "id/state/syria", False)]),
    ("Vladimir Putin said Japan and India support Iran",
     [("id/state/india", "supports", "id/state/iran", False),
      ("id/state/japan", "supports", "id/state/iran", False)]),
    # "X overtook Y as Z's partner": Y is displaced, X is the subject
    ("Japan overtook India as Iran's largest trading partner",
     [("id/state/japan", "tradesWith", "id/state/iran", False)]),
    ("Japan has replaced India as Iran's largest trading partner",
     [("id/state/japan", "tradesWith", "id/state/iran", False)]),
    ("India was replaced by Japan as Iran's largest trading partner",
     [("id/state/japan", "tradesWith", "id/state/iran", False)]),
    # asides with "as", "like", "unlike" are skipped ...
    ("Japan, as Iran's largest trading partner, supports India",
     [("id/state/japan", "supports", "id/state/india", False)]),
    ("Japan, unlike India, supports Iran",
     [("id/state/japan", "supports", "id/state/iran", False)]),
    # ... unless the trigger is inside the aside
    ("Many authors, like Carnegie Moscow’s Dmitry Trenin, agree",
     [("id/person/dmitry-trenin", "affiliatedWith", "id/institution/carnegie-moscow-center",
       False)]),
    # ... and a trigger that opens with the aside's closing comma is outside it
    ("In 2010, according to Sergei Ivanov, Japan is a member of the SCO",
     [("id/state/japan", "memberOf", "id/org/sco", False)]),
])
def test_coordinated_verbs_displacement_and_asides(tools, text: str, expected) -> None:
    assert sorted(_facts(tools, text), key=lambda f: (f[1], f[0], f[2])) == \
        sorted(expected, key=lambda f: (f[1], f[0], f[2]))


@pytest.mark.parametrize(("text", "expected"), [
    # the writer's aside (an apposition, a possessive) is not hedged by its sentence
    # (the claim Negated and Asserted: no sign points to the act, its "would" no hedge)
    ("Dmitry Trenin, a fellow at the Carnegie Moscow Center, told DW there is no indication "
     "that Japan would support Iran.",
     [("affiliatedWith", "id/institution/carnegie-moscow-center", False, "Asserted"),
      ("supports", "id/state/iran", True, "Asserted")]),
    ("It looks as if authors like Carnegie Moscow’s Dmitry Trenin could agree.",
     [("affiliatedWith", "id/institution/carnegie-moscow-center", False, "Asserted")]),
    # "is expected to" is Likely, as the gold's guideline has it
    ("Japan is expected to support Iran.", [("supports", "id/state/iran", False, "Likely")]),
    # a past counterfactual's condition states the opposite; its consequence states nothing
    ("Had Iran not invaded Iraq, Japan would not have joined the SCO.",
     [("invades", "id/state/iraq", False, "Asserted")]),
    ("If Iran had invaded Iraq, Japan would have supported Syria.",
     [("invades", "id/state/iraq", True, "Asserted")]),
    ("Japan would have supported Iran had it not depended on Syria.",
     [("dependsOn", "id/state/syria", False, "Asserted")]),
    ("If Japan had supported Iran, the war would have ended.",
     [("supports", "id/state/iran", True, "Asserted")]),
    ("The war would have ended had Japan supported Iran.",
     [("supports", "id/state/iran", True, "Asserted")]),
    ("If Japan supports Iran, the war will end.",
     [("supports", "id/state/iran", False, "Possible")]),
    ("Japan could have supported Iran.", [("supports", "id/state/iran", False, "Possible")]),
    # a headline's infinitive is what is set to happen, as "is set to"
    ("Japan to join the SCO", [("memberOf", "id/org/sco", False, "Likely")]),
    ("Analysis: Japan and India to support Iran",
     [("supports", "id/state/iran", False, "Likely"),
      ("supports", "id/state/iran", False, "Likely")]),
    ("India wants Japan to support Iran", []),
    ("Japan to join the SCO? Tokyo says no", [("memberOf", "id/org/sco", False, "Possible")]),
    ("Japan debated sanctions on Iran", [("sanctions", "id/state/iran", False, "Possible")]),
    # a schedule is Likely, a past "supposed to" Possible; a plan called off after ", but" did
    # not take place (stated), an act done is not undone by another event called off
    ("Xi Jinping was due to meet Joe Biden in June",
     [("meetsWith", "id/person/joe-biden", False, "Likely")]),
    ("Xi Jinping was set to meet Joe Biden in June",
     [("meetsWith", "id/person/joe-biden", False, "Likely")]),
    ("Xi Jinping was supposed to meet Joe Biden in June",
     [("meetsWith", "id/person/joe-biden", False, "Possible")]),
    ("Xi Jinping was due to meet Joe Biden in June, but the talks were cancelled",
     [("meetsWith", "id/person/joe-biden", True, "Asserted")]),
    ("Xi Jinping was scheduled to meet Joe Biden, but the planned meeting was called off",
     [("meetsWith", "id/person/joe-biden", True, "Asserted")]),
    ("Xi Jinping met Joe Biden in June, but their second meeting was postponed",
     [("meetsWith", "id/person/joe-biden", False, "Asserted")]),
    ("The decline is due to Japan's sanctions on Iran",
     [("sanctions", "id/state/iran", False, "Asserted")]),
    # a hedge of another clause (with its own subject, a coordinated modal, a motive or an
    # opening reason) is not the relation's
    ("Japan sells oil to India, and Iran may supply missiles to Iraq.",
     [("suppliesArmsTo", "id/state/iraq", False, "Possible"),
      ("suppliesEnergyTo", "id/state/india", False, "Asserted")]),
    # (a hedge adverb opening the next clause, or a coordinated verb's, is theirs)
    ("Japan supports Iraq, and perhaps Iran will invade Iraq.",
     [("invades", "id/state/iraq", False, "Possible"),
      ("supports", "id/state/iraq", False, "Asserted")]),
    ("Japan supports Iraq and probably opposes Iran.",
     [("opposes", "id/state/iran", False, "Likely"),
      ("supports", "id/state/iraq", False, "Asserted")]),
    ("Iran almost certainly sees Iraq as a threat, and it supplies weapons to Syria.",
     [("suppliesArmsTo", "id/state/syria", False, "Asserted")]),
    ("Japan supports Iran politically and may eventually supply weapons to Iran.",
     [("suppliesArmsTo", "id/state/iran", False, "Possible"),
      ("supports", "id/state/iran", False, "Asserted")]),
    ("Iran invaded Iraq in 2022, possibly to prevent its NATO membership.",
     [("invades", "id/state/iraq", False, "Asserted")]),
    ("Because Iran may have supplied missiles to Iraq, Japan sanctioned Iran.",
     [("sanctions", "id/state/iran", False, "Asserted"),
      ("suppliesArmsTo", "id/state/iraq", False, "Possible")]),
    ("Japan will likely support Iran and India.",
     [("supports", "id/state/india", False, "Likely"),
      ("supports", "id/state/iran", False, "Likely")]),
    # estimative phrases of assessments; obligations
    ("There is a realistic possibility that Iran supplied missiles to Iraq.",
     [("suppliesArmsTo", "id/state/iraq", False, "Possible")]),
    ("Iran will in all likelihood support Iraq.", [("supports", "id/state/iraq", False, "Likely")]),
    ("It is implausible that Iran supplies drones to Iraq.",
     [("suppliesArmsTo", "id/state/iraq", False, "Unlikely")]),
    ("It is improbable that Iran supplies drones to Iraq.",
     [("suppliesArmsTo", "id/state/iraq", False, "Unlikely")]),
    ("It is highly improbable that Japan will support Iran.",
     [("supports", "id/state/iran", False, "HighlyUnlikely")]),
    # a doubt denied leaves a possibility, not a negation
    ("It is not improbable that Iran supplies drones to Iraq.",
     [("suppliesArmsTo", "id/state/iraq", False, "Possible")]),
    ("It is not implausible that Iran supplies drones to Iraq.",
     [("suppliesArmsTo", "id/state/iraq", False, "Possible")]),
    # rumours and beliefs reported, a course set
    ("Iran is rumoured to be supplying drones to Iraq.",
     [("suppliesArmsTo", "id/state/iraq", False, "Possible")]),
    ("Iran is assessed to have supplied drones to Iraq.",
     [("suppliesArmsTo", "id/state/iraq", False, "Possible")]),
    ("Iran is very unlikely to impose sanctions on Iraq.",
     [("sanctions", "id/state/iraq", False, "HighlyUnlikely")]),
    ("Iran is widely believed to have supplied drones to Iraq.",
     [("suppliesArmsTo", "id/state/iraq", False, "Possible")]),
    ("Iran is on track to join the SCO.", [("memberOf", "id/org/sco", False, "Likely")]),
    ("There is little chance that Japan will support Iran.",
     [("supports", "id/state/iran", False, "Unlikely")]),
    ("Japan must supply tanks to Iran.", [("suppliesArmsTo", "id/state/iran", False, "Possible")]),
    ("Nobody in Tokyo believes Japan supports Iran.",
     [("supports", "id/state/iran", False, "Unlikely")]),
    # an aspiration, an ability, a request or a buyer's wish is not the act
    ("Georgia aspires to join NATO.", []),
    ("Iran is able to invade Iraq.", []),
    ("Japan has been asked to condemn Iran.", []),
    ("India wants to buy S-400 missiles from Iran.", []),
    # the same fact with two certainties in one sentence is two claims
    ("Iran may supply missiles to Iraq, but it already supplies drones to Iraq.",
     [("suppliesArmsTo", "id/state/iraq", False, "Asserted"),
      ("suppliesArmsTo", "id/state/iraq", False, "Possible")]),
    # a writer's apposition is hedged only inside it; a fear is no fact; a hedge after "and
    # is" belongs to the next verb
    ("Turkey, a NATO member, may buy drones from Iran.",
     [("suppliesArmsTo", "id/state/turkey", False, "Possible"),
      ("memberOf", "id/org/nato", False, "Asserted")]),
    ("Japan fears that Georgia will join NATO.", [("memberOf", "id/org/nato", False, "Possible")]),
    ("Ukraine is not a member of NATO and is unlikely to join soon.",
     [("memberOf", "id/org/nato", True, "Asserted")]),
    # reported speech: "said X would" is the speaker's "will"; other hedges still count
    ("India said Japan would never recognize Kosovo.",
     [("recognizes", "id/state/kosovo", True, "Asserted")]),
    ("India said on Tuesday that Japan would deepen its energy cooperation with Iran.",
     [("cooperatesWith", "id/state/iran", False, "Asserted")]),
    ("India said in a speech that Japan would supply gas to Iran.",
     [("suppliesEnergyTo", "id/state/iran", False, "Asserted")]),
    ("India said Japan would probably support Iran.",
     [("supports", "id/state/iran", False, "Likely")]),
    ("India said Japan would support Iran if asked.",
     [("supports", "id/state/iran", False, "Possible")]),
    ("Japan would support Iran.", [("supports", "id/state/iran", False, "Possible")]),
    # an event named with its possessor is hedged only inside its own phrase
    ("Japan may expand its support for Iran's invasion of Iraq.",
     [("invades", "id/state/iraq", False, "Asserted")]),
    ("Iran's invasion of Iraq could come by 2027.",
     [("invades", "id/state/iraq", False, "Possible")]),
    ("Iran's annexation of Iraq is unlikely.", [("annexes", "id/state/iraq", False, "Unlikely")]),
    ("A wargame simulates Iran's invasion of Iraq.",
     [("invades", "id/state/iraq", False, "Possible")]),
    # ... not by the governing verb's adverbs, unless one opens the event's own clause
    ("Japan probably will not recognize Iran's annexation of Iraq.",
     [("annexes", "id/state/iraq", False, "Asserted"),
      ("recognizes", "id/event/iran-annexation-iraq", True, "Likely")]),
    ("Analysts say that perhaps Iran's invasion of Iraq will follow.",
     [("invades", "id/state/iraq", False, "Possible")]),
    ("Japan opposes Iran's probable invasion of Iraq.",
     [("invades", "id/state/iraq", False, "Likely"),
      ("opposes", "id/state/iran", False, "Asserted")]),
    # a dated reference resolution named with a later year is another (and "U.N." does not
    # end the name minted for it)
    ("India voted against the resolution to extend the U.N. peacekeeping mission in the "
     "Central African Republic in 2022.",
     [("votedAgainst",
       "id/event/resolution-extend-un-peacekeeping-mission-central-african-republic", False,
       "Asserted")]),
    # a hedge after a determiner or a possessive is an adjective of a later noun ...
    ("Japan will not oppose Iran's probable invasion of Syria.",
     [("invades", "id/state/syria", False, "Likely"),
      ("opposes", "id/state/iran", True, "Asserted")]),
    # ... but after the trigger without one it hedges the clause
    ("Japan supports Iran, probably.", [("supports", "id/state/iran", False, "Likely")]),
    # after the trigger, a hedge beyond "that" is another clause's
    ("Japan supports Iran, fuelling speculation that it could arm Syria.",
     [("suppliesArmsTo", "id/state/syria", False, "Possible"),
      ("supports", "id/state/iran", False, "Asserted")]),
    # an act no sign points to is denied, its "would" no hedge (the corpus's "there is no
    # indication that China would ... openly support a Russian invasion"; gold g060) ...
    ("There is no indication that Japan would support Iran.",
     [("supports", "id/state/iran", True, "Asserted")]),
    # ... but a conditional "would" elsewhere still hedges
    ("Japan would support Iran.", [("supports", "id/state/iran", False, "Possible")]),
    # "even if" concedes, it sets no condition; "if" does
    ("Even if it is costly, Japan supports Iran.",
     [("supports", "id/state/iran", False, "Asserted")]),
    ("If it is costly, Japan supports Iran.", [("supports", "id/state/iran", False, "Possible")]),
    # ... but a relation inside an opening "even if" clause is the hypothesis
    ("Even if Japan supports Iran, it will not arm Iraq.",
     [("suppliesArmsTo", "id/state/iraq", True, "Asserted"),
      ("supports", "id/state/iran", False, "Possible")]),
    # a doubt denied is no doubt, and no negation: "few doubt that", "does not doubt that"
    ("Few doubt that Japan supports Iran.", [("supports", "id/state/iran", False, "Asserted")]),
    ("Analysts don't doubt that Japan supports Iran.",
     [("supports", "id/state/iran", False, "Asserted")]),
    ("Analysts doubt that Japan supports Iran.",
     [("supports", "id/state/iran", False, "Unlikely")]),
    # an act ruled out is negated; one not ruled out is possible, and not negated
    ("Japan has ruled out supplying weapons to Iran.",
     [("suppliesArmsTo", "id/state/iran", True, "Asserted")]),
    ("Japan has not ruled out supplying weapons to Iran.",
     [("suppliesArmsTo", "id/state/iran", False, "Possible")]),
    ("Japan hasn't yet ruled out supporting Iran.",
     [("supports", "id/state/iran", False, "Possible")]),
    ("India cannot rule out that Japan supports Iran.",
     [("supports", "id/state/iran", False, "Possible")]),
    # a belief that few or none hold is Unlikely; one that a few hold is no hedge
    ("Nobody believes that Japan will invade Iran.",
     [("invades", "id/state/iran", False, "Unlikely")]),
    ("No one thinks Japan will invade Iran.", [("invades", "id/state/iran", False, "Unlikely")]),
    ("A few analysts think Japan will invade Iran.",
     [("invades", "id/state/iran", False, "Asserted")]),
    # inability, refusal and reluctance negate; so do near-negations
    ("Japan cannot supply arms to Iran.", [("suppliesArmsTo", "id/state/iran", True, "Asserted")]),
    ("Iran is unable to join the SCO.", [("memberOf", "id/org/sco", True, "Asserted")]),
    ("Japan's refusal to condemn Iran surprised India.",
     [("opposes", "id/state/iran", True, "Asserted")]),
    ("Japan has avoided supplying weapons to Iran.",
     [("suppliesArmsTo", "id/state/iran", True, "Asserted")]),
    ("Japan seldom opposes Iran.", [("opposes", "id/state/iran", True, "Asserted")]),
    # ... but negations that cancel out, or deny a detail, leave the relation standing
    ("Japan never denied supplying drones to Iran.",
     [("suppliesArmsTo", "id/state/iran", False, "Asserted")]),
    ("Japan has not stopped buying Iranian oil.",
     [("suppliesEnergyTo", "id/state/japan", False, "Asserted")]),
    ("Japan no longer refuses to sell drones to Iran.",
     [("suppliesArmsTo", "id/state/iran", False, "Asserted")]),
    ("Iran is no longer India's main arms supplier.",
     [("suppliesArmsTo", "id/state/india", False, "Asserted")]),
    ("Japan has not always supported Iran.", [("supports", "id/state/iran", False, "Asserted")]),
    # unverified reports, hypotheses, threats, hopes and schedules
    ("Iran supposedly supplies drones to Japan.",
     [("suppliesArmsTo", "id/state/japan", False, "Possible")]),
    ("Rumours that Japan supplies weapons to Iran persist.",
     [("suppliesArmsTo", "id/state/iran", False, "Possible")]),
    ("Japan is believed not to have supplied arms to Iran.",
     [("suppliesArmsTo", "id/state/iran", True, "Possible")]),
    ("In the event that Japan invades Iran, India will respond.",
     [("invades", "id/state/iran", False, "Possible")]),
    ("Japan's threat to invade Iran was dismissed.",
     [("invades", "id/state/iran", False, "Possible")]),
    ("Japan hopes to sell more gas to Iran.",
     [("suppliesEnergyTo", "id/state/iran", False, "Possible")]),
    ("Japan and Iran want to show the world they are ready to work together.",
     [("cooperatesWith", "id/state/iran", False, "Asserted")]),
    ("Regardless of whether India supports Iran, Japan buys Iranian oil.",
     [("suppliesEnergyTo", "id/state/japan", False, "Asserted"),
      ("supports", "id/state/iran", False, "Possible")]),
    # an open question is a hedge, no negation
    ("Japan may or may not support Iran.",
     [("supports", "id/state/iran", False, "Possible")]),
    ("Whether or not Japan supplies arms to Iran, India will respond.",
     [("suppliesArmsTo", "id/state/iran", False, "Possible")]),
    ("Japan cannot or will not support Iran.",
     [("supports", "id/state/iran", True, "Asserted")]),
    # a compulsion is no negation; a doubt denied by no one or hardly anyone is no doubt
    ("Japan has no choice but to sell more gas to Iran.",
     [("suppliesEnergyTo", "id/state/iran", False, "Asserted")]),
    ("No one in Tokyo seriously doubts that Japan supports Iran.",
     [("supports", "id/state/iran", False, "Asserted")]),
    ("Hardly anyone doubts that Japan supports Iran.",
     [("supports", "id/state/iran", False, "Asserted")]),
    # doing little (nothing) to act is a near-negation, doing much is none
    ("Japan has done little to support Iran.",
     [("supports", "id/state/iran", True, "Asserted")]),
    ("Japan has done much to support Iran.",
     [("supports", "id/state/iran", False, "Asserted")]),
    ("Josep Borrell rejected Japan's claim that Iran supports Iraq.",
     [("supports", "id/state/iraq", True, "Asserted")]),
    ("Japan did not invade Iran until March 2022.",
     [("invades", "id/state/iran", False, "Asserted")]),
    # ended, paused, held back, lacking, called a myth or threatened: no act
    ("Japan has ended its dependence on Iranian gas.",
     [("dependsOn", "id/state/iran", True, "Asserted")]),
    ("The lack of Japanese investment in Iran is striking.",
     [("investsIn", "id/state/iran", True, "Asserted")]),
    ("The idea that Japan depends on Iran is a myth.",
     [("dependsOn", "id/state/iran", True, "Asserted")]),
    ("The threat of Japanese sanctions on Iran has grown.",
     [("sanctions", "id/state/iran", False, "Possible")]),
    # "not only failed to" still fails; a denial denied by nobody is no denial; a pretence
    # is no act; "unless" sets a condition
    ("Japan not only failed to condemn Iran but also traded with it.",
     [("opposes", "id/state/iran", True, "Asserted")]),
    ("Nobody in Tokyo denies that Japan supports Iran.",
     [("supports", "id/state/iran", False, "Asserted")]),
    ("Japan pretended to oppose Iran.", [("opposes", "id/state/iran", True, "Asserted")]),
    ("Unless Japan supports Iran, the talks will fail.",
     [("supports", "id/state/iran", False, "Possible")]),
    # a hypothesis, a measure weighed or threatened, a suspicion, a labelled question
    ("India plans for Japan's hypothetical invasion of Iran.",
     [("invades", "id/state/iran", False, "Possible")]),
    ("Japan mulls sanctions on Iran.", [("sanctions", "id/state/iran", False, "Possible")]),
    ("Japan threatens sanctions on Iran.", [("sanctions", "id/state/iran", False, "Possible")]),
    ("India suspects Japan supplies arms to Iran.",
     [("suppliesArmsTo", "id/state/iran", False, "Possible")]),
    ("Explainer: Does Japan supply arms to Iran?",
     [("suppliesArmsTo", "id/state/iran", False, "Possible")]),
    # a claim left unconfirmed is open, not denied
    ("India has not confirmed that it joined the SCO.",
     [("memberOf", "id/org/sco", False, "Possible")]),
    ("It is not yet clear whether Japan supports Iran.",
     [("supports", "id/state/iran", False, "Possible")]),
    # a concessive phrase opening the sentence is a clause of its own for hedges
    ("Despite India's remarks indicating Japan's support of Iran, Japan would likely stay "
     "neutral.", [("supports", "id/state/iran", False, "Asserted")]),
    ("Although Japan may support Iran, it opposes Syria.",
     [("opposes", "id/state/syria", False, "Asserted"),
      ("supports", "id/state/iran", False, "Possible")]),
    # a doubt is Unlikely; "no doubt" is none
    ("Experts doubt Japan will ever recognize Kosovo.",
     [("recognizes", "id/state/kosovo", False, "Unlikely")]),
    ("It is doubtful whether Japan will supply weapons to Iran.",
     [("suppliesArmsTo", "id/state/iran", False, "Unlikely")]),
    ("There is no doubt that Japan supports Iran.",
     [("supports", "id/state/iran", False, "Asserted")]),
    # a clause after ", and" opened by the buyer (the object before the trigger) has its own
    # hedges
    ("Japan's war is unlikely to end soon, and India will keep buying Iranian oil.",
     [("suppliesEnergyTo", "id/state/india", False, "Asserted")]),
    # signs of an act are not the act
    ("There are signs that Japan is supplying missiles to Iran.",
     [("suppliesArmsTo", "id/state/iran", False, "Possible")]),
    # a hope that another acts is no act, nor a demand that it acts
    ("Tokyo hopes Tehran will buy more Japanese gas.",
     [("suppliesEnergyTo", "id/state/iran", False, "Possible")]),
    ("India demanded that Japan condemn Iran.",
     [("opposes", "id/state/iran", False, "Possible")]),
    ("India suggested that Japan supports Iran.",
     [("supports", "id/state/iran", False, "Possible")]),
    # "would" reported by a speech verb after the clause is the speaker's "will"
    ("Japan would never sell weapons to Iran, Wang Yi insisted.",
     [("suppliesArmsTo", "id/state/iran", True, "Asserted")]),
    ("Japan would sell weapons to Iran if attacked, Wang Yi said.",
     [("suppliesArmsTo", "id/state/iran", False, "Possible")]),
])
def test_hedges_of_asides_and_expectations(tools, text: str, expected) -> None:
    assert _certainties(tools, text) == expected


def test_a_coordinated_verb_with_its_own_tense_has_its_own_hedge(tools) -> None:
    assert _certainties(tools, "Japan may support Iran and opposes India.") == [
        ("opposes", "id/state/india", False, "Asserted"),
        ("supports", "id/state/iran", False, "Possible")]
    assert _certainties(tools, "Japan may support Iran and oppose India.") == [
        ("opposes", "id/state/india", False, "Possible"),
        ("supports", "id/state/iran", False, "Possible")]


def test_a_symmetric_fact_stated_twice_in_a_sentence_is_one_assertion(tools) -> None:
    text = ("Xi Jinping and Vladimir Putin spoke. They are set to see each other in Bali and "
            "are set to meet again in Osaka.")  # (with one certainty: one claim)
    assert [(p, o) for p, o, _, _ in _certainties(tools, text)] == [
        ("meetsWith", "id/person/vladimir-putin")]  # (Xi's, the first found)


@pytest.mark.parametrize(("text", "expected"), [
    ("Iran sold hundreds of drones to Russia",
     [("id/state/iran", "suppliesArmsTo", "id/state/russia", False)]),
    ("North Korea has supplied Russia with artillery shells",
     [("id/state/north-korea", "suppliesArmsTo", "id/state/russia", False)]),
    ("Russia's arms sales to India fell",
     [("id/state/russia", "suppliesArmsTo", "id/state/india", False)]),
    ("Russia is India's largest arms supplier",
     [("id/state/russia", "suppliesArmsTo", "id/state/india", False)]),
    ("Japan has not provided weapons to Iran",
     [("id/state/japan", "suppliesArmsTo", "id/state/iran", True)]),
    ("Japan sold cars to Iran", []),  # near miss: not arms
    ("Japan sold gas to Iran", [("id/state/japan", "suppliesEnergyTo", "id/state/iran", False)]),
    # the -ing form: in progress, or stopped (negated)
    ("Iran is supplying gas to Japan",
     [("id/state/iran", "suppliesEnergyTo", "id/state/japan", False)]),
    ("Iran stopped supplying gas to Japan",
     [("id/state/iran", "suppliesEnergyTo", "id/state/japan", True)]),
    ("Iran is invading Iraq", [("id/state/iran", "invades", "id/state/iraq", False)]),
    # "support for X" after a possessor or a verb that voices it; the object right after "for"
    ("Japan's support for Iran is growing",
     [("id/state/japan", "supports", "id/state/iran", False)]),
    ("Tokyo reaffirmed its unwavering support for Tehran",
     [("id/state/japan", "supports", "id/state/iran", False)]),
    ("Japanese support for an Iranian incursion would hurt Iraq", []),
    ("Japan's support for the resolution angered Iran", []),
    ("Japan's support of the resolution angered Iran", []),
    # after a preposition an -ing act is its clause subject's, not the object's before it
    ("Japan criticized Iran after supporting Iraq",
     [("id/state/japan", "opposes", "id/state/iran", False),
      ("id/state/japan", "supports", "id/state/iraq", False)]),
    ("Japan invaded Iran after sanctioning Iraq",
     [("id/state/japan", "invades", "id/state/iran", False),
      ("id/state/japan", "sanctions", "id/state/iraq", False)]),
    ("Iran is annexing Iraq", [("id/state/iran", "annexes", "id/state/iraq", False)]),
    ("The EU is sanctioning Iran", [("id/org/eu", "sanctions", "id/state/iran", False)]),
    ("Japan is imposing sanctions on Iran",
     [("id/state/japan", "sanctions", "id/state/iran", False)]),
    # a ranked supplier ("second-largest") is a supplier
    ("Russia is India's second-largest arms supplier",
     [("id/state/russia", "suppliesArmsTo", "id/state/india", False)]),
    ("Iran is Japan's third largest supplier of crude oil",
     [("id/state/iran", "suppliesEnergyTo", "id/state/japan", False)]),
    # a purchase or a delivery called off is none
    ("Egypt cancelled its purchase of Su-35 fighter jets from Russia",
     [("id/state/russia", "suppliesArmsTo", "id/state/egypt", True)]),
    ("Iran suspended gas deliveries to Japan",
     [("id/state/iran", "suppliesEnergyTo", "id/state/japan", True)]),
    # a model designation, helicopters, artillery are arms; a vaccine's name is no model
    ("Russia supplied Su-35 fighters to Iran",
     [("id/state/russia", "suppliesArmsTo", "id/state/iran", False)]),
    ("Japan bought S-400s from Russia",
     [("id/state/russia", "suppliesArmsTo", "id/state/japan", False)]),
    ("Russia delivered attack helicopters to Mali",
     [("id/state/russia", "suppliesArmsTo", "id/state/mali", False)]),
    ("Russia sent COVID-19 vaccines to Iran", []),
    ("Russia sent foreign fighters to Syria", []),
    # ... and a named system ("HIMARS", "Patriot systems", "Storm Shadow missiles")
    ("The US provided Japan with HIMARS",
     [("id/state/united-states", "suppliesArmsTo", "id/state/japan", False)]),
    ("India sent Patriot systems to Japan",
     [("id/state/india", "suppliesArmsTo", "id/state/japan", False)]),
    ("Iran delivered Storm Shadow missiles to Iraq",
     [("id/state/iran", "suppliesArmsTo", "id/state/iraq", False)]),
    ("Iran sent patriotic songs to Iraq", []),
])
def test_arms_supplies(tools, text: str, expected) -> None:
    assert _facts(tools, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a coordinated verb with its own tense: not the first verb's object as subject, nor
    # its date; a date before the subject dates both
    ("Kazakhstan joined the Eurasian Economic Union in 2015 but has not recognized Crimea.",
     [("id/state/kazakhstan", "memberOf", "id/org/eaeu", False, "2015"),
      ("id/state/kazakhstan", "recognizes", "id/place/crimea", True, None)]),
    ("Kazakhstan joined the Eurasian Economic Union in 2015 and recognized Kosovo in 2020.",
     [("id/state/kazakhstan", "memberOf", "id/org/eaeu", False, "2015"),
      ("id/state/kazakhstan", "recognizes", "id/state/kosovo", False, "2020")]),
    ("In 2014, Russia invaded Ukraine and annexed Crimea.",
     [("id/state/russia", "annexes", "id/place/crimea", False, "2014"),
      ("id/state/russia", "invades", "id/state/ukraine", False, "2014")]),
])
def test_a_coordinated_verb_has_its_own_date(tools, text: str, expected) -> None:
    from entente.graph.model import DocumentMeta, SourceDocument

    linker, extractor = tools
    doc = SourceDocument("t.txt", text, "0" * 64, len(text), DocumentMeta(slug="t"))
    ex = extract_document(doc, linker, extractor)
    assert [(_short(a.subject), _short(a.predicate), _short(a.object), a.negated, a.date)
            for a in ex.assertions] == expected
