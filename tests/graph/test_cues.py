"""Cues: polarity, certainty, attribution and time, table-driven through the real extractor."""

from __future__ import annotations

import pytest
from entente.graph.cues import CueConfig, negated
from entente.graph.date_cues import find_date
from entente.graph.model import DocumentMeta, Sentence, SourceDocument

BASE = "https://entente.example.org/"
ENT = "https://entente.example.org/ontology#"


def facts(tools, text: str, year: str | None = None):
    linker, extractor = tools
    doc = SourceDocument("t.txt", text, "0" * 64, len(text), DocumentMeta(slug="t", date=year))
    sentences = [Sentence(1, 0, len(text), text, 0)]
    mentions, minted = linker.link(doc, sentences)
    out = []
    for a in extractor.extract(doc, sentences, mentions, minted):
        out.append((a.subject.removeprefix(BASE + "id/"), a.predicate.removeprefix(ENT),
                    a.object.removeprefix(BASE + "id/"), a.negated, a.certainty,
                    tuple(x.removeprefix(BASE + "id/") for x in a.attributed_to), a.date))
    return out


TABLE = [
    ("Serbia is not a member of the European Union.",
     [("state/serbia", "memberOf", "org/eu", True, "Asserted", (), None)]),
    ("Japan never recognized Kosovo.",
     [("state/japan", "recognizes", "state/kosovo", True, "Asserted", (), None)]),
    ("It is highly likely that Iran will support Syria.",
     [("state/iran", "supports", "state/syria", False, "HighlyLikely", (), None)]),
    ("India may sign the Budapest Memorandum.",
     [("state/india", "signed", "agreement/budapest-memorandum", False, "Possible", (), None)]),
    ("Japan is unlikely to support Russia.",
     [("state/japan", "supports", "state/russia", False, "Unlikely", (), None)]),
    ("Brazil and India pressured Pakistan in March 2014, according to Wang Yi.",
     [("state/brazil", "pressures", "state/pakistan", False, "Asserted",
       ("person/wang-yi",), "2014-03"),
      ("state/india", "pressures", "state/pakistan", False, "Asserted",
       ("person/wang-yi",), "2014-03")]),
    ("On February 3, 2022, Turkey joined NATO, Antony Blinken said.",
     [("state/turkey", "memberOf", "org/nato", False, "Asserted",
       ("person/antony-blinken",), "2022-02-03")]),
    ("In February, Vietnam and Iran vetoed the UNSC draft resolution on Venezuela.",
     [("state/iran", "vetoed", "event/unsc-draft-resolution-venezuela-2019", False, "Asserted",
       (), "2019-02"),
      ("state/vietnam", "vetoed", "event/unsc-draft-resolution-venezuela-2019", False,
       "Asserted", (), "2019-02")]),
    # an unverified report is hedged: the text does not vouch for it
    ("Iran reportedly supports Syria.",
     [("state/iran", "supports", "state/syria", False, "Possible", (), None)]),
    ("Kazakhstan allegedly sanctioned Belarus.",
     [("state/kazakhstan", "sanctions", "state/belarus", False, "Possible", (), None)]),
    ("Japan appears to support Russia.",
     [("state/japan", "supports", "state/russia", False, "Possible", (), None)]),
    # an open question ("whether") is no claim that it holds
    ("The outcome depends on whether Japan supports Russia.",
     [("state/japan", "supports", "state/russia", False, "Possible", (), None)]),
    # a measure considered or threatened is not taken
    ("Japan is considering sanctions against Iran.",
     [("state/japan", "sanctions", "state/iran", False, "Possible", (), None)]),
    # doubt hedges; "yet to" and a denial negate
    ("It is doubtful that Japan will support Russia.",
     [("state/japan", "supports", "state/russia", False, "Unlikely", (), None)]),
    ("Japan has yet to recognize Kosovo.",
     [("state/japan", "recognizes", "state/kosovo", True, "Asserted", (), None)]),
    # (a denial is its maker's statement)
    ("Japan denies supporting Russia.",
     [("state/japan", "supports", "state/russia", True, "Asserted", ("state/japan",), None)]),
    # a yes/no question asks, a recommendation or a hope is not what happens: Possible
    ("Will Japan support Russia?",
     [("state/japan", "supports", "state/russia", False, "Possible", (), None)]),
    ("Why did Japan support Russia?",  # (a wh-question presupposes it)
     [("state/japan", "supports", "state/russia", False, "Asserted", (), None)]),
    # a question asked without an auxiliary first: the fact's clause ends with "?"
    ("Japan left the SCO?",
     [("state/japan", "memberOf", "org/sco", True, "Possible", (), None)]),
    ("Japan supports Russia, but for how long?",  # (another clause asks)
     [("state/japan", "supports", "state/russia", False, "Asserted", (), None)]),
    # "May" after a word is the month or a name; a headline's "May" before a capital a modal
    ("Japan supported Russia in May.",
     [("state/japan", "supports", "state/russia", False, "Asserted", (), None)]),
    ("In May, Japan supported Russia.",
     [("state/japan", "supports", "state/russia", False, "Asserted", (), None)]),
    ("Japan May Support Russia",
     [("state/japan", "supports", "state/russia", False, "Possible", (), None)]),
    ("May Japan support Russia?",
     [("state/japan", "supports", "state/russia", False, "Possible", (), None)]),
    ("Analysis: Why Japan supports Russia?",
     [("state/japan", "supports", "state/russia", False, "Asserted", (), None)]),
    ("Japan should support Russia.",
     [("state/japan", "supports", "state/russia", False, "Possible", (), None)]),
    ("Iran hopes that Japan will recognize Kosovo.",
     [("state/japan", "recognizes", "state/kosovo", False, "Possible", (), None)]),
    # an act given up is negated
    ("Japan stopped supporting Russia in 2023.",
     [("state/japan", "supports", "state/russia", True, "Asserted", (), "2023")]),
    ("Japan has ceased backing Iran.",
     [("state/japan", "supports", "state/iran", True, "Asserted", (), None)]),
    # "refrained from" and "stopped short of" negate, and the subject before them is found
    ("Tokyo has refrained from condemning Iran.",
     [("state/japan", "opposes", "state/iran", True, "Asserted", (), None)]),
    ("Japan stopped short of recognizing Kosovo.",
     [("state/japan", "recognizes", "state/kosovo", True, "Asserted", (), None)]),
    # a hedge adverb between the subject and the trigger does not count as a gap word
    ("We judge that Iran almost certainly will not invade Iraq.",
     [("state/iran", "invades", "state/iraq", True, "AlmostCertain", (), None)]),
    # "is said/believed/reported to": hearsay, Possible (not "said to reporters")
    ("Iran is said to have annexed Iraq.",
     [("state/iran", "annexes", "state/iraq", False, "Possible", (), None)]),
    ("Officials said to reporters that Iran supports Syria.",
     [("state/iran", "supports", "state/syria", False, "Asserted", (), None)]),
    # negations that cancel out or negate nothing
    ("Japan has never failed to support Russia.",
     [("state/japan", "supports", "state/russia", False, "Asserted", (), None)]),
    ("Japan did not hesitate to condemn Iran.",
     [("state/japan", "opposes", "state/iran", False, "Asserted", (), None)]),
    ("Japan did not refrain from criticizing Iran.",
     [("state/japan", "opposes", "state/iran", False, "Asserted", (), None)]),
    ("Japan never abstained from condemning Iran.",
     [("state/japan", "opposes", "state/iran", False, "Asserted", (), None)]),
    ("Japan refrained from criticizing Iran.",
     [("state/japan", "opposes", "state/iran", True, "Asserted", (), None)]),
    # a forecast of another's act is Likely (Unlikely when few expect it); a named actor's
    # expectation of another is a demand, no statement
    ("Analysts expect Japan to invade Iran.",
     [("state/japan", "invades", "state/iran", False, "Likely", (), None)]),
    ("Few analysts expect Japan to invade Iran.",
     [("state/japan", "invades", "state/iran", False, "Unlikely", (), None)]),
    ("We expect Japan to continue supporting Russia.",
     [("state/japan", "supports", "state/russia", False, "Likely", (), None)]),
    ("Analysts expect Japan to deepen its cooperation with Iran.",
     [("state/japan", "cooperatesWith", "state/iran", False, "Likely", (), None)]),
    ("India expects Japan to recognize Kosovo.", []),
    # the White House speaks for the United States, as the Kremlin does for Russia
    ("The White House said Japan supports Iran.",
     [("state/japan", "supports", "state/iran", False, "Asserted", ("state/united-states",),
       None)]),
    # a hedge word that is the trigger's own hedges nothing; before it, it does
    ("Japan threatened India with retaliation.",
     [("state/japan", "pressures", "state/india", False, "Asserted", (), None)]),
    ("Japan proposes a Security Council resolution on Iran.",
     [("state/japan", "proposes", "event/security-council-resolution-iran", False, "Asserted",
       (), None)]),
    ("The EU proposes sanctions on Iran.",
     [("org/eu", "sanctions", "state/iran", False, "Possible", (), None)]),
    # "avoided" (with an adverb before the act too) negates, and the subject before it and
    # "so far" is found
    ("Japan has avoided directly supplying weapons to Iran.",
     [("state/japan", "suppliesArmsTo", "state/iran", True, "Asserted", (), None)]),
    ("Tokyo has so far avoided sanctioning Iran.",
     [("state/japan", "sanctions", "state/iran", True, "Asserted", (), None)]),
    ("Japan stopped directly supplying weapons to Iran.",
     [("state/japan", "suppliesArmsTo", "state/iran", True, "Asserted", (), None)]),
    ("Japan has ceased openly supporting Russia.",
     [("state/japan", "supports", "state/russia", True, "Asserted", (), None)]),
    ("Japan abstained from directly criticizing Iran.",
     [("state/japan", "opposes", "state/iran", True, "Asserted", (), None)]),
    ("Japan has not stopped directly supplying weapons to Iran.",
     [("state/japan", "suppliesArmsTo", "state/iran", False, "Asserted", (), None)]),
    ("Japan did not shy away from criticizing Iran.",
     [("state/japan", "opposes", "state/iran", False, "Asserted", (), None)]),
    ("Japan shied away from criticizing Iran.",
     [("state/japan", "opposes", "state/iran", True, "Asserted", (), None)]),
    # an organization admitting a member reports nothing; a state admitting a fact does
    ("The SCO admitted Iran as a full member in 2023.",
     [("state/iran", "memberOf", "org/sco", False, "Asserted", (), "2023")]),
    ("Japan admitted that it supports Russia.",
     [("state/japan", "supports", "state/russia", False, "Asserted", ("state/japan",), None)]),
    ("Japan will not necessarily support Russia.",  # (an open question, no denial)
     [("state/japan", "supports", "state/russia", False, "Possible", (), None)]),
    ("Japan won't necessarily support Russia.",
     [("state/japan", "supports", "state/russia", False, "Possible", (), None)]),
    ("Japan does not only support Russia.",
     [("state/japan", "supports", "state/russia", False, "Asserted", (), None)]),
    ("It is not unlikely that Japan supports Russia.",
     [("state/japan", "supports", "state/russia", False, "Possible", (), None)]),
    # a newspaper is the speaker ("according to the X", "X reported"); its name is not a
    # mention of the place inside it ("Washington" stands for the United States)
    ("According to the Washington Post, Iran supports Syria.",
     [("state/iran", "supports", "state/syria", False, "Asserted",
       ("institution/washington-post",), None)]),
    ("The Moscow Times reported that Iran supports Syria.",
     [("state/iran", "supports", "state/syria", False, "Asserted",
       ("institution/moscow-times",), None)]),
    ("China Daily said Iran supports Syria.",
     [("state/iran", "supports", "state/syria", False, "Asserted",
       ("institution/china-daily",), None)]),
    # a negation outside the trigger's clause does not negate it
    ("Japan did not comment, but Iran supports Syria.",
     [("state/iran", "supports", "state/syria", False, "Asserted", (), None)]),
    # a view reported: "point to X as Y" is the officials' (not "pointed to the need")
    ("Japanese officials point to Africa as a key area of strategic competition with India.",
     [("state/japan", "competesWith", "state/india", False, "Asserted", ("state/japan",),
       None)]),
    ("Japan pointed to the need to support Iran.",
     [("state/japan", "supports", "state/iran", False, "Possible", (), None)]),
]


@pytest.mark.parametrize(("text", "expected"), TABLE, ids=[t[0][:40] for t in TABLE])
def test_cue_table(tools, text: str, expected) -> None:
    year = "2019" if "In February" in text else None
    assert facts(tools, text, year) == expected


@pytest.mark.parametrize(("text", "year", "expected"), [
    ("on February 3, 2022 they met", None, "2022-02-03"),
    ("on 4 December 1994 it was issued", None, "1994-12-04"),
    ("since March 2014", None, "2014-03"),
    ("On March 30th, 2015, he wrote", None, "2015-03-30"),
    ("in 2008", None, "2008"),
    # a noun's own act dates the noun, a passive verb its clause
    ("under a contract signed in 2014", None, None),
    ("The SCO was founded in 2001 by China", None, "2001"),
    ("In February, they voted", None, None),
    ("In February, they voted", 2019, "2019-02"),
    ("last December they abstained", 2019, "2018-12"),
    ("no date here", 2019, None),
    ("a contract that runs until 2030", None, None),  # an end bound is not the fact's time
    # a day without a year takes the document's; a range of days is dated by its month
    ("Xi will travel to Russia on June 5.", 2019, "2019-06-05"),
    ("they met on 5 June", 2019, "2019-06-05"),
    ("they met on June 5", None, None),
    ("on a state visit June 5-7.", 2019, "2019-06"),
    ("on a state visit 5–7 June", 2019, "2019-06"),
    ("on a state visit June 5-7, 2023", None, "2023-06"),
    ("from 12 to 14 May 2021", None, "2021-05"),
    ("on February 30, 2020", None, None),  # (no such day)
    ("on June 31", 2019, None),
    ("trade fell in early 2025", None, "2025"),
    ("since mid-March they have met", 2019, "2019-03"),
])
def test_dates_are_normalised(text: str, year: int | None, expected: str | None) -> None:
    hit = find_date(text, year)
    assert (hit[2] if hit else None) == expected


def test_the_most_specific_overlapping_date_wins() -> None:
    assert find_date("abstained, in March 2014, from the vote", 2015) == (14, 24, "2014-03")


def test_paragraph_date_comes_only_from_an_opening_date(tools) -> None:
    """A dateline ("In May 2019, ...") dates the paragraph; a date late in its first
    sentence dates that sentence only."""
    linker, extractor = tools

    def dates(first: str) -> list[str | None]:
        text = first + " Iran supports Syria."
        doc = SourceDocument("t.txt", text, "0" * 64, len(text), DocumentMeta(slug="t"))
        cut = len(first)
        sentences = [Sentence(1, 0, cut, first, 0), Sentence(2, cut + 1, len(text),
                                                             text[cut + 1:], 0)]
        mentions, minted = linker.link(doc, sentences)
        return [a.date for a in extractor.extract(doc, sentences, mentions, minted)]

    assert dates("In May 2019, Japan opposed Iran.") == ["2019-05", "2019-05"]
    assert dates("Japan opposed Iran at a meeting held in Vienna in 2019.") == ["2019", None]


@pytest.mark.parametrize(("negation", "window", "expected"), [
    ([r"\bnot\b", r"n[’']t\b"], "Russia did not object", True),
    ([r"\bnot\b", r"n[’']t\b"], "Russia didn’t object", True),
    ([r"\bnot\b", r"n[’']t\b"], "Russia noted it", False),
    # joining these into one expression would change them (a group reference, inline
    # flags): they are searched one by one, with the same answers
    ([r"\b(\w+) \1\b", r"\bnever\b"], "it was was so", True),
    ([r"\b(\w+) \1\b", r"\bnever\b"], "it was never so", True),
    ([r"\b(\w+) \1\b", r"\bnever\b"], "it was so", False),
    ([r"(?-i:NOT)", r"\bnor\b"], "it was not so", False),
    ([r"(?-i:NOT)", r"\bnor\b"], "it was NOT so", True),
])
def test_negation_window(negation: list[str], window: str, expected: bool) -> None:
    cfg = CueConfig.from_rules({"cues": {"negation": negation}})
    assert negated(cfg, "x " + window + " y", 2, 2 + len(window)) is expected
    # also with the words outside the window: only the window counts
    assert negated(cfg, window + " not never", 0, len(window)) is expected
