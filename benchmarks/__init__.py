"""Side-by-side measurements of sourcebook: each figure against its peer, as a ratio.

`make bench` (``python -m benchmarks``) runs every benchmark module listed in
``BENCHMARKS``, prints one table and writes ``benchmarks/results.json``.
Benchmarks measure; they never fail the tests.
"""
