"""Analysis: pure functions over article text — who is mentioned, what passes between countries."""
