"""Export and import at scale: time and peak memory (issue 16: < 300 MB at 1M reviews).

    .venv/bin/python bench/transfer.py [--cards 100000] [--reviews 1000000]

A synthetic history (bench/synthetic.py) is written as an export file; then, each in a fresh
process so its peak memory (ru_maxrss, from wait4) is its own:
1. `quizapp import --json` of it into an empty data directory;
2. `quizapp export --json` of that store;
3. `quizapp export --csv` of that store.
Prints the wall time and peak memory of each, and the sizes. Not a timed test: machines are
shared and noisy.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))

from synthetic import history, size_parser, synthetic_library, write_export  # noqa: E402

TARGET_MB = 300


def run(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(seconds, peak MB) of one quizapp command in its own process."""
    start = time.perf_counter()
    pid = os.spawnve(os.P_NOWAIT, sys.executable, [sys.executable, "-m", "quizapp", *args], env)
    _pid, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"quizapp {' '.join(args)} failed ({os.waitstatus_to_exitcode(status)})")
    return elapsed, usage.ru_maxrss / 1024


def main() -> int:
    parser = size_parser(__doc__)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="quizapp-transfer-") as tmp:
        root = Path(tmp)
        source = root / "history.json"
        with source.open("w", encoding="utf-8") as fh:
            count = write_export(history(args.cards, args.reviews, datetime.now(UTC)), fh)
        synthetic_library(args.cards)  # the keys the export names (cards unknown to the content: retired)
        env = dict(os.environ, QUIZAPP_DATA_DIR=str(root / "data"), QUIZAPP_CONFIG=str(root / "config.json"),
                   QUIZAPP_CACHE_DIR=str(root / "cache"), PYTHONPATH=str(Path(__file__).resolve().parent.parent))
        print(f"{count:,} answers of {args.cards:,} cards; export file {source.stat().st_size / 1e6:.0f} MB")
        rows = [
            ("import --json", run(["import", "--json", str(source)], env)),
            ("export --json", run(["export", "--json", str(root / "out.json")], env)),
            ("export --csv", run(["export", "--csv", str(root / "out.csv")], env)),
        ]
        for name, (seconds, peak) in rows:
            verdict = "ok" if peak < TARGET_MB else "OVER"
            print(f"{name:<14} {seconds:7.1f} s   peak memory {peak:6.0f} MB  (target < {TARGET_MB} MB: {verdict})")
        db = root / "data" / "quizapp.sqlite3"
        print(f"database {db.stat().st_size / 1e6:.0f} MB; JSON export {(root / 'out.json').stat().st_size / 1e6:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
