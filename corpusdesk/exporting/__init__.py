"""Export: articles to JSON or JSONL files that analysis tools read directly."""
