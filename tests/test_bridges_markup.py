"""Card text as Anki's HTML: escaped once, Anki's own syntax inert, terminal escapes gone, our
cloze syntax mapped to Anki's, and the notes' Markdown converted minimally."""

from __future__ import annotations

import pytest

from quizapp.bridges import markup


@pytest.mark.parametrize(("raw", "kept"), [
    ("\x1b[31mred\x1b[0m", "red"),
    ("\x1b]0;title\x07text", "text"),  # OSC ended by BEL
    ("\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", "link"),  # OSC 8 hyperlink ended by ST
    ("\x1bPq#0;2;0;0;0\x1b\\after", "after"),  # DCS (sixel)
    ("a\x9b31mb", "a31mb"),  # the one-byte CSI goes (the bytes after it are plain text)
    ("\u202eevil\u202c", "evil"),
    ("bell\x07\x00nul\x7f", "bellnul"),
    ("line 1\r\nline 2\rline 3\ttab", "line 1\nline 2\nline 3\ttab"),
    ("中文 σ′(x) = σ(x)(1 − σ(x))", "中文 σ′(x) = σ(x)(1 − σ(x))"),
    ("trailing escape \x1b", "trailing escape "),
])
def test_clean_removes_what_a_terminal_would_act_on(raw: str, kept: str) -> None:
    assert markup.clean(raw) == kept


def test_escape_makes_html_and_anki_syntax_text() -> None:
    assert markup.escape("<script>alert('x')</script>") == "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"
    assert markup.escape("{{Front}} [sound:a.mp3] a & b") == "&#123;&#123;Front&#125;&#125; &#91;sound:a.mp3] a &amp; b"


def test_text_html_undoes_yaml_wraps_and_keeps_meant_lines() -> None:
    text = "The receptive field grows\nwith every layer:\n\n  r = 1 + Σ (k − 1)·j\n- stride  multiplies\n中文第一行\n第二行"
    assert markup.text_html(text) == (
        "The receptive field grows with every layer:<br><br>&nbsp;&nbsp;r = 1 + Σ (k − 1)·j<br>"
        "- stride &nbsp;multiplies<br>中文第一行第二行"
    )


def test_lines_and_pre_keep_every_line() -> None:
    assert markup.lines_html("Layers:\n  1. conv 3×3\nGive <an> integer.") == (
        "Layers:<br>&nbsp;&nbsp;1. conv 3×3<br>Give &lt;an&gt; integer.")
    assert markup.pre_html("\n │█  │ r = 3\n\x1b[1m{x}\n") == "<pre> │█  │ r = 3\n&#123;x&#125;</pre>"


def test_cloze_syntax_becomes_ankis() -> None:
    text = "rₗ = rₗ₋₁ + (kₗ − 1)·{{c1::jₗ₋₁|j::the jump}}, and {{c2::1:1}} <b> {{c10::x}}"
    assert markup.cloze_html(text) == (
        "rₗ = rₗ₋₁ + (kₗ − 1)·{{c1::jₗ₋₁::the jump}}, and {{c2::1&#58;1}} &lt;b&gt; {{c10::x}}")
    assert markup.cloze_alternatives(text) == [(1, ["jₗ₋₁", "j"])]
    assert markup.cloze_html("{{c1::  |  ::hint}}") == "{{c1::…::hint}}"  # no answer: Anki still gets a deletion


def test_markdown_notes_minimally_and_safely() -> None:
    notes = (
        "## How to compute it\n\nWalk **through** the *layers*:\n\n- one\n- two `k − 1`\n\n"
        "```\nr = r + (k − 1) × j\n```\n\n"
        "反向传播沿计算图\n应用链式法则, then\nthe optimiser.\n\n"
        "<script>alert(1)</script> [x](javascript:alert(1)) ![i](http://x/i.png) {{x}}\n"
    )
    html = markup.markdown_html(notes)
    assert "<h2>How to compute it</h2>" in html
    assert "<strong>through</strong>" in html and "<em>layers</em>" in html
    assert "<ul>\n<li>one</li>\n<li>two <code>k − 1</code></li>\n</ul>" in html
    assert "<pre><code>r = r + (k − 1) × j\n</code></pre>" in html
    assert "反向传播沿计算图应用链式法则, then\nthe optimiser." in html  # no space inside Chinese
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script" not in html
    assert "<a " not in html and "<img" not in html and "&#91;x](javascript:alert(1))" in html
    assert "{" not in html
