"""Page chrome: split a document into content and excluded segments (with a reason).

The text is classified line by line with the rules in :data:`LINE_RULES` (a data
table of patterns, not per-file code), then a few block rules look at the context:
a "related" heading in the second half of the text excludes everything after it,
caption blocks absorb their unpunctuated neighbours, repeated lines are duplicates,
and lines in another language than the document's are set aside.  Runs of excluded
lines with the same reason become one segment; everything else is content.  The
segments cover the whole text, contiguous and in order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from entente.graph.model import Segment, SourceDocument
from entente.graph.pattern_cache import compiled as compiled_pattern
from entente.graph.pattern_cache import save as save_patterns
from entente.graph.regex_analysis import (
    CASE_TRAPS,
    accelerated,
    anchored_at_start,
    required_literals,
)

_I = re.IGNORECASE


@dataclass(frozen=True)
class LineRule:
    reason: str
    pattern: re.Pattern[str]
    max_words: int | None = None  # the rule only applies to lines this short
    #: lower-case strings one of which a line holds wherever the (unanchored) pattern
    #: matches (regex_analysis.required_literals); None: always searched
    gate: frozenset[str] | None = None
    source: str = ""  # the expression as written
    #: it matches only at the start of a line (opens with ``^``, outside any alternation)
    anchored: bool = False


def _r(reason: str, pattern: str, max_words: int | None = None) -> LineRule:
    # (a first-character lookahead for the unanchored ones: see regex_analysis.accelerated.  No
    # gate for an anchored pattern, which fails at once where it cannot match, nor for one
    # that opens with a literal or a class, which the engine skips to on its own: there
    # the substring tests cost more than the search, e.g. 10x for the "(photo ...)" rule)
    compiled = compiled_pattern(pattern, _I)
    fast = accelerated(compiled)
    gate = None if fast is compiled else required_literals(compiled, 1)
    return LineRule(reason, fast, max_words, gate, pattern, anchored_at_start(compiled))


#: Line rules, first match wins.  Words are whitespace-separated tokens.
LINE_RULES: tuple[LineRule, ...] = (
    # navigation and UI strings (English, German, Lithuanian, French, Russian)
    _r("navigation", r"^(\d+\.\s*)?skip to\b", 8),
    _r("navigation", r"^download\b.*\bpdf\b"),
    _r("navigation", r"^you are( here)?:?$"),
    _r("navigation", r"^view all( \w+)?$", 4),
    # inline links to other articles: "Read more: ...", "Go deeper: ...", "Related: ..."
    _r("navigation", r"^(read more|go deeper|related|see also|also read|read also|more on this"
                     r"|recommended|further reading|watch|listen)\s*:\s*\S", 25),
    # site notices: copyright, cookies, reuse terms, feedback prompts, sponsorship
    _r("site-notice", r"^(copyright\b|©|\(c\)\s*\d{4})"),
    _r("site-notice", r"\b(cookie|privacy) (policy|policies|settings|notice)\b", 30),
    _r("site-notice", r"\ball rights reserved\b", 30),
    _r("site-notice", r"^when (referencing|quoting|citing|reproducing) our materials\b"),
    _r("site-notice", r"^the work of .{1,80} is (supported|funded|sponsored) by\b", 30),
    _r("site-notice", r"\b(suggest a correction|suggestions or corrections|ctrl ?\+ ?enter)\b", 20),
    # donation and ad-blocker appeals
    _r("donation-appeal", r"\b(join our community|become a (patron|member|supporter)"
                          r"|donate (now|today|to us)|support (us|our work|our journalism)"
                          r"|disabling your ad ?blocker|relies solely on (advertising|donations)"
                          r"|support of readers like you)"),
    # bylines and datelines
    _r("byline", r"^((article|written|edited|reported|compiled|text|interview) )?by:\s", 20),
    _r("byline", r"^(authors?|editors?)\s*:\s+\S", 20),
    _r("byline", r"^((monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s+)?"
                 r"((january|february|march|april|may|june|july|august|september|october"
                 r"|november|december)\s+\d{1,2},?\s+\d{4}"
                 r"|\d{1,2}\.?\s+(january|february|march|april|may|june|july|august"
                 r"|september|october|november|december)\s+\d{4}|\d{4}-\d{2}-\d{2})$"),
    # footnotes and reference lists
    _r("references", r"^(\[hr\])?\[\d{1,3}\]\s*\S"),
    _r("references", r"^(notes|references|footnotes|endnotes|sources|bibliography)\s*:?$"),
    # a numbered note without brackets: "1. Alexander Gabuev, “Why ...,” Foreign Affairs"
    _r("references", r"^\d{1,3}\.?\s+[^\s,]+(\s+[^\s,]+){0,4},\s+[“\"‘]", 60),
    _r("references", r"^\d{1,3}\.?\s+.*\b(ibid|op\. cit|accessed|retrieved)\b", 60),
    # photo captions: a credit in parentheses, an "Image:"/"Photo:" credit, agency names,
    # position markers such as "(right)"
    _r("caption", r"\((?![^()]*\b(19|20)\d\d\b)"  # (not a citation: "(Reuters 2014)")
                  r"(?=[^()]*\b(photo|pool|reuters|afp|getty|ap|epa|tass|xinhua|sputnik"
                  r"|scanpix|images?|picture alliance|credit)\b)[^()]*\)\s*$", 60),
    _r("caption", r"(\b|[a-z?.!])(?<!\bbig )(image|photo|photograph|foto|picture)s?:\s*\S", 40),
    # figure and table captions, and their source lines
    _r("caption", r"^(figure|fig\.|table|chart|graph|map|exhibit|sources?)\s*\d{0,3}[.:]\s*\S", 40),
    _r("caption", r"\b(scanpix|nuotrauka|picture alliance|getty images|ap photo)\b", 40),
    _r("caption", r"\((left|right|centre|center|l|r|front|back|top|bottom)\)", 60),
)

_ANCHORED = tuple(i for i, rule in enumerate(LINE_RULES) if rule.anchored)
_UNANCHORED = tuple((i, rule) for i, rule in enumerate(LINE_RULES) if not rule.anchored)


#: the anchored rules' word limits: a line's words between two of them select the same rules
_LIMITS = tuple(sorted({LINE_RULES[i].max_words for i in _ANCHORED
                        if LINE_RULES[i].max_words is not None}))


@lru_cache(maxsize=256)
def _anchored_rules(words: int) -> re.Pattern[str] | None:
    """The anchored line rules that apply to a line of ``words`` words as one expression
    (each a group ``r{index}``; an alternation tries its branches in order, so a match names
    the first rule that matches), or None when none applies."""
    return _anchored_rules_within(next((limit for limit in _LIMITS if words <= limit), None))


@cache
def _anchored_rules_within(limit: int | None) -> re.Pattern[str] | None:
    """:func:`_anchored_rules` for the lines whose words are at most ``limit`` (and more
    than the limit below it; None: more than every limit)."""
    branches = [f"(?P<r{i}>{LINE_RULES[i].source})" for i in _ANCHORED
                if LINE_RULES[i].max_words is None
                or limit is not None and limit <= LINE_RULES[i].max_words]
    return compiled_pattern("|".join(branches), _I) if branches else None


def warm_up() -> None:
    """Compile the line rules of every line length (once, before worker processes fork)."""
    for limit in (*_LIMITS, None):
        _anchored_rules_within(limit)
    save_patterns()  # (the next process reads them compiled: graph/pattern_cache.py)


#: Words of navigation and UI lines ("Share", "Download PDF", "menu Turinys"): a short line
#: made only of these is navigation.  English, German, Lithuanian, French, Russian.
UI_WORDS = frozenset("""
    menu print share download pdf tweet email e-mail search back to top home login
    subscribe newsletter facebook twitter linkedin whatsapp telegram copy link comments
    next previous close open more contents
    drucken teilen herunterladen suche inhalt
    atsisiųsti spausdinti turinys dalintis paieška
    imprimer partager télécharger rechercher
    печать поделиться скачать поиск меню
""".split())
UI_MAX_WORDS = 6
#: "By Jane Doe and John Roe": "By" then mostly capitalised words.
_BY_LINE = re.compile(r"^By:?\s+(?!(?:January|February|March|April|May|June|July|August|"
                      r"September|October|November|December|Spring|Summer|Autumn|Fall|Winter|"
                      r"Then|Now|Contrast|Comparison|Law|Design|Default|Most|Some|Many|All)\b)"
                      r"[A-Z]")
BY_LINE_MAX_WORDS = 14

#: A heading after which the rest of the page is a list of other articles.
RELATED_HEADING = re.compile(
    r"^(related( publications| posts| articles| content| stories| reading| links)?"
    r"|read more|more on this topic|you may also like|recommended( for you)?)\s*:?$",
    _I,
)

#: Function words by language (for spotting lines not in the document's language).
STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset("the of and to a in is that for on with as by at from it this was are be "
                    "has have an or its which their not but also".split()),
    "de": frozenset("der die das und ist im mit den dem des ein eine sich auf für von zu zur "
                    "zum nicht auch sowie wird sind seine ihre er sie".split()),
    "lt": frozenset("ir kad su yra tai kuris kuri kuriuo kaip iš dėl bet jo jos nuo".split()),
    "fr": frozenset("le la les et est des du une dans pour avec sur que qui pas".split()),
}
_LANGS_OF: dict[str, tuple[str, ...]] = {}  # stop word -> the languages it belongs to
for _lang, _stop in STOPWORDS.items():
    for _w in _stop:
        _LANGS_OF[_w] = (*_LANGS_OF.get(_w, ()), _lang)
_LANGUAGES = tuple(sorted(STOPWORDS))
_ASCII_LANGS_OF = {w.encode(): langs for w, langs in _LANGS_OF.items() if w.isascii()}
#: UTF-8 bytes: ASCII letters lower-cased, other ASCII characters a space, the bytes of
#: other characters (all >= 0x80, so a character is never cut) kept
_ASCII_LOWER_LETTERS = bytes.maketrans(
    bytes(range(256)), bytes(c | 0x20 if chr(c).isascii() and chr(c).isalpha()
                             else c if c >= 0x80 else 32 for c in range(256)))
_TITLE = re.compile(r"^(dr|prof|professor|mr|ms|mrs)\.?\s+")  # before an author's name
_SENTENCE_END = re.compile(r"[.!?…]['\"”’)]*$")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@dataclass
class _Line:
    start: int  # offset of the first non-space character
    end: int  # offset after the last non-space character
    text: str
    block: int  # lines with no blank line between them share a block
    words: int  # whitespace-separated words
    reason: str | None = None


def segment(doc: SourceDocument) -> list[Segment]:
    """Content and excluded segments covering ``doc.text`` exactly, in order."""
    lines = _lines(doc.text)
    language = (doc.meta.language or "en").lower()[:2]
    authors = tuple(a.lower() for a in doc.meta.authors)
    for line in lines:
        line.reason = _line_reason(line.text, authors, doc.meta.publisher, line.words)
    _related_tail(lines, len(doc.text))
    _foreign_language(lines, language)
    _repeated(lines, doc.meta.title)
    _caption_blocks(lines)
    return _segments(lines, len(doc.text))


def _lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    block = 0
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            start = pos + lead
            lines.append(_Line(start, start + len(stripped), stripped, block,
                               len(stripped.split())))
        else:
            block += 1
        pos += len(raw) + 1
    return lines


def _line_reason(text: str, authors: tuple[str, ...], publisher: str | None,
                 words: int) -> str | None:
    """``words``: the number of whitespace-separated words of ``text``."""
    if words <= UI_MAX_WORDS and all(t in UI_WORDS for t in (
            t.strip(".,:;|•·-–—()[]").lower() for t in text.split()) if t):
        return "navigation"
    if words <= BY_LINE_MAX_WORDS and _BY_LINE.match(text):
        names = [w for w in text.split()[1:] if w.lower() not in {"and", "&", "with"}]
        if sum(w[:1].isupper() for w in names) >= 0.6 * len(names):
            return "byline"
    lower = text.lower()
    # first match wins: the anchored rules in one expression, then the unanchored rules
    # that come before the anchored one that matched (if any)
    anchored = _anchored_rules(words)
    found = anchored.match(text) if anchored is not None else None
    first = int(found.lastgroup[1:]) if found is not None else len(LINE_RULES)
    # (with a CASE_TRAPS character lower() may hide an IGNORECASE match)
    gated = text.isascii() or CASE_TRAPS.search(text) is None
    for i, rule in _UNANCHORED:
        if i > first:
            break
        if rule.max_words is not None and words > rule.max_words:
            continue
        if gated and rule.gate is not None and not any(map(lower.__contains__, rule.gate)):
            continue  # (a substring test is several times cheaper than the search)
        if rule.pattern.search(text):
            return rule.reason
    if found is not None:
        return LINE_RULES[first].reason
    if publisher and lower == publisher.lower():
        return "site-notice"  # the publisher's name standing alone: a site banner
    name = _TITLE.sub("", lower) if authors else lower
    for author in authors:
        if name.startswith(author):
            rest = name[len(author):].split()
            if words <= 8:
                return "byline"
            if rest and rest[0] in {"is", "ist", "was", "war", "est", "has", "holds", "works"}:
                return "author-bio"
    return None


def _related_tail(lines: list[_Line], size: int) -> None:
    """A "Related ..." heading in the second half of the text: everything after is chrome."""
    for i, line in enumerate(lines):
        if line.start > size // 2 and RELATED_HEADING.match(line.text):
            for later in lines[i:]:
                later.reason = "related-publications"
            return


#: name particles ("Ursula von der Leyen", "Lula da Silva"): not function words of a language
_NAME_PARTICLES = re.compile(r"(?<=[A-Z][a-z]\s)(?:von|van|de|da|di|du|del|della|dos|le|la)"
                             r"(?:\s+(?:der|den|de|la|le))?\s+(?=[A-Z])|"
                             r"(?<=[A-Z][a-z][a-z]\s)(?:von|van|de|da|di|du|del|della|dos|le|la)"
                             r"(?:\s+(?:der|den|de|la|le))?\s+(?=[A-Z])|"
                             r"\b(?:von|van)\s+(?:der|den)\s+(?=[A-Z])")


def _language_of(text: str) -> str | None:
    """The language of a line by its function words (None: too few words), name particles
    left out when they make it another language than English ("Ursula von der Leyen said
    the EU supports Ukraine" is English)."""
    # The words of _WORD, lower-cased, without a regex scan over the line: one C-level
    # pass over the UTF-8 bytes lower-cases ASCII letters and blanks the other ASCII
    # characters (never part of a word), so an all-ASCII chunk is one word; the few chunks
    # holding other characters (curly quotes, dashes, accented letters) go through _WORD.
    chunks = text.encode("utf-8", "surrogatepass").translate(_ASCII_LOWER_LETTERS).split()
    if text.isascii():
        ascii_words, other_words = chunks, []
    else:
        ascii_words = [c for c in chunks if c.isascii()]
        other_words = [w.lower() for c in chunks if not c.isascii()
                       for w in _WORD.findall(c.decode("utf-8", "surrogatepass"))]
    if len(ascii_words) + len(other_words) < 4:
        return None
    scores = dict.fromkeys(STOPWORDS, 0)
    for words, langs_of in ((ascii_words, _ASCII_LANGS_OF), (other_words, _LANGS_OF)):
        for w in filter(langs_of.__contains__, words):  # (the stop words only)
            for lang in langs_of[w]:
                scores[lang] += 1
    best = max(_LANGUAGES, key=scores.__getitem__)  # (ties: the first in sorted order)
    if scores[best] >= 2 and scores[best] > scores.get("en", 0):
        if best != "en" and _NAME_PARTICLES.search(text) is not None:
            return _language_of(_NAME_PARTICLES.sub(" ", text))
        return best
    return "en"


def _foreign_language(lines: list[_Line], language: str) -> None:
    """Lines in another language: captions before the first content line, else set aside."""
    seen_content = False
    for line in lines:
        if line.reason is None:
            lang = _language_of(line.text)
            if lang is not None and lang != language:
                line.reason = "caption" if not seen_content else "foreign-language"
            else:
                seen_content = True


def _repeated(lines: list[_Line], title: str | None) -> None:
    """Repeated lines: captions are all captions; otherwise later copies are duplicates."""
    by_text: dict[str, list[_Line]] = {}
    for line in lines:
        if line.words >= 4:
            by_text.setdefault(line.text, []).append(line)
    for copies in by_text.values():
        if len(copies) < 2:
            continue
        if any(c.reason == "caption" for c in copies):
            for c in copies:
                c.reason = "caption"
            continue
        for c in copies[1:]:
            if c.reason is None:
                c.reason = "duplicate"
    # a pull quote: a line that is only a quotation, printed again in another line ("“China
    # supports Russia, but on its own terms.”" and, later, "... terms,” one diplomat said.")
    for line in lines:
        quote = _PULL_QUOTE.fullmatch(line.text) if line.reason is None and line.words >= 5 \
            else None
        if quote is not None and any(o is not line and quote.group(1) in o.text
                                     for o in lines):
            line.reason = "duplicate"


#: a line that is only a quotation; group 1: its words, up to the last word's end
_PULL_QUOTE = re.compile(r"[“\"‘']\s*(\w[^“”\"]*\w)[\W]*[”\"’']\W*")


def _caption_blocks(lines: list[_Line]) -> None:
    """In a block holding a caption, unpunctuated short content lines are captions too."""
    blocks: dict[int, list[_Line]] = {}
    for line in lines:
        blocks.setdefault(line.block, []).append(line)
    for members in blocks.values():
        if not any(m.reason == "caption" for m in members):
            continue
        for m in members:
            if m.reason is None and m.words <= 30 and not _SENTENCE_END.search(m.text):
                m.reason = "caption"


def _segments(lines: list[_Line], size: int) -> list[Segment]:
    excluded: list[tuple[int, int, str]] = []
    content = False  # a content line since the last excluded one (lines are in text order)
    for line in lines:
        if line.reason is None:
            content = True
            continue
        if excluded and excluded[-1][2] == line.reason and not content:
            excluded[-1] = (excluded[-1][0], line.end, line.reason)
        else:
            excluded.append((line.start, line.end, line.reason))
        content = False
    segments: list[Segment] = []
    pos = 0
    for start, end, reason in excluded:
        if start > pos:
            segments.append(Segment(pos, start, "content"))
        segments.append(Segment(start, end, "excluded", reason))
        pos = end
    if pos < size:
        segments.append(Segment(pos, size, "content"))
    return segments
