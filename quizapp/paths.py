"""Where things live. Nothing here creates a file or directory at import time."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "quizapp"


def _chosen(override: str | os.PathLike[str] | None, variable: str) -> Path | None:
    """The path the learner chose: the command-line option, else the environment variable (empty = unset)."""
    picked = override or os.environ.get(variable)
    return Path(picked).expanduser() if picked else None


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The directory of the review database: --data-dir, then QUIZAPP_DATA_DIR, then platformdirs."""
    chosen = _chosen(override, "QUIZAPP_DATA_DIR")
    if chosen is not None:
        return chosen
    import platformdirs

    return platformdirs.user_data_path(APP_NAME)


def config_file(override: str | os.PathLike[str] | None = None) -> Path:
    """The settings file: --config, then QUIZAPP_CONFIG, then the platformdirs config dir."""
    chosen = _chosen(override, "QUIZAPP_CONFIG")
    if chosen is not None:
        return chosen
    import platformdirs

    return platformdirs.user_config_path(APP_NAME) / "config.json"


def builtin_content_dir() -> Path:
    """The shipped topics: inside the wheel as quizapp/content, or the repo's content/ when editable."""
    here = Path(__file__).resolve().parent
    packaged = here / "content"
    if packaged.is_dir():
        return packaged
    return here.parent / "content"
