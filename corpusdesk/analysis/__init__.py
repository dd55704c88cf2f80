"""Corpus analysis: concordances, word and n-gram lists, keywords and trends over time.

Pure functions over article texts and plain records, with no Qt and no SQL: the library facade
reads the texts (``Library.concordance``, ``Library.iter_analysis_texts``, ``Library.dated_counts``)
and the command line and the window's analysis panel call these functions on them. Words are cut
as the search index and the word counts cut them (``tokens``), so a concordance shows every hit of
the articles a search finds, and a word list counts what a search would find.
"""
