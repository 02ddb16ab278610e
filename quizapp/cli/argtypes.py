"""argparse helpers the commands share: bounded number options (each command wording its own
messages) and the registration of a subcommand."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any, TypeVar

N = TypeVar("N", int, float)


def bounded(convert: Callable[[str], N], low: N, high: N | None, *, not_number: str,
            out_of_range: str) -> Callable[[str], N]:
    """An argparse `type=`: `convert(text)` in [low, high] (no upper bound when high is None).
    `not_number` may use {text!r}; both messages may use {text}, {low} and {high}."""

    def parse(text: str) -> N:
        try:
            value = convert(text)
        except ValueError:
            raise argparse.ArgumentTypeError(not_number.format(text=text, low=low, high=high)) from None
        if not (low <= value and (high is None or value <= high)):  # so that a float NaN is out
            raise argparse.ArgumentTypeError(out_of_range.format(text=text, low=low, high=high))
        return value

    return parse


def whole_number(low: int, high: int | None, *, not_number: str, out_of_range: str) -> Callable[[str], int]:
    """An int in [low, high]: see `bounded`."""
    return bounded(int, low, high, not_number=not_number, out_of_range=out_of_range)


def add_command(subparsers: Any, name: str, run: Callable[[argparse.Namespace], int], *, help: str,
                description: str) -> argparse.ArgumentParser:
    """The parser of subcommand `name`, which `run` carries out."""
    parser: argparse.ArgumentParser = subparsers.add_parser(name, help=help, description=description)
    parser.set_defaults(func=run)
    return parser
