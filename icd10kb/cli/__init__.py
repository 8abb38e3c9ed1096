"""The ``icd10kb`` command line: one module per group of commands.

- :mod:`~icd10kb.cli.app`: the parser, :func:`main` and the exit rule;
- :mod:`~icd10kb.cli.concepts`: ``show``, ``path``, ``tree``;
- :mod:`~icd10kb.cli.find`: ``search``, ``check``;
- :mod:`~icd10kb.cli.exports`: ``export``;
- :mod:`~icd10kb.cli.output`: text that survives the terminal's encoding, JSON.
"""

from .app import COMMANDS, PLUGINS, command_help, get_parser, main

__all__ = ["COMMANDS", "PLUGINS", "command_help", "get_parser", "main"]
