"""The text the extraction steps read: the document's, without what only hides or stalls.

- **Invisible format characters.** Text taken from web pages and PDFs carries characters
  that are never seen: soft hyphens (U+00AD, a line-break hint inside "Rus\\u00adsia"),
  zero-width spaces and joiners, direction marks, word joiners, byte order marks in the
  middle of a text.  Inside a word they hide it from the gazetteer ("Rus\\u00adsia" is no
  mention of Russia) and the fact is lost.  They are left out.
- **Long runs of spaces.** A run of spaces or tabs inside a line is cut to its first
  :data:`BLANK_RUN_KEPT` characters: several relation and cue expressions match a run of
  whitespace in every way it can be split, in time that grows with the square of its
  length (a sentence with 1,850 spaces: 0.34 s, one with 16: nothing to see).

The steps read that working copy (:func:`working_text`) and every offset they find is mapped
back to the document's own text (:func:`restore_offsets`): a sentence's or mention's span is
in the source text, and its text is the source's slice, with what was left out.  A text
without either (the common case: a few substring tests and one regex search) is read as it
is.
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_right

from entente.graph.model import DocumentExtraction, Mention, Sentence, SourceDocument

__all__ = [
    "BLANK_RUN_KEPT", "FORMAT_CHARS", "OffsetMap", "restore_offsets", "working_document",
    "working_text",
]

#: The invisible format characters (Unicode category Cf) found in English web and PDF text:
#: soft hyphen, Mongolian vowel separator, zero-width space / non-joiner / joiner,
#: left-to-right and right-to-left marks, bidirectional embeddings and overrides, word
#: joiner and invisible operators, bidirectional isolates and the deprecated format
#: characters after them, zero-width no-break space (byte order mark).
FORMAT_CHARS = re.compile(
    "[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")
#: The characters of a run of whitespace inside a line (no line break) that are kept.
BLANK_RUN_KEPT = 16
_BLANK_RUN = re.compile(rf"[^\S\n\r]{{{BLANK_RUN_KEPT + 1}}}")
#: (ASCII whitespace other than the space and line breaks: a run of it is looked for)
_OTHER_ASCII_BLANK = re.compile(r"[\t\x0b\x0c\x1c-\x1f]")
_LEFT_OUT = re.compile(FORMAT_CHARS.pattern
                       + rf"|(?<=[^\S\n\r]{{{BLANK_RUN_KEPT}}})[^\S\n\r]+")


def _long_blank_run(text: str) -> bool:
    if " " * (BLANK_RUN_KEPT + 1) in text:
        return True
    if text.isascii() and _OTHER_ASCII_BLANK.search(text) is None:
        return False
    return _BLANK_RUN.search(text) is not None


class OffsetMap:
    """Offsets in the working text -> offsets in the text it was made from."""

    __slots__ = ("_removed",)

    def __init__(self, removed_at: list[int]) -> None:
        # the offset in the working text of each character left out (where it stood)
        self._removed = removed_at

    def start(self, offset: int) -> int:
        """The source offset of the character at ``offset`` in the working text (what was
        left out right before it stays outside a span that starts there)."""
        return offset + bisect_right(self._removed, offset)

    def end(self, offset: int, start: int) -> int:
        """The source offset of a span's exclusive end ``offset`` (``start``: the span's
        start in the working text): right after its last character (what was left out
        right after the span stays outside it; what was left out inside it is in it)."""
        if offset <= start:
            return self.start(start)
        return self.start(offset - 1) + 1


def working_text(text: str) -> tuple[str, OffsetMap | None]:
    """``text`` without its :data:`FORMAT_CHARS` and the excess of its long runs of spaces,
    and the map of offsets back to ``text`` (None: there was nothing to leave out, and
    ``text`` is returned as it is)."""
    if FORMAT_CHARS.search(text) is None and not _long_blank_run(text):
        return text, None
    parts: list[str] = []
    removed: list[int] = []  # where each character left out stood in the working text
    at = 0
    for m in _LEFT_OUT.finditer(text):
        parts.append(text[at:m.start()])
        removed.extend([m.start() - len(removed)] * (m.end() - m.start()))
        at = m.end()
    parts.append(text[at:])
    return "".join(parts), OffsetMap(removed)


def restore_offsets(ex: DocumentExtraction, source: SourceDocument, offsets: OffsetMap) -> None:
    """``ex``, extracted from ``source``'s working text, made an extraction of ``source``:
    its segments, sentences and mentions get offsets in the source text, and their texts
    are the source's slices."""
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


def working_document(doc: SourceDocument) -> tuple[SourceDocument, OffsetMap | None]:
    """``doc`` with its :func:`working_text` (itself when nothing is left out), and the map
    of offsets back (None then)."""
    text, offsets = working_text(doc.text)
    if offsets is None:
        return doc, None
    return dataclasses.replace(doc, text=text), offsets
