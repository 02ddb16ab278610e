"""The scheduler learns the learner: FSRS parameters fitted on their own review log, an honest
comparison with the defaults on later reviews, and a workload simulator.

- items: the log as FSRS training data (one history per card and start, delta_t in study days).
- fit: fit, evaluate on a time-series split, decide (`FitReport`).
- adopt: adopt or reset parameters (memory states recomputed in one pass), keep store and config
  in step.
- simulate: reviews and minutes per day and the knowledge retained at several retentions, and the
  optimal retention.
- process: run one of these in a child process with progress (the Rust core holds the GIL).

The Rust core (`fsrs_rs_python`, the FSRS engine Anki uses) is imported only inside the
functions that need it, so start-up never pays for it.
"""
