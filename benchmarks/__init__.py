"""Side-by-side benchmarks of chainrule against micrograd, PyTorch scalars and plain Python floats.

Run them with ``scripts/bench`` (see ``benchmarks/README.md``). They are not part of the test run:
timings never become assertions.
"""
