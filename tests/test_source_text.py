"""The course's source file holds the report verbatim: every paragraph, in order, as received."""

from __future__ import annotations

from pathlib import Path

from sourcebook import load_source

ROOT = Path(__file__).resolve().parent.parent
RECEIVED = ROOT / "tests" / "data" / "nie-rongzhen-1960-report.txt"
SHARED = ROOT.parent / "shared" / "seeds" / "nie-rongzhen-1960-report.txt"


def report_blocks() -> list[str]:
    text = RECEIVED.read_text(encoding="utf-8")
    body = text[text.index("Central Committee and Chairman"):]
    return [block.strip() for block in body.split("\n\n") if block.strip()]


def test_source_file_is_the_report_verbatim() -> None:
    source = load_source(ROOT / "sources" / "nie-rongzhen-1960.yml")
    assert [p.text for p in source.paragraphs] == report_blocks()
    assert [p.id for p in source.paragraphs] == ["salutation", *(f"p{n}" for n in range(1, 9)), "signature", "date"]
    assert [p.number for p in source.paragraphs if p.number] == list(range(1, 9))


def test_reference_copy_matches_the_received_text_where_that_is_at_hand() -> None:
    if SHARED.exists():  # beside a checkout of the project, the text as it was handed over
        assert RECEIVED.read_bytes() == SHARED.read_bytes()
    assert "[Mao Zedong]" in RECEIVED.read_text(encoding="utf-8")
