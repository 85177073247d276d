"""Settings, built once at an entry point, and the checks for every file a user writes (sources, rules, actors)."""
