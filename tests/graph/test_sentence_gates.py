"""The first-character gates in front of the sentence step's continuation expressions: every
character that can start a match of the expression passes its gate (so the gate never hides
a match)."""

from __future__ import annotations

import sys

from entente.graph.sentences import (
    _CLOSERS,
    _CONTINUATION_BODY,
    _CONTINUATION_FIRST,
    _HAS_WORD,
    _LEADING_CLOSER,
)


def _characters() -> list[str]:
    # the Basic Multilingual Plane (the gates' characters, and digits, lie in it) and every
    # decimal digit beyond it (what else could start a match there: no class holds one)
    bmp = [chr(c) for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF]
    return bmp + list(filter(str.isdecimal, map(chr, range(0x10000, sys.maxunicode + 1))))


def test_gates_cover_every_opening_character() -> None:
    chars = _characters()
    # (one match call per character, in C-level passes: the test stays fast)
    body = [c for c, m in zip(chars, map(_CONTINUATION_BODY.match, map("{}1]".format, chars)),
                              strict=True) if m.end()]
    closer = [c for c, m in zip(chars, map(_LEADING_CLOSER.match, map("{} ".format, chars)),
                                strict=True) if m]
    assert "[" in body and "7" in body and "\u0663" in body and "”" in closer  # (it works)
    assert [c for c in body if c not in _CONTINUATION_FIRST and not c.isdecimal()] == []
    assert [c for c in closer if c not in _CLOSERS] == []


def test_alphanumeric_characters_are_word_characters() -> None:
    """A sentence opening with an isalnum() character has a \\w without the search."""
    alnum = list(filter(str.isalnum, _characters()))
    assert [c for c, m in zip(alnum, map(_HAS_WORD.match, alnum), strict=True) if not m] == []
