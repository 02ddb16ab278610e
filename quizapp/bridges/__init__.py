"""Bridges to other tools: an Anki package of the content (anki), the card text as Anki's HTML
(markup), and the full-screen app served to a browser (serve).

Nothing is imported here: genanki and textual-serve load only when a command uses them.
"""
