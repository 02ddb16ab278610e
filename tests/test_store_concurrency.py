"""Two processes writing answers to the same file at the same time: no 'database is locked',
no lost answer, no corruption."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from srs_fixtures import assert_store_sound, write_library

from quizapp.store import Store

WRITER = textwrap.dedent(
    """
    import sys
    from quizapp.config import Settings
    from quizapp.deck import load_library
    from quizapp.store import Store
    from quizapp.study.session import StudySession

    data, content, topic, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    lib = load_library([content], include_builtin=False)
    store = Store.open(data)
    store.sync_library(lib)
    done = 0
    for _ in range(rounds):
        session = StudySession(store, lib, Settings(language="en"), topic=topic, practice=True)
        while session.next_card() is not None:
            session.reveal()
            session.rate(3)
            done += 1
    # and a few scheduled answers, which rewrite card rows too
    session = StudySession(store, lib, Settings(language="en"), topic=topic, limit=4)
    while session.next_card() is not None:
        session.reveal()
        session.rate(3)
        done += 1
    store.close()
    print(done)
    """
)


@pytest.mark.slow
def test_two_writers_at_once(tmp_path):
    content = write_library(tmp_path)
    data = tmp_path / "data"
    Store.open(data).close()
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(data), str(content), topic, "25"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for topic in ("beta", "alpha")
    ]
    results = [p.communicate(timeout=300) for p in procs]
    for proc, (_out, err) in zip(procs, results):
        assert proc.returncode == 0, err
    total = sum(int(out.strip()) for out, _ in results)
    assert total >= 25 * (6 + 4)
    store = Store.open(data)
    try:
        assert store.review_count() == total
    finally:
        store.close()
    assert_store_sound(data)
