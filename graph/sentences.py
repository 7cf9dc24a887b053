"""Sentences with exact character offsets, from the content segments of a document.

Content is first cut into paragraphs (blocks separated by blank lines; inside a
block, a short unpunctuated line such as a heading is a paragraph of its own), so
sentences never run across paragraphs.  Each paragraph goes through spaCy's blank
English tokenizer and rule-based ``sentencizer`` (its tokenizer exceptions keep
"U.S.", "U.N.", "Dr." and the like whole, so they do not end sentences).  One cheap
rule is added on top: a footnote marker glued to sentence-final punctuation
("rampant.2 Much", "ties.[3] Then") ends the sentence after the marker.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, count
from typing import NamedTuple

import spacy
from entente.graph.model import Segment, Sentence, SourceDocument
from entente.graph.regex_analysis import accelerated
from entente.graph.tokenizer import MAX_LENGTH, SpanCachingTokenizer, prepare_tokenizer
from spacy.attrs import IDX, SPACY
from spacy.language import Language
from spacy.tokens import Doc

_BLANK_LINES = re.compile(r"\n[ \t\r\f\v]*\n")
_TERMINAL = re.compile(r"[.!?…]['\"”’)\]]*$")
_HAS_WORD = re.compile(r"\w")
#: two sentence-final marks as one token (not "...", an ellipsis of three)
_DOUBLE_MARKS = frozenset({"..", "?!", "!?", "!!", "??"})
_DOUBLE_MARK = re.compile(r"(?<![.!?])[.!?][.!?](?![.!?])")
#: sentence-final punctuation + footnote number, before the next sentence's capital
_FOOTNOTE_BREAK = re.compile(
    r"(?<=[^\W\d_]|[”\"’)])[.!?][”\"’)]*(?:[\d¹²³⁴⁵⁶⁷⁸⁹⁰]{1,3}|\[\d{1,3}\])(?=\s+[A-Z“\"‘(])"
)
_FOOTNOTE_FINDER = accelerated(_FOOTNOTE_BREAK)  # the same matches, found faster
#: what every footnote break holds: sentence-final punctuation, closers, a digit or "["
#: (one scan of the paragraph; most have none, and their sentences are not searched)
_FOOTNOTE_HINT = re.compile(r"[.!?][”\"’)]*[\d\[¹²³⁴⁵⁶⁷⁸⁹⁰]")
#: a piece that is only closing quotes and a footnote marker (the whole piece: fullmatch)
_CONTINUATION_BODY = re.compile(r"[”\"’)\]]*(?:[\d¹²³⁴⁵⁶⁷⁸⁹⁰]{1,3}|\[\d{1,3}\])?")
_LEADING_CLOSER = re.compile(r"[”’)\]]+(?:[\d¹²³⁴⁵⁶⁷⁸⁹⁰]{1,3}|\[\d{1,3}\])?(?=\s)")
_CLOSERS = frozenset("”’)]")  # what a _LEADING_CLOSER match starts with
_CONTINUATION_FIRST = frozenset("”\"’)][¹²³⁴⁵⁶⁷⁸⁹⁰")  # ... a _CONTINUATION_BODY one (or a digit)
HEADING_MAX_WORDS = 12
#: a list item's marker at a line start: "- ", "• ", "* ", "1. ", "2) ", "(a) "
_BULLET = re.compile(r"(?:[-–—•*·▪●◦‣]|\d{1,2}[.)]|\([a-z0-9]{1,3}\))\s+")
#: The longest sentence, in characters.  A longer "sentence" is text without sentence
#: punctuation (a table or a list run together, a page scraped as one line): it is cut into
#: pieces of at most this size, after the last ";" or "," (else whitespace) of the second
#: half of each piece.  The relation rules look at every mention of a sentence for every
#: trigger in it, so one 270,000-character sentence took 30 CPU seconds (and its evidence
#: quote would be useless); natural sentences are far shorter (the corpus's longest: 419).
MAX_SENTENCE_CHARS = 2000
_CUT_MARKS = (";", ",")


_ARRAY = [IDX, SPACY]
_new = tuple.__new__


@lru_cache(maxsize=1)
def _nlp() -> Language:
    nlp = spacy.blank("en")
    prepare_tokenizer(nlp)
    nlp.max_length = MAX_LENGTH
    nlp.add_pipe("sentencizer")
    return nlp


@lru_cache(maxsize=1)
def _tokenizer() -> SpanCachingTokenizer:
    return SpanCachingTokenizer(_nlp())


def load_pipeline() -> None:
    """Build the spaCy pipeline now (once per process; worker processes forked later share it)."""
    _marks()
    _tokenizer()


class SegmentTokens(NamedTuple):
    """A content segment as tokenised once for sentence splitting: its ``Doc`` (the text
    from ``start`` on) and the token arrays, offsets relative to ``start``."""

    start: int  # character offset in the document text of the Doc's first character
    doc: Doc
    starts: list[int]  # token start offsets
    lengths: list[int]  # token lengths in characters
    ends: list[int]  # token end offsets


class ParagraphTokens(NamedTuple):
    """One paragraph as tokenised for sentence splitting: tokens ``offset`` to ``stop`` - 1
    of its content segment's ``Doc`` (shared by the segment's paragraphs: ``segment``).  A
    named tuple (immutable, like the extraction records): cheaper to make than a frozen
    dataclass, and the linker unpacks it."""

    start: int  # character offsets of the paragraph in the document text
    end: int
    doc: Doc
    offset: int  # index in ``doc`` of the paragraph's first token
    stop: int  # index in ``doc`` after the paragraph's last token
    segment: SegmentTokens  # the segment's token arrays (``doc``'s)

    @property
    def starts(self) -> list[int]:
        """The token start offsets, relative to ``start`` (made on each access)."""
        seg = self.segment
        shift = self.start - seg.start
        return [s - shift for s in seg.starts[self.offset:self.stop]]

    @property
    def lengths(self) -> list[int]:
        """The token lengths in characters."""
        return self.segment.lengths[self.offset:self.stop]


@dataclass(frozen=True)
class SplitText:
    """The sentences of a document and the tokenised paragraphs they were cut from
    (``Sentence.paragraph`` indexes ``paragraphs``), for steps that reuse the tokens."""

    sentences: list[Sentence]
    paragraphs: list[ParagraphTokens]


def split_sentences(doc: SourceDocument, segments: list[Segment]) -> list[Sentence]:
    """The sentences of the content segments, in document order, numbered from 1."""
    return split_text(doc, segments).sentences


def split_text(doc: SourceDocument, segments: list[Segment]) -> SplitText:
    """The sentences of the content segments (document order, numbered from 1) with the
    tokenised paragraphs they were cut from.

    Each content segment is tokenised once, as one ``Doc`` (spaCy builds a ``Doc`` at a cost
    of its own; a paragraph has only a few sentences).  A paragraph's tokens are those of
    the ``Doc`` that lie inside it: the tokenizer cuts the text at whitespace first and
    treats every chunk on its own, and a paragraph starts and ends next to whitespace."""
    text = doc.text
    tokenize = _tokenizer()
    marks, single = _marks()
    tokenised: list[ParagraphTokens] = []
    sentences: list[Sentence] = []
    for seg in segments:
        if seg.kind != "content":
            continue
        spans = paragraph_spans(text, seg.start, seg.end)
        if not spans:
            continue
        first = spans[0][0]
        chunk = text[first:spans[-1][1]]
        parsed = tokenize(chunk)
        seg_tokens = _segment_tokens(parsed, first, len(chunk))
        all_starts, all_ends = seg_tokens.starts, seg_tokens.ends
        mark_hits = _mark_tokens(chunk, all_starts, seg_tokens.lengths, marks, single)
        t = 0
        for p_start, p_end in spans:
            shift = p_start - first
            a = bisect_left(all_starts, shift, t)
            t = bisect_left(all_starts, p_end - first, a)
            number = len(tokenised)
            tokenised.append(_new(ParagraphTokens, (p_start, p_end, parsed, a, t, seg_tokens)))
            ptext = text[p_start:p_end]
            hits = mark_hits[bisect_left(mark_hits, a):bisect_left(mark_hits, t)]
            spans_of = _sentencizer(parsed, chunk, all_starts, all_ends, a, t, shift, hits)
            for start, end in _bounded(ptext, _pieces(ptext, spans_of)):
                # (\w is isalnum() or "_": most sentences open with a word character)
                if ptext[start].isalnum() or _HAS_WORD.search(ptext, start, end):
                    # (index, start, end, text, paragraph): the named tuple made directly,
                    # without the Python-level __new__ it generates (less than half the cost)
                    sentences.append(_new(Sentence, (
                        len(sentences) + 1, p_start + start, p_start + end,
                        ptext[start:end], number)))
    return SplitText(sentences, tokenised)


def _segment_tokens(doc: Doc, start: int, size: int) -> SegmentTokens:
    """The token arrays of ``doc`` (the text of ``size`` characters from ``start`` on).

    Offsets and the trailing-space flags come from the token structs (``to_array`` of
    ``IDX``, ``SPACY``: attributes of the lexemes, such as ``LENGTH``, cost a look-up per
    token): a token ends where the next one starts, less its trailing space (whitespace
    other than one space is a token of its own), the last one at the end of the text."""
    if not len(doc):
        return _new(SegmentTokens, (start, doc, [], [], []))
    array = doc.to_array(_ARRAY).astype("int64")  # (a numpy array)
    starts = array[:, 0]
    ends = starts.copy()
    ends[:-1] = starts[1:]
    ends[-1] = size
    ends -= array[:, 1]
    return _new(SegmentTokens, (start, doc, starts.tolist(), (ends - starts).tolist(),
                                ends.tolist()))


def _mark_tokens(text: str, starts: list[int], lengths: list[int],
                 marks: frozenset[str], single: bool) -> list[int]:
    """The indices of the tokens that are sentence-final marks (".", "!", "?" ...), in order.

    ``single``: every mark is one character; then only one-character tokens are looked up
    (found in one C-level pass, ``compress`` over the lengths equal to 1).
    """
    if single:
        hits = [i for i in compress(count(), map((1).__eq__, lengths))
                if text[starts[i]] in marks]
    else:
        hits = [i for i, (s, length) in enumerate(zip(starts, lengths, strict=True))
                if text[s:s + length] in marks]
    if _DOUBLE_MARK.search(text) is not None:
        # an abbreviation's point and the sentence's ("with the U.S.. Cameroon ..."), or
        # "?!": spaCy splits them off as one token, which is no mark of the sentencizer's
        hits = sorted({*hits, *(i for i in compress(count(), map((2).__eq__, lengths))
                                if text[starts[i]:starts[i] + 2] in _DOUBLE_MARKS)})
    return hits


def _sentencizer(doc: Doc, text: str, starts: list[int], ends: list[int], a: int, b: int,
                 shift: int, hits: list[int]) -> list[tuple[int, int]]:
    """(start char, end char) of spaCy's ``sentencizer`` sentences in tokens a..b-1 of
    ``doc`` (its ``text``; offsets ``starts``, ``ends``), relative to the character
    ``shift``.

    Its rule: after a token in its marks (".", "!", "?" ...), the next token that is neither
    punctuation nor a mark starts a sentence.  ``hits``: the indices of the mark tokens, in
    order (:func:`_mark_tokens`).  Whether a token is punctuation is asked only of the
    tokens after a mark (the lexeme flag for every token cost more), and not of those
    opening with a letter or digit (punctuation is made of punctuation characters only:
    ``IS_PUNCT``; a ``Token`` for each costs more than the test).
    """
    if a >= b:
        return []
    is_mark = set(hits)
    bounds = [a]
    i = a
    for h in hits:
        if h < i:
            continue
        j = h + 1
        while j < b and (j in is_mark or not text[starts[j]].isalnum() and doc[j].is_punct):
            j += 1
        if j < b:
            bounds.append(j)
        i = j
    bounds.append(b)
    return [(starts[x] - shift, ends[y - 1] - shift)
            for x, y in zip(bounds, bounds[1:], strict=False)]


@lru_cache(maxsize=1)
def _marks() -> tuple[frozenset[str], bool]:
    """The sentencizer's sentence-final marks; whether each is a single character."""
    marks = frozenset(_nlp().get_pipe("sentencizer").punct_chars)
    return marks, all(len(m) == 1 for m in marks)


def paragraph_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Paragraphs (trimmed (start, end) spans) of ``text[start:end]``."""
    spans: list[tuple[int, int]] = []
    pos = start
    chunk = text[start:end]
    for match in _BLANK_LINES.finditer(chunk):
        spans.extend(_block_paragraphs(text, pos, start + match.start()))
        pos = start + match.end()
    spans.extend(_block_paragraphs(text, pos, end))
    return spans


def _block_paragraphs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split one block at heading lines (short, unpunctuated, markedly shorter lines)."""
    lines: list[tuple[int, int]] = []
    pos = start
    for raw in text[start:end].split("\n"):
        s, e = _trim(text, pos, pos + len(raw))
        if e > s:
            lines.append((s, e))
        pos += len(raw) + 1
    if len(lines) < 2:
        return lines  # (a heading needs another line in its block)
    longest = max(e - s for s, e in lines)
    spans: list[tuple[int, int]] = []
    current: tuple[int, int] | None = None
    for s, e in lines:
        line = text[s:e]
        heading = (
            (e - s) < 0.6 * longest
            and not _TERMINAL.search(line)
            and len(line.split()) <= HEADING_MAX_WORDS
        )
        if heading:
            if current:
                spans.append(current)
            spans.append((s, e))
            current = None
        elif current and _BULLET.match(line):  # a list item starts anew (its text may be
            spans.append(current)  # unpunctuated: "- China supports Russia")
            current = (s, e)
        else:
            current = (current[0], e) if current else (s, e)
    if current:
        spans.append(current)
    return spans


def _pieces(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """spaCy's sentence spans, split at footnote breaks, re-joined where the split was wrong.

    A piece that is only closing quotes/footnote markers ("”7") or that starts in lower
    case ("in Russia." after "etc.") continues the previous sentence.
    """
    pieces: list[tuple[int, int]] = []
    markers = _FOOTNOTE_HINT.search(text) is not None  # (a footnote break needs one)
    for span_start, span_end in spans:
        split = _footnote_split(text, span_start, span_end) if markers \
            else [(span_start, span_end)]
        for start, end in split:
            start, end = _trim(text, start, end)
            if end <= start:
                continue
            first = text[start]  # (the two expressions below are tried only where their
            # first character is: a closer, a digit (\d: Unicode category Nd, isdecimal) or "[")
            closer = _LEADING_CLOSER.match(text, start, end) \
                if pieces and first in _CLOSERS else None
            if closer:  # "”7 Then ..." -> the quote and marker end the previous sentence
                pieces[-1] = (pieces[-1][0], closer.end())
                start, end = _trim(text, closer.end(), end)
                if end <= start:
                    continue
            if pieces and (text[start].islower()
                           or (text[start] in _CONTINUATION_FIRST or text[start].isdecimal())
                           and _CONTINUATION_BODY.fullmatch(text, start, end)):
                pieces[-1] = (pieces[-1][0], end)
            else:
                if pieces:
                    pieces[-1], start = _opening_quote_moved(text, pieces[-1], start)
                pieces.append((start, end))
    return pieces


def _opening_quote_moved(text: str, last: tuple[int, int], start: int
                         ) -> tuple[tuple[int, int], int]:
    """(``last``, ``start``) with a straight quote that ends ``last`` after a space moved to
    the next sentence, which it opens: spaCy ends ``he said. "`` at the quote, and the
    evidence of both sentences was off by it (``"While China will oppose ...`` lost its
    opening mark)."""
    begin, end = last
    # (it must touch the next sentence's first word: in 'He said: "We will win. " Then' the
    # quote after a space closes the first sentence)
    if end - begin < 3 or text[end - 1] not in "\"'" or not text[end - 2].isspace() \
            or start != end:
        return last, start
    kept = end - 2
    while kept > begin and text[kept - 1].isspace():
        kept -= 1
    return (begin, kept), end - 1


def _bounded(text: str, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The pieces, each longer than :data:`MAX_SENTENCE_CHARS` cut into parts no longer."""
    if all(end - start <= MAX_SENTENCE_CHARS for start, end in pieces):
        return pieces
    out: list[tuple[int, int]] = []
    for start, end in pieces:
        while end - start > MAX_SENTENCE_CHARS:
            cut = _cut(text, start, start + MAX_SENTENCE_CHARS)
            a, b = _trim(text, start, cut)
            if b > a:
                out.append((a, b))
            start, end = _trim(text, cut, end)
        if end > start:
            out.append((start, end))
    return out


def _cut(text: str, start: int, limit: int) -> int:
    """Where to cut text[start:limit] (a piece too long): after its last ";", else ",", else
    before its last whitespace in the second half; at ``limit`` when there is none."""
    floor = start + (limit - start) // 2
    for mark in _CUT_MARKS:
        i = text.rfind(mark, floor, limit)
        if i >= 0:
            return i + 1
    for i in range(limit - 1, floor - 1, -1):
        if text[i].isspace():
            return i
    return limit


def _footnote_split(text: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces: list[tuple[int, int]] = []
    pos = start
    for match in _FOOTNOTE_FINDER.finditer(text, start, end):
        pieces.append((pos, match.end()))
        pos = match.end()
    pieces.append((pos, end))
    return pieces


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
