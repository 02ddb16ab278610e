"""Build the wheel, install it into a fresh virtual environment, and run it from elsewhere."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("install")
    wheels = tmp / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels), str(REPO)],
        check=True, cwd=tmp,
    )
    wheel = next(wheels.glob("quizapp-*.whl"))
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    # Dependencies come from this environment's site-packages (no network, fast); quizapp itself
    # comes only from the wheel, because the new venv's own site-packages is searched first and
    # .pth files (such as the editable install's) inside the added directory are not processed.
    site = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    Path(site, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([str(py), "-m", "pip", "install", "--no-deps", "-q", str(wheel)], check=True)
    return venv


def run(venv: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    elsewhere = venv.parent / "elsewhere"
    elsewhere.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    return subprocess.run([str(venv / "bin" / "quizapp"), *args], cwd=elsewhere, env=env,
                          capture_output=True, text=True, input=stdin, timeout=120)


def test_wheel_ships_its_own_content(installed: Path) -> None:
    py = installed / "bin" / "python"
    where = subprocess.run([str(py), "-c", "import quizapp, quizapp.paths as p; print(quizapp.__file__); print(p.builtin_content_dir())"],
                           capture_output=True, text=True, check=True, cwd=installed.parent).stdout.split()
    assert where[0].startswith(str(installed)), where
    assert where[1].startswith(str(installed)) and where[1].endswith("quizapp/content"), where


def test_version_help_and_validate_from_elsewhere(installed: Path) -> None:
    version = run(installed, "--version")
    assert version.returncode == 0 and version.stdout.startswith("quizapp ")
    helptext = run(installed, "--help")
    assert helptext.returncode == 0 and "validate" in helptext.stdout
    summary = run(installed, "validate", "--summary")
    assert summary.returncode == 0, summary.stdout + summary.stderr
    assert "15 topics" in summary.stdout


def test_exercise_command_from_the_wheel(installed: Path) -> None:
    first = run(installed, "exercise", "receptive_field", "--seed", "7", stdin="0\n")
    assert first.returncode == 0, first.stdout + first.stderr
    answer = next(line.split(":", 1)[1].strip() for line in first.stdout.splitlines()
                  if line.startswith("Correct answer:"))
    assert answer != "0"
    second = run(installed, "exercise", "receptive_field", "--seed", "7", stdin=answer + "\n")
    assert second.returncode == 0
    assert "✔ Correct" in second.stdout and "✔ Correct" not in first.stdout
    assert "Traceback" not in first.stderr + second.stderr


def test_wheel_ships_the_browser_page(installed: Path) -> None:
    py = installed / "bin" / "python"
    found = subprocess.run([str(py), "-c", "from quizapp.bridges.serve import TEMPLATES; "
                            "print(TEMPLATES); print((TEMPLATES / 'index.html').is_file())"],
                           capture_output=True, text=True, check=True, cwd=installed.parent).stdout.split()
    assert found == [found[0], "True"] and found[0].startswith(str(installed)), found
