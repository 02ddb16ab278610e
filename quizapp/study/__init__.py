"""The study session that every front end drives: quizapp.study.session."""
