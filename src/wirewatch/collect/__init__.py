"""Collection's network edge: the polite fetcher, robots.txt, links from feeds, sitemaps and index pages, and source profiles."""
