from connectflow.cli import run

run()
