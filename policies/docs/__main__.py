"""`python -m policies.docs`: rewrite the generated sections of policies/README.md."""

import sys

from policies.docs.generator import main

sys.exit(main())
