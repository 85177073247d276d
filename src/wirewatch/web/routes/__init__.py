"""The HTML pages and feeds, one module per group."""
