from .words import WORD  # the page imports words.py only through this module


def greet() -> str:
    return f"library says {WORD}"
