"""``python -m apologylint``."""

from .cli import main

raise SystemExit(main())
