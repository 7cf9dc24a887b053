"""The spaCy tokenizer the sentence splitter and the linker share (they must cut a text
alike): spaCy's blank English tokenizer with the abbreviations it lacks kept whole, none of
the special cases that would corrupt its memory, only the lexeme attributes the pipelines
read, every whitespace-delimited span cached (:class:`SpanCachingTokenizer`) and the affixes
of very long spans peeled in linear time (:class:`AffixPeeler`).  See docs/extraction.md,
"Sentences"."""

from __future__ import annotations

import re
import sys

from spacy.attrs import IS_PUNCT, IS_SPACE, LOWER, NORM, ORTH
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

#: ``Language.max_length`` of the tokenizer-only pipelines (the sentence splitter's and the
#: linker's): none.  spaCy's default, 1,000,000 characters, guards the memory of its parser and NER
#: (~1 GB per 100,000 characters), which are not used; a tokenizer's memory grows with the
#: text (a segment of 1.4 MB: ~60 MB).  The corpus reader bounds the documents
#: (``ENTENTE_MAX_DOCUMENT_BYTES``, 20 MB by default: at most as many characters).
MAX_LENGTH = sys.maxsize


#: abbreviations spaCy's English exceptions lack, kept whole so that their point ends no
#: sentence ("Pres. Xi", "Foreign Min. Lavrov", "approx. 200 tanks", "Order No. 14024")
ABBREVIATIONS = ("Pres.", "Min.", "approx.", "Approx.", "No.", "Nos.", "Lt.", "Col.", "Amb.",
                 "Maj.", "Capt.", "Cmdr.", "Brig.", "Sgt.", "Fig.", "Art.", "Vol.", "est.",
                 "Sr.", "Dept.", "Govt.", "Sec.", "Secs.", "Ch.", "Para.", "Pt.")

#: dotted names whose last point may also end the sentence ("with the U.S.. Then"): that
#: point is a token of its own, the name stays whole (spaCy's affixes give "U.S" "..")
DOTTED_NAMES = ("U.S.", "U.K.", "U.N.", "E.U.", "U.S.S.R.", "P.R.C.", "D.P.R.K.", "R.O.K.")


#: the lexeme attributes the pipeline reads (:func:`prepare_tokenizer`)
LEXEME_ATTRS = frozenset({LOWER, NORM, IS_PUNCT, IS_SPACE})


def prepare_tokenizer(nlp: Language) -> None:
    """The sentence splitter's and the linker's tokenizer (they must cut alike):
    :data:`ABBREVIATIONS` kept whole, and no special case that spaCy may apply to affix
    tokens by growing them (:func:`growing_special_cases`)."""
    tokenizer = nlp.tokenizer
    for abbreviation in ABBREVIATIONS:
        tokenizer.add_special_case(abbreviation, [{ORTH: abbreviation}])
    for name in DOTTED_NAMES:  # (as many tokens as the affixes give: no growing case)
        tokenizer.add_special_case(name + ".", [{ORTH: name}, {ORTH: "."}])
    growing = growing_special_cases(nlp)
    if growing:
        tokenizer.rules = {k: v for k, v in tokenizer.rules.items() if k not in growing}
    # each word first seen makes a lexeme, whose attributes spaCy computes by calling one
    # Python function per attribute (23 in English: shape, prefix, like_num ...); the
    # pipeline reads only these (the phrase matchers LOWER, the sentencizer IS_PUNCT)
    nlp.vocab.lex_attr_getters = {attr: get for attr, get in nlp.vocab.lex_attr_getters.items()
                                  if attr in LEXEME_ATTRS}


def special_case_splits(nlp: Language) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """Each special case of ``nlp``'s tokenizer: its string, the tokens its affix rules alone
    give that string, and the tokens the special case gives it."""
    tokenizer = nlp.tokenizer
    bare = Tokenizer(nlp.vocab, rules={}, prefix_search=tokenizer.prefix_search,
                     suffix_search=tokenizer.suffix_search,
                     infix_finditer=tokenizer.infix_finditer,
                     token_match=tokenizer.token_match, url_match=tokenizer.url_match)
    return [(string, tuple(t.text for t in bare(string)),
             tuple(str(d.get(ORTH, d.get("ORTH", ""))) for d in substrings))
            for string, substrings in (tokenizer.rules or {}).items()]


def growing_special_cases(nlp: Language) -> set[str]:
    """The special cases of ``nlp``'s tokenizer that make more tokens than its affix rules
    give the same string, among those it also looks for after the affixes are split
    (English: "°C.", "°F.", "°K." -> "°" "C" "."; the affix rules give "°" "C.").

    spaCy (3.8.18) applies those in ``Tokenizer._apply_special_cases``, which copies the
    tokens back into the ``Doc`` by the longest length reached on the way, not the final
    one: where the growing cases come before enough shrinking ones ("’" "’" -> "’’", "Dr"
    "." -> "Dr."), it writes past the ``Doc``'s memory and the process aborts ("double free
    or corruption").  Without them no text grows there, and the copy stays in place."""
    tokenizer = nlp.tokenizer
    return {string for string, split, special in special_case_splits(nlp)
            if len(special) > len(split)
            and (not tokenizer.faster_heuristics or tokenizer.find_prefix(string)
                 or tokenizer.find_infix(string) or tokenizer.find_suffix(string)
                 or " " in string)}


#: Whitespace-delimited spans a tokenizer's cache may hold (spaCy's default: 10,000), and
#: the most :class:`SpanCachingTokenizer` primes.
TOKEN_CACHE_SPANS = 200_000


class SpanCachingTokenizer:
    """``nlp.make_doc`` with every whitespace-delimited span of the text in the tokenizer's
    cache.

    spaCy (3.8) caches the tokens of each span it splits by its affix rules, but stops saving
    them for the rest of a text once any span of it matched a special case ("Dr.", "U.S.",
    "cannot": ``Tokenizer._tokenize_affixes`` sets its ``has_special`` flag once per call and
    never resets it per span), so most spans of a page were split anew wherever they occurred.
    A span not seen before is tokenised alone first, which caches it unless it holds a special
    case itself: the same tokens, in about half the tokenizer time on real text.  At most
    ``limit`` spans are primed (the tokenizer's cache is made that large)."""

    def __init__(self, nlp: Language, limit: int = TOKEN_CACHE_SPANS) -> None:
        self.nlp = nlp
        self.limit = limit
        self.seen: set[str] = set()
        self.peeler = AffixPeeler(nlp)
        nlp.tokenizer.max_cache_size = max(nlp.tokenizer.max_cache_size, limit)

    def __call__(self, text: str) -> Doc:
        seen = self.seen
        long = False  # whether a span is longer than LONG_SPAN (see AffixPeeler)
        if len(seen) < self.limit:
            new = set(text.split())
            new -= seen
            if new:
                tokenizer = self.nlp.tokenizer
                for span in new:  # (any order: each span's tokens are its own)
                    if len(span) <= LONG_SPAN:
                        tokenizer(span)
                    else:  # (not primed, nor kept in ``seen``: new wherever it occurs)
                        long = True
                seen |= {span for span in new if len(span) <= LONG_SPAN} if long else new
        elif len(text) > LONG_SPAN:
            long = max(map(len, text.split())) > LONG_SPAN
        if long and self.peeler.usable:
            return self.peeler.make_doc(text)
        return self.nlp.make_doc(text)


#: Whitespace-free spans longer than this are split by :class:`AffixPeeler` (natural text's
#: longest are URLs, a few hundred characters).
LONG_SPAN = 256
_LONG_SPAN = re.compile(rf"\S{{{LONG_SPAN + 1},}}")
#: Up to this length a long span where a special case ("’’", an emoticon) may take in a
#: peeled affix is split by spaCy itself (the same tokens; in up to ~0.03 s); a longer one
#: keeps the peeled affixes as tokens, without those special cases.
EXACT_SPAN = 512


class AffixPeeler:
    """spaCy's tokens of a text with whitespace-free spans longer than :data:`LONG_SPAN`,
    in time linear in their length.

    spaCy (3.8) splits a span's prefixes and suffixes one at a time, and each step searches
    the whole rest of the span for a suffix and hashes it: a span opening or closing with a
    run of n brackets, quotes, asterisks or "=" costs time in n squared (2,000 in 0.4 s,
    40,000 in 155 s: a broken page could stall a build for hours).  Here the affixes of such
    a span are found as ``Tokenizer._split_affixes`` finds them, one step at a time, but each
    search looks at a window at the span's edge (doubled while a match reaches its far side,
    as a run of dots does).  spaCy then tokenises the text without the peeled affixes, in
    one call (the last few peeled on each side are left to it, so that it sees the special
    cases at the edge of what is left), and the peeled affixes are put back as tokens.
    Where a special case ("’’", an emoticon) could take in a peeled affix, spaCy splits the
    span itself (slowly) if it is at most :data:`EXACT_SPAN` long; a longer one keeps the
    peeled affixes as tokens, without such special cases.  Otherwise the same tokens as
    ``nlp.make_doc`` (tests/graph/test_tokenizer.py compares them on random texts)."""

    WINDOW = 16  # characters an affix search looks at
    MARGIN = 8  # a match must end this far inside its window (lookarounds, longer matches)

    def __init__(self, nlp: Language) -> None:
        tokenizer = nlp.tokenizer
        self.nlp = nlp
        self.prefix_search = tokenizer.prefix_search
        self.suffix_search = tokenizer.suffix_search
        # the special cases that spaCy applies to the tokens its affix rules give (after
        # the split: "’" "’" -> "’’"), as token sequences, those that change the tokens
        self.patterns: dict[str, list[tuple[str, ...]]] = {}
        rules = tokenizer.rules or {}
        for _, split, special in special_case_splits(nlp):
            if split != special:
                self.patterns.setdefault(split[0], []).append(split)
        self.longest = max((len(p) for ps in self.patterns.values() for p in ps), default=1)
        # the rest of a span is searched only while it is longer than any special case
        # ("Dr.", "cannot", ...), which spaCy looks up at every step
        self.keep = max(64, 2 * max(map(len, rules), default=0))
        # (a token_match is tried on the whole rest at each step: not with one)
        self.usable = tokenizer.token_match is None and self.prefix_search is not None \
            and self.suffix_search is not None

    def peel(self, span: str) -> tuple[list[str], str, list[str]]:
        """The prefixes spaCy splits off ``span`` (a whitespace-free span), what is left to
        split, and the suffixes (in text order)."""
        prefix_search, suffix_search = self.prefix_search, self.suffix_search
        window, keep = self.WINDOW, self.keep
        prefixes: list[str] = []
        suffixes: list[str] = []
        i, j = 0, len(span)
        while j - i > keep:
            # a match that reaches its window's far side may go on beyond it ("........"):
            # the window is doubled until it does not, or holds the whole rest
            size = window
            while (found := prefix_search(span[i:min(i + size, j)])) is not None \
                    and found.end() > size - self.MARGIN and i + size < j:
                size *= 2
            pre = 0
            if found is not None:
                if found.start() != 0:
                    break  # (not surely what a search of the whole rest finds)
                pre = found.end()
            size = window
            while (found := suffix_search(span[max(i + pre, j - size):j])) is not None \
                    and found.start() < self.MARGIN and j - size > i + pre:
                size *= 2
            suf = 0
            if found is not None:
                if found.end() != j - max(i + pre, j - size):
                    break
                suf = found.end() - found.start()
            if pre and suf and pre + suf <= j - i:
                prefixes.append(span[i:i + pre])
                suffixes.append(span[j - suf:j])
                i, j = i + pre, j - suf
            elif pre:
                prefixes.append(span[i:i + pre])
                i += pre
            elif suf:
                suffixes.append(span[j - suf:j])
                j -= suf
            else:
                break
        suffixes.reverse()
        return prefixes, span[i:j], suffixes

    def _special_in(self, tokens: list[str], first: int, last: int) -> bool:
        """Whether a special case's token sequence in ``tokens`` takes in one of tokens
        ``first`` .. ``last``."""
        patterns = self.patterns
        for k in range(max(0, first - self.longest + 1), last + 1):
            for pattern in patterns.get(tokens[k], ()):
                if k + len(pattern) > first and tuple(tokens[k:k + len(pattern)]) == pattern:
                    return True
        return False

    def make_doc(self, text: str) -> Doc:
        """``nlp.make_doc(text)``, the long spans' affixes peeled."""
        guard = self.longest
        kept: list[str] = []  # the text without the peeled affixes
        # per long span: (the offset in the kept text where its rest starts, where it ends,
        # the prefixes and suffixes peeled)
        peeled: list[tuple[int, int, list[str], list[str]]] = []
        at = removed = 0
        for long in _LONG_SPAN.finditer(text):
            prefixes, rest, suffixes = self.peel(long.group())
            if len(prefixes) <= guard and len(suffixes) <= guard:
                continue
            # the last few affixes peeled on each side go back to the rest, so that spaCy
            # sees the special cases at its edges; a special case that would take in a
            # peeled affix ("’" "’" -> "’’") leaves a span up to EXACT_SPAN to spaCy
            cut_pre = max(0, len(prefixes) - guard)
            cut_suf = min(len(suffixes), guard)
            if len(long.group()) <= EXACT_SPAN and (
                    cut_pre and self._special_in(prefixes, 0, cut_pre - 1)
                    or len(suffixes) > cut_suf
                    and self._special_in(suffixes, cut_suf, len(suffixes) - 1)):
                continue
            rest = "".join(prefixes[cut_pre:]) + rest + "".join(suffixes[:cut_suf])
            prefixes, suffixes = prefixes[:cut_pre], suffixes[cut_suf:]
            start = long.start() - removed
            kept.append(text[at:long.start()])
            kept.append(rest)
            peeled.append((start, start + len(rest), prefixes, suffixes))
            removed += long.end() - long.start() - len(rest)
            at = long.end()
        if not peeled:
            return self.nlp.make_doc(text)
        kept.append(text[at:])
        doc = self.nlp.make_doc("".join(kept))
        words: list[str] = []
        spaces: list[bool] = []
        tokens = iter(doc)
        for start, end, prefixes, suffixes in peeled:
            for token in tokens:
                if token.idx == start:
                    break
                words.append(token.text)
                spaces.append(bool(token.whitespace_))
            else:  # (no token starts the rest: cannot be)
                return self.nlp.make_doc(text)
            words.extend(prefixes)
            spaces.extend([False] * len(prefixes))
            words.append(token.text)
            spaces.append(bool(token.whitespace_))
            while token.idx + len(token) < end:
                token = next(tokens)
                words.append(token.text)
                spaces.append(bool(token.whitespace_))
            if suffixes:
                space = spaces[-1]
                spaces[-1] = False
                words.extend(suffixes)
                spaces.extend([False] * len(suffixes))
                spaces[-1] = space
        for token in tokens:
            words.append(token.text)
            spaces.append(bool(token.whitespace_))
        return Doc(self.nlp.vocab, words=words, spaces=spaces)
