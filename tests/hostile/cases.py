"""The hostile-file corpus: decks, configs, databases and imports, each run through every command
that reads it (tests/hostile/test_corpus.py runs them and checks the answers).

A Case builds its hostile file(s) in a fresh folder, optionally runs setup commands, then runs
its commands. Placeholders in argv and in expected messages: {dir} (the case folder), {deck},
{config}, {data} (the data dir), {import}. Expected messages are regular expressions searched
in stderr + stdout; placeholders in them are regex-escaped paths.

Owners of the fixes a case waits for are named in `waits_for`; test_corpus marks such a case
xfail(strict=True), so it fails the day the fix lands until the mark is removed.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).parent
DECKS = HERE / "decks"
IMPORTS = HERE / "imports"
CONFIGS = HERE / "configs"

Builder = Callable[[Path], dict[str, str]]


@dataclass(frozen=True)
class Run:
    argv: tuple[str, ...]
    code: int | tuple[int, ...]
    expect: str = ""  # regex searched in stderr + stdout
    stdin: str = "q\n"
    same_output_as: int | None = None  # index of an earlier run whose stdout this one repeats


@dataclass(frozen=True)
class Case:
    name: str
    build: Builder
    runs: tuple[Run, ...]
    setup: tuple[Run, ...] = ()
    may_change: tuple[str, ...] = ()  # pre-existing files (relative to {dir}) a command may rewrite
    no_new_files_in: str = ""  # a folder (relative) where no command may create anything
    waits_for: str = ""  # "<owner>: issue 16 item N" while the fix has not landed
    faults: dict[str, object] = field(default_factory=dict)


# ---- builders -------------------------------------------------------------------------------
def copy_of(source: Path, name: str) -> Builder:
    def build(folder: Path) -> dict[str, str]:
        target = folder / name
        target.write_bytes(source.read_bytes())
        return {name.split(".")[0]: str(target)}

    return build


def text_file(name: str, data: bytes | str) -> Builder:
    def build(folder: Path) -> dict[str, str]:
        target = folder / name
        target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return {name.split(".")[0]: str(target)}

    return build


def fifo(name: str) -> Builder:
    def build(folder: Path) -> dict[str, str]:
        os.mkfifo(folder / name)
        return {name.split(".")[0]: str(folder / name)}

    return build


def directory(name: str) -> Builder:
    def build(folder: Path) -> dict[str, str]:
        (folder / name).mkdir()
        (folder / name / "inside.yaml").write_text("id: x\n", encoding="utf-8")
        return {name.split(".")[0]: str(folder / name)}

    return build


def device(key: str) -> Builder:
    return lambda folder: {key: "/dev/zero"}


# ---- decks ----------------------------------------------------------------------------------
def deck_runs(problem: str, code: int = 1) -> tuple[Run, ...]:
    """Every command that loads content, with the deck given both ways."""
    return (
        Run(("validate", "{deck}"), code, problem),
        Run(("--content", "{deck}", "validate"), code, problem, same_output_as=0),
        Run(("--content", "{deck}", "stats"), 0, "warning: " + problem),
        Run(("--content", "{deck}", "stats", "--json"), 0, "warning: " + problem),
        Run(("--content", "{deck}", "study", "--plain"), 0, "warning: " + problem),
        Run(("--content", "{deck}", "export", "--json", "{dir}/out.json"), 0, "exported"),
        Run(("--content", "{deck}", "export", "--csv", "{dir}/out"), 0, "exported"),
        Run(("--content", "{deck}", "export", "--apkg", "{dir}/out.apkg", "--instances", "1", "--query",
             "id:rf-definition"), 0, "warning: " + problem + r"(.|\n)*exported 1 notes"),
        Run(("--content", "{deck}", "cards", "rf-definition"), 0, "warning: " + problem),
        Run(("--content", "{deck}", "exercise", "--list"), 0, "receptive_field"),
        Run(("--content", "{deck}", "suspend", "rf-definition"), 0, "suspended rf-definition"),
        Run(("--content", "{deck}", "unsuspend", "rf-definition"), 0, "unsuspended rf-definition"),
    )


def deck(name: str, problem: str, code: int = 1, waits_for: str = "", extra: tuple[Run, ...] = ()) -> Case:
    return Case(f"deck-{name}", copy_of(DECKS / f"{name}.yaml", "deck.yaml"), deck_runs(problem, code) + extra,
                waits_for=waits_for)


BOMB = r"\{deck\}:12:7: aliases repeat this value beyond 100,000 .*alias bomb"
ESCAPES_SHOWN = (
    Run(("--content", "{deck}", "study", "--plain", "--topic", "hostile-escapes"), 0,
        r"Front ␛\[2J␛\[H cleared\?(.|\n)*Back ␛\[5mblinks(.|\n)*Which ␛\]0;retitled␇ option", stdin="\n" * 30),
    Run(("--content", "{deck}", "stats"), 0, r"Escapes␛\]0;owned title␇"),
)
DECK_CASES = [
    deck("alias_bomb_kind", BOMB),
    deck("alias_bomb_family", BOMB),
    deck("alias_bomb_param", BOMB),
    deck("merge_bomb", r"\{deck\}:12:7: aliases repeat this value .*alias bomb"),
    deck("alias_cycle", r"\{deck\}:4:5: an alias refers to a value that contains it"),
    deck("escapes", r"\{deck\}:9:24: items\[0\]\.front\.en: control character U\+001B \(ESC\) in text",
         extra=ESCAPES_SHOWN),
    deck("raw_nul_line6", r"\{deck\}:6:19: malformed YAML: control character U\+0000 \(NUL\) is not allowed"),
    deck("raw_esc_line6", r"\{deck\}:6:19: malformed YAML: control character U\+001B \(ESC\) is not allowed"),
    deck("raw_c1_line6", r"\{deck\}:6:19: malformed YAML: control character U\+009B \(CSI\) is not allowed"),
    deck("huge_order", r"\{deck\}:2:8: order: a number of 5,000 characters"),
    deck("hex_order", r"\{deck\}:2:8: order: a number of 4,002 characters"),
    deck("huge_param", r"\{deck\}:7:22: items\[0\]\.params\.layers: a number of 5,001 characters"),
    deck("bad_date", r"\{deck\}:2:8: .*day is out of range for month"),
    deck("python_tag", r"\{deck\}:2:8: malformed YAML: could not determine a constructor"),
    deck("not_utf8", r"\{deck\}:2:16: not UTF-8 text"),
    deck("empty", r"\{deck\}:1:1: empty file"),
    # A user item with a built-in item's id is the user's version of it (an override), the same
    # answer both ways; a topic id that clashes is a problem, the same answer both ways.
    Case("deck-override_item", copy_of(DECKS / "clash_item.yaml", "deck.yaml"), (
        Run(("validate", "{deck}"), 0, r"^OK: 0 topics, 1 items, 1 cards\.$"),
        Run(("--content", "{deck}", "validate"), 0, r"^OK: \d+ topics"),
        Run(("--content", "{deck}", "stats"), 0, r"Receptive field"),
        Run(("--content", "{deck}", "study", "--plain"), 0),
    )),
    deck("clash_topic", r"\{deck\}:1:1: id: duplicate topic id 'receptive-field'"),
    Case("deck-huge-file", text_file("deck.yaml", b"id: big\nitems: [" + b"1, " * 800_000 + b"]\n"),
         deck_runs(r"\{deck\}:1:1: cannot read: the file is too large")),
    Case("deck-deep-nesting", text_file("deck.yaml", "id: deep\nx: " + "[" * 200_000 + "]" * 200_000 + "\n"),
         deck_runs(r"\{deck\}:2:\d+: malformed YAML: exceeded maximum nesting depth")),
    Case("deck-fifo", fifo("deck.yaml"), deck_runs(r"\{deck\}:1:1: cannot read: the file is not a regular file", 2)),
    Case("deck-dev-zero", device("deck"), deck_runs(r"/dev/zero:1:1: cannot read: the file is not a regular file", 2)),
    Case("deck-unreadable-folder", directory("deck"),
         deck_runs(r"\{deck\}:1:1: cannot read this folder: Permission denied; skipped", 2),
         faults={"unreadable": ["{deck}"]}),
]


# ---- configs --------------------------------------------------------------------------------
EMPTY_EXPORT = '{"format": "quizapp-export", "version": 1, "reviews": [], "events": [], "cards": []}\n'


def config_runs(message: str, code: int = 2) -> tuple[Run, ...]:
    """Every command that reads the settings (exercise falls back to the defaults by design)."""
    runs = [
        Run(("--config", "{config}", "stats"), code, message),
        Run(("--config", "{config}", "stats", "--json"), code, message),
        Run(("--config", "{config}", "study", "--plain"), code, message),
        Run(("--config", "{config}", "export", "--json", "{dir}/out.json"), code, message),
        Run(("--config", "{config}", "export", "--csv", "{dir}/out"), code, message),
        Run(("--config", "{config}", "export", "--apkg", "{dir}/out.apkg", "--query", "id:rf-definition"),
            code, message),
        Run(("--config", "{config}", "import", "--json", "{dir}/empty-export.json"), code, message),
        Run(("--config", "{config}", "suspend", "rf-definition"), code, message),
        Run(("--config", "{config}", "unsuspend", "rf-definition"), code, message),
        Run(("--config", "{config}", "cards", "id:rf-definition"), code, message),
        Run(("--config", "{config}", "check"), code, message),
        Run(("--config", "{config}", "validate"), 0, r"^OK: \d+ topics"),  # the decks only
        Run(("--config", "{config}", "exercise", "--list"), 0, "receptive_field"),
        Run(("--config", "{config}", "new-deck", "Mine"), 0, "created"),  # writes a deck, reads no setting
    ]
    if code:  # settings that stop the app stop the full-screen app and the server before they start
        runs += [Run(("--config", "{config}"), code, message),
                 Run(("--config", "{config}", "serve", "--port", "1"), code, message)]
    return tuple(runs)


def config(name: str, build: Builder, message: str, code: int = 2) -> Case:
    def with_export(folder: Path) -> dict[str, str]:
        (folder / "empty-export.json").write_text(EMPTY_EXPORT, encoding="utf-8")
        return build(folder)

    return Case(f"config-{name}", with_export, config_runs(message, code))


CANNOT = r"quizapp: error: .*\{config\}.*cannot read settings|cannot read settings: \{config\}"
CONFIG_CASES = [
    config("fifo", fifo("config.json"), r"cannot read settings: \{config\} is not a regular file"),
    config("dev-zero", device("config"), r"cannot read settings: /dev/zero is not a regular file"),
    config("directory", directory("config.json"), r"cannot read settings: \{config\} is a directory"),
    config("too-large", text_file("config.json", '{"theme": "' + "x" * 70_000 + '"}'),
           r"cannot read settings: \{config\} is too large"),
    config("deep-arrays", text_file("config.json", '{"learning_steps_minutes": ' + "[" * 30_000 + "]" * 30_000 + "}"),
           r"\{config\}: cannot read settings: nested too deeply"),
    config("huge-int", text_file("config.json", '{"new_per_day": ' + "9" * 5001 + "}"),
           r"\{config\}: cannot read settings: a number of 5,001 digits"),
    config("not-json", copy_of(CONFIGS / "not_json.json", "config.json"), r"\{config\}: cannot read settings: Expecting"),
    config("not-utf8", text_file("config.json", b'{"theme": "caf\xe9"}'), r"\{config\}: cannot read settings: 'utf-8'"),
    config("top-level-list", text_file("config.json", "[1, 2, 3]"), r"\{config\}: settings must be a JSON object"),
    config("wrong-types", copy_of(CONFIGS / "wrong_types.json", "config.json"),
           r"\{config\}: new_per_day must be a whole number, not '20'"),
    config("escape-key", copy_of(CONFIGS / "escape_key.json", "config.json"),
           r"\{config\}: unknown setting\(s\): ␛\]0;pwned␇"),
    config("escape-language", copy_of(CONFIGS / "escape_language.json", "config.json"),
           r"language must be 'en' or 'zh', not '\\x1b\[2J'"),
    config("nan", text_file("config.json", '{"desired_retention": NaN}'),
           r"\{config\}: desired_retention must be a number, not nan"),
    config("escape-theme", copy_of(CONFIGS / "escape_theme.json", "config.json"), "", code=0),
]


# ---- databases ------------------------------------------------------------------------------
def db_runs(message: str, code: int = 2) -> tuple[Run, ...]:
    return (
        Run(("stats",), code, message),
        Run(("stats", "--json"), code, message),
        Run(("study", "--plain"), code, message),
        Run(("export", "--json", "{dir}/out.json"), code, message),
        Run(("export", "--csv", "{dir}/out"), code, message),
        Run(("import", "--json", "{dir}/empty-export.json"), code, message),
        Run(("suspend", "rf-definition"), code, message),
        Run(("unsuspend", "rf-definition"), code, message),
        Run(("cards", "id:rf-definition"), code, message),
        Run(("check",), code, message),
        Run((), code, message),  # the full-screen app
        Run(("serve", "--port", "1"), code, message),
        Run(("validate",), 0, r"^OK: \d+ topics"),  # the decks only
        Run(("export", "--apkg", "{dir}/out.apkg", "--query", "id:rf-definition"), (0, 2)),
    )


def database(make: Callable[[Path], None]) -> Builder:
    def build(folder: Path) -> dict[str, str]:
        (folder / "data").mkdir()
        (folder / "empty-export.json").write_text(EMPTY_EXPORT, encoding="utf-8")
        make(folder / "data" / "quizapp.sqlite3")
        return {"data": str(folder / "data")}

    return build


def _real_store(path: Path) -> None:
    from quizapp.store import Store

    Store.open(path.parent).close()


def _not_sqlite(path: Path) -> None:
    path.write_text("these are my notes, not a database\n" * 50, encoding="utf-8")


def _truncated(path: Path) -> None:
    _real_store(path)
    path.write_bytes(path.read_bytes()[:3000])


def _foreign(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
        conn.execute("INSERT INTO recipes VALUES ('soup')")
    conn.close()


def _newer(path: Path) -> None:
    _real_store(path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()


def _with_wal(make: Callable[[Path], None]) -> Callable[[Path], None]:
    """The file as `make` leaves it, plus a -wal with a committed row nobody checkpointed."""

    def build(path: Path) -> None:
        make(path)
        staging = path.with_name("staging.sqlite3")
        path.rename(staging)
        conn = sqlite3.connect(staging)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA wal_autocheckpoint = 0")
        conn.execute("CREATE TABLE IF NOT EXISTS later (x)")
        conn.execute("INSERT INTO later VALUES (1)")
        conn.commit()
        path.write_bytes(staging.read_bytes())
        path.with_name(path.name + "-wal").write_bytes(staging.with_name(staging.name + "-wal").read_bytes())
        conn.close()
        for leftover in path.parent.glob("staging.sqlite3*"):
            leftover.unlink()

    return build


def _damaged(path: Path) -> None:
    _real_store(path)
    conn = sqlite3.connect(path)  # pages enough that the scribbles below hit table data
    conn.execute("CREATE TABLE padding (x)")
    conn.executemany("INSERT INTO padding VALUES (?)", [("x" * 500,) for _ in range(400)])
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(path.read_bytes())
    page = 4096
    for start in range(page * 3, len(data) - page, page * 4):  # scribble over every fourth page
        data[start:start + 200] = b"\xff" * 200
    path.write_bytes(bytes(data))


def _mislabelled(path: Path) -> None:
    _real_store(path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 1")
    conn.close()


def _symlink_to_device(path: Path) -> None:
    path.symlink_to("/dev/zero")


def db(name: str, make: Callable[[Path], None], message: str, waits_for: str = "", **kw: object) -> Case:
    return Case(f"db-{name}", database(make), db_runs(message), no_new_files_in="data", waits_for=waits_for,
                **kw)  # type: ignore[arg-type]


DB_CASES = [
    db("not-sqlite", _not_sqlite, r"\{data\}/quizapp.sqlite3 is not an SQLite database"),
    db("truncated", _truncated, r"\{data\}/quizapp.sqlite3 .*(damaged|not a usable|malformed)"),
    db("foreign", _foreign, r"\{data\}/quizapp.sqlite3 is an SQLite file but not a quizapp database"),
    db("newer", _newer, r"\{data\}/quizapp.sqlite3 was written by a newer quizapp"),
    db("foreign-with-wal", _with_wal(_foreign), r"not a quizapp database"),
    db("newer-with-wal", _with_wal(_newer), r"newer quizapp"),
    db("damaged", _damaged, r"\{data\}/quizapp.sqlite3 is damaged"),
    # Opening reads no page of the file beyond its header (no up-front check at any size, so no
    # fault is needed), and the damage is found mid-command: item 7's `stats --json`, every command.
    db("damaged-unchecked", _damaged, r"(database in \{data\} is damaged|\{data\}/quizapp.sqlite3 is damaged)"
       r"(.|\n)*restore a backup"),
    db("mislabelled-v1", _mislabelled, r"\{data\}/quizapp.sqlite3"),
    db("fifo", lambda p: os.mkfifo(p), r"\{data\}/quizapp.sqlite3 is not a regular file"),
    db("directory", lambda p: p.mkdir(), r"\{data\}/quizapp.sqlite3 is a directory"),
    db("device-symlink", _symlink_to_device, r"\{data\}/quizapp.sqlite3 is not a regular file"),
]
