"""The two light tables that let acumat start without its heavy imports match what they stand for.

``controller.cli._COMMANDS`` (which module registers each command: ``main`` imports only that
one) against the commands the modules register, and ``firmware.sim.names.SCENARIO_NAMES``
(what ``check-config`` checks a scenario name against, without numpy) against the library.
tests/contract/test_lazy_imports.py checks what each command then loads.
"""

from __future__ import annotations

import argparse

import pytest

from controller.cli import _COMMANDS, _SUBCOMMANDS, build_parser
from firmware.sim.names import SCENARIO_NAMES
from firmware.sim.scenarios import SCENARIOS


def _commands(parser: argparse.ArgumentParser) -> list[str]:
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return list(sub.choices)


def test_the_command_table_lists_every_registered_command_in_order() -> None:
    assert _commands(build_parser()) == list(_COMMANDS)


@pytest.mark.parametrize("command", list(_COMMANDS))
def test_a_command_alone_registers_with_its_own_module(command: str) -> None:
    registered = _commands(build_parser(command))
    assert command in registered
    assert {_COMMANDS[c] for c in registered} == {_COMMANDS[command]}


def test_an_unknown_first_word_or_an_option_builds_the_whole_parser() -> None:
    for first in (None, "--help", "-h", "runn", "check_config"):
        assert _commands(build_parser(first)) == list(_COMMANDS)


def test_every_subcommand_module_is_in_the_table() -> None:
    assert set(_SUBCOMMANDS) == set(_COMMANDS.values())
    assert len(_SUBCOMMANDS) == len(set(_SUBCOMMANDS))


def test_the_scenario_names_are_the_library_in_its_order() -> None:
    assert tuple(SCENARIOS) == SCENARIO_NAMES
