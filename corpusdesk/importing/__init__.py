"""Importing saved pages: sniffing, decoding, extraction of text and metadata, signatures.

The pure steps (``sniff``, ``decode``, ``metadata``, ``content``, ``clean``) turn the bytes of
one page into an :class:`~corpusdesk.core.records.ExtractedArticle` through
:func:`corpusdesk.importing.extract.extract_article`; they touch no files and no network.
"""
