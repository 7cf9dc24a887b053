"""Entity linking: gazetteer matches, the demonym rule, minted actors (graph/linking/)."""

from __future__ import annotations

from pathlib import Path

import pytest
from entente.graph.chrome import segment
from entente.graph.corpus import load_corpus
from entente.graph.linking import Linker
from entente.graph.model import DocumentMeta, Sentence, SourceDocument
from entente.graph.sentences import split_sentences, split_text

from entente.errors import EntenteError

BASE = "https://example.org/kg/"
NIES = "id/institution/nordic-institute-for-eastern-studies"

TTL = """
@prefix ent: <https://entente.example.org/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<id/state/china> a ent:State ; skos:prefLabel "China"@en ;
    skos:altLabel "Beijing"@en ; ent:demonym "Chinese"@en, "Sino"@en .
<id/state/russia> a ent:State ; skos:prefLabel "Russia"@en ;
    skos:altLabel "Moscow"@en, "the Kremlin"@en ; ent:demonym "Russian"@en .
<id/state/united-states> a ent:State ; skos:prefLabel "United States"@en ;
    skos:altLabel "the United States"@en, "US"@en .
<id/org/un-security-council> a ent:InternationalOrganization ;
    skos:prefLabel "UN Security Council"@en ; skos:altLabel "Security Council"@en .
<id/person/xi-jinping> a ent:Person ; skos:prefLabel "Xi Jinping"@en .
"""


@pytest.fixture(scope="module")
def linker() -> Linker:
    return Linker.from_turtle(TTL, BASE)


@pytest.fixture(scope="module")
def bundled() -> Linker:
    """The linker over the bundled entities and rules, minting under BASE (one per module:
    a linker keeps nothing of a document for the next)."""
    return Linker.from_bundled(BASE)


def run(linker: Linker, text: str):
    doc = SourceDocument("t.txt", text, "0" * 64, len(text), DocumentMeta(slug="t"))
    mentions, minted = linker.link(doc, [Sentence(1, 0, len(text), text, 0)])
    return [(m.text, m.entity.removeprefix(BASE)) for m in mentions], minted


@pytest.mark.parametrize(("text", "expected"), [
    ("Beijing and the Kremlin met.", [("Beijing", "id/state/china"),
                                      ("the Kremlin", "id/state/russia")]),
    # longest match wins: the organ, not the shorter alias inside it
    ("the UN Security Council voted", [("UN Security Council", "id/org/un-security-council")]),
    # word boundaries: no "Russia" inside "Russians", no "US" for "us"
    ("Russians told us so.", []),
    # a footnote number glued to the sentence's end does not hide the name before it
    ("reunification with Taiwan and Russia.4", [("Russia", "id/state/russia")]),
    ("ambassadors to the US.17", [("US", "id/state/united-states")]),
    ("talks with China.”12", [("China", "id/state/china")]),
    ("China?3", [("China", "id/state/china")]),
    # ... but a number that is no footnote (four digits, a decimal) is left alone
    ("Russia.2022", []),
    ("Russia 2.5 China", [("Russia", "id/state/russia"), ("China", "id/state/china")]),
    # demonyms stand for the state only before a state-role noun or in a hyphenated pair
    ("Chinese backing for the Russian President", [("Chinese", "id/state/china"),
                                                   ("Russian", "id/state/russia")]),
    ("Chinese and Russian diplomats", [("Chinese", "id/state/china"),
                                       ("Russian", "id/state/russia")]),
    ("Sino-Russian ties", [("Sino", "id/state/china"), ("Russian", "id/state/russia")]),
    ("the Russian language and Chinese companies", []),
    # a plural model designation is a head of its own ("bought Russian S-400s")
    ("they bought Russian S-400s", [("Russian", "id/state/russia")]),
    ("the Russian 1990s", []),
    ("ethnic Chinese living abroad", []),
    ("a Sino bank", []),
])
def test_reference_mentions(linker: Linker, text: str, expected) -> None:
    assert run(linker, text)[0] == expected


def test_minted_expert_with_role_and_institution(linker: Linker) -> None:
    text = ("\"Trust is low,\" said Anna Karlsson, a senior fellow at the Nordic Institute for "
            "Eastern Studies (NIES), a think tank in Oslo. Later Karlsson told reporters "
            "that the NIES disagreed.")
    mentions, minted = run(linker, text)
    person = BASE + "id/person/anna-karlsson"
    inst = BASE + "id/institution/nordic-institute-for-eastern-studies"
    assert [(a.iri, a.kind, a.label, a.role, a.affiliation) for a in minted] == [
        (inst, "institution", "Nordic Institute for Eastern Studies", None, None),
        (person, "person", "Anna Karlsson", "a senior fellow", inst),
    ]
    assert minted[0].rdf_types == ("https://entente.example.org/ontology#ThinkTank",)
    assert mentions == [
        ("Anna Karlsson", "id/person/anna-karlsson"),
        ("Nordic Institute for Eastern Studies", NIES),
        ("NIES", NIES),
        ("Karlsson", "id/person/anna-karlsson"),
        ("NIES", NIES),
    ]


def test_a_first_name_before_a_known_surname_is_another_person(linker: Linker) -> None:
    # a capitalised word before a known person's surname is a first name, unless it is a
    # sentence adverb that opens the sentence ("Later Karlsson", above)
    mentions, minted = run(linker, "David Volkov said Moscow would wait. According to Peter "
                                   "Volkov, Beijing agreed.")
    assert [a.label for a in minted] == ["David Volkov", "Peter Volkov"]
    assert mentions == [("David Volkov", "id/person/david-volkov"), ("Moscow", "id/state/russia"),
                        ("Peter Volkov", "id/person/peter-volkov"), ("Beijing", "id/state/china")]
    # ... at the start of a sentence too
    mentions, minted = run(linker, "David Volkov said Moscow would wait. Peter Volkov said "
                                   "Beijing agreed. Separately, Volkov told NIES so.")
    assert [a.label for a in minted] == ["David Volkov", "Peter Volkov"]
    # (the lone "Volkov" may be either of them: not linked)
    assert mentions == [("David Volkov", "id/person/david-volkov"), ("Moscow", "id/state/russia"),
                        ("Peter Volkov", "id/person/peter-volkov"), ("Beijing", "id/state/china")]
    # ... unless it is a title
    mentions, minted = run(linker, "Anna Karlsson said Moscow would wait. In Oslo, "
                                   "Commissioner Karlsson said so.")
    assert [a.label for a in minted] == ["Anna Karlsson"]
    assert ("Karlsson", "id/person/anna-karlsson") in mentions


def test_title_before_name_is_the_role(linker: Linker) -> None:
    _, minted = run(linker, "Deputy Foreign Minister Olga Petrova warned Moscow.")
    assert [(a.label, a.role) for a in minted] == [("Olga Petrova", "Deputy Foreign Minister")]


def test_capitalised_phrases_are_not_people(linker: Linker) -> None:
    _, minted = run(linker, "In February, the Winter Olympics opened in Beijing.")
    assert minted == []


def test_bad_turtle_names_the_source() -> None:
    with pytest.raises(EntenteError, match=r"^x\.ttl: cannot parse Turtle"):
        Linker.from_turtle("<a> <b> .", BASE, source="x.ttl")


def test_bundled_linker_links_metonyms(bundled: Linker) -> None:
    mentions, _ = run(bundled, "Moscow and Beijing signed it.")
    assert mentions == [("Moscow", "id/state/russia"), ("Beijing", "id/state/china")]


def test_bundled_linker_links_states_the_corpus_does_not_name(bundled: Linker) -> None:
    mentions, _ = run(bundled, "Russia recognized Abkhazia after its war with Georgia.")
    assert mentions == [("Russia", "id/state/russia"), ("Abkhazia", "id/place/abkhazia"),
                        ("Georgia", "id/state/georgia")]
    mentions, _ = run(bundled, "Greek and Cypriot diplomats met in the DRC.")
    assert mentions == [("Greek", "id/state/greece"), ("Cypriot", "id/state/cyprus"),
                        ("DRC", "id/state/democratic-republic-of-the-congo")]


def test_no_break_and_thin_spaces_inside_names_are_spaces(bundled: Linker) -> None:
    text = "Xi\u00a0Jinping met the United\u202fStates and Russia\u2009and China."
    mentions, _ = run(bundled, text)
    assert mentions == [("Xi\u00a0Jinping", "id/person/xi-jinping"),
                        ("the United\u202fStates", "id/state/united-states"),
                        ("Russia", "id/state/russia"), ("China", "id/state/china")]


@pytest.mark.parametrize(("text", "expected"), [
    # a hyphen after an abbreviation's point splits like one after a letter ("US-China")
    ("U.S.-China relations", [("U.S.", "id/state/united-states"), ("China", "id/state/china")]),
    ("US-China relations", [("US", "id/state/united-states"), ("China", "id/state/china")]),
    ("the U.S.-led order", [("the U.S.", "id/state/united-states")]),
    ("U.K.-China trade", [("U.K.", "id/state/united-kingdom"), ("China", "id/state/china")]),
])
def test_bundled_linker_splits_abbreviation_hyphens(bundled: Linker, text: str,
                                                    expected: list) -> None:
    mentions, _ = run(bundled, text)
    assert mentions == expected


def test_paragraph_tokens_link_as_sentences_tokenised_anew(bundled: Linker,
                                                           corpus_dir: Path) -> None:
    # given the tokenised paragraphs, the linker reuses their tokens (no footnote brackets in
    # the sentence, chunk boundaries at its ends); without them every sentence is tokenised
    # anew: the mentions and minted actors must not differ
    docs, _ = load_corpus(corpus_dir)
    docs += load_corpus(Path(__file__).parents[1] / "fixtures" / "docs")[0]
    text = ("Russia and China met.Then the U.S. objected [1]. Xi Jinping, head of the "
            "Nordic Institute (NIES), said the Sino-Russian talks [2] went well.\n\n"
            "Later Jinping told NIES that Chinese diplomats agree with Russia.3 Then the "
            "United States.12 objected, and Xi Jinping.7 left! Did China?3 No. U.S.-China "
            "and U.K.-led talks. Xi\u00a0Jinping met the United\u202fStates.")
    docs.append(SourceDocument("b.txt", text, "0" * 64, len(text), DocumentMeta(slug="b")))
    # every document split before any is linked: no document's tokens depend on another's
    splits = [split_text(doc, segment(doc)) for doc in docs]
    for doc, split in zip(docs, splits, strict=True):
        sentences = split.sentences
        assert sentences == split_sentences(doc, segment(doc))
        assert {s.paragraph for s in sentences} <= set(range(len(split.paragraphs)))
        reused = bundled.link(doc, sentences, split.paragraphs)
        assert reused == bundled.link(doc, sentences), doc.file
        assert reused[0], doc.file


@pytest.mark.parametrize(("text", "expected"), [
    ("Spokesperson Wang Wenbin said that China objects.",
     [("Wang Wenbin", "id/person/wang-wenbin"), ("China", "id/state/china")]),
    # (alone, and at the end of its sentence, "Wang" is still Wang Yi)
    ("Putin met Wang in Beijing.\n\nTalks with Wang\n\nXi left.",
     [("Putin", "id/person/vladimir-putin"), ("Wang", "id/person/wang-yi"),
      ("Beijing", "id/state/china"), ("Wang", "id/person/wang-yi"),
      ("Xi", "id/person/xi-jinping")]),
    # after another capitalised word, too ("Sergei Wang"), unless it is a title, a sentence
    # adverb or a word that is never a name
    ("According to Sergei Wang, Moscow agreed.",
     [("Sergei Wang", "id/person/sergei-wang"), ("Moscow", "id/state/russia")]),
    ("Foreign Minister Wang met Putin. Later Wang left. In March Wang returned.",
     [("Foreign Minister Wang", "id/person/wang-yi"), ("Putin", "id/person/vladimir-putin"),
      ("Wang", "id/person/wang-yi"), ("Wang", "id/person/wang-yi")]),
])
def test_a_persons_one_word_name_before_another_capitalised_word_is_someone_else(
        bundled: Linker, text: str, expected: list) -> None:
    # "Wang" alone is Wang Yi, "Wang Wenbin" another person: the same either way the
    # sentences are tokenised
    doc = SourceDocument("w.txt", text, "0" * 64, len(text), DocumentMeta(slug="w"))
    split = split_text(doc, segment(doc))
    reused = bundled.link(doc, split.sentences, split.paragraphs)
    assert reused == bundled.link(doc, split.sentences)
    assert [(m.text, m.entity.removeprefix(BASE)) for m in reused[0]] == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a surname two reference persons share is the one last named in full before it
    ("Hafez al-Assad ruled Syria. Assad visited Moscow. Bashar al-Assad followed. Assad left.",
     [("Hafez al-Assad", "id/person/hafez-al-assad"), ("Syria", "id/state/syria"),
      ("Assad", "id/person/hafez-al-assad"), ("Moscow", "id/state/russia"),
      ("Bashar al-Assad", "id/person/bashar-al-assad"),
      ("Assad", "id/person/bashar-al-assad")]),
    # ... and without a full name before it, the person whose one-word label it is
    ("Assad visited Moscow. Hafez Assad had visited it before.",
     [("Assad", "id/person/bashar-al-assad"), ("Moscow", "id/state/russia"),
      ("Hafez Assad", "id/person/hafez-al-assad")]),
    # a full name beginning with another person's label is that name ("Premier Li" is Li
    # Qiang's)
    ("Premier Li Keqiang met Putin. Premier Li met Putin.",
     [("Premier Li Keqiang", "id/person/li-keqiang"), ("Putin", "id/person/vladimir-putin"),
      ("Premier Li", "id/person/li-qiang"), ("Putin", "id/person/vladimir-putin")]),
])
def test_a_shared_surname_is_the_person_last_named_in_full(bundled: Linker, text: str,
                                                          expected: list) -> None:
    assert [(m.text, m.entity.removeprefix(BASE)) for m in _linked(bundled, text)] == expected


@pytest.mark.parametrize(("text", "role", "affiliated"), [
    # after "According to X," the comma opens the main clause, not an apposition, when what
    # follows runs to the end of the sentence or holds an auxiliary
    ("According to Anna Wang, the Chinese government proposed the plan.", None, False),
    ("According to Anna Wang, the Kremlin is likely to agree, officials said.", None, False),
    ("According to Anna Wang, a senior fellow at the Nordic Institute for Eastern Studies, "
     "Moscow agreed.", "a senior fellow", True),
    # ... nor is "the X of <name> vetoed": she is not affiliated with it
    ("According to Anna Wang, the Republic of China vetoed the plan.", None, False),
    # ... nor known actors and a verb, even when a comma or a bracket closes the clause
    ("According to Anna Wang, the United States trades with Brazil on the economy, "
     "accounting for $190 billion a year.", None, False),
    ("According to Anna Wang, the Kremlin supplies gas to China, accounting for a third.",
     None, False),
    ("According to Anna Wang, the US and China voted against the resolution (2018).",
     None, False),
    # ... but a role may name actors: before its noun, or after its first word
    ("According to Anna Wang, the Chinese ambassador to Russia, Moscow agreed.",
     "the Chinese ambassador to Russia", False),
    ("According to Anna Wang, a fellow for Russia affairs at the Nordic Institute for Eastern "
     "Studies, Moscow agreed.", "a fellow for Russia affairs", True),
    ("Moscow agreed, said Anna Wang, a senior fellow at the Nordic Institute for Eastern "
     "Studies.", "a senior fellow", True),
])
def test_a_role_after_according_to_must_be_an_apposition(linker: Linker, text: str,
                                                         role: str | None,
                                                         affiliated: bool) -> None:
    _, minted = run(linker, text)
    assert [(a.label, a.role) for a in minted if a.kind == "person"] == [("Anna Wang", role)]
    affiliation = next(a.affiliation for a in minted if a.kind == "person")
    assert (affiliation is not None) == affiliated


@pytest.mark.parametrize(("text", "expected"), [
    # titles are no part of a minted name; an institution's name is no person's
    ("Foreign Ministry Spokesperson Lin Jian said that China objects.",
     [("Lin Jian", "id/person/lin-jian"), ("China", "id/state/china")]),
    ("Supreme Leader Ali Khamenei said that Iran objects.",
     [("Ali Khamenei", "id/person/ali-khamenei"), ("Iran", "id/state/iran")]),
    ("Tsinghua University said that China objects.", [("China", "id/state/china")]),
    # a lower-case title right before a name presents a person
    ("Ministry spokesman Wang Wenbin criticized China.",
     [("Wang Wenbin", "id/person/wang-wenbin"), ("China", "id/state/china")]),
    ("Russian Deputy Prime Minister Alexander Novak said that China objects.",
     [("Alexander Novak", "id/person/alexander-novak"), ("China", "id/state/china")]),
])
def test_titles_and_institutions_are_no_part_of_a_persons_name(bundled: Linker, text: str,
                                                              expected: list) -> None:
    assert [(m.text, m.entity.removeprefix(BASE)) for m in _linked(bundled, text)] == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a dated reference event named with another year is another event
    ("The United States boycotted the Olympics in Moscow in 1980.",
     [("The United States", "id/state/united-states"), ("Moscow", "id/state/russia")]),
    ("Britain opposed the annexation of Crimea in 1783.",
     [("Britain", "id/state/united-kingdom"), ("Crimea", "id/place/crimea")]),
    ("India attended the Summit for Democracy in 2023.", [("India", "id/state/india")]),
    ("India boycotted the 1980 Olympics.", [("India", "id/state/india")]),
    # ... but not with its own year, a later year of an ongoing event, or a sentence's date
    ("Japan opposed the annexation of Crimea in 2014.",
     [("Japan", "id/state/japan"), ("annexation of Crimea", "id/event/annexation-of-crimea-2014"),
      ("Crimea", "id/place/crimea")]),
    ("China condemned the invasion of Ukraine in 2024.",
     [("China", "id/state/china"),
      ("invasion of Ukraine", "id/event/russian-invasion-of-ukraine-2022"),
      ("Ukraine", "id/state/ukraine")]),
    ("In 2013, Japan opposed the annexation of Crimea.",
     [("Japan", "id/state/japan"), ("annexation of Crimea", "id/event/annexation-of-crimea-2014"),
      ("Crimea", "id/place/crimea")]),
])
def test_a_dated_event_named_with_another_year_is_not_linked(bundled: Linker, text: str,
                                                              expected: list) -> None:
    assert [(m.text, m.entity.removeprefix(BASE)) for m in _linked(bundled, text)] == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a generic label links only where the paragraph names the entity's link context
    ("India signed a civil nuclear deal with the United States.",
     [("India", "id/state/india"), ("the United States", "id/state/united-states")]),
    ("Iran and the United States signed the nuclear deal.",
     [("Iran", "id/state/iran"), ("the United States", "id/state/united-states"),
      ("nuclear deal", "id/agreement/jcpoa")]),
    ("Iran was under pressure.\n\nThe nuclear deal collapsed.", [("Iran", "id/state/iran")]),
    ("Iran was under pressure. The nuclear deal collapsed.",
     [("Iran", "id/state/iran"), ("nuclear deal", "id/agreement/jcpoa")]),
    # ... its full names and acronyms anywhere
    ("The JCPOA collapsed.", [("JCPOA", "id/agreement/jcpoa")]),
    ("Germany and Poland signed a Founding Act.",
     [("Germany", "id/state/germany"), ("Poland", "id/state/poland")]),
])
def test_a_generic_label_links_only_in_its_context(bundled: Linker, text: str,
                                                  expected: list) -> None:
    assert [(m.text, m.entity.removeprefix(BASE)) for m in _linked(bundled, text)] == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a state's own body of the same label: after its possessive, a demonym, a name's word
    ("Shoigu heads Russia's Security Council.",
     [("Shoigu", "id/person/sergei-shoigu"), ("Russia", "id/state/russia")]),
    ("Shoigu heads the Russian Security Council.", [("Shoigu", "id/person/sergei-shoigu")]),
    ("Sullivan led the US National Security Council.", [("the US", "id/state/united-states")]),
    # ... not the UN's, named so or after a lower-case word
    ("Russia chairs the Security Council.",
     [("Russia", "id/state/russia"), ("the Security Council", "id/org/un-security-council")]),
    ("Russia vetoed a Security Council resolution.",
     [("Russia", "id/state/russia"), ("Security Council", "id/org/un-security-council")]),
])
def test_a_national_body_is_no_un_body(bundled: Linker, text: str, expected: list) -> None:
    assert [(m.text, m.entity.removeprefix(BASE)) for m in _linked(bundled, text)] == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a minted person's surname is that person once the full name was given, not the
    # reference person of the same one-word label; before it, it is the reference one
    ("Spokesman Wang Wenbin said China objects. Wang said China objects.",
     ["id/person/wang-wenbin", "id/state/china", "id/person/wang-wenbin", "id/state/china"]),
    ("Wang said China objects. Spokesman Wang Wenbin said China objects.",
     ["id/person/wang-yi", "id/state/china", "id/person/wang-wenbin", "id/state/china"]),
    ("Wang Yi met Putin. Wang said China objects.",
     ["id/person/wang-yi", "id/person/vladimir-putin", "id/person/wang-yi", "id/state/china"]),
])
def test_a_minted_persons_surname_after_the_full_name_is_that_person(bundled: Linker, text: str,
                                                                      expected: list) -> None:
    assert [m.entity.removeprefix(BASE) for m in _linked(bundled, text)] == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a footnote marker glued to a name (superscript, or after a comma) is no part of it
    ("Belarus supports Russia.³ Iran objects.",
     [("Belarus", "id/state/belarus"), ("Russia", "id/state/russia"), ("Iran", "id/state/iran")]),
    ("China supports Russia,2 and Iran objects.",
     [("China", "id/state/china"), ("Russia", "id/state/russia"), ("Iran", "id/state/iran")]),
])
def test_a_footnote_marker_glued_to_a_name(bundled: Linker, text: str, expected: list) -> None:
    mentions = _linked(bundled, text)
    assert [(m.text, m.entity.removeprefix(BASE)) for m in mentions] == expected
    assert _linked(bundled, text, reuse_tokens=False) == mentions  # (either tokenisation)


def _linked(bundled: Linker, text: str, reuse_tokens: bool = True) -> list:
    """The bundled linker's mentions in ``text`` (one document), with the sentence splitter's
    tokens reused (as the build does) or tokenised anew."""
    doc = SourceDocument("t.txt", text, "0" * 64, len(text), DocumentMeta(slug="t"))
    split = split_text(doc, segment(doc))
    mentions, _ = bundled.link(doc, split.sentences, split.paragraphs if reuse_tokens else None)
    return mentions


@pytest.mark.parametrize(("text", "expected"), [
    # a role that opens with a state's possessive and holds a title presents a person
    ("Sergei Shoigu, Russia's defence minister, visited Pyongyang.",
     [("Sergei Shoigu", "Russia's defence minister")]),
    ("Li Hui, China's special envoy, met officials in Kyiv.",
     [("Li Hui", "China's special envoy")]),
    # ... not one without a title, nor after "According to X," (the main clause follows)
    ("Zhang Wei, Russia's most important partner, met officials.", []),
    ("According to Anna Wang, China's foreign minister agreed, officials said.",
     [("Anna Wang", None)]),
])
def test_a_role_may_open_with_a_possessive(linker: Linker, text: str, expected: list) -> None:
    _, minted = run(linker, text)
    assert [(a.label, a.role) for a in minted if a.kind == "person"] == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a state's one-word name before another name word is part of that name
    ("Chad Smith criticized Russia.", [("Russia", "id/state/russia")]),
    ("Israel Katz met Sergei Lavrov in Moscow.",
     [("Sergei Lavrov", "id/person/sergey-lavrov"), ("Moscow", "id/state/russia")]),
    ("China Daily reported it.", [("China Daily", "id/institution/china-daily")]),
    # ... and before capitalised words ending in a company's head noun
    ("Gazprom and China National Petroleum Corporation signed a deal.",
     [("Gazprom", "id/institution/gazprom")]),
    ("Russia sanctioned China Eastern Airlines, China's carrier.",
     [("Russia", "id/state/russia"), ("China", "id/state/china")]),
    ("China Development Bank's loans to Russia grew.", [("Russia", "id/state/russia")]),
    # ... but not before a title, a word never in a name, a role noun, another mention or a
    # headline's next capitalised word; nor a demonym
    ("US President Joe Biden met Xi.",
     [("US", "id/state/united-states"), ("President Joe Biden", "id/person/joe-biden"),
      ("Xi", "id/person/xi-jinping")]),
    ("Russia Monday criticized China.", [("Russia", "id/state/russia"),
                                         ("China", "id/state/china")]),
    ("Russia Invades Ukraine", [("Russia", "id/state/russia"), ("Ukraine", "id/state/ukraine")]),
    ("A Sino-Russian Entente? Perhaps.", [("Sino", "id/state/china"),
                                          ("Russian", "id/state/russia")]),
])
@pytest.mark.parametrize("reuse_tokens", [True, False])
def test_a_states_name_inside_a_longer_name_is_no_mention(bundled: Linker, text: str,
                                                           expected: list,
                                                           reuse_tokens: bool) -> None:
    assert [(m.text, m.entity.removeprefix(BASE))
            for m in _linked(bundled, text, reuse_tokens)] == expected


BUNDLED_BASE = "https://entente.example.org/"


@pytest.fixture(scope="module")
def bundled_linker() -> Linker:
    return Linker.from_bundled(BUNDLED_BASE)


@pytest.mark.parametrize(("text", "date", "expected"), [
    # an office with no name after it: its holder on the document's date, the office spanned
    ("The Russian president met the Chinese president.", "2022-02-03",
     [("Russian president", "id/person/vladimir-putin"),
      ("Chinese president", "id/person/xi-jinping")]),
    ("The Russian president met the Chinese president.", "2010",
     [("Russian president", "id/person/dmitry-medvedev"), ("Chinese", "id/state/china")]),
    # (no date, or a year with two holders: the state, as before)
    ("The Russian president spoke.", None, [("Russian", "id/state/russia")]),
    ("The Russian president spoke.", "2012", [("Russian", "id/state/russia")]),
    ("China's foreign minister spoke.", "2023-05", [("China", "id/state/china")]),
    ("China's foreign minister spoke.", "2024-05", [("China's foreign minister",
                                                     "id/person/wang-yi")]),
    # a coordination: each demonym its own holder, the last one spanning the office
    ("The Chinese and Russian presidents are meeting.", "2022-02-03",
     [("Chinese", "id/person/xi-jinping"), ("Russian presidents", "id/person/vladimir-putin")]),
    ("The US and Russian presidents met.", "2021-06-16",
     [("The US", "id/person/joe-biden"), ("Russian presidents", "id/person/vladimir-putin")]),
    # a name after the office, a former holder, a generic plural: no holder
    ("Russian President Vladimir Putin spoke.", "2022",
     [("Russian", "id/state/russia"), ("President Vladimir Putin", "id/person/vladimir-putin")]),
    ("The former Russian president spoke.", "2022", [("Russian", "id/state/russia")]),
    ("Russian presidents have distrusted NATO.", "2022",
     [("Russian", "id/state/russia"), ("NATO", "id/org/nato")]),
    ("The Russian vice president spoke.", "2022", []),
])
def test_an_office_stands_for_its_holder_on_the_documents_date(
        bundled_linker: Linker, text: str, date: str | None, expected: list) -> None:
    doc = SourceDocument("t.txt", text, "0" * 64, len(text), DocumentMeta(slug="t", date=date))
    mentions, _ = bundled_linker.link(doc, [Sentence(1, 0, len(text), text, 0)])
    assert [(m.text, m.entity.removeprefix(BUNDLED_BASE)) for m in mentions] == expected


def test_every_office_holder_is_a_reference_entity() -> None:
    from importlib.resources import files

    from entente.graph.bundled import load_rules
    from rdflib import Graph, URIRef

    entities = Graph().parse(data=(files("entente.ontology") / "entities.ttl").read_text(
        encoding="utf-8"), format="turtle", publicID=BUNDLED_BASE)
    rows = load_rules()["linking"]["office_holders"]
    assert rows
    for state, office, person, begin, end in rows:
        for iri in (state, person):  # (a row naming another entity would be left out)
            assert (URIRef(BUNDLED_BASE + iri), None, None) in entities, iri
        assert office in {"president", "foreign minister", "prime minister", "chancellor"}
        assert end is None or str(begin) < str(end), (state, person)
