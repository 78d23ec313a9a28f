"""pytest runs the built notebooks (nbmake), never their sources: a source is not a module to import.

The sources need the checkers' helper that the build puts into each notebook, and importing one
would run a whole notebook during collection.
"""

collect_ignore_glob = ["_source/*", "_build.py"]
