"""Spaced repetition: FSRS-6 scheduling (scheduler), study days (days), today's queue (queue)."""
