"""The SQLite side of the Anki export: the collection file inside an .apkg.

genanki writes Anki's tables itself, through a cursor; the connection is opened here because this
package is where the app holds its SQLite connections. (genanki's own Package.write_to_file
would do the same in a temporary file that it never removes.) quizapp.bridges.anki zips the file.
"""

from __future__ import annotations

import itertools
import sqlite3
from pathlib import Path
from typing import Any


def write_anki_collection(package: Any, path: Path, timestamp: float) -> None:
    """Write genanki `package`'s collection to the new file `path`; notes and cards are dated
    `timestamp` (seconds since the epoch) and numbered from it, as genanki does."""
    conn = sqlite3.connect(path)
    try:
        package.write_to_db(conn.cursor(), timestamp, itertools.count(int(timestamp * 1000)))
        conn.commit()
    finally:
        conn.close()
