"""corpusdesk: a desktop corpus manager for saved news articles, op-eds and blog posts.

``__version__`` is the one place the version is written: the package metadata takes it from
here at build time, and the packaged app, which has no metadata, imports it like everything else.
corpusdesk's log records go to the log file once :func:`corpusdesk.core.logs.start_logging` ran
(the ``corpusdesk`` command does), and nowhere otherwise: never to a library user's stderr.
"""

import logging

__version__ = "0.2.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())
