"""Pure cleaning functions: text, dates, boilerplate, language, duplicate keys."""
