"""A child process for the kill tests: replace TARGET with NEW_FILE's bytes through
``connectflow.patch.write.write_files`` (exactly what ``patch --in-place`` calls),
expecting TARGET to hold OLD_FILE's bytes. Exit 0 written, 2 refused, 143 SIGTERM.

    python tests/fuzz/writer.py TARGET NEW_FILE OLD_FILE
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from connectflow.patch.write import Interrupted, Job, WriteError, write_files  # noqa: E402

target, new, old = sys.argv[1:4]
data, expect = Path(new).read_bytes(), Path(old).read_bytes()
print("ready", flush=True)
try:
    write_files([Job(target, data, expect=expect)])
except Interrupted as err:
    sys.exit(128 + err.signum)
except WriteError as err:
    print(err, file=sys.stderr)
    sys.exit(2)
sys.exit(0)
