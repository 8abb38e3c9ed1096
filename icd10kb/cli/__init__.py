from .main import COMMANDS, get_parser, main

__all__ = ["COMMANDS", "get_parser", "main"]
