"""The ``connectflow`` command (the console script and ``python -m connectflow``): the process
around ``cli.main``, which in-process callers (tests, embedders) call instead."""

import gc


def run() -> None:
    # Start-up builds modules, options and tables that live until the end: the collector would
    # walk them again and again (a twentieth of a small flow's lint) and free nothing. Frozen,
    # no later collection looks at them.
    gc.disable()
    from connectflow import runtime
    from connectflow.cli import main
    from connectflow.runtime import leave

    runtime.LEAVING = True
    gc.freeze()
    gc.enable()
    try:
        main()
    except SystemExit as done:
        leave(done.code)  # and it ends without the interpreter's teardown


if __name__ == "__main__":
    run()
