"""Run the command line as ``python -m msckg.service``."""

from msckg.service.cli import main

main()
