import os
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

# The parse cache (parse_cache.py) of this test session, not the user's; the CLI
# processes the tests start inherit it.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="connectflow-test-cache-")

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "shared" / "reference-flows"
REFERENCE_FLOWS = sorted(REFERENCE_DIR.glob("*.json")) if REFERENCE_DIR.is_dir() else []

needs_reference = pytest.mark.skipif(
    not REFERENCE_FLOWS, reason=f"reference flows not found at {REFERENCE_DIR} (CI provides ../shared)")
