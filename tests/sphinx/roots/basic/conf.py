# A small book for the quiz directive's tests: one page per kind of use.
project = "Quiz test book"
extensions = ["myst_parser", "sourcebook.sphinx"]
exclude_patterns = ["_build"]
html_theme = "basic"
