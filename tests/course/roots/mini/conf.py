# A small course for the course machinery's tests: two modules, the full text,
# a theme index. Built with sphinx.testing's make_app.
project = "Course test book"
extensions = ["myst_parser", "sourcebook.sphinx"]
exclude_patterns = ["_build"]
html_theme = "basic"
myst_enable_extensions = ["colon_fence"]
html_copy_source = False
