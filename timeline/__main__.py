"""``python -m timeline``: the same as the ``timeline`` command."""

from .cli import main

main()
