"""Entente's HTTP server: SPARQL 1.1 endpoint, canned queries, linked-data pages, UI."""
