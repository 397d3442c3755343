"""sitreps: conflict news in, structured, sourced, explainable event data out."""

__version__ = "0.1.0"
