"""The SQLite side of the Anki export: the collection file inside an .apkg.

genanki writes Anki's tables itself, through a cursor; the connection is opened here because this
package is where the app holds its SQLite connections. The collection is built in memory and
handed over as bytes (sqlite3's serialize), so no file is written outside quizapp.safeio: genanki's
own Package.write_to_file would use a temporary file that it never removes. quizapp.bridges.anki
zips the bytes into the package.
"""

from __future__ import annotations

import itertools
import sqlite3
from typing import Any


def anki_collection_bytes(package: Any, timestamp: float) -> bytes:
    """genanki `package`'s collection as the bytes of an SQLite file; notes and cards are dated
    `timestamp` (seconds since the epoch) and numbered from it, as genanki does."""
    conn = sqlite3.connect(":memory:")
    try:
        package.write_to_db(conn.cursor(), timestamp, itertools.count(int(timestamp * 1000)))
        conn.commit()
        return conn.serialize()
    finally:
        conn.close()
