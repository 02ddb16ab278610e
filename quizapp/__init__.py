"""quizapp: a terminal study app for deep-learning interview preparation."""

__version__ = "0.1.0"
