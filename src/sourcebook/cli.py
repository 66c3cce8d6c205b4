"""The `sourcebook` command line: a thin layer over the loader, checks and exporters."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from .loader import read_bank, read_source
from .page_check import check_page_directives
from .placeholders import check_page
from .problems import Problem
from .texmath import check_page as check_page_math

#: Folders checked when `sourcebook check` is given no path.
DEFAULT_PATHS = ("questions", "modules", "sources")
_SOURCE_KEY = re.compile(rb"^paragraphs\s*:", re.MULTILINE)
_BANK_KEY = re.compile(rb"^questions\s*:", re.MULTILINE)


def _files(paths: Sequence[str]) -> Iterator[tuple[Path, bool]]:
    """(file, named explicitly) for every YAML file under the paths."""
    for name in paths:
        path = Path(name)
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                if found.suffix in (".yml", ".yaml", ".md") and found.is_file() and not any(
                    part.startswith((".", "_")) for part in found.parts
                ):
                    yield found, False
        else:
            yield path, True


def _kind(path: Path, explicit: bool) -> str | None:
    """'bank', 'source', 'page' (Markdown), or None for a YAML file that is neither (module metadata, say)."""
    if path.suffix == ".md":
        return "page"
    if not path.is_file():  # (reading a pipe would wait for a writer)
        return "bank"  # let the loader report what it is
    try:
        with path.open("rb") as file:
            head = file.read(1_000_000)  # (not the whole of a huge file)
    except OSError:
        return "bank"  # let the loader report that it cannot be read
    if "sources" in path.parts or _SOURCE_KEY.search(head):
        return "source"
    if explicit or "questions" in path.parts or _BANK_KEY.search(head):
        return "bank"
    return None


def check_paths(paths: Sequence[str]) -> list[Problem]:
    """Every problem in the banks, sources and module pages under ``paths``."""
    problems: list[Problem] = []
    seen: set[Problem] = set()
    for path, explicit in _files(paths):
        kind = _kind(path, explicit)
        if kind is None:
            continue
        if kind == "page":  # what `sourcebook new` left in it, math, and quizzes the build could not make
            problems += check_page(path) + check_page_math(path) + check_page_directives(path)
            continue
        loaded = read_bank(path) if kind == "bank" else read_source(path)
        for p in loaded.problems:
            if p not in seen:  # a source's problems come once, however many banks use it
                seen.add(p)
                problems.append(p)
    return problems


def cmd_check(args: argparse.Namespace) -> int:
    paths = args.paths or [p for p in DEFAULT_PATHS if Path(p).exists()]
    if not paths:
        print("sourcebook check: nothing to check (no questions/, modules/ or sources/ here)", file=sys.stderr)
        return 1
    problems = check_paths(paths)
    errors = sum(p.severity == "error" for p in problems)
    if args.format == "json":
        print(json.dumps([p.as_dict() for p in problems], indent=2, ensure_ascii=False))
    else:
        for p in problems:
            print(p)
        warnings = len(problems) - errors
        print(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}", file=sys.stderr)
    return 1 if errors or (args.strict and problems) else 0


def cmd_schema(args: argparse.Namespace) -> int:
    from .schema import bank_schema, dumps, source_schema

    if args.hand_in:
        from .results import hand_in_schema

        sys.stdout.write(dumps(hand_in_schema()))
        return 0
    sys.stdout.write(dumps(source_schema() if args.source else bank_schema()))
    return 0


def _may_write(path: Path, command: str, example: str, force: bool) -> bool:
    """Whether the output ``path`` may be written: not a folder (``example`` is a file name to give instead),
    and not an existing file unless ``force``; False, with one line said, if not."""
    if path.is_dir():
        print(f"sourcebook {command}: {path} is a folder: give the file's name with -o, such as {path / example}",
              file=sys.stderr)
        return False
    if path.exists() and not force:
        print(f"sourcebook {command}: {path} already exists; choose another name with -o or pass --force",
              file=sys.stderr)
        return False
    return True


def _write(path: Path, data: bytes, command: str) -> bool:
    """Write ``data`` to ``path`` (its folder made if need be); False, with one line said, if it cannot be."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as exc:
        print(f"sourcebook {command}: cannot write {exc.filename or path}: {exc.strerror or exc}; choose another "
              "place with -o", file=sys.stderr)
        return False
    return True


def cmd_export(args: argparse.Namespace) -> int:
    from .export import exporter

    if _kind(Path(args.bank), True) == "source":
        print(f"sourcebook export: {args.bank} is a source, not a question bank: export a bank that cites it "
              "(questions/NAME.yml)", file=sys.stderr)
        return 1
    loaded = read_bank(args.bank)
    if not loaded.ok:
        for p in loaded.problems:
            print(p, file=sys.stderr)
        print(f"sourcebook export: {args.bank} has errors; fix them first (sourcebook check)", file=sys.stderr)
        return 1
    bank = loaded.value
    result = exporter(args.to)(bank)
    to_stdout = args.output == "-"
    output = Path(args.output) if args.output else Path(args.bank).with_suffix(result.suffix)
    if not to_stdout and not _may_write(output, "export", Path(args.bank).with_suffix(result.suffix).name,
                                        args.force):
        return 1
    # One line per question, at the question's place in the bank, as `check` reports problems.
    by_question: dict[str, list[str]] = {}
    for note in result.notes:
        by_question.setdefault(note.question, []).append(note.message)
    for question_id, messages in by_question.items():
        line, column = 1, 1
        if question_id and loaded.builder is not None:
            node = loaded.builder.mark(bank.question(question_id))
            if node is not None:
                line, column = node.line, node.column
        subject = f"question `{question_id}`" if question_id else "the bank"
        print(f"{args.bank}:{line}:{column}: warning[export]: {subject}: {'; '.join(messages)}", file=sys.stderr)
    written = len(bank.questions) - len(result.skipped)
    if to_stdout:
        sys.stdout.buffer.write(result.data)
        sys.stdout.flush()
        where = "to standard output"
    else:
        if not _write(output, result.data, "export"):
            return 1
        where = f"to {output}"
    print(f"wrote {written} question{'s' * (written != 1)} {where}", file=sys.stderr)
    if not result.skipped:
        return 0
    # A teacher gets the file with every question the format holds; a script can still
    # tell a partial export (status 3) from a full one (0), unless it asked for partial ones.
    print(f"sourcebook export: {len(result.skipped)} question{'s' * (len(result.skipped) != 1)} cannot be "
          f"written as {args.to} and {'are' if len(result.skipped) != 1 else 'is'} not in the file: "
          f"{', '.join(result.skipped)}", file=sys.stderr)
    return 0 if args.skip_unsupported else PARTIAL_EXPORT


#: The exit status of an export that wrote the file without some questions.
PARTIAL_EXPORT = 3


def cmd_import(args: argparse.Namespace) -> int:
    from .imports import ImportFailed, write_bank

    if args.source == "moodle":
        from .imports.moodle import import_moodle as read
    else:
        from .imports.gift import import_gift as read
    other = _other_format(Path(args.file), args.source)
    if other:
        print(f"sourcebook import: {args.file} {other}", file=sys.stderr)
        return 1
    try:
        imported = read(args.file)
        write_bank(imported, args.output, origin=f"{Path(args.file).name} ({args.source})", force=args.force)
    except ImportFailed as exc:
        print(f"sourcebook import: {exc}", file=sys.stderr)
        return 1
    for note in imported.notes:
        kind = "skipped" if note.skipped else "changed"
        print(f"{args.file}: warning[import]: question `{note.question}` {kind}: {note.message}", file=sys.stderr)
    # The written bank must pass the same checks as any other: show what they say.
    problems = read_bank(args.output).problems
    for p in problems:
        print(p, file=sys.stderr)
    count = len(imported.questions)
    print(f"wrote {args.output}: {count} question{'s' * (count != 1)}", file=sys.stderr)
    return 1 if any(p.severity == "error" for p in problems) else 0


def _other_format(path: Path, given: str) -> str:
    """What a file given to import as ``given`` is instead, from its first bytes ("" when it may be ``given``,
    or cannot be read: the importer says why)."""
    try:
        with path.open("rb") as file:
            start = file.read(512)
    except OSError:
        return ""
    text = start.lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"PK\x03\x04"):
        return ("is a zip file (a Canvas QTI export, say), which sourcebook does not import: export the questions "
                "from the LMS as Moodle XML or GIFT")
    if given == "gift" and text.startswith((b"<?xml", b"<quiz")):
        return "is Moodle XML, not GIFT: import it with --from moodle"
    if given == "moodle" and text and not text.startswith(b"<"):
        return "is not XML: if it is GIFT, import it with --from gift"
    return ""


def cmd_new(args: argparse.Namespace) -> int:
    from .scaffold import ScaffoldError, new_bank, new_module

    root = Path(args.book)
    try:
        if args.kind == "module":
            written = new_module(root, args.name, args.title, themes=args.theme, time=args.time, source=args.source)
        else:
            written = new_bank(root, args.name, args.title, source=args.source)
    except ScaffoldError as exc:
        print(f"sourcebook new {args.kind}: {exc}", file=sys.stderr)
        return 1
    for path in written.created:
        print(f"created {path}", file=sys.stderr)
    for path in written.changed:
        print(f"added the module to {path}", file=sys.stderr)
    print("Each file says what to write where; check the bank with `sourcebook check` and build with "
          "`make book`.", file=sys.stderr)
    return 0


def cmd_worksheet(args: argparse.Namespace) -> int:
    from .worksheet import WorksheetError, module_page, module_worksheet

    try:
        html = module_worksheet(args.module, key=args.key)
        page = module_page(args.module)
    except WorksheetError as exc:
        print(f"sourcebook worksheet: {exc}", file=sys.stderr)
        return 1
    if args.output == "-":
        sys.stdout.write(html)
        return 0
    name = page.parent.name if page.name == "index.md" else page.stem
    output = Path(args.output) if args.output else \
        Path("_build", "worksheets", f"{name}{'-key' if args.key else ''}.html")
    if not _may_write(output, "worksheet", f"{name}.html", args.force):
        return 1
    if not _write(output, html.encode("utf-8"), "worksheet"):
        return 1
    print(f"wrote {output}", file=sys.stderr)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from .report import ReportError, write_report

    try:
        written = write_report(args.submissions, args.output, book=args.book, student_column=args.student_column)
    except ReportError as exc:
        print(f"sourcebook report: {exc}", file=sys.stderr)
        return 1
    results = written.results
    for skipped in results.collection.skipped:
        print(f"{skipped.path}: warning[hand-in]: set aside: {skipped.reason}", file=sys.stderr)
    book = Path(args.book).expanduser().resolve()
    for bank in results.missing_banks:
        print(f"{bank}: warning[report]: bank not found under {book}, or it has errors: its answers count as the "
              "files give them, without the question texts (is --book the course's top folder? does "
              "`sourcebook check` pass?)", file=sys.stderr)
    for name, sharing in written.report.shared_names.items():
        print(f"{sharing[0].path}: warning[report]: {len(sharing)} students share the name {name!r} (classes "
              f"{', '.join(s.class_name or 'none' for s in sharing)}): the gradebook CSVs identify students by "
              "name, so an LMS would give their grades to one of them", file=sys.stderr)
    for replaced in results.collection.replaced:
        earlier = ", ".join(str(p) for p in replaced.earlier)
        print(f"{replaced.kept}: note[hand-in]: {replaced.student} handed in more than once; for each "
              f"question the latest file that has it counts (this one is the latest; earlier: {earlier})",
              file=sys.stderr)
    students = len(results.submissions)
    print(f"wrote {written.folder}/index.html: {students} student{'s' * (students != 1)}, "
          f"{len(results.quizzes)} quiz{'zes' * (len(results.quizzes) != 1)}, "
          f"{len(results.collection.skipped)} file{'s' * (len(results.collection.skipped) != 1)} set aside",
          file=sys.stderr)
    if not students:
        given = ", ".join(str(path) for path in args.submissions)
        print(f"sourcebook report: no hand-in to count in {given}"
              + (": every file found was set aside (see above)" if results.collection.skipped else
                 ": no .json file there (give the folder the students' files were saved or unzipped into)"),
              file=sys.stderr)
    return 0 if students else 1


def cmd_preview(args: argparse.Namespace) -> int:
    from .preview import Preview, PreviewError, renderer, serve

    target = Path(args.target)
    if target.is_file() and target.suffix.lower() in (".yml", ".yaml") and _kind(target, True) == "source":
        print(f"sourcebook preview: {target} is a source file; preview a bank that cites it, or the module "
              "page that shows it", file=sys.stderr)
        return 1
    try:
        render = renderer(target)
    except PreviewError as exc:
        print(f"sourcebook preview: {exc}", file=sys.stderr)
        return 1
    preview = Preview(render, args.target, log=sys.stderr)

    def ready(url: str) -> None:
        print(f"Previewing {args.target} at {url} (Ctrl-C to stop)", file=sys.stderr)
        if args.open:
            import webbrowser

            webbrowser.open(url)

    try:
        serve(preview, args.port, on_ready=ready)
    except OSError as exc:
        print(f"sourcebook preview: cannot listen on 127.0.0.1:{args.port}: {exc.strerror or exc}; "
              "choose another --port, or leave it out for a free one", file=sys.stderr)
        return 1
    return 0


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"a port is a whole number from 0 to 65535, not {text!r}")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sourcebook", description="Primary-source lessons with quizzes.")
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="check question banks and sources")
    check.add_argument("paths", nargs="*", help=f"files or folders (default: {', '.join(DEFAULT_PATHS)})")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.set_defaults(run=cmd_check)

    schema = sub.add_parser("schema", help="print the JSON Schema of the bank format")
    schema.add_argument("--source", action="store_true", help="the schema of a source file instead")
    schema.add_argument("--hand-in", action="store_true", help="the schema of a student's hand-in file instead")
    schema.set_defaults(run=cmd_schema)

    export = sub.add_parser("export", help="export a bank to Moodle XML, GIFT or a Canvas QTI zip")
    export.add_argument("bank", help="the bank (a questions/*.yml file)")
    export.add_argument("--to", required=True, choices=("moodle", "gift", "qti"), help="the format")
    export.add_argument("-o", "--output", help="the file to write, or - for standard output "
                        "(default: the bank's name with .xml, .gift or .zip)")
    export.add_argument("--skip-unsupported", action="store_true",
                        help="exit with status 0 even when some questions cannot be expressed in the format and "
                             "are left out of the file (by default such an export exits with status 3)")
    export.add_argument("--force", action="store_true", help="overwrite the output file if it exists")
    export.set_defaults(run=cmd_export)

    import_ = sub.add_parser("import", help="import a Moodle XML or GIFT file as a bank")
    import_.add_argument("file", help="the Moodle XML or GIFT file")
    import_.add_argument("--from", dest="source", required=True, choices=("moodle", "gift"), help="its format")
    import_.add_argument("-o", "--output", required=True, help="the bank to write, e.g. questions/NAME.yml")
    import_.add_argument("--force", action="store_true", help="overwrite the bank if it exists")
    import_.set_defaults(run=cmd_import)

    new = sub.add_parser("new", help="start a new module or question bank")
    new_kinds = new.add_subparsers(dest="kind", required=True)
    module = new_kinds.add_parser("module", help="a module page, its bank, and its entry in _toc.yml")
    module.add_argument("name", help="NN-lowercase-words, e.g. 07-the-great-leap-forward")
    module.add_argument("--title", required=True, help="the module's title")
    module.add_argument("--theme", action="append", default=[], help="a theme of the module (repeat for more)")
    module.add_argument("--time", default="50 minutes", help="time the module takes (default: 50 minutes)")
    bank = new_kinds.add_parser("bank", help="a question bank questions/NAME.yml")
    bank.add_argument("name", help="lowercase words joined by hyphens, e.g. practice-sourcing")
    bank.add_argument("--title", required=True, help="the bank's title")
    for kind in (module, bank):
        kind.add_argument("--source", help="the source it studies (default: the course's only sources/*.yml)")
        kind.add_argument("--book", default=".", help="the book's top folder (default: here)")
        kind.set_defaults(run=cmd_new)

    worksheet = sub.add_parser("worksheet", help="a printable worksheet of a module's quizzes, as HTML")
    worksheet.add_argument("module", help="the module's folder (modules/NN-slug) or its index.md")
    worksheet.add_argument("--key", action="store_true", help="the answer key instead of the students' sheet")
    worksheet.add_argument("--force", action="store_true", help="overwrite the output file if it exists")
    worksheet.add_argument("-o", "--output",
                           help="the file to write, or - for standard output (default: _build/worksheets/)")
    worksheet.set_defaults(run=cmd_worksheet)

    preview = sub.add_parser("preview", help="show a bank's quiz or a module page in the browser, updated on "
                             "every save")
    preview.add_argument("target", help="a bank (questions/NAME.yml), a module's folder (modules/NN-slug) or "
                         "its page")
    preview.add_argument("--port", type=_port, default=0,
                         help="the port on 127.0.0.1 to serve on (default: a free one)")
    opening = preview.add_mutually_exclusive_group()
    opening.add_argument("--open", action="store_true", help="open the page in the default web browser")
    opening.add_argument("--no-browser", dest="open", action="store_false",
                         help="only print the page's address (the default)")
    preview.set_defaults(run=cmd_preview)

    report = sub.add_parser("report", help="a class report (gradebook, item analysis, skills) from hand-in files")
    report.add_argument("submissions", nargs="+", help="hand-in files, or folders of them")
    report.add_argument("-o", "--output", default="class-report", help="the folder to write (default: class-report)")
    report.add_argument("--book", default=".", help="the course's top folder, where the banks are (default: here)")
    report.add_argument("--student-column", default="Student",
                        help="heading of the student column in the gradebook CSV, to match what the LMS maps "
                             "users by (e.g. 'Email address' for Moodle, 'SIS Login ID' for Canvas)")
    report.set_defaults(run=cmd_report)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:  # a file that could not be read or written, said in one line, not a traceback
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"sourcebook {args.command}: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
