from connectflow.cli import main

main()
