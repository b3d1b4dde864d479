"""timeline: a terminal news timeline explorer."""

__version__ = "0.1.0"
