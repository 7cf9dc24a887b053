"""Sentence context of the rule engine: the speaker a later "he said" refers back to, and
the date of a paragraph's opening sentence that later sentences take.

Both are worked out only when an assertion needs them (relations.context._Voices
and _ParagraphDates), so these cases put the speaker or the date in sentences that
give no assertion themselves.
"""

from __future__ import annotations

import pytest
from entente.graph.model import DocumentMeta, Sentence, SourceDocument

BASE = "https://entente.example.org/"


def _run(tools, paragraphs: list[list[str]], date: str | None = None) -> list[tuple]:
    """(sentence, subject, property, object, speakers, date) of each assertion; sentences
    joined by ". ", paragraphs by a blank line."""
    linker, extractor = tools
    text = "\n\n".join(". ".join(p) for p in paragraphs)
    doc = SourceDocument("t.txt", text, "0" * 64, len(text), DocumentMeta(slug="t", date=date))
    sentences, pos = [], 0
    for number, part in enumerate((s for p in paragraphs for s in p), start=1):
        start = text.index(part, pos)
        paragraph = next(i for i, p in enumerate(paragraphs) if part in p)
        sentences.append(Sentence(number, start, start + len(part), part, paragraph))
        pos = start + len(part)
    mentions, minted = linker.link(doc, sentences)
    return [(a.sentence, a.subject.removeprefix(BASE), a.predicate.rsplit("#")[-1],
             a.object.removeprefix(BASE), [x.removeprefix(BASE) for x in a.attributed_to],
             a.date)
            for a in extractor.extract(doc, sentences, mentions, minted)]


@pytest.mark.parametrize(("paragraphs", "expected"), [
    # the speaker is named in a sentence without an assertion, two sentences back
    ([["Sergey Lavrov said the talks went well", "Observers in Japan watch closely",
       "India supports Japan, he said"]],
     [(3, "id/state/india", "supports", "id/state/japan", ["id/person/sergey-lavrov"], None)]),
    # the latest speaker counts, not the one of the latest assertion
    ([["Japan opposes Iran, Sergey Lavrov said", "Wang Yi said the talks went well",
       "India supports Japan, he said"]],
     [(1, "id/state/japan", "opposes", "id/state/iran", ["id/person/sergey-lavrov"], None),
      (3, "id/state/india", "supports", "id/state/japan", ["id/person/wang-yi"], None)]),
    # across a paragraph and a sentence without mentions
    ([["Japan opposes Iran, Sergey Lavrov said"], ["On Monday, in Tokyo",
                                                    "India supports Japan, she said"]],
     [(1, "id/state/japan", "opposes", "id/state/iran", ["id/person/sergey-lavrov"], None),
      (3, "id/state/india", "supports", "id/state/japan", ["id/person/sergey-lavrov"], None)]),
    # a person who opened a sentence since the latest speaker: "Lavrov responded"
    ([["Wang Yi said the talks went well", "Sergey Lavrov responded sharply",
       "India supports Japan, he said"]],
     [(3, "id/state/india", "supports", "id/state/japan", ["id/person/sergey-lavrov"], None)]),
    # ... also in a sentence with an assertion of its own, which has no speaker
    ([["Wang Yi said the talks went well", "Sergey Lavrov met Antony Blinken",
       "India supports Japan, he said"]],
     [(2, "id/person/sergey-lavrov", "meetsWith", "id/person/antony-blinken", [], None),
      (3, "id/state/india", "supports", "id/state/japan", ["id/person/sergey-lavrov"], None)]),
    # "He added" opening a sentence
    ([["Sergey Lavrov said the talks went well", "He added that India supports Japan"]],
     [(2, "id/state/india", "supports", "id/state/japan", ["id/person/sergey-lavrov"], None)]),
    # no earlier speaker: none
    ([["India supports Japan, he said"]],
     [(1, "id/state/india", "supports", "id/state/japan", [], None)]),
])
def test_he_said_takes_the_latest_earlier_speaker_or_opening_person(
        tools, paragraphs, expected) -> None:
    assert _run(tools, paragraphs) == expected


@pytest.mark.parametrize(("paragraphs", "date", "expected"), [
    # the opening date of the paragraph, not of the next one
    ([["In May 2019, Japan signed the Budapest Memorandum", "India opposes Iran"],
      ["Turkey opposes Iran"]], "2020",
     [(1, "id/state/japan", "signed", "id/agreement/budapest-memorandum", [], "2019-05"),
      (2, "id/state/india", "opposes", "id/state/iran", [], "2019-05"),
      (3, "id/state/turkey", "opposes", "id/state/iran", [], None)]),
    # an opening sentence without an assertion; a month takes the document's year
    ([["In March, talks were held", "India opposes Iran in the region"]], "2018-04-01",
     [(2, "id/state/india", "opposes", "id/state/iran", [], "2018-03")]),
    # an opening date not set off by a comma or a dash is its sentence's event's only
    ([["Talks were held in March", "India opposes Iran in the region"]], "2018-04-01",
     [(2, "id/state/india", "opposes", "id/state/iran", [], None)]),
    ([["In 2015 talks were held in Tokyo", "India opposes Iran in the region"]], None,
     [(2, "id/state/india", "opposes", "id/state/iran", [], None)]),
    # two dates in the opening sentence: neither
    ([["Leaders met in Tokyo in 2015 and in 2016", "India opposes Iran"]], None,
     [(2, "id/state/india", "opposes", "id/state/iran", [], None)]),
])
def test_a_paragraph_takes_the_single_date_of_its_opening_sentence(
        tools, paragraphs, date, expected) -> None:
    assert _run(tools, paragraphs, date) == expected


@pytest.mark.parametrize("anaphor", ["Both countries", "BOTH COUNTRIES", "BOTH COUNTRİES"])
def test_a_plural_anaphor_in_any_case_takes_the_last_pair(tools, anaphor: str) -> None:
    """"İ" matches "i" ignoring case but lower-cases to "i̇": the anaphor is still known."""
    assert _run(tools, [["Japan and India met", f"{anaphor} oppose Iran"]]) == [
        (2, "id/state/india", "opposes", "id/state/iran", [], None),
        (2, "id/state/japan", "opposes", "id/state/iran", [], None)]


@pytest.mark.parametrize(("paragraphs", "expected"), [
    # a plural noun phrase that speaks is its pair ("stress": a plural's verb)
    ([["Japan and India met", "The two countries stress that they support Iran"]],
     [(2, "id/state/india", "supports", "id/state/iran",
       ["id/state/india", "id/state/japan"], None),
      (2, "id/state/japan", "supports", "id/state/iran",
       ["id/state/india", "id/state/japan"], None)]),
    # ... and one that does not speak is no speaker
    ([["Japan and India met", "The two countries support Iran"]],
     [(2, "id/state/india", "supports", "id/state/iran", [], None),
      (2, "id/state/japan", "supports", "id/state/iran", [], None)]),
    # "they" is no speaker: its pair is the last one named of any kind
    ([["Japan and India met", "They stress that Turkey opposes Iran"]],
     [(2, "id/state/turkey", "opposes", "id/state/iran", [], None)]),
])
def test_a_plural_anaphor_that_speaks_is_its_pair(tools, paragraphs, expected) -> None:
    assert _run(tools, paragraphs) == expected


@pytest.mark.parametrize(("paragraphs", "expected"), [
    # a quotation opened by a speaker runs on over the next sentences: theirs
    ([["Japan declared that it “values peace", "India supports Iran.”",
       "Turkey opposes Iran"]],
     [(2, "id/state/india", "supports", "id/state/iran", ["id/state/japan"], None),
      (3, "id/state/turkey", "opposes", "id/state/iran", [], None)]),
    # straight quotes alike
    ([['Japan declared that it "values peace', 'India supports Iran."']],
     [(2, "id/state/india", "supports", "id/state/iran", ["id/state/japan"], None)]),
    # a closed quotation carries nothing over
    ([["Japan declared that it “values peace”", "India supports Iran"]],
     [(2, "id/state/india", "supports", "id/state/iran", [], None)]),
    # nor past its paragraph
    ([["Japan declared that it “values peace"], ["India supports Iran"]],
     [(2, "id/state/india", "supports", "id/state/iran", [], None)]),
    # a quotation opened without a speaker: none
    ([["Observers in Japan spoke of “peace", "India supports Iran.”"]],
     [(2, "id/state/india", "supports", "id/state/iran", [], None)]),
])
def test_a_quotation_over_several_sentences_is_its_speakers(
        tools, paragraphs, expected) -> None:
    assert _run(tools, paragraphs) == expected


def test_a_resolved_anaphor_denotes_every_entity_it_stands_for(tools) -> None:
    """"Both powers" stands for Japan and India; India is named again in its sentence
    ("India's aid"), Japan is not: the anaphor's span is kept for both (one ent:denotes per
    entity: an audit found it denoting one of the pair)."""
    linker, extractor = tools
    parts = ["Japan and India met", "Both powers provided aid to Iran (India's aid was larger)"]
    text = ". ".join(parts)
    doc = SourceDocument("t.txt", text, "0" * 64, len(text), DocumentMeta(slug="t"))
    sentences = [Sentence(1, 0, len(parts[0]), parts[0], 0),
                 Sentence(2, len(parts[0]) + 2, len(text), parts[1], 0)]
    mentions, minted = linker.link(doc, sentences)
    extractor.extract(doc, sentences, mentions, minted)
    both = sorted(m.entity.removeprefix(BASE) for m in mentions if m.text == "Both powers")
    assert both == ["id/state/india", "id/state/japan"]
