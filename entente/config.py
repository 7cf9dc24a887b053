"""All of Entente's settings in one place.

Every setting is read from an environment variable with a documented default
(see README "Configuration").  Command-line flags override the environment for
the commands that take them.  Nothing else in the code base reads Entente's variables; the
one other variable read is prometheus_client's ``PROMETHEUS_MULTIPROC_DIR`` (server/ops.py,
server/metrics_dir.py), which ``entente serve`` sets for its workers.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from entente.errors import SettingError

#: The namespace of the Entente ontology (fixed, independent of where data is hosted).
ONTOLOGY_NS = "https://entente.example.org/ontology#"
#: The ontology IRI (served at the path /ontology).
ONTOLOGY_IRI = "https://entente.example.org/ontology"


_TRUE, _FALSE = frozenset({"1", "true", "yes", "on"}), frozenset({"0", "false", "no", "off"})


def _bool(value: str) -> bool:
    word = value.strip().lower()
    if word not in _TRUE | _FALSE:  # (a typo such as "ture" must not read as false)
        raise ValueError("expected one of 1, true, yes, on, 0, false, no, off")
    return word in _TRUE


def _list(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(",") if v.strip())


@dataclass(frozen=True)
class Settings:
    """Entente configuration.  ``env`` names the variable each field is read from."""

    base_iri: str = field(
        default="https://entente.example.org/", metadata={"env": "ENTENTE_BASE_IRI"}
    )
    corpus: Path = field(default=Path("corpus"), metadata={"env": "ENTENTE_CORPUS"})
    store: Path = field(default=Path("var/store"), metadata={"env": "ENTENTE_STORE"})
    host: str = field(default="127.0.0.1", metadata={"env": "ENTENTE_HOST"})
    port: int = field(default=8000, metadata={"env": "ENTENTE_PORT"})
    workers: int = field(default=2, metadata={"env": "ENTENTE_WORKERS"})
    threads: int = field(default=8, metadata={"env": "ENTENTE_THREADS"})
    query_processes: int = field(default=2, metadata={"env": "ENTENTE_QUERY_PROCESSES"})
    query_timeout: float = field(default=30.0, metadata={"env": "ENTENTE_QUERY_TIMEOUT"})
    query_memory_mb: int = field(default=2048, metadata={"env": "ENTENTE_QUERY_MEMORY_MB"})
    query_process_keep_mb: int = field(
        default=160, metadata={"env": "ENTENTE_QUERY_PROCESS_KEEP_MB"}
    )
    max_rows: int = field(default=10_000, metadata={"env": "ENTENTE_MAX_ROWS"})
    max_request_bytes: int = field(default=1_048_576, metadata={"env": "ENTENTE_MAX_REQUEST_BYTES"})
    cors_origins: tuple[str, ...] = field(default=("*",), metadata={"env": "ENTENTE_CORS_ORIGINS"})
    service_allowlist: tuple[str, ...] = field(
        default=(), metadata={"env": "ENTENTE_SERVICE_ALLOWLIST"}
    )
    update_enabled: bool = field(default=False, metadata={"env": "ENTENTE_UPDATE_ENABLED"})
    update_token: str = field(default="", metadata={"env": "ENTENTE_UPDATE_TOKEN"})
    cache_entries: int = field(default=1024, metadata={"env": "ENTENTE_CACHE_ENTRIES"})
    cache_mb: int = field(default=256, metadata={"env": "ENTENTE_CACHE_MB"})
    prewarm_mb: int = field(default=1024, metadata={"env": "ENTENTE_PREWARM_MB"})
    rate_limit_per_minute: int = field(default=0, metadata={"env": "ENTENTE_RATE_LIMIT"})
    slow_query_ms: float = field(default=1000.0, metadata={"env": "ENTENTE_SLOW_QUERY_MS"})
    # gzip on textual answers for clients that accept it (server/compression.py), or "off"
    compression: str = field(default="gzip", metadata={"env": "ENTENTE_COMPRESSION"})
    build_workers: int = field(default=1, metadata={"env": "ENTENTE_BUILD_WORKERS"})
    load_allocator: str = field(default="mimalloc", metadata={"env": "ENTENTE_LOAD_ALLOCATOR"})
    max_document_bytes: int = field(
        default=20 * 1024 * 1024, metadata={"env": "ENTENTE_MAX_DOCUMENT_BYTES"}
    )
    # the folder of the rules' compiled expressions (read where they are compiled:
    # graph/pattern_cache.py); empty: $XDG_CACHE_HOME/entente or ~/.cache/entente; "off": none
    pattern_cache: str = field(default="", metadata={"env": "ENTENTE_PATTERN_CACHE"})
    # a remote SPARQL 1.1 store (docs/scaling.md): serve from it, push to it
    backend: str = field(default="", metadata={"env": "ENTENTE_BACKEND"})
    backend_update: str = field(default="", metadata={"env": "ENTENTE_BACKEND_UPDATE"})
    backend_graph_store: str = field(default="", metadata={"env": "ENTENTE_BACKEND_GRAPH_STORE"})
    backend_user: str = field(default="", metadata={"env": "ENTENTE_BACKEND_USER"})
    backend_password: str = field(default="", metadata={"env": "ENTENTE_BACKEND_PASSWORD"})
    backend_token: str = field(default="", metadata={"env": "ENTENTE_BACKEND_TOKEN"})
    backend_auth: str = field(default="basic", metadata={"env": "ENTENTE_BACKEND_AUTH"})
    backend_dataset: str = field(default="named", metadata={"env": "ENTENTE_BACKEND_DATASET"})
    backend_refresh: float = field(default=10.0, metadata={"env": "ENTENTE_BACKEND_REFRESH"})
    push_batch: int = field(default=0, metadata={"env": "ENTENTE_PUSH_BATCH"})

    def __post_init__(self) -> None:
        problem = base_iri_problem(self.base_iri)
        if problem:
            raise SettingError(f"setting {_named('base_iri')}: {problem}")
        for name in ("backend", "backend_update", "backend_graph_store"):
            problem = getattr(self, name) and http_url_problem(getattr(self, name))
            if problem:
                raise SettingError(f"setting {_named(name)}: {problem}")
        for name, allowed in _CHOICES.items():
            if getattr(self, name) not in allowed:
                raise SettingError(f"setting {_named(name)}: must be one of "
                                   f"{', '.join(allowed)}, got {getattr(self, name)!r}")
        for name, (low, high) in _BOUNDS.items():
            value = getattr(self, name)
            if not low <= value <= high:
                limit = f"at least {low:g}" if high == _NO_LIMIT else f"from {low:g} to {high:g}"
                raise SettingError(f"setting {_named(name)}: must be {limit}, got {value:g}")

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: Any) -> Settings:
        """Read settings from ``environ`` (default: os.environ), then apply overrides.

        Overrides whose value is None are ignored, so argparse namespaces can be
        passed through directly.
        """
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(f.metadata["env"])
            if raw is None or raw == "":
                continue
            values[f.name] = _convert(f.name, f.type, raw)
        settings = cls(**values)
        clean = {k: v for k, v in overrides.items() if v is not None}
        return settings.with_(**clean) if clean else settings

    def with_(self, **changes: Any) -> Settings:
        """A copy with some fields changed (values coerced like environment strings)."""
        coerced = {}
        types = {f.name: f.type for f in fields(self)}
        for name, value in changes.items():
            if name not in types:
                raise TypeError(f"unknown setting {name!r}")
            coerced[name] = _convert(name, types[name], value) if isinstance(value, str) else value
        if "store" in coerced and coerced["store"] is not None:
            coerced["store"] = Path(coerced["store"])
        if "corpus" in coerced and coerced["corpus"] is not None:
            coerced["corpus"] = Path(coerced["corpus"])
        return replace(self, **coerced)

    @property
    def base(self) -> str:
        """The base IRI, always ending in '/'."""
        return self.base_iri if self.base_iri.endswith("/") else self.base_iri + "/"

    def describe(self) -> list[tuple[str, str, Any]]:
        """(env var, field, default) for documentation."""
        return [(f.metadata["env"], f.name, f.default) for f in fields(self)]


_NO_LIMIT = float("inf")
#: The range of every numeric setting (flags are checked by argparse; these catch ENTENTE_*
#: values, which once let e.g. a negative document size limit through).
_BOUNDS: dict[str, tuple[float, float]] = {
    "port": (1, 65535), "workers": (1, _NO_LIMIT), "threads": (1, _NO_LIMIT),
    # (a day at most: a wait on a query process is a poll() of a C int of milliseconds, and
    # ENTENTE_QUERY_TIMEOUT=inf started a server whose every query was a 500)
    "query_processes": (1, _NO_LIMIT), "query_timeout": (0.1, 86400),
    "query_memory_mb": (1, _NO_LIMIT), "query_process_keep_mb": (0, _NO_LIMIT),
    "max_rows": (1, _NO_LIMIT), "max_request_bytes": (1, _NO_LIMIT),
    "cache_entries": (0, _NO_LIMIT), "cache_mb": (0, _NO_LIMIT), "prewarm_mb": (0, _NO_LIMIT),
    "rate_limit_per_minute": (0, _NO_LIMIT), "slow_query_ms": (0, _NO_LIMIT),
    "build_workers": (1, _NO_LIMIT), "max_document_bytes": (1, _NO_LIMIT),
    "backend_refresh": (0, _NO_LIMIT), "push_batch": (0, _NO_LIMIT),
}

#: The values of every setting that names one way among a few (a typo such as
#: ENTENTE_BACKEND_AUTH=Digest fell back to basic authentication without a word).
_CHOICES: dict[str, tuple[str, ...]] = {
    "backend_auth": ("basic", "digest"), "backend_dataset": ("named", "endpoint"),
    "load_allocator": ("mimalloc", "system"),  # (graph/load_allocator.py, ALLOCATORS)
    "compression": ("gzip", "off"),
}

#: characters an IRI may not contain (RFC 3987; N-Triples' IRIREF excludes them too)
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def base_iri_problem(base: str) -> str | None:
    """Why ``base`` cannot be the base of the graph's IRIs (None when it can): it must be an
    absolute http(s) IRI with a host, and no query, fragment or characters IRIs exclude."""
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"{base!r} is not an absolute http(s) IRI with a host (e.g. https://example.org/)"
    bad = _NOT_IN_IRI.search(base)
    if bad:
        return f"{base!r} contains {bad.group()!r} at position {bad.start()}, which no IRI may"
    if parts.query or parts.fragment or base.endswith(("?", "#")):
        return f"{base!r} has a query or fragment; the base must be a path (e.g. https://example.org/kg/)"
    return None


def http_url_problem(url: str) -> str | None:
    """Why ``url`` cannot name a remote HTTP endpoint (None when it can): an http(s) URL with
    a host, a port from 1 to 65535 if any, and no spaces (requests' own messages, such as
    "Failed to parse: http://127.0.0.1:99999/sparql", named no setting or flag)."""
    shown = re.sub(r"//[^/@]*@", "//***@", url)  # (a user and password are not repeated)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return f"{shown!r} is not a URL ({exc})"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"{shown!r} is not an http(s) URL with a host (e.g. http://127.0.0.1:3030/ds/sparql)"
    if port == 0:
        return f"{shown!r} has port 0"
    bad = _NOT_IN_IRI.search(url)
    if bad:
        return f"{shown!r} contains {bad.group()!r} at position {bad.start()}"
    return None


def _convert(name: str, type_: Any, raw: str) -> Any:
    t = str(type_)
    try:
        if t == "bool":
            return _bool(raw)
        if t == "int":
            return int(raw)
        if t == "float":
            return float(raw)
        if t.startswith("tuple"):
            return _list(raw)
        if "Path" in t:
            return Path(raw)
        return raw
    except ValueError as exc:
        why = {"int": "not a whole number", "float": "not a number"}.get(t, str(exc))
        raise SettingError(f"setting {_named(name)}: cannot read {raw!r}: {why}") from None


def _named(name: str) -> str:
    """A setting as its messages name it: the field and its variable ("port (ENTENTE_PORT)")."""
    env = {f.name: f.metadata["env"] for f in fields(Settings)}.get(name)
    return f"{name} ({env})" if env else name
