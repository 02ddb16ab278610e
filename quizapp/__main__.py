from quizapp.cli.main import entry

entry()
