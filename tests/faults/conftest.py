"""The campaign is a top-level package run from the repository's root (`python -m faults`), like
`bench`; its tests import it from there."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
