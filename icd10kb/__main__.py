"""``python -m icd10kb`` runs the command line."""

from .cli import main

raise SystemExit(main())
