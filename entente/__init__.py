"""Entente: an evidence-backed knowledge graph of international relations."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("entente")
except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
    __version__ = "0.0.0"
