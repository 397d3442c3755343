"""``python -m sitreps``: the same command line as the ``sitreps`` script, for environments
where the script's directory is not on ``PATH`` (a virtual environment not activated, a worker)."""

from sitreps.cli import main

main()
