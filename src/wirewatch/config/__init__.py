"""Settings, built once at an entry point, and the schemas of every file a user writes (sources, rules, actors), checked one way."""
