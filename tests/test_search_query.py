"""The search language: parsing (every operator, quoting, grouping) and malformed queries, which
must raise QueryError with the column of the problem and never anything else."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.search import QueryError, parse_query
from quizapp.search.query import And, Field, Not, Or, Prop, Rated, Text


def root(text: str):  # noqa: ANN201 - the node type is a union
    return parse_query(text).root


def test_empty_query_matches_everything() -> None:
    assert parse_query("").root is None
    assert parse_query("   ").root is None


@pytest.mark.parametrize(("text", "node"), [
    ("relu", Text("relu")),
    ("感受野", Text("感受野")),
    ('"max(0, x)"', Text("max(0, x)")),
    ('"say \\"hi\\""', Text('say "hi"')),
    ("σ(x)", Text("σ(x)")),
    ("f(g(x))", Text("f(g(x))")),
    ("topic:alpha", Field("topic", "alpha")),
    ("deck:alpha", Field("topic", "alpha")),
    ("TOPIC:Alpha", Field("topic", "Alpha")),
    ("tag:followup", Field("tag", "followup")),
    ('tag:"two words"', Field("tag", "two words")),
    ("kind:cloze", Field("kind", "cloze")),
    ("kind:EXERCISE", Field("kind", "exercise")),
    ("is:due", Field("is", "due")),
    ("is:Suspended", Field("is", "suspended")),
    ("family:receptive_field", Field("family", "receptive_field")),
    ("id:rf-*", Field("id", "rf-*")),
    ("flag:2", Field("flag", "2")),
    ("flag:red", Field("flag", "1")),
    ("flag:none", Field("flag", "0")),
    ("prop:due<3", Prop("due", "<", 3.0)),
    ("prop:due>=-2", Prop("due", ">=", -2.0)),
    ("prop:lapses>2", Prop("lapses", ">", 2.0)),
    ("prop:r<0.8", Prop("r", "<", 0.8)),
    ("prop:recall<=0.5", Prop("r", "<=", 0.5)),
    ("prop:ivl!=7", Prop("ivl", "!=", 7.0)),
    ("prop:s=10", Prop("s", "=", 10.0)),
    ("prop:d>5.5", Prop("d", ">", 5.5)),
    ("prop:reps>=1", Prop("reps", ">=", 1.0)),
    ("rated:7", Rated(7)),
    ("rated:7:1", Rated(7, 1)),
    ("rated:1:4", Rated(1, 4)),
])
def test_single_terms(text: str, node: object) -> None:
    assert root(text) == node


def test_words_are_anded() -> None:
    assert root("tag:a kind:cloze relu") == And((Field("tag", "a"), Field("kind", "cloze"), Text("relu")))


def test_explicit_and_is_the_same() -> None:
    assert root("tag:a and kind:cloze") == root("tag:a kind:cloze")


def test_or_binds_looser_than_and() -> None:
    assert root("a b or c") == Or((And((Text("a"), Text("b"))), Text("c")))


def test_or_is_case_insensitive() -> None:
    assert root("a OR b") == Or((Text("a"), Text("b")))


def test_parentheses_group() -> None:
    assert root("a (b or c)") == And((Text("a"), Or((Text("b"), Text("c")))))


def test_negation_of_a_term_and_of_a_group() -> None:
    assert root("-tag:done") == Not(Field("tag", "done"))
    assert root("-(a or b)") == Not(Or((Text("a"), Text("b"))))
    assert root("--a") == Not(Not(Text("a")))


def test_quoted_or_is_text() -> None:
    assert root('"or"') == Text("or")


def test_a_dash_inside_a_word_is_text() -> None:
    assert root("k-1") == Text("k-1")


def test_nested_groups_and_words_with_brackets() -> None:
    assert root("((σ(x) or tanh) -kind:cloze)") == And(
        (Or((Text("σ(x)"), Text("tanh"))), Not(Field("kind", "cloze")))
    )


def test_colon_after_non_letters_is_text() -> None:
    assert root("f(x):") == Text("f(x):")
    assert root("12:30") == Text("12:30")


def test_rated_windows_are_collected() -> None:
    query = parse_query("rated:7:1 or (-rated:2 tag:x)")
    assert query.rated_windows() == {(7, 1), (2, None)}


@pytest.mark.parametrize(("text", "column", "words"), [
    ("tag:", 5, "needs a value"),
    ("a tag:", 7, "needs a value"),
    ("foo:bar", 1, "unknown search field"),
    ("tga:x", 1, "did you mean 'tag'"),
    ("(a", 1, "unclosed parenthesis"),
    ("a (b (c)", 3, "unclosed parenthesis"),
    ("a)", 2, "without a matching"),
    ('"abc', 1, "unclosed quote"),
    ('x tag:"abc', 7, "unclosed quote"),
    ("kind:flash", 6, "did you mean 'flashcard'"),
    ("is:dew", 4, "did you mean 'new'"),
    ("is:", 4, "needs a value"),
    ("prop:x<1", 6, "unknown property"),
    ("prop:lapses", 6, "prop:NAME<OP>NUMBER"),
    ("prop:r<", 8, "needs a number"),
    ("prop:r<abc", 8, "must be a number"),
    ("prop:r<nan", 8, "finite"),
    ("prop:due<1.5", 10, "whole days"),
    ("rated:0", 7, "number of days"),
    ("rated:x", 7, "number of days"),
    ("rated:99999", 7, "number of days"),
    ("rated:7:5", 9, "rating"),
    ("rated:7:", 9, "rating"),
    ("flag:9", 6, "a flag is"),
    ("- a", 1, "'-' must be followed"),
    ("a -", 3, "'-' must be followed"),
    ("-)", 1, "'-' must be followed"),
    ("a or", 5, "'or' needs a term"),
    ("or a", 1, "a term is missing"),
    ("a or or b", 6, "'or' needs a term"),
    ("and a", 1, "'and' goes between"),
    ("()", 1, "empty parentheses"),
    ('""', 1, "empty quotes"),
    ("a (or b)", 4, "a term is missing"),
])
def test_malformed_queries_point_at_the_column(text: str, column: int, words: str) -> None:
    with pytest.raises(QueryError) as info:
        parse_query(text)
    assert info.value.column == column, info.value
    assert words in info.value.message
    assert str(info.value).startswith(f"column {column}: ")


def test_text_with_a_colon_is_suggested_in_quotes() -> None:
    with pytest.raises(QueryError) as info:
        parse_query("note:this")
    assert '"note:this"' in info.value.message


def test_too_long_and_too_deep_queries_are_refused() -> None:
    with pytest.raises(QueryError):
        parse_query("a " * 1500)
    with pytest.raises(QueryError, match="nested"):
        parse_query("(" * 60 + "a" + ")" * 60)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='ab :-()"\\*or', max_size=30))
def test_any_text_parses_or_raises_query_error(text: str) -> None:
    try:
        query = parse_query(text)
    except QueryError as exc:
        assert 1 <= exc.column <= len(text) + 1
    else:
        assert query.text == text


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_any_unicode_parses_or_raises_query_error(text: str) -> None:
    try:
        parse_query(text)
    except QueryError as exc:
        assert 1 <= exc.column <= len(text) + 1
