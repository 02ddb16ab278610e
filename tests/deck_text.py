"""Topic files as text for the tests: the header is written here once, each fixture gives its id,
order, title and items (and a summary and notes where the screens show them)."""

from __future__ import annotations


def quoted(en: str, zh: str) -> str:
    """A bilingual field as a YAML flow mapping with both texts quoted (brackets stay literal)."""
    return f'{{en: "{en}", zh: "{zh}"}}'


def about(summary: tuple[str, str] = ("s", "s"), notes: tuple[str, str] = ("n", "n")) -> str:
    """The summary and notes lines of a topic the TUI shows."""
    return f"summary: {quoted(*summary)}\nnotes: {quoted(*notes)}\n"


def topic_yaml(topic_id: str, order: int, title: str, items: str, *, about: str = "") -> str:
    """A topic file: id, order, title (a flow mapping such as `{en: Alpha, zh: 甲}`), the `about`
    lines, then `items:` followed by the items' own lines."""
    return f"id: {topic_id}\norder: {order}\ntitle: {title}\n{about}items:\n{items}"


# One option of a choice or multi: its text and why it is right or wrong, each (en, zh).
Option = tuple[str, str, str, str]


def options_item(item_id: str, kind: str, question: tuple[str, str], options: list[Option],
                 correct: tuple[int, ...], *, tags: str = "") -> str:
    """A choice or multi item's lines (`correct`: the indexes of the right options), with every
    text quoted so that brackets stay literal."""
    lines = [f"  - id: {item_id}", f"    kind: {kind}"] + ([f"    tags: {tags}"] if tags else [])
    lines += [f"    question: {quoted(*question)}", "    options:"]
    for index, (en, zh, why_en, why_zh) in enumerate(options):
        mark = " correct: true," if index in correct else ""
        lines.append(f"      - {{text: {quoted(en, zh)},{mark} why: {quoted(why_en, why_zh)}}}")
    return "\n".join(lines) + "\n"
