"""Whole-number option values for argparse, each command wording its own messages."""

from __future__ import annotations

import argparse
from collections.abc import Callable


def whole_number(low: int, high: int | None, *, not_number: str, out_of_range: str) -> Callable[[str], int]:
    """An argparse `type=`: an int in [low, high] (no upper bound when high is None).
    `not_number` may use {text!r}; both messages may use {low} and {high}."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(not_number.format(text=text, low=low, high=high)) from None
        if value < low or (high is not None and value > high):
            raise argparse.ArgumentTypeError(out_of_range.format(text=text, low=low, high=high))
        return value

    return parse
