"""The Textual terminal UI. Only front-end code lives here; the core never imports it."""
