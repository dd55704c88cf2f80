"""Storage: the SQLite library behind corpusdesk, its schema, search and the facade others call."""
