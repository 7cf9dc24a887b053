"""The extraction records (graph/model.py): what the steps rely on of Sentence and Mention."""

from __future__ import annotations

import pickle

import pytest
from entente.graph.model import Mention, Sentence


def test_fields_by_name_and_position() -> None:
    m = Mention(5, 11, "Russia", "https://e.org/id/state/russia", 2)
    assert (m.start, m.end, m.text, m.entity, m.sentence, m.kind) == \
        (5, 11, "Russia", "https://e.org/id/state/russia", 2, "reference")
    assert Mention(start=5, end=11, text="Russia", entity="x", sentence=2, kind="minted").kind \
        == "minted"
    s = Sentence(3, 10, 20, "China said", 1)
    assert (s.index, s.start, s.end, s.text, s.paragraph) == (3, 10, 20, "China said", 1)
    start, end, text, entity, sentence, kind = m  # (the N-Quads writer unpacks them)
    assert (start, end, kind) == (5, 11, "reference")


def test_immutable() -> None:
    m = Mention(0, 5, "China", "x", 1)
    with pytest.raises(AttributeError):
        m.start = 1  # type: ignore[misc]
    s = Sentence(1, 0, 5, "China", 0)
    with pytest.raises(AttributeError):
        s.text = "Russia"  # type: ignore[misc]


def test_equality_and_hash_by_value() -> None:
    a = Mention(0, 5, "China", "x", 1)
    b = Mention(0, 5, "China", "x", 1, "reference")
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    assert a != Mention(0, 5, "China", "y", 1)
    # the hash of the field tuple, as a frozen dataclass's: sets of records iterate in the
    # same order as before the records became named tuples
    assert hash(a) == hash((0, 5, "China", "x", 1, "reference"))
    assert hash(Sentence(1, 0, 5, "China", 0)) == hash((1, 0, 5, "China", 0))


def test_repr_and_pickle() -> None:
    m = Mention(0, 5, "China", "x", 1)
    assert repr(m) == ("Mention(start=0, end=5, text='China', entity='x', sentence=1, "
                       "kind='reference')")
    assert repr(Sentence(1, 0, 5, "China", 0)) == \
        "Sentence(index=1, start=0, end=5, text='China', paragraph=0)"
    assert pickle.loads(pickle.dumps(m)) == m
    assert m._replace(entity="y").entity == "y" and m.entity == "x"
