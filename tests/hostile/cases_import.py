"""Hostile import files (`quizapp import --json`), run against a database made beforehand: a file
that is refused must change nothing (the database byte for byte); one that is accepted must not
poison the store (every later command still works) nor put control characters on the terminal."""

from __future__ import annotations

import json
import time
from pathlib import Path

from cases import IMPORTS, Case, Run, copy_of, device, directory, fifo, text_file

SETUP = (Run(("stats",), 0),)  # creates the database the import goes into
AFTER = (
    Run(("stats",), 0),
    Run(("stats", "--json"), 0),
    Run(("study", "--plain"), 0),
    Run(("export", "--json", "-"), 0, '"format": "quizapp-export"'),
    Run(("export", "--csv", "{dir}/after"), 0, "exported"),
    Run(("cards", "is:review or is:learning or is:new"), 0, r"\d+ cards"),
    Run(("check",), 0, ": ok"),  # what was taken in agrees with the log
)
DB = "data/quizapp.sqlite3"


def refused(name: str, build: object, message: str, waits_for: str = "") -> Case:
    return Case(f"import-{name}", build, (Run(("import", "--json", "{import}"), 2, message), *AFTER),  # type: ignore[arg-type]
                setup=SETUP, waits_for=waits_for)


def accepted(name: str, message: str = "", waits_for: str = "", after: tuple[Run, ...] = AFTER) -> Case:
    """Taken in (0) or refused as a whole (2); either way the store stays usable."""
    return Case(f"import-{name}", copy_of(IMPORTS / f"{name}.json", "import.json"),
                (Run(("import", "--json", "{import}"), (0, 2), message), *after),
                setup=SETUP, may_change=(DB,), waits_for=waits_for)


def _durations_today(folder: Path) -> dict[str, str]:
    """Two answers of today lasting 2⁶² ms each: today's total no longer fits SQLite's integers."""
    data = json.loads((IMPORTS / "poison_ts_max.json").read_text(encoding="utf-8"))
    now = int(time.time() * 1000)
    review = data["reviews"][0]
    data["reviews"] = [dict(review, uid=f"hostile-d{i}", ts=now - 60_000 * (i + 1), duration_ms=2**62) for i in range(2)]
    target = folder / "import.json"
    target.write_text(json.dumps(data), encoding="utf-8")
    return {"import": str(target)}


def static(name: str) -> object:
    return copy_of(IMPORTS / f"{name}.json", "import.json")


NOT_VALID = r"\{import\}: export version VALUE is not a valid integer"
IMPORT_CASES = [
    refused("version-float", static("version_float"), NOT_VALID.replace("VALUE", r"1\.0")),
    refused("version-string", static("version_string"), NOT_VALID.replace("VALUE", "'1'")),
    refused("version-true", static("version_true"), NOT_VALID.replace("VALUE", "True")),
    refused("version-newer", static("version_newer"), r"\{import\}: export version 99 is newer than this quizapp"),
    refused("not-export", static("not_export"), r"\{import\} is not a quizapp export"),
    refused("not-json", static("not_json"), r"\{import\} is not a JSON file"),
    refused("huge-int", text_file("import.json", '{"format": "quizapp-export", "version": 1, "reviews": '
                                  '[{"uid": "x", "card_key": "k", "rating": 3, "ts": ' + "7" * 5001 + "}]}"),
            r"\{import\} is not a JSON file: .*digits"),
    refused("deep-nesting", text_file("import.json", '{"format": "quizapp-export", "version": 1, "reviews": '
                                      + "[" * 200_000 + "]" * 200_000 + "}"),
            r"\{import\} is not a JSON file: .*(nested too deeply|recursion)"),
    refused("fifo", fifo("import.json"), r"\{import\}.* is not a regular file"),
    refused("dev-zero", device("import"), r"/dev/zero.* is not a regular file"),
    refused("directory", directory("import.json"), r"\{import\}.* is a directory"),
    refused("missing", lambda folder: {"import": str(folder / "missing.json")}, r"\{import\}.*No such file"),
    accepted("escapes", "imported 2 reviews", after=(
        Run(("stats",), 0, r"fam␛\[2J␛\]0;pwned␇(.|\n)*note\\u009b31m\\u202e"),
        Run(("stats", "--json"), 0, r'"note\\u009b31m\\u202e"'),
        Run(("suspend", "key\x1b]8;;file:///etc/passwd\x1b\\link\x1b]8;;\x1b\\"), 0,
            r"suspended key␛\]8;;file:///etc/passwd␛\\link"),
        *AFTER,
    )),
    accepted("poison_stability_nan"),
    accepted("poison_stability_string_nan"),
    accepted("poison_stability_inf"),
    accepted("poison_stability_1e308"),
    accepted("poison_stability_negative"),
    accepted("poison_last_review_naive"),
    accepted("poison_step_x"),
    accepted("poison_step_negative"),
    # An answer dated 9999: import applies `check`'s rule (tomorrow at most) and refuses the file.
    refused("poison_ts_max", static("poison_ts_max"), r"reviews\[0\]\.ts: 9999-12-31 is in the future"),
    Case("import-poison_duration_2_62", _durations_today, (Run(("import", "--json", "{import}"), (0, 2)), *AFTER),
         setup=SETUP, may_change=(DB,)),
]
