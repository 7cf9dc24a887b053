"""date_cues.may_hold_date: False only where find_date finds nothing, in the text or any part."""

from __future__ import annotations

import pytest
from entente.graph import date_cues

TEXTS = [
    "China and Russia signed the treaty.",
    "In May 2019, China and Russia signed the treaty.",
    "They met last year in Beijing.",
    "They met in March and again in the autumn.",
    "The 19th summit, with 20 delegations, met at 1990 Avenue.",
    "YEAR OF THE DRAGON",
    "Moscow sits on the Moskva; Beijing, 1,000 km east.",
    "",
]


@pytest.mark.parametrize("text", TEXTS)
def test_no_date_where_none_may_be(text: str) -> None:
    found = any(date_cues.find_date(text[i:j], 2020) is not None
                for i in range(len(text) + 1) for j in range(i, len(text) + 1))
    if found:  # (the gate may pass where nothing is found: "1990 Avenue")
        assert date_cues.may_hold_date(text)


def test_examples() -> None:
    assert date_cues.may_hold_date("In May 2019, they met")
    assert date_cues.may_hold_date("last year")
    assert not date_cues.may_hold_date("China and Russia signed the treaty.")
    assert not date_cues.may_hold_date("Moscow sits on the Moskva; Beijing, 1,000 km east.")
