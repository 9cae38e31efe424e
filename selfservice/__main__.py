"""`python -m selfservice agent|tool|stage --set NAME=value ...` (what `make new-*` runs)."""

import sys

from selfservice.cli import main

sys.exit(main())
