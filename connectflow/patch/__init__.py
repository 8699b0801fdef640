"""``connectflow patch``: write tenant values into flow files, changing nothing else.

plan (pure: flow + settings/profile -> patches) -> apply (span splices into the
raw text) -> verify (re-parse, semantic diff == plan, re-lint) -> write (atomic).
``run`` ties them together for the command line.
"""
