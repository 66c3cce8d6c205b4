"""A module page as a notebook: cells, quiz calls, what is left out, and errors."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from sourcebook import load_source
from sourcebook.notebooks import (
    NotebookError,
    convert,
    markdown_text,
    module_notebook,
    parse,
    parse_paragraphs,
    theme_list,
    to_notebook,
)
from sourcebook.pages import all_directives

MINI = Path(__file__).parent / "course" / "roots" / "mini"
PAGE = MINI / "modules" / "01-first" / "index.md"


def cells(text: str) -> list[tuple[str, str]]:
    return convert(text, page_path=PAGE, book_root=MINI).cells


def test_the_test_module_becomes_sections_and_a_quiz_cell() -> None:
    notebook, banks = module_notebook(PAGE, MINI)
    nbformat.validate(notebook)
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    assert notebook.metadata["title"] == "The first module"
    kinds = [(c.cell_type, c.source.splitlines()[0]) for c in notebook.cells]
    assert kinds == [
        ("markdown", "# The first module"),
        ("markdown", "## The source"),
        ("markdown", "## Guiding questions"),
        ("markdown", "### Sourcing"),
        ("markdown", "## Quiz"),
        ("code", "from sourcebook import quiz"),
    ]
    assert notebook.cells[-1].source.endswith(
        'quiz("../../questions/first.yml", skills=["sourcing", "close reading"], count=2, seed=7)')
    assert banks == [(MINI / "questions" / "first.yml").resolve()]
    text = "\n".join(c.source for c in notebook.cells)
    # Teachers' material is left out, and the heading left empty by it too.
    assert "MODEL-ANSWER-ONE" not in text and "INSTRUCTOR-NOTE-ONE" not in text
    assert "For instructors" not in text
    assert "**Time needed:** 50 minutes" in text and "**Themes:** Self-reliance, Sources and evidence" in text


def test_excerpts_become_numbered_block_quotes_with_the_exact_words() -> None:
    source = load_source(MINI / "sources" / "report.yml")
    [(kind, quote)] = cells("```{source-excerpt} /sources/report.yml\n:paragraphs: p2-p3\n```\n")
    assert kind == "markdown"
    lines = quote.split("\n>\n")
    assert lines[0].startswith("> **2** 1) The Soviet side’s stranglehold")
    assert "\\[Taiwanese Defense Minister\\] He Yingqin" in lines[0]
    assert lines[1].startswith("> **3** A big country like ours")
    assert lines[2] == "> — Nie Rongzhen, 3 July 1960"
    # Unescaped, the quote holds the paragraph word for word.
    assert lines[0][len("> **2** "):].replace("\\", "") == source.paragraph("p2").text


def test_the_card_carries_metadata_and_citations() -> None:
    [(_, card)] = cells("```{source-card} /sources/report.yml\n```")
    assert "- **Translator:** Neil Silver" in card
    assert "- **Archive:** [History and Public Policy Program Digital Archive]" in card
    assert "- MLA: Nie Rongzhen." in card and "- APA: Nie, R. (1960, July 3)." in card


def test_code_blocks_are_kept_whole_and_roles_become_text() -> None:
    text = ("Read {term}`the brackets <translator's brackets>` and {doc}`/book/source`.\n\n"
            "```python\n# not a heading\n```{quiz} not a directive\n```\n\n(label)=\n% a comment\n## Next\n\nMore.\n")
    result = cells(text)
    assert result == [
        ("markdown", "Read the brackets and source.\n\n```python\n# not a heading\n```{quiz} not a directive\n```"),
        ("markdown", "## Next\n\nMore."),
    ]


def test_admonitions_become_block_quotes_and_unknown_directives_keep_their_text() -> None:
    result = cells(":::{tip}\nLook at *paragraph 3*.\n:::\n\n```{dropdown} More\nExtra text.\n```\n")
    assert result == [("markdown", "> **Tip**\n>\n> Look at *paragraph 3*.\n\n**More**\n\nExtra text.")]


def test_quiz_options_become_arguments() -> None:
    [(_, code)] = cells("```{quiz} /questions/first.yml\n:ids: addressee isolation\n:shuffle:\n:seed: class-a\n"
                        ":name: my-quiz\n```")
    assert code.endswith('quiz("../../questions/first.yml", ids=["addressee", "isolation"], shuffle=True, '
                         'seed="class-a")')


@pytest.mark.parametrize(("language", "argument"), [
    (None, ""), ("en", ""), ("en_GB", ""), ("zh_CN", ', language="zh_CN"'), ("zh-cn", ', language="zh_CN"'),
    ("fr", ""),  # no French interface: English, as on the site, not a quiz() that refuses "fr"
])
def test_a_book_in_another_language_passes_it_to_the_quiz(language: str | None, argument: str) -> None:
    [(_, code)] = convert("```{quiz} /questions/first.yml\n```", page_path=PAGE, book_root=MINI,
                          language=language).cells
    assert code.endswith(f'quiz("../../questions/first.yml"{argument})')


def test_options_in_a_yaml_block_are_read_too() -> None:
    page = parse("```{quiz} /questions/first.yml\n---\ncount: 1\n---\n```")
    directive = page.blocks[0]
    assert not isinstance(directive, str) and directive.options == {"count": "1"}


@pytest.mark.parametrize(("text", "message"), [
    ("```{quiz} /questions/none.yml\n```", "line 1: no question bank at '/questions/none.yml'"),
    ("```{quiz} /questions/frist.yml\n```", "; did you mean `first.yml`?"),
    ("```{quiz} /questions/first.yml\n:count: lots\n```", "count should be a positive whole number, not 'lots'"),
    ("```{quiz} /questions/first.yml\n:shufle:\n```", "unknown options: shufle"),
    ("```{source-excerpt} /sources/report.yml\n:paragraphs: p12\n```", "has no paragraph 'p12'"),
    ("---\nthemes: [a\n---\n# x\n", "the front matter is not valid YAML"),
])
def test_bad_pages_give_a_clear_error(text: str, message: str) -> None:
    with pytest.raises(NotebookError, match=message.replace("(", r"\(").replace(")", r"\)")):
        cells(text)


@pytest.mark.parametrize(("value", "expected"), [
    (["Self-reliance", "Cold War science"], ["Self-reliance", "Cold War science"]),
    ('["Self-reliance", "Cold War science"]', ["Self-reliance", "Cold War science"]),
    ("Self-reliance, Cold War science", ["Self-reliance", "Cold War science"]),
    ("Self-reliance", ["Self-reliance"]),
    (None, []),
])
def test_theme_list_reads_every_way_themes_are_written(value: object, expected: list[str]) -> None:
    assert theme_list(value) == expected


def test_paragraph_ranges_follow_the_source_order() -> None:
    source = load_source(MINI / "sources" / "report.yml")
    assert [p.id for p in parse_paragraphs("salutation, p7-date", source)] == [
        "salutation", "p7", "p8", "signature", "date"]
    with pytest.raises(ValueError, match="runs backwards"):
        parse_paragraphs("p3-p1", source)


def test_markdown_text_keeps_ordinary_markdown() -> None:
    assert markdown_text("A *b* [c](d.md) `e`") == "A *b* [c](d.md) `e`"


def test_to_notebook_writes_code_and_markdown_cells() -> None:
    notebook = to_notebook(convert("# T\n\n```{quiz} /questions/first.yml\n```", page_path=PAGE, book_root=MINI))
    nbformat.validate(notebook)
    assert [c.cell_type for c in notebook.cells] == ["markdown", "code"]


def test_a_page_makes_the_same_notebook_every_time_with_an_id_per_cell() -> None:
    text = "# T\n\nSome text.\n\n## Part\n\nSome text.\n\n```{quiz} /questions/first.yml\n```"
    made = [nbformat.writes(to_notebook(convert(text, page_path=PAGE, book_root=MINI))) for _ in range(2)]  # type: ignore[no-untyped-call]
    assert made[0] == made[1]
    ids = [c.id for c in nbformat.reads(made[0], as_version=4).cells]  # type: ignore[no-untyped-call]
    assert len(ids) == 3 == len(set(ids))
    # A changed cell gets a new id (so a notebook that changed is built again); the others keep theirs.
    edited = to_notebook(convert(text.replace("## Part\n\nSome", "## Part\n\nOther"), page_path=PAGE,
                                 book_root=MINI))
    assert [c.id for c in edited.cells][0::2] == ids[0::2] and edited.cells[1].id != ids[1]


@pytest.mark.parametrize("page", sorted((Path(__file__).parent.parent / "modules").glob("*/index.md")),
                         ids=lambda p: p.parent.name)
def test_a_module_notebook_carries_no_model_answer_or_instructor_note(page: Path) -> None:
    notebook, _ = module_notebook(page, page.parent.parent.parent)
    text = "\n".join(cell["source"] for cell in notebook["cells"])
    hidden = [d for d in all_directives(page.read_text(encoding="utf-8"))
              if d.name in ("model-answer", "instructor-note")]
    assert hidden, "the module should have teachers' material to leave out"
    assert "{model-answer}" not in text and "{instructor-note}" not in text
    for directive in hidden:
        first_line = directive.body.strip().splitlines()[0].strip()
        assert first_line not in text, f"{page.parent.name}: {first_line}"
def test_directives_in_list_items_are_directives_and_quoted_ones_are_text() -> None:
    page = parse("1. A question?\n\n   ```{model-answer}\n   SECRET\n   ```\n\n2. Next.\n\n"
                 "> ```{model-answer}\n> QUOTED\n> ```\n")
    names = [b.name for b in page.blocks if not isinstance(b, str)]
    assert names == ["model-answer"]
    text = "\n".join(b for b in page.blocks if isinstance(b, str))
    assert "SECRET" not in text and "2. Next." in text and "QUOTED" in text
    # Teachers' material in a list never reaches the student's notebook.
    assert "SECRET" not in "\n".join(t for _, t in cells("1. A question?\n\n   ```{model-answer}\n   SECRET\n   ```\n"))
