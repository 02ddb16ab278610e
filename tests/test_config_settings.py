"""Settings files a learner may have edited by hand: every wrong value is a ConfigError naming the
setting (the CLI prints it and exits 2), never a traceback later when the scheduler is built."""

from __future__ import annotations

import json

import pytest

from quizapp.config import ConfigError, Settings, load_settings
from quizapp.srs.scheduler import SrsScheduler


@pytest.mark.parametrize(
    "data, setting",
    [
        ({"learning_steps_minutes": ["a"]}, "learning_steps_minutes"),
        ({"relearning_steps_minutes": "10"}, "relearning_steps_minutes"),
        ({"learning_steps_minutes": [1e30]}, "learning_steps_minutes"),
        ({"learning_steps_minutes": [-5]}, "learning_steps_minutes"),
        ({"relearning_steps_minutes": [0]}, "relearning_steps_minutes"),
        ({"new_per_day": "20"}, "new_per_day"),
        ({"new_per_day": 2.5}, "new_per_day"),
        ({"reviews_per_day": None}, "reviews_per_day"),
        ({"desired_retention": "high"}, "desired_retention"),
        ({"maximum_interval_days": 10**9}, "maximum_interval_days"),
        ({"enable_fuzzing": "no"}, "enable_fuzzing"),
        ({"leech_threshold": True}, "leech_threshold"),
        ({"theme": 5}, "theme"),
    ],
)
def test_wrong_values_are_config_errors(tmp_path, data, setting):
    path = tmp_path / "config.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ConfigError, match=setting):
        load_settings(path)


def test_good_values_load_and_schedule(tmp_path):
    path = tmp_path / "config.json"
    data = {"learning_steps_minutes": [1, 2.5, 1440], "relearning_steps_minutes": [],
            "maximum_interval_days": 36500, "desired_retention": 0.85, "new_per_day": 0}
    path.write_text(json.dumps(data), encoding="utf-8")
    settings = load_settings(path)
    assert settings.learning_steps_minutes == [1, 2.5, 1440] and settings.new_per_day == 0
    SrsScheduler(settings)
    assert Settings().validate() == []


@pytest.mark.parametrize("keymap", [{"undo": 3}, {"undo": "ctrl z"}, ["undo", "z"], {"undo": ""}])
def test_a_bad_keymap_names_the_setting(tmp_path, keymap) -> None:
    import json

    from quizapp.config import ConfigError, load_settings

    path = tmp_path / "config.json"
    path.write_text(json.dumps({"keymap": keymap}), encoding="utf-8")
    with pytest.raises(ConfigError, match="keymap"):
        load_settings(path)
