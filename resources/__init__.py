"""Data files shipped inside the package: the export schema and the application icon."""
