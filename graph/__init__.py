"""Entente's graph layer: extraction from texts, the RDF dataset and the store.

Modules that the server may import (they never import the extractor):
``namespaces``, ``store``, ``canned``.
"""
