"""The test suite. Imported before any test module, conftest or child process of it."""

from __future__ import annotations

import os
import sys

# Bytecode is cached while the suite runs, whatever the shell says (PYTHONDONTWRITEBYTECODE):
# otherwise each xdist worker compiles and assertion-rewrites every test module again (~6 s of
# CPU each), and each `hanno` child process compiles bot/ again (~0.4 s each, and there are
# about a hundred). The caches go to the __pycache__ folders .gitignore already leaves out.
sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
