"""Statistics: pure functions over the review log (dashboard counts and the full report)."""
