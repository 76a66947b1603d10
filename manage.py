#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "orion.settings.dev")
    from django.core.management import execute_from_command_line

    from orion.database import EmbeddedDatabaseError

    try:
        execute_from_command_line(sys.argv)
    except EmbeddedDatabaseError as error:
        sys.exit(f"orion: {error}")


if __name__ == "__main__":
    main()
