"""`python -m assessment` runs the crmm command line."""

from .cli import main

main()
