"""hanno's benchmark: `.venv/bin/python -m bench.run` (see bench/RESULTS.md). Not part of the tests."""
