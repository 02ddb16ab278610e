"""`quizapp study` without --plain opens the full-screen app straight into a session."""

from __future__ import annotations

from pathlib import Path

from tui_app_fixtures import CHOICE, FrozenClock, make_context


async def test_start_study_opens_a_session_of_the_topic(tmp_path: Path) -> None:
    from quizapp.tui.app import QuizApp

    context = make_context(tmp_path, files={"choice.yaml": CHOICE})
    app = QuizApp(context, clock=FrozenClock(), start_study={"topic": "choice-topic", "practice": True})
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "StudyScreen"
        session = app.screen.session
        assert session.current is not None and session.current.view.meta.topic_id == "choice-topic"
        assert session.practice


def test_unknown_topic_exits_2_with_a_message(tmp_path: Path, capsys) -> None:
    from quizapp.cli.main import main

    argv = ["study", "--topic", "no-such-topic", "--data-dir", str(tmp_path / "d"), "--config", str(tmp_path / "c.json")]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("quizapp: error: unknown topic 'no-such-topic'; topics: backpropagation,")
