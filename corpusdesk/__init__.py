"""corpusdesk: a desktop corpus manager for saved news articles, op-eds and blog posts.

``__version__`` is the one place the version is written: the package metadata takes it from
here at build time, and the packaged app, which has no metadata, imports it like everything else.
"""

__version__ = "0.2.0"
