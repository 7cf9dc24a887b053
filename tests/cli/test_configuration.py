"""README "Configuration" and ``entente/config.py`` agree: every variable in the table is a
setting, every setting is in the table, each default is the one the table gives, and each
variable is read from the environment (with the type the default has)."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pytest

from entente.config import Settings

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_rows() -> dict[str, str]:
    """variable -> its default as the README writes it (``(empty)`` for nothing)."""
    text = README.read_text(encoding="utf-8").split("## Configuration", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, str] = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[0].startswith("`ENTENTE_"):
            continue
        names = re.findall(r"`(ENTENTE_\w+)`", cells[0])
        defaults = [d.strip() for d in cells[1].split(" / ")]
        if len(defaults) == 1:
            defaults *= len(names)
        assert len(defaults) == len(names), line
        rows.update(zip(names, defaults, strict=True))
    return rows


SETTINGS = {f.metadata["env"]: f for f in fields(Settings)}


def _shown(value: object) -> str:
    """A default as the README writes it."""
    if value in ("", ()):
        return "(empty)"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, tuple):
        value = ",".join(value)
    return f"`{value}`"


def test_the_table_lists_exactly_the_settings() -> None:
    assert sorted(readme_rows()) == sorted(SETTINGS)


@pytest.mark.parametrize("variable", sorted(SETTINGS))
def test_each_default_is_the_readme_one(variable: str) -> None:
    shown = readme_rows()[variable].replace(" (auto)", "")
    assert shown == _shown(getattr(Settings(), SETTINGS[variable].name))


@pytest.mark.parametrize(("variable", "raw", "value"), [
    ("ENTENTE_BASE_IRI", "https://kg.example.net/x/", "https://kg.example.net/x/"),
    ("ENTENTE_CORPUS", "texts", Path("texts")),
    ("ENTENTE_STORE", "/srv/store", Path("/srv/store")),
    ("ENTENTE_PORT", "8123", 8123),
    ("ENTENTE_QUERY_TIMEOUT", "2.5", 2.5),
    ("ENTENTE_CORS_ORIGINS", "https://a.example, https://b.example",
     ("https://a.example", "https://b.example")),
    ("ENTENTE_UPDATE_ENABLED", "yes", True),
    ("ENTENTE_UPDATE_ENABLED", "0", False),
    ("ENTENTE_MAX_ROWS", "50", 50),
    ("ENTENTE_PREWARM_MB", "0", 0),
    ("ENTENTE_BACKEND", "http://127.0.0.1:8890/sparql", "http://127.0.0.1:8890/sparql"),
])
def test_a_variable_sets_its_setting(variable: str, raw: str, value: object) -> None:
    settings = Settings.from_env({variable: raw})
    assert getattr(settings, SETTINGS[variable].name) == value
    # and nothing else changed
    others = [f.name for f in fields(Settings) if f.name != SETTINGS[variable].name]
    assert [getattr(settings, n) for n in others] == [getattr(Settings(), n) for n in others]


@pytest.mark.parametrize(("variable", "raw"), [
    ("ENTENTE_PORT", "eighty"), ("ENTENTE_QUERY_TIMEOUT", "soon"),
    ("ENTENTE_BASE_IRI", "not an iri"), ("ENTENTE_MAX_DOCUMENT_BYTES", "-1"),
    ("ENTENTE_PORT", "70000"), ("ENTENTE_QUERY_TIMEOUT", "0"), ("ENTENTE_WORKERS", "0"),
    ("ENTENTE_MAX_ROWS", "0"), ("ENTENTE_CACHE_MB", "-5"), ("ENTENTE_PREWARM_MB", "-1"),
])
def test_an_unreadable_value_is_refused_naming_the_setting(variable: str, raw: str) -> None:
    with pytest.raises(ValueError, match=rf"setting {SETTINGS[variable].name} \({variable}\): "):
        Settings.from_env({variable: raw})
