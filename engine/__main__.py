import gc
import sys

from engine.cli import main

# A preview allocates millions of short-lived objects (pulumi_aws' generated types, protobuf messages) and few
# cycles: with CPython's default thresholds (700, 10, 10) a fifth of the run went to collections that freed
# little (bench/PROFILES.md). Collect less often, and let the collections at exit skip what the run left.
gc.set_threshold(50_000, 20, 100)
code = main()
gc.freeze()
sys.exit(code)
