# A small book for the quiz directive's tests: one page per kind of use.
from pathlib import Path

project = "Quiz test book"
extensions = ["myst_parser", "sourcebook.sphinx"]
exclude_patterns = ["_build"]
html_theme = "basic"


def _record_source_page(app, env):
    # Stands in for the {source-text} directive, which records the page that
    # shows each source; tests switch it on with the config value below.
    if app.config.test_source_page:
        pages = getattr(env, "sourcebook_source_pages", {})
        pages[str((Path(app.srcdir) / "sources" / "report.yml").resolve())] = app.config.test_source_page
        env.sourcebook_source_pages = pages


def setup(app):
    app.add_config_value("test_source_page", "", "env")
    app.connect("env-updated", _record_source_page)
