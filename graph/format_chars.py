"""Invisible format characters: read past them, cite the text as it is.

Text taken from web pages and PDFs carries characters that are never seen: soft hyphens
(U+00AD, a line-break hint inside "Rus\\u00adsia"), zero-width spaces and joiners, direction
marks, word joiners, byte order marks in the middle of a text.  Inside a word they hide
it from the gazetteer ("Rus\\u00adsia" is no mention of Russia) and the fact is lost.

The extraction therefore reads a copy of the document without them
(:func:`strip_format_chars`) and maps every offset it found back to the document's own text
(:func:`restore_offsets`): a sentence's or mention's span is in the source text, and its
text is the source's slice, format characters included.  A text without any of them (the
common case: one regex search) is read as it is.
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_right

from entente.graph.model import DocumentExtraction, Mention, Sentence, SourceDocument

__all__ = [
    "FORMAT_CHARS", "OffsetMap", "restore_offsets", "strip_format_chars",
    "without_format_chars",
]

#: The invisible format characters (Unicode category Cf) found in English web and PDF text:
#: soft hyphen, Mongolian vowel separator, zero-width space / non-joiner / joiner,
#: left-to-right and right-to-left marks, bidirectional embeddings and overrides, word
#: joiner and invisible operators, bidirectional isolates and the deprecated format
#: characters after them, zero-width no-break space (byte order mark).
FORMAT_CHARS = re.compile(
    "[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")


class OffsetMap:
    """Offsets in a text without its format characters -> offsets in the text with them."""

    __slots__ = ("_removed",)

    def __init__(self, removed_at: list[int]) -> None:
        # the offset in the stripped text of each removed character (where it stood)
        self._removed = removed_at

    def start(self, offset: int) -> int:
        """The source offset of the character at ``offset`` in the stripped text (the
        format characters right before it stay outside a span that starts there)."""
        return offset + bisect_right(self._removed, offset)

    def end(self, offset: int, start: int) -> int:
        """The source offset of a span's exclusive end ``offset`` (``start``: the span's
        start in the stripped text): right after its last character (format characters
        right after the span stay outside it; those inside it are in it)."""
        if offset <= start:
            return self.start(start)
        return self.start(offset - 1) + 1


def strip_format_chars(text: str) -> tuple[str, OffsetMap | None]:
    """``text`` without its :data:`FORMAT_CHARS`, and the map of offsets back to ``text``
    (None: it held none, and is returned as it is)."""
    if FORMAT_CHARS.search(text) is None:
        return text, None
    removed = [m.start() - n for n, m in enumerate(FORMAT_CHARS.finditer(text))]
    return FORMAT_CHARS.sub("", text), OffsetMap(removed)


def restore_offsets(ex: DocumentExtraction, source: SourceDocument, offsets: OffsetMap) -> None:
    """``ex``, extracted from ``source``'s text without its format characters, made an
    extraction of ``source``: its segments, sentences and mentions get offsets in the
    source text, and their texts are the source's slices."""
    text = source.text
    ex.document = source
    ex.segments = [dataclasses.replace(s, start=offsets.start(s.start),
                                       end=offsets.end(s.end, s.start))
                   for s in ex.segments]
    sentences: list[Sentence] = []
    for s in ex.sentences:
        start, end = offsets.start(s.start), offsets.end(s.end, s.start)
        sentences.append(s._replace(start=start, end=end, text=text[start:end]))
    ex.sentences = sentences
    mentions: list[Mention] = []
    for m in ex.mentions:
        start, end = offsets.start(m.start), offsets.end(m.end, m.start)
        mentions.append(m._replace(start=start, end=end, text=text[start:end]))
    ex.mentions = mentions


def without_format_chars(doc: SourceDocument) -> tuple[SourceDocument, OffsetMap | None]:
    """``doc`` with its text stripped of format characters (itself when it holds none), and
    the map of offsets back (None then)."""
    text, offsets = strip_format_chars(doc.text)
    if offsets is None:
        return doc, None
    return dataclasses.replace(doc, text=text), offsets

