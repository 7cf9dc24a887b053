"""SPARQL 1.1 Update at ``/update``: off by default, bearer token when on.

An update is applied to a copy of the served dataset in a child process (killable, with the
query time limit), and the result is published as a new store version through
``entente.graph.store.publish``: it is atomic (a failing update changes nothing), readers
keep answering from the old version until the new one is in place, and the result cache is
invalidated by the version change.  Updates are serialised across workers with a file lock.
"""

from __future__ import annotations

import fcntl
import hmac
import multiprocessing as mp
import tempfile
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
           updates_graph: str = "") -> None:
    """Child: load the dump, apply the update, write sorted N-Quads to ``out_path``.

    The update's default graph is the union of the named graphs, as a query's is (the
    Service Description's ``sd:UnionDefaultGraph``): its WHERE matches the data, a triple it
    deletes from the default graph is deleted from every graph that holds it, and a triple
    it inserts there (``INSERT DATA { ... }`` without GRAPH) goes into ``updates_graph``:
    Entente's data lives in named graphs, every count (VoID, /healthz, the manifest's
    graphs) is per named graph.  What it does inside ``GRAPH <g>`` is done to that graph.
    """
    import resource

    if memory_mb > 0:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (memory_mb * 1024 * 1024, hard))
    try:
        store = ox.Store()
        store.bulk_load(path=dump_path, format=ox.RdfFormat.N_QUADS)
        before = ox.Store()  # (the named graphs as they were: what the union held)
        before.bulk_load(path=dump_path, format=ox.RdfFormat.N_QUADS)
        store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        store.update(update)
        _union_changes(store, before, ox.NamedNode(updates_graph) if updates_graph else None)
        lines = sorted(
            set(ox.serialize(store, format=ox.RdfFormat.N_QUADS).decode().splitlines())
        )
        Path(out_path).write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        conn.send(("ok", len(lines)))
    except SyntaxError as exc:
        conn.send(("syntax", str(exc)))
    except RuntimeError as exc:  # the engine refused an operation ("The graph <g> already
        # exists" for CREATE, a DROP of a graph that is not there): the update's own error
        conn.send(("error", str(exc)))
    except (OSError, ValueError, MemoryError) as exc:
        conn.send(("error", f"{type(exc).__name__}: {exc}"))


def _union_changes(store: ox.Store, before: ox.Store, target: ox.NamedNode | None) -> None:
    """Carry an update's changes to the materialised union (``store``'s default graph) over
    to the named graphs: a triple the union held (``before``, the named graphs before the
    update) and no longer holds is removed from every graph; a triple it holds that no
    graph held is added to ``target``; then the default graph is emptied again."""
    default = ox.DefaultGraph()
    for quad in before:  # (a triple in several graphs: removed at its first quad)
        if next(store.quads_for_pattern(quad.subject, quad.predicate, quad.object, default),
                None) is None:  # deleted from the union: from every graph that held it
            for held in list(store.quads_for_pattern(quad.subject, quad.predicate,
                                                     quad.object, None)):
                if held in before:  # (not where the update put it: "DELETE { t } INSERT
                    store.remove(held)  # { GRAPH <g> { t } }" moves t into <g>)
    for quad in list(store.quads_for_pattern(None, None, None, default)):
        store.remove(quad)
        if target is not None and next(before.quads_for_pattern(
                quad.subject, quad.predicate, quad.object, None), None) is None:
            store.add(ox.Quad(quad.subject, quad.predicate, quad.object, target))


def apply_update(update: str) -> dict[str, Any]:
    """Apply ``update`` and publish the result; returns the new version and quad count."""
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
        out = Path(tmp) / "dataset.nq"
        parent, child = _CTX.Pipe()
        proc = _CTX.Process(target=_apply, daemon=True, args=(
            child, str(info.dump_path), update, str(out), settings.query_memory_mb,
            (info.manifest.get("base_iri") or settings.base) + "graph/updates"))
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
        if kind != "ok":
            raise BadRequest(f"the update failed: {payload}")
        extra = {"ontology.html": info.ontology_html} if info.ontology_html.is_file() else {}
        try:
            new = gstore.publish(out, link, extra, base_iri=info.manifest.get("base_iri"),
                                 lenient=True)
        except StoreError as exc:
            raise ServiceUnavailable(f"the update could not be published: {exc}") from None
    engine.refresh()
    return {"status": 200, "version": new.version, "quads": new.manifest.get("quads")}


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
