"""Textual's terminal driver, with an input thread that stops as soon as the app quits.

Textual's own input thread (LinuxDriver.run_input_thread, textual 8.2.8) waits on stdin with
select(0.1), and once told to stop it sleeps another 0.1 s (its last select has no file left to
watch); App._shutdown joins that thread, so every quit waited 100–200 ms before the terminal was
restored and the process could end (issue 17: quit in < 100 ms). This thread also watches a pipe
that disable_input writes to, so it wakes at once. Everything else is Textual's: the same parser,
the same events, the same terminal modes.
"""

from __future__ import annotations

import contextlib
import os
import selectors
from codecs import getincrementaldecoder
from typing import Any

from textual._parser import ParseError
from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver


class QuickExitDriver(LinuxDriver):
    """LinuxDriver whose input thread ends the moment input is disabled."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._wake_read, self._wake_write = os.pipe()
        os.set_blocking(self._wake_read, False)

    def disable_input(self) -> None:
        with contextlib.suppress(OSError):
            os.write(self._wake_write, b"\0")
        super().disable_input()  # sets exit_event, joins the input thread
        with contextlib.suppress(OSError):  # drained, for the next start (after a suspend)
            while os.read(self._wake_read, 64):
                pass

    def close(self) -> None:
        super().close()
        for fd in (self._wake_read, self._wake_write):
            with contextlib.suppress(OSError):
                os.close(fd)

    def run_input_thread(self) -> None:
        """Textual's loop (read stdin, feed the parser, tick it), plus the wake-up pipe."""
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        selector.register(self._wake_read, selectors.EVENT_READ)
        parser = XTermParser(self._debug)
        decode = getincrementaldecoder("utf-8")().decode
        try:
            while not self.exit_event.is_set():
                events = selector.select(0.1)
                if any(key.fd == self.fileno for key, _mask in events):
                    text = decode(os.read(self.fileno, 1024 * 4))
                    for event in parser.feed(text) if text else ():
                        self.process_message(event)
                for event in parser.tick():
                    self.process_message(event)
        finally:
            selector.close()
            with contextlib.suppress(EOFError, ParseError):
                for _event in parser.feed(""):
                    pass
