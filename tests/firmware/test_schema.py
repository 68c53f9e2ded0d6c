"""firmware.schema: plain data into frozen dataclasses, every problem at once with its path."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import pytest
from annotated_types import Ge, Gt, Le, Lt, MinLen
from hypothesis import given as for_all
from hypothesis import strategies as st

from firmware.schema import (
    Before,
    Check,
    Pattern,
    Problem,
    SchemaError,
    Secret,
    as_data,
    doc,
    doc_factory,
    given,
    parse,
)


def _even(n: int) -> None:
    if n % 2:
        raise ValueError(f"{n} is odd")


def _no_old_key(table: object) -> None:
    if isinstance(table, dict) and "old" in table:
        raise ValueError("old was removed: delete the line")


@dataclass(frozen=True)
class Leaf:
    ratio: Annotated[float, Gt(0), Lt(1)] = doc(0.5, "A fraction.")
    count: Annotated[int, Ge(0), Le(10)] = doc(1, "A count.")
    on: bool = doc(False, "A switch.")

    def __post_init__(self) -> None:
        if self.on and self.count == 0:
            raise ValueError("on needs count > 0")


@dataclass(frozen=True)
class Board:
    name: str = doc(description="Required.")
    pin: int | None = doc(None, "A pin.")

    @staticmethod
    def raw_problems(table: dict[str, Any]) -> list[Problem]:
        return [(("pin",), "pin 13 is taken")] if table.get("pin") == 13 else []


@dataclass(frozen=True)
class Root:
    leaf: Annotated[Leaf, Before(_no_old_key)] = doc_factory(Leaf, "Nested.")
    boards: Annotated[dict[str, Board], MinLen(1)] = doc_factory(
        lambda: {"a": Board(name="a")}, "By name."
    )
    kind: Literal["x", "y"] = doc("x", "A choice.")
    gain: Literal[128, 64] = doc(128, "A number choice.")
    band: tuple[float, float] = doc((1.0, 2.0), "Two numbers.")
    hosts: tuple[str, ...] = doc((), "Any number of names.")
    items: list[Leaf] | None = doc(None, "A list of tables.")
    where: Path = doc(Path("/tmp"), "A path.")
    id: Annotated[str, Pattern(r"[a-z]{1,4}", "1 to 4 small letters")] = doc("ab", "An id.")
    even: Annotated[int, Check(_even)] = doc(2, "An even number.")
    token: Secret | None = doc(None, "A secret.")
    _given: frozenset[str] = field(default=frozenset(), repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.kind == "y" and self.gain == 64:
            raise SchemaError([(("kind",), "y cannot go with gain 64"), ((), "and it shows")])


def lines(data: object) -> list[str]:
    with pytest.raises(SchemaError) as caught:
        parse(Root, data)
    return caught.value.lines()


def test_defaults_and_a_good_table() -> None:
    assert parse(Root, {}) == Root()
    root = parse(Root, {"leaf": {"ratio": 0.25, "count": 3}, "band": [3, 4], "where": "/x"})
    assert root.leaf == Leaf(ratio=0.25, count=3) and root.band == (3.0, 4.0)
    assert root.where == Path("/x") and isinstance(root.band[0], float)


def test_every_problem_at_once_each_with_its_full_path() -> None:
    data = {
        "leaf": {"ratio": 0, "count": "3", "colour": "red"},
        "boards": {"a": {"name": "a", "pin": True}, "b": {}},
        "kind": "z",
        "items": [{}, {"ratio": 2}],
        "unknown": 1,
    }
    assert lines(data) == [
        "leaf.ratio: must be > 0, got 0",
        "leaf.count: must be a whole number, got '3'",
        "leaf.colour: unknown field (check the spelling)",
        "boards.a.pin: must be a whole number, got True",
        "boards.b.name: required, not given",
        "kind: must be one of 'x', 'y', got 'z'",
        "items.1.ratio: must be < 1, got 2",
        "unknown: unknown field (check the spelling)",
    ]


@pytest.mark.parametrize(
    ("leaf", "line"),
    [
        ({"ratio": "half"}, "leaf.ratio: must be a number, got 'half'"),
        ({"ratio": True}, "leaf.ratio: must be a number, got True"),
        ({"ratio": math.nan}, "leaf.ratio: must be a finite number, got nan"),
        ({"ratio": -math.inf}, "leaf.ratio: must be a finite number, got -inf"),
        ({"count": 3.5}, "leaf.count: must be a whole number, got 3.5"),
        ({"count": 11}, "leaf.count: must be <= 10, got 11"),
        ({"on": 1}, "leaf.on: must be true or false, got 1"),
        ({"on": True, "count": 0}, "leaf: on needs count > 0"),
    ],
)
def test_types_are_checked_strictly_enough(leaf: dict[str, object], line: str) -> None:
    assert lines({"leaf": leaf}) == [line]


def test_ints_go_where_floats_do_and_whole_floats_where_ints_do() -> None:
    leaf = parse(Leaf, {"ratio": 0, "count": 4.0} | {"ratio": 1 - 1e-9})
    assert leaf.count == 4 and isinstance(leaf.count, int)
    assert parse(Root, {"band": (1, 2)}).band == (1.0, 2.0)


def test_choices_sizes_patterns_and_checks() -> None:
    assert lines({"gain": True}) == ["gain: must be one of 128, 64, got True"]
    assert lines({"band": [1, 2, 3]}) == ["band: must have 2 items, got 3"]
    assert lines({"hosts": "a.b"}) == ["hosts: must be a list, got 'a.b'"]
    assert lines({"boards": {}}) == ["boards: must have at least 1 item(s), got 0"]
    assert lines({"id": "ABC"}) == ["id: must be 1 to 4 small letters, got 'ABC'"]
    assert lines({"even": 3}) == ["even: 3 is odd"]
    assert lines({"leaf": 5}) == ["leaf: must be a table, got 5"]
    assert lines([]) == ["(top level): must be a table, got []"]


def test_a_before_check_replaces_the_fields_own_problems() -> None:
    assert lines({"leaf": {"old": 1, "ratio": 7}}) == ["leaf: old was removed: delete the line"]


def test_a_class_check_runs_once_its_fields_are_valid_and_may_name_paths_below() -> None:
    assert lines({"kind": "y", "gain": 64}) == [
        "kind: y cannot go with gain 64",
        "(top level): and it shows",
    ]
    # A wrong field: the class's own check does not run on half a table.
    assert lines({"kind": "y", "gain": 64, "even": 1}) == ["even: 1 is odd"]


def test_raw_problems_are_said_even_when_a_field_is_wrong() -> None:
    assert lines({"boards": {"a": {"pin": 13, "name": 5}}}) == [
        "boards.a.name: must be a string, got 5",
        "boards.a.pin: pin 13 is taken",
    ]
    assert lines({"boards": {"a": {"pin": 13, "name": "a"}}}) == ["boards.a.pin: pin 13 is taken"]


def test_paths_are_put_under_where() -> None:
    with pytest.raises(SchemaError) as caught:
        parse(Leaf, {"count": -1}, ("section", "leaf"))
    assert caught.value.lines() == ["section.leaf.count: must be >= 0, got -1"]
    assert str(caught.value) == "section.leaf.count: must be >= 0, got -1"


def test_the_given_keys_are_kept_and_given_back() -> None:
    root = parse(Root, {"leaf": {"count": 2}, "boards": {"b": {"name": "b"}}})
    assert given(root) == {"leaf", "leaf.count", "boards", "boards.b", "boards.b.name"}
    assert as_data(root) == {"leaf": {"count": 2}, "boards": {"b": {"name": "b"}}}
    assert given(Leaf()) == frozenset() and as_data(Leaf()) == {
        "ratio": 0.5, "count": 1, "on": False,
    }  # fmt: skip


def test_a_secret_stays_out_of_repr_and_data_dumps() -> None:
    root = parse(Root, {"token": "s3cret-value"})
    assert root.token is not None and root.token.reveal() == "s3cret-value"
    assert "s3cret" not in repr(root) and "s3cret" not in str(as_data(root))
    assert parse(Root, as_data(root)) == root


def test_a_type_the_schema_cannot_check_is_a_programming_error() -> None:
    @dataclass(frozen=True)
    class Odd:
        value: complex = 1j

    with pytest.raises(TypeError, match="cannot check"):
        parse(Odd, {"value": 2j})


leaves = st.fixed_dictionaries(
    {},
    optional={
        "ratio": st.floats(min_value=1e-6, max_value=1 - 1e-6) | st.integers(0, 0),
        "count": st.integers(0, 10),
        "on": st.just(False),
    },
)


@for_all(
    st.fixed_dictionaries(
        {},
        optional={
            "leaf": leaves,
            "kind": st.sampled_from(["x", "y"]),
            "band": st.tuples(st.floats(-1e6, 1e6), st.integers(-5, 5)),
            "hosts": st.lists(st.text(max_size=5), max_size=3),
            "items": st.lists(leaves, max_size=3),
        },
    )
)
def test_data_and_back_gives_the_same_config(data: dict[str, Any]) -> None:
    try:
        root = parse(Root, data)
    except SchemaError as exc:  # only ratio 0 is out of range here
        assert all(line.endswith("must be > 0, got 0") for line in exc.lines())
        return
    again = parse(Root, as_data(root))
    assert again == root and given(again) == given(root)


@for_all(st.one_of(st.text(), st.booleans(), st.lists(st.integers()), st.none()))
def test_a_wrong_value_for_a_number_is_one_line_naming_the_field(value: object) -> None:
    assert [line.split(":")[0] for line in lines({"leaf": {"ratio": value}})] == ["leaf.ratio"]
