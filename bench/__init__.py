"""Entente's benchmark harness and synthetic data (see README, Performance)."""
