import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "shared" / "reference-flows"
REFERENCE_FLOWS = sorted(REFERENCE_DIR.glob("*.json")) if REFERENCE_DIR.is_dir() else []

needs_reference = pytest.mark.skipif(
    not REFERENCE_FLOWS, reason=f"reference flows not found at {REFERENCE_DIR} (CI provides ../shared)")
