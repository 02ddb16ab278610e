"""Where things live. Nothing here creates a file or directory at import time."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "quizapp"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The directory of the review database: --data-dir, then QUIZAPP_DATA_DIR, then platformdirs."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get("QUIZAPP_DATA_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return platformdirs.user_data_path(APP_NAME)


def config_file(override: str | os.PathLike[str] | None = None) -> Path:
    """The settings file: --config, then QUIZAPP_CONFIG, then the platformdirs config dir."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get("QUIZAPP_CONFIG")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return platformdirs.user_config_path(APP_NAME) / "config.json"


def builtin_content_dir() -> Path:
    """The shipped topics: inside the wheel as quizapp/content, or the repo's content/ when editable."""
    here = Path(__file__).resolve().parent
    packaged = here / "content"
    if packaged.is_dir():
        return packaged
    return here.parent / "content"
