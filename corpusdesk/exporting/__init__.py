"""Export: articles to JSON, JSONL, CSV, Parquet and CSL-JSON files that analysis and citation
tools read directly."""
