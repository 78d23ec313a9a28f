"""The playground's Python (docs/playground/: the runner the page's worker imports, and the build) is
imported by its tests from where it lives."""

import sys
from pathlib import Path

PLAYGROUND = Path(__file__).resolve().parents[2] / "docs" / "playground"
if str(PLAYGROUND) not in sys.path:
    sys.path.insert(0, str(PLAYGROUND))
