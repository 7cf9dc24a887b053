"""The query UI at ``/``: Yasgui served from this app (never a CDN), or a plain fallback.

Yasgui's files are installed into ``static/vendor/yasgui/`` by ``make setup`` (npm registry).
The page carries its configuration as a JSON data block (no inline script, CSP ``'self'``):
the endpoint, the base IRI (result links are rewritten to this server's pages), the prefixes
for completion and display, and the canned queries as examples.  Without the vendor files
the page offers a textarea that posts to ``/sparql`` and renders a table, and says so.
"""

from __future__ import annotations

import json
from importlib.resources import files

from entente.graph import canned
from entente.graph.namespaces import PREFIXES
from entente.server.canned_views import queries
from entente.server.engine import get_engine
from entente.server.inject import bind_values_throughout
from entente.server.negotiation import GRAPH_ALIASES, GRAPH_TYPES, parse_accept, quality
from entente.server.pages import project_description
from flask import Blueprint, Response, jsonify, render_template, request

bp = Blueprint("ui", __name__)

VENDOR = ("vendor", "yasgui")
RESULT_DOWNLOADS = ("json", "xml", "csv", "tsv")
GRAPH_DOWNLOADS = ("turtle", "ntriples", "jsonld", "rdfxml")


def yasgui_installed() -> bool:
    """True when static/vendor/yasgui holds yasgui.min.js and yasgui.min.css."""
    folder = files("entente.server").joinpath("static", *VENDOR)
    return all(folder.joinpath(name).is_file() for name in ("yasgui.min.js", "yasgui.min.css"))


def prefixes() -> dict[str, str]:
    base = get_engine().settings.base
    return {**PREFIXES, "id": base + "id/"}


def asks_for_rdf(accept: str | None, fmt: str | None) -> bool:
    """Whether a request for ``/`` asks for RDF: ``format`` names an RDF format, or ``Accept``
    ranks an RDF type (or an alias of one) it names above HTML, or refuses HTML
    (``text/html;q=0, */*``); a browser, ``*/*`` and no header get the UI."""
    if fmt:
        return fmt.strip().lower() != "html"
    if not accept or not accept.strip():
        return False
    ranges = parse_accept(accept)
    html = quality("text/html", ranges)
    if html == 0.0:
        return True
    # (an RDF type or one of its aliases, as on every other page: application/json is
    # JSON-LD, text/plain N-Triples)
    named = max((q for media, q, _ in ranges if media in GRAPH_TYPES or media in GRAPH_ALIASES),
                default=0.0)
    return named > 0 and named > (html or 0.0)


@bp.route("/")
def index() -> Response:
    if asks_for_rdf(request.headers.get("Accept"), request.args.get("format")):
        # (the project's IRI, the ontology's creator and publisher, is <{base}#project>)
        response = project_description()
        response.vary.add("Accept")
        return response
    base = get_engine().settings.base
    examples = [
        {"name": q.name, "title": q.title, "query": example_text(q, base),
         "url": f"/queries/{q.name}"}
        for q in queries().values()
    ]
    config = {
        "endpoint": "/sparql",
        "base": base,
        "prefixesUrl": "/ui/prefixes.json",
        "prefixes": prefixes(),
        "examples": examples,
        "downloads": {"results": RESULT_DOWNLOADS, "graph": GRAPH_DOWNLOADS},
    }
    page = render_template(
        "ui.html", yasgui=yasgui_installed(), examples=examples,
        config=_script_json(config),
    )
    response = Response(page, mimetype="text/html")
    response.vary.add("Accept")
    return response


def example_text(query: canned.CannedQuery, base: str) -> str:
    """The canned query as the editor's example: its parameters' defaults bound in a VALUES
    block opening its WHERE group and the group of each sub-select that projects them
    (:func:`~entente.server.inject.bind_values_throughout`), so that it asks what
    ``/queries/<name>`` answers, about as fast (the text alone left ``?a`` and ``?b``
    unbound: every pair of actors, cut at the row cap, against six rows)."""
    try:
        bound = canned.bind(query, {}, base)
    except canned.ParamError:  # (a required parameter: the text as it is, to fill in)
        return query.text
    defaults = {var: term for var, term in bound.items()
                if term[0] != "label"}  # (a label default is looked up at run time)
    return bind_values_throughout(query.text_for(defaults), defaults)


def _script_json(value: object) -> str:
    """JSON safe to embed in a <script type="application/json"> block."""
    text = json.dumps(value, ensure_ascii=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@bp.route("/ui/prefixes.json")
def prefix_map() -> Response:
    """The prefixes offered by the editor's completion (Yasqe's prefixCcApi format)."""
    return jsonify(prefixes())
