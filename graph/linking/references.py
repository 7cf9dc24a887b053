"""Gazetteer and demonym matches in a sentence: read off its segment's scan, or from the
sentence's own tokens; a demonym stands for its state only in a hyphenated pair or before a
state-role head noun."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable

from entente.graph.model import Sentence
from entente.graph.segscan import SegmentScan, View, name_word
from entente.graph.sentences import ParagraphTokens
from entente.graph.tokens import Tokens

_HYPHENS = {"-", "‐", "‑", "–"}
#: a weapon's model designation: capitals, digits and hyphens with a digit ("S-400", "Su-35")
_MODEL = re.compile(r"[A-Z][A-Za-z]*-?\d[\w-]*")
_MODEL_PLURAL = re.compile(r"[A-Z][A-Za-z]*-?\d[\w-]*\ds")  # ("S-400s", "MiG-29s")
#: where any of these three may occur in a sentence (such a sentence is tokenised by the
#: linker, not read off the segment's tokens, which the sentence splitter's tokenizer made):
#: a letter, [.!?], closing marks and a digit; a capital, a full stop, a dash and a letter; a
#: narrow or no-break space.  Each branch is anchored on its rare character and looks back
#: for the letter: an expression opening with a letter class is tried at every letter (ten
#: times the cost on a sentence)
_OWN_TOKENS = re.compile(r"[.!?,;:\u00a0\u2007\u2009\u202f](?:(?<=[^\W\d_][.!?,;:])[”\"’)]*"
                         r"[\d¹²³⁴⁵⁶⁷⁸⁹⁰]|(?<=[A-Z]\.)[-‐‑–][^\W\d_]"
                         r"|(?<=[\u00a0\u2007\u2009\u202f]))")
_new = tuple.__new__


class _ReferenceSpans:
    """The reference spans of :class:`~entente.graph.linking.Linker`."""

    def _view(self, sent: Sentence, text: str, paragraphs: list[ParagraphTokens],
              segments: dict[int, SegmentScan]) -> View | None:
        """The sentence's tokens in its segment's ``Doc`` when they are the same as the
        linker's own (no footnote brackets, which only the linker splits off; the sentence
        starts and ends where a whitespace-separated chunk does, so each chunk is tokenised
        alike); None: the sentence is tokenised anew."""
        _, start, end, sent_text, paragraph = sent  # (Sentence, ParagraphTokens: named tuples)
        if "[" in sent_text or "]" in sent_text or _OWN_TOKENS.search(sent_text) is not None:
            return None
        p_start, p_end, _, p_offset, p_stop, seg_tokens = paragraphs[paragraph]
        if not (start == p_start or text[start - 1].isspace()) \
                or not (end == p_end or text[end].isspace()):
            return None
        seg = segments.get(id(seg_tokens))
        if seg is None:
            seg = segments[id(seg_tokens)] = SegmentScan(seg_tokens, text, self.matcher,
                                                         self._labels, self.demonym_matcher,
                                                         self._lone, self._before_lone)
        starts = seg.starts
        shift = start - seg.start  # (offsets in the segment's Doc)
        shift_end = shift + end - start
        a = bisect_left(starts, shift, p_offset, p_stop)  # (within the paragraph's tokens)
        b = bisect_left(starts, shift_end, a, p_stop)
        if a < b and starts[a] == shift and seg.ends[b - 1] == shift_end:
            return _new(View, (seg, a, b, shift))
        return None

    def _view_spans(self, view: View, i: int, tokens_of: Callable[[int], Tokens],
                    ) -> tuple[list[tuple[int, int, str, str]], set[int], bool]:
        """What :meth:`_reference_spans` gives for the sentence, from its segment's scan;
        and whether a person's name may be in it: two adjacent capitalised words outside
        the reference spans (a person is a run of at least two, :meth:`ActorMinter.mint`)."""
        seg, a, b, shift = view
        found = seg.gazetteer(a, b)
        dem_starts = seg.dem_starts
        d = bisect_left(dem_starts, a)
        if d < len(dem_starts) and dem_starts[d] < b:  # (few sentences hold a demonym)
            tk = tokens_of(i)
            demonyms = [(key, s - a, e - a) for key, s, e in seg.dem[d:bisect_left(
                dem_starts, b, d)] if e <= b]
            follows = {s: e for _, s, e in demonyms}
            for key, start, end in demonyms:
                if self._stands_for_state(tk, start, end, follows):
                    found.append((start + a, end + a, self._demonyms[key]))
        if not found:
            return [], set(), seg.pair_in(a, b, ())
        spans = set()
        covered: set[int] = set()
        starts, ends = seg.starts, seg.ends
        for s, e, iri in found:
            spans.add((starts[s] - shift, ends[e - 1] - shift, iri, "reference"))
            covered.update(range(s - a, e - a))
        return sorted(spans), covered, seg.pair_in(a, b, covered)

    def _reference_spans(self, tk: Tokens) -> tuple[list[tuple[int, int, str, str]], set[int]]:
        """(start char, end char, iri, "reference") for gazetteer and demonym matches, and
        the token indices they cover."""
        found = []
        labels = self._labels
        for key, start, end in tk.matches(self.matcher):
            iri, caps = labels[key]
            for i in caps:
                if not tk.capitalised(start + i):
                    break
            else:
                if key in self._lone and (
                        end < tk.n and name_word(tk.words[end])
                        or start > 0 and name_word(tk.words[start - 1])
                        and tk.words[start - 1].lower() not in self._before_lone):
                    continue  # "Wang Wenbin", "Sergei Wang": another person than "Wang"
                found.append((start, end, iri))
        demonyms = tk.matches(self.demonym_matcher)
        if demonyms:
            follows = {s: e for _, s, e in demonyms}
            for key, start, end in demonyms:
                if self._stands_for_state(tk, start, end, follows):
                    found.append((start, end, self._demonyms[key]))
        if not found:
            return [], set()
        # all matches, overlapping ones included: link() keeps the longest (and the names
        # nested in an event or agreement name)
        spans = set()
        covered: set[int] = set()
        for s, e, iri in found:
            spans.add((tk.starts[s], tk.ends[e - 1], iri, "reference"))
            covered.update(range(s, e))
        return sorted(spans), covered

    def _stands_for_state(self, tk: Tokens, start: int, end: int,
                          follows: dict[int, int]) -> bool:
        """The demonym rule: a hyphenated pair, or before a state-role head noun."""
        n, words, lower = tk.n, tk.words, tk.lower
        if start >= 2 and words[start - 1] in _HYPHENS and not tk.ws(start - 2):
            return True  # "Sino-Russian", "US-Russian"
        if end + 1 < n and words[end] in _HYPHENS and not tk.ws(end - 1) \
                and words[end + 1][:1].isupper():
            return True
        if tk.span(start, end) in self.compound_only:
            return False  # "Sino" alone is not a mention
        j = end
        # a coordination of demonyms: "Chinese and Russian diplomats"
        while j + 1 < n and lower[j] in {"and", "or", ","} and j + 1 in follows:
            j = follows[j + 1]
        if j < n and _MODEL_PLURAL.fullmatch(words[j]):
            return True  # a plural designation is the head: "bought Russian S-400s"
        if j + 1 < n and _MODEL.fullmatch(words[j]):
            j += 1  # a model designation before the head: "Russian S-400 missiles"
        return j < n and lower[j] in self.state_heads
