# A book whose only quiz is in a notebook cell's output (the notebook quiz's text/html).
project = "Notebook quiz test book"
extensions = ["myst_nb", "sourcebook.sphinx"]
exclude_patterns = ["_build"]
html_theme = "basic"
nb_execution_mode = "off"
