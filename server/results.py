"""Writers for SPARQL query results (JSON, XML, CSV, TSV) and RDF graphs.

Own small writers (not pyoxigraph's) so the row cap is applied while writing and the
truncation flag can be stated in the JSON.  Runs inside the query child processes
(``server/query_child.py``), so it imports nothing but the standard library, pyoxigraph and
two project modules built on the standard library alone (``server/media.py``,
``entente/jsonld.py``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox
from entente.server.media import (
    CSV,
    JSON_LD,
    N_QUADS,
    N_TRIPLES,
    RDF_XML,
    SPARQL_JSON,
    SPARQL_XML,
    TRIG,
    TSV,
    TURTLE,
)

from entente.jsonld import compact
from entente.rdfxml import writable_predicate

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_SRX = "http://www.w3.org/2005/sparql-results#"

RDF_FORMATS: dict[str, ox.RdfFormat] = {
    TURTLE: ox.RdfFormat.TURTLE,
    N_TRIPLES: ox.RdfFormat.N_TRIPLES,
    JSON_LD: ox.RdfFormat.JSON_LD,
    RDF_XML: ox.RdfFormat.RDF_XML,
    N_QUADS: ox.RdfFormat.N_QUADS,
    TRIG: ox.RdfFormat.TRIG,
}


#: characters XML 1.0 cannot carry, not even as character references (its ``Char``
#: production): C0 controls other than tab, LF and CR, and U+FFFE/U+FFFF (pyoxigraph's
#: strings hold no surrogates)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: a carriage return written as a reference: a parser reads a raw one as a line feed (XML 1.0,
#: 2.11 "End-of-Line Handling"), and the value would come back changed
_CARRIAGE_RETURN = {"\r": "&#13;"}
#: the namespace of ``its:dir``, a literal's base direction in the XML results (RDF 1.2)
_ITS = "http://www.w3.org/2005/11/its"
#: the types to suggest instead, by the XML type that could not be written
_INSTEAD = {SPARQL_XML: f"{SPARQL_JSON}, {CSV} or {TSV}",
            RDF_XML: f"{TURTLE}, {N_TRIPLES} or {JSON_LD}"}


class Unwritable(Exception):  # noqa: N818 - the reply kind "unwritable" of a job
    """A result the asked-for format cannot carry: answered as a 406 naming what it holds
    and the formats that can carry it, never as a broken document or a 503."""


class NotJsonLd(Unwritable):
    """A graph with RDF 1.2 terms (a triple term, a literal's base direction), which JSON-LD
    1.1 cannot carry (pyoxigraph refuses to write them)."""

    def __init__(self, where: str) -> None:
        super().__init__(f"cannot write this result as {JSON_LD}: {where} is RDF 1.2, which "
                         f"JSON-LD 1.1 cannot carry; ask for {TURTLE}, {N_TRIPLES} or {RDF_XML}")


class NotXml(Unwritable):
    """A result that XML 1.0 cannot carry (a literal with a control character): answered
    as a 406 naming the value and the formats that can carry it, never as malformed XML."""

    def __init__(self, media_type: str, where: str, char: str) -> None:
        super().__init__(
            f"cannot write this result as {media_type}: {where} holds the character "
            f"U+{ord(char):04X}, which XML 1.0 cannot carry; ask for {_INSTEAD[media_type]}")
        self.media_type, self.where, self.char = media_type, where, char

    def at(self, place: str) -> NotXml:
        """The same refusal, saying where the value is (``?d in row 1``)."""
        return NotXml(self.media_type, f"{self.where} ({place})", self.char)


class NoXmlName(Unwritable):
    """A graph with a predicate RDF/XML cannot write: its element name is the predicate's
    longest ending that is an XML name, and ``http://example.org/123`` or
    ``urn:isbn:0451450523`` has none (RDF 1.1 XML Syntax, 2.7: not every graph can be written;
    pyoxigraph would write an element ``<oxprefix:>``, no XML)."""

    def __init__(self, where: str) -> None:
        super().__init__(f"cannot write this result as {RDF_XML}: {where} ends in no XML name "
                         f"(RDF/XML writes a predicate as an element name); ask for "
                         f"{_INSTEAD[RDF_XML]}")



def _xml_text(value: str, media_type: str, where: Any) -> str:
    """``value`` escaped for XML text; :class:`NotXml` when XML cannot carry it (``where``:
    a callable naming the value for the message)."""
    bad = _NOT_XML.search(value)
    if bad is not None:
        raise NotXml(media_type, where(), bad.group())
    return escape(value, _CARRIAGE_RETURN)


def _json_term(term: Any) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
            if term.direction is not None:  # (RDF 1.2: "ar--rtl")
                out["its:dir"] = str(term.direction)
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {
            "subject": _json_term(term.subject),
            "predicate": _json_term(term.predicate),
            "object": _json_term(term.object),
        }}
    raise TypeError(f"unexpected term {term!r}")


def _xml_term(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        text = _xml_text(term.value, SPARQL_XML, lambda: f"the literal {str(term)[:80]}")
        if term.language:
            direction = "" if term.direction is None else (
                f' its:dir="{term.direction}" xmlns:its="{_ITS}" its:version="2.0"')
            return f"<literal xml:lang={quoteattr(term.language)}{direction}>{text}</literal>"
        if term.datatype.value != XSD_STRING:
            dt = quoteattr(term.datatype.value)
            return f"<literal datatype={dt}>{text}</literal>"
        return f"<literal>{text}</literal>"
    if isinstance(term, ox.Triple):
        return (f"<triple><subject>{_xml_term(term.subject)}</subject>"
                f"<predicate>{_xml_term(term.predicate)}</predicate>"
                f"<object>{_xml_term(term.object)}</object></triple>")
    raise TypeError(f"unexpected term {term!r}")


def _csv_field(term: Any) -> str:
    if isinstance(term, ox.BlankNode):
        text = f"_:{term.value}"
    elif isinstance(term, ox.NamedNode | ox.Literal):
        text = term.value
    else:
        text = str(term)
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _tsv_field(term: Any) -> str:
    # The TSV results format uses Turtle/N-Triples term syntax; str() of a pyoxigraph term is
    # its N-Triples form, which escapes tabs and newlines inside literals (but a triple term
    # is its three terms alone: written "<<( s p o )>>" here, as N-Triples 1.2 writes one).
    if isinstance(term, ox.Triple):
        return (f"<<( {_tsv_field(term.subject)} {_tsv_field(term.predicate)} "
                f"{_tsv_field(term.object)} )>>")
    return str(term)


#: terms whose written form a :func:`write_solutions` call remembers (labels, predicates and
#: documents repeat from row to row); past this many it stops adding
_TERM_CACHE = 100_000
_json_dumps = json.JSONEncoder(ensure_ascii=False).encode


def _json_fragment(term: Any) -> str:
    return _json_dumps(_json_term(term))


#: how each results format writes one bound term
_WRITE_TERM = {SPARQL_JSON: _json_fragment, SPARQL_XML: _xml_term, CSV: _csv_field,
               TSV: _tsv_field}


def _written_rows(solutions: Iterable[Any], write_term: Any, max_rows: int,
                  variables: list[str] | None = None, columns: list[int] | None = None,
                  ) -> tuple[list[list[str | None]], bool]:
    """Each solution's terms written (None where unbound), at most ``max_rows`` rows; a term
    met before is written once.  Iterating a solution yields its values in the order of the
    result's variables; ``columns``: the positions of those values to write, in order."""
    rows: list[list[str | None]] = []
    cache: dict[Any, str] = {}
    remembered = cache.get
    for solution in solutions:
        if len(rows) >= max_rows:
            return rows, True
        row: list[str | None] = []
        for term in solution:
            if term is None:
                row.append(None)
                continue
            written = remembered(term)
            if written is None:
                try:
                    written = write_term(term)
                except NotXml as exc:
                    name = variables[len(row)] if variables else str(len(row) + 1)
                    raise exc.at(f"?{name} in row {len(rows) + 1}") from None
                if len(cache) < _TERM_CACHE:
                    cache[term] = written
            row.append(written)
        rows.append(row if columns is None else [row[i] for i in columns])
    return rows, False


def write_solutions(
    variables: list[str], solutions: Iterable[Any], media_type: str, max_rows: int,
    columns: list[int] | None = None,
) -> tuple[bytes, bool, int]:
    """Write SELECT solutions, at most ``max_rows`` rows.  Returns (body, truncated, rows).
    ``columns``: the variables' positions in the order to write them
    (:func:`entente.sparql_tokens.star_columns`).

    The JSON is byte for byte what ``json.dumps(document, ensure_ascii=False)`` writes for
    the SPARQL 1.1 results document, assembled from each term's fragment.
    """
    write_term = _WRITE_TERM.get(media_type)
    if write_term is None:
        raise ValueError(f"cannot write SELECT results as {media_type}")
    rows, truncated = _written_rows(solutions, write_term, max_rows, variables, columns)
    if columns is not None:
        variables = [variables[i] for i in columns]
    if media_type == SPARQL_JSON:
        keys = [_json_dumps(v) + ": " for v in variables]
        bindings = ", ".join(
            "{" + ", ".join(key + f for key, f in zip(keys, row, strict=True) if f is not None)
            + "}" for row in rows)
        extra = (f', "entente": {{"truncated": true, "maxRows": {_json_dumps(max_rows)}}}'
                 if truncated else "")
        text = (f'{{"head": {{"vars": {_json_dumps(variables)}}}, '
                f'"results": {{"bindings": [{bindings}]}}{extra}}}')
    elif media_type == SPARQL_XML:
        text = "".join(_xml_select(variables, rows))
    elif media_type == CSV:
        lines = [",".join(variables)]
        lines += [",".join("" if f is None else f for f in row) for row in rows]
        text = "\r\n".join(lines) + "\r\n"
    else:  # TSV
        lines = ["\t".join("?" + v for v in variables)]
        lines += ["\t".join("" if f is None else f for f in row) for row in rows]
        text = "\n".join(lines) + "\n"
    return text.encode(), truncated, len(rows)


def _xml_select(variables: list[str], rows: list[list[str | None]]) -> Iterator[str]:
    yield f'<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="{_SRX}">\n<head>'
    for v in variables:
        yield f"<variable name={quoteattr(v)}/>"
    yield "</head>\n<results>\n"
    opens = [f"<binding name={quoteattr(v)}>" for v in variables]
    for row in rows:
        yield "<result>"
        for open_tag, written in zip(opens, row, strict=True):
            if written is not None:
                yield f"{open_tag}{written}</binding>"
        yield "</result>\n"
    yield "</results>\n</sparql>\n"


def write_boolean(value: bool, media_type: str) -> bytes:
    """Write an ASK result."""
    word = "true" if value else "false"
    if media_type == SPARQL_JSON:
        return json.dumps({"head": {}, "boolean": value}).encode()
    if media_type == SPARQL_XML:
        return (f'<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="{_SRX}">\n'
                f"<head></head>\n<boolean>{word}</boolean>\n</sparql>\n").encode()
    if media_type == CSV:
        return f"_askResult\r\n{word}\r\n".encode()
    if media_type == TSV:
        return f"?_askResult\n{word}\n".encode()
    raise ValueError(f"cannot write an ASK result as {media_type}")


def write_triples(
    triples: Iterable[Any], media_type: str, max_rows: int, prefixes: dict[str, str],
    context: dict[str, str] | None = None,
) -> tuple[bytes, bool, int]:
    """Write CONSTRUCT/DESCRIBE triples (at most ``max_rows``) in an RDF format: Turtle, TriG
    and RDF/XML with ``prefixes``; JSON-LD compacted with ``context`` (or ``prefixes``).

    Each triple once: the result is a graph, a set, but Oxigraph's DESCRIBE over the union
    default graph gives a triple once per named graph that holds it."""
    kept: list[ox.Triple] = []
    seen: set[ox.Triple] = set()
    truncated = False
    for triple in triples:
        if triple in seen:
            continue
        if len(kept) >= max_rows:
            truncated = True
            break
        seen.add(triple)
        kept.append(triple)
    fmt = RDF_FORMATS[media_type]
    if fmt == ox.RdfFormat.RDF_XML:
        _check_xml_triples(kept)
    elif fmt == ox.RdfFormat.JSON_LD:
        _check_jsonld_triples(kept)
    items: list[Any] = kept
    if fmt.supports_datasets:
        items = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in kept]
    pretty = fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.RDF_XML)
    body = ox.serialize(items, format=fmt, prefixes=prefixes if pretty else None) or b""
    if fmt == ox.RdfFormat.RDF_XML and b"\r" in body:  # (only a literal holds one)
        body = body.replace(b"\r", b"&#13;")  # (see _CARRIAGE_RETURN)
    if fmt == ox.RdfFormat.JSON_LD:
        body = compact(body or b"[]", context if context is not None else prefixes)
    return body, truncated, len(kept)


def _check_xml_triples(triples: list[Any]) -> None:
    """:class:`NotXml` for the first literal that RDF/XML (XML 1.0) cannot carry; pyoxigraph
    would write it as it is, and the document would not be well-formed."""
    for number, triple in enumerate(triples, start=1):
        if not writable_predicate(triple.predicate.value):
            raise NoXmlName(f"the predicate <{triple.predicate.value[:80]}> of triple {number}")
        for term in (triple.object, triple.subject):  # a quoted triple's literals too
            for literal in _literals(term):
                bad = _NOT_XML.search(literal.value)
                if bad is not None:
                    raise NotXml(RDF_XML, f"the literal {str(literal)[:80]} in triple {number}",
                                 bad.group())


def _check_jsonld_triples(triples: list[Any]) -> None:
    """:class:`NotJsonLd` for the first triple with an RDF 1.2 term."""
    for number, triple in enumerate(triples, start=1):
        for term in (triple.subject, triple.object):
            if isinstance(term, ox.Triple):
                raise NotJsonLd(f"the triple term {str(term)[:80]} in triple {number}")
            if isinstance(term, ox.Literal) and term.direction is not None:
                raise NotJsonLd(f"the literal {str(term)[:80]} in triple {number} (its base "
                                f"direction)")


def _literals(term: Any) -> Iterator[Any]:
    if isinstance(term, ox.Literal):
        yield term
    elif isinstance(term, ox.Triple):
        yield from _literals(term.subject)
        yield from _literals(term.object)
