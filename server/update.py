"""SPARQL 1.1 Update at ``/update``: off by default, bearer token when on.

An update is applied to a copy of the served dataset in a child process (killable, with the
query time limit), and the result is published as a new store version through
``entente.graph.store.publish``: it is atomic (a failing update changes nothing), readers
keep answering from the old version until the new one is in place, and the result cache is
invalidated by the version change.  Updates are serialised across workers with a file lock.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import multiprocessing as mp
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from entente.graph import store as gstore
from entente.server.engine import get_engine, syntax_error
from entente.server.errors import (
    BadRequest,
    Forbidden,
    NotFound,
    QueryTimeout,
    ServiceUnavailable,
    Unauthorized,
    UnsupportedMediaType,
    refuse_content_coding,
)
from entente.server.lexer import check_update
from flask import Blueprint, Response, jsonify, request

from entente.config import ONTOLOGY_NS
from entente.errors import StoreError

bp = Blueprint("update", __name__)

FORM = "application/x-www-form-urlencoded"
UPDATE_TYPE = "application/sparql-update"
_CTX = mp.get_context("spawn")


def _authorise() -> None:
    settings = get_engine().settings
    if not settings.update_enabled:
        raise NotFound("SPARQL Update is disabled on this server "
                       "(set ENTENTE_UPDATE_ENABLED=1 and ENTENTE_UPDATE_TOKEN to enable it)")
    if not settings.update_token:
        raise Forbidden("SPARQL Update is enabled but no ENTENTE_UPDATE_TOKEN is configured")
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("SPARQL Update needs an 'Authorization: Bearer <token>' header")
    if not hmac.compare_digest(token.strip().encode(), settings.update_token.encode()):
        raise Forbidden("the bearer token is not valid for SPARQL Update")


def _read_update() -> str:
    refuse_content_coding(request.headers.get("Content-Encoding"))
    if request.mimetype == UPDATE_TYPE:
        try:
            return request.get_data(cache=True).decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError as exc:
            raise BadRequest(f"the update body is not UTF-8 (byte {exc.start})") from None
    if request.mimetype == FORM:
        if "query" in request.form:
            raise BadRequest("a request may carry a query or an update, not both"
                             if "update" in request.form else
                             "this is the update endpoint: send the update as 'update' "
                             "(queries go to /sparql)")
        values = request.form.getlist("update")
        if len(values) != 1:
            raise BadRequest("send exactly one 'update' parameter")
        return values[0]
    raise UnsupportedMediaType(f"cannot read a POST body of type {request.mimetype or 'none'}; "
                               f"send {FORM} or {UPDATE_TYPE}")


def _apply(conn: Any, dump_path: str, update: str, out_path: str, memory_mb: int,
           base: str = "", previous_sha256: str = "") -> None:
    """Child: load the dump, apply the update, add its record (:func:`_record`), write sorted
    N-Quads to ``out_path``.

    The update's default graph is the union of the named graphs, as a query's is (the
    Service Description's ``sd:UnionDefaultGraph``): its WHERE matches the data, a triple it
    deletes from the default graph is deleted from every graph that holds it, and a triple
    it inserts there (``INSERT DATA { ... }`` without GRAPH) goes into ``{base}graph/updates``:
    Entente's data lives in named graphs, every count (VoID, /healthz, the manifest's
    graphs) is per named graph.  What it does inside ``GRAPH <g>`` is done to that graph.
    (Without ``base``, as in a bare call, no record is added and such triples are dropped.)
    """
    import resource

    if memory_mb > 0:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (memory_mb * 1024 * 1024, hard))
    try:
        store = ox.Store()
        store.bulk_load(path=dump_path, format=ox.RdfFormat.N_QUADS)
        digests = _graph_digests(store) if base else {}
        before = _lines(store, ox.RdfFormat.N_QUADS)  # (the named graphs as they were)
        started = _now()
        store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        union = _lines(_default_graph(store), ox.RdfFormat.N_TRIPLES)
        store.update(update)
        _union_changes(store, before, union, ox.NamedNode(base + "graph/updates") if base
                       else None)
        del before, union
        if base:
            _record(store, digests, base, previous_sha256, update, started)
        # (a store holds each quad once: its lines need no set)
        lines = sorted(ox.serialize(store, format=ox.RdfFormat.N_QUADS).decode().splitlines())
        with open(out_path, "w", encoding="utf-8") as out:  # (line by line: no second copy)
            out.writelines(line + "\n" for line in lines)
        conn.send(("ok", len(lines)))
    except SyntaxError as exc:
        conn.send(("syntax", str(exc)))
    except RuntimeError as exc:  # the engine refused an operation ("The graph <g> already
        # exists" for CREATE, a DROP of a graph that is not there): the update's own error
        conn.send(("error", str(exc)))
    except MemoryError:  # (not the update's fault: the whole dataset is held in memory)
        conn.send(("memory", ""))
    except (OSError, ValueError) as exc:
        conn.send(("error", f"{type(exc).__name__}: {exc}"))


def _lines(quads: Any, syntax: ox.RdfFormat) -> set[str]:
    """The N-Quads (N-Triples) lines of ``quads`` (a store, or quads of one graph)."""
    return set(ox.serialize(quads, format=syntax).decode().splitlines())


def _default_graph(store: ox.Store) -> Any:
    return store.quads_for_pattern(None, None, None, ox.DefaultGraph())


def _triples(lines: set[str]) -> list[ox.Triple]:
    return [q.triple for q in ox.parse("\n".join(sorted(lines)), format=ox.RdfFormat.N_TRIPLES)]


def _union_changes(store: ox.Store, before: set[str], union: set[str],
                   target: ox.NamedNode | None) -> None:
    """Carry an update's changes to the materialised union (``store``'s default graph) over
    to the named graphs: a triple the union held (``union``: its lines before the update)
    and no longer holds is removed from every graph that held it (``before``: the named
    graphs' lines before the update); a triple it holds that no graph held is added to
    ``target``; then the default graph is emptied again.  The lines are written by one
    serializer from one store, so its blank nodes compare too; the sets are compared in C,
    and only the changed triples are handled in Python."""
    after = _lines(_default_graph(store), ox.RdfFormat.N_TRIPLES)
    lost, gained = _triples(union - after), _triples(after - union)
    store.clear_graph(ox.DefaultGraph())
    for t in lost:  # deleted from the union: from every graph that held it
        for held in list(store.quads_for_pattern(t.subject, t.predicate, t.object, None)):
            if ox.serialize([held], format=ox.RdfFormat.N_QUADS).decode().rstrip("\n") \
                    in before:  # (not where the update put it: "DELETE { t } INSERT
                store.remove(held)  # { GRAPH <g> { t } }" moves t into <g>)
    if target is not None:
        store.extend([ox.Quad(t.subject, t.predicate, t.object, target) for t in gained])


_PROV = "http://www.w3.org/ns/prov#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
_DCTERMS_FORMAT = ox.NamedNode("http://purl.org/dc/terms/format")
#: an update's text longer than this is recorded by its SHA-256 alone (a push's
#: batches would otherwise be stored twice: as data and as the text that inserted it)
RECORDED_TEXT_CHARS = 10_000


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _graph_digests(store: ox.Store) -> dict[str, tuple[int, int]]:
    """Named graph IRI -> (quads, an order-free digest of them): what tells whether an update
    changed a graph."""
    digests: dict[str, tuple[int, int]] = {}
    for quad in store:
        if isinstance(quad.graph_name, ox.NamedNode):
            n, digest = digests.get(quad.graph_name.value, (0, 0))
            digests[quad.graph_name.value] = (n + 1, (digest + hash(quad)) & (2**64 - 1))
    return digests


def update_key(previous_sha256: str, update: str) -> str:
    """The 12 hex digits naming an update's record: of the SHA-256 of the previous version's
    hash, a newline and the update's text."""
    return hashlib.sha256(f"{previous_sha256}\n{update}".encode()).hexdigest()[:12]


def _record(store: ox.Store, before: dict[str, tuple[int, int]], base: str,
            previous_sha256: str, update: str, started: str) -> None:
    """Add the update's provenance (PROV-O) in a graph of its own, ``{base}graph/update/{h}``
    (``h``: 12 hex digits of the SHA-256 of the previous version's hash and the update): the
    activity ``{base}id/update/{h}`` with its times and the request it carried out, the
    graphs it made (``prov:wasGeneratedBy``), changed (``prov:wasInfluencedBy``) and
    emptied (the activity ``prov:invalidated`` them)."""
    text = update.encode("utf-8")
    key = update_key(previous_sha256, update)
    activity = ox.NamedNode(f"{base}id/update/{key}")
    request_ = ox.NamedNode(f"{base}id/update/{key}/request")
    record = ox.NamedNode(f"{base}graph/update/{key}")
    prov = {name: ox.NamedNode(_PROV + name) for name in (
        "Activity", "Entity", "used", "startedAtTime", "endedAtTime", "wasAssociatedWith",
        "wasGeneratedBy", "wasInfluencedBy", "invalidated", "value")}
    after = _graph_digests(store)
    date_time = ox.NamedNode(_XSD + "dateTime")
    triples = [
        (activity, _RDF_TYPE, prov["Activity"]),
        (activity, _RDFS_LABEL, ox.Literal(f"SPARQL Update {key}", language="en")),
        (activity, prov["used"], request_),
        (activity, prov["startedAtTime"], ox.Literal(started, datatype=date_time)),
        (activity, prov["endedAtTime"], ox.Literal(_now(), datatype=date_time)),
        (activity, prov["wasAssociatedWith"], ox.NamedNode(f"{base}id/software/entente")),
        (request_, _RDF_TYPE, prov["Entity"]),
        (request_, _DCTERMS_FORMAT, ox.Literal(UPDATE_TYPE)),
        (request_, ox.NamedNode(ONTOLOGY_NS + "sha256"),
         ox.Literal(hashlib.sha256(text).hexdigest())),
        (record, _RDF_TYPE, prov["Entity"]),
        (record, prov["wasGeneratedBy"], activity),
    ]
    if len(update) <= RECORDED_TEXT_CHARS:
        triples.append((request_, prov["value"], ox.Literal(update)))
    for graph in sorted(before.keys() | after.keys()):
        node = ox.NamedNode(graph)
        if graph not in after:
            triples.append((activity, prov["invalidated"], node))
        elif graph not in before:
            triples.append((node, prov["wasGeneratedBy"], activity))
        elif before[graph] != after[graph]:
            triples.append((node, prov["wasInfluencedBy"], activity))
    store.extend([ox.Quad(s, p, o, record) for s, p, o in triples])


def apply_update(update: str) -> dict[str, Any]:
    """Apply ``update`` and publish the result; returns the new version, its quad count and
    the IRI of the update's record (the activity, :func:`_record`)."""
    engine = get_engine()
    settings = engine.settings
    link = Path(settings.store)
    info = gstore.locate(link)
    lock_path = link.absolute().parent / f".{link.name}.update.lock"
    with open(lock_path, "w") as lock, tempfile.TemporaryDirectory(
        dir=link.absolute().parent, prefix=".update-"
    ) as tmp:
        fcntl.flock(lock, fcntl.LOCK_EX)
        info = gstore.locate(link)  # the latest version, now that we hold the lock
        base = info.manifest.get("base_iri") or settings.base
        previous = info.manifest.get("sha256", "")
        out = Path(tmp) / "dataset.nq"
        parent, child = _CTX.Pipe()
        proc = _CTX.Process(target=_apply, daemon=True, args=(
            child, str(info.dump_path), update, str(out), settings.query_memory_mb,
            base, previous))
        proc.start()
        child.close()
        try:
            if not parent.poll(settings.query_timeout):
                raise QueryTimeout(f"update exceeded the {settings.query_timeout:g} s time limit")
            kind, payload = parent.recv()
        except EOFError:
            raise ServiceUnavailable("update exceeded the memory limit or crashed") from None
        finally:
            if proc.is_alive():
                proc.kill()
            proc.join(5)
            parent.close()
        if kind == "syntax":
            raise syntax_error("update", update, payload)
        if kind == "memory":
            raise ServiceUnavailable(
                f"update exceeded the memory limit ({settings.query_memory_mb} MB, "
                "ENTENTE_QUERY_MEMORY_MB): an update is applied to a copy of the whole dataset "
                "in memory")
        if kind != "ok":
            raise BadRequest(f"the update failed: {payload}")
        extra = {"ontology.html": info.ontology_html} if info.ontology_html.is_file() else {}
        try:
            new = gstore.publish(out, link, extra, base_iri=info.manifest.get("base_iri"),
                                 lenient=True, allocator=settings.load_allocator)
        except StoreError as exc:
            raise ServiceUnavailable(f"the update could not be published: {exc}") from None
    engine.refresh()
    return {"status": 200, "version": new.version, "quads": new.manifest.get("quads"),
            "provenance": f"{base}id/update/{update_key(previous, update)}"}


#: protocol parameters naming the update's dataset (SPARQL 1.1 Protocol, 2.2.3), which this
#: server cannot honour: an update always runs on the whole dataset (use USING / WITH)
DATASET_PARAMS = ("using-graph-uri", "using-named-graph-uri")


def _refuse_dataset_params() -> None:
    """400 naming ``using-graph-uri`` / ``using-named-graph-uri`` (in the URL or the form):
    silently ignoring them would apply the update to another dataset than the one asked."""
    given = request.values if request.mimetype == FORM else request.args
    for name in DATASET_PARAMS:
        if name in given:
            raise BadRequest(f"the {name!r} parameter is not supported: updates run on the "
                             "whole dataset; write USING (NAMED) or WITH in the update instead",
                             parameter=name)


@bp.route("/update", methods=["POST"])  # any other method: 405, Allow: POST, OPTIONS
def update() -> Response:
    _authorise()
    _refuse_dataset_params()
    text = _read_update()
    check_update(text, get_engine().settings.service_allowlist)  # no LOAD, no SERVICE
    return jsonify(apply_update(text))
