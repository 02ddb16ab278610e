"""Requests the worker tests send through CheckWorker.run to misbehave in the child process.

They live here, not in the worker: the child imports this module by name (tests/ is on the path
the child inherits), so production code carries no way to crash or stall its own checker.
"""

from __future__ import annotations


def allocate(size: int) -> int:
    """Ask for `size` bytes at once (a memory blow-up); the length, if it was granted."""
    return len(bytearray(size))
