"""corpusdesk: a desktop corpus manager for saved news articles, op-eds and blog posts."""

__version__ = "0.1.0"
