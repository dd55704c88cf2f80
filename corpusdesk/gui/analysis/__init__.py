"""The analysis panel's views: concordance, word and keyword lists, trends over time.

Only views live here; the analysis itself is ``corpusdesk.analysis``. This package's own
``__init__`` imports nothing, so that a job process can unpickle its jobs without loading Qt.
"""
