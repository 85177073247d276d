"""What the edges (CLI, web, digest) share: what users type, parsed once; the JSON shapes and dates they are shown; the archive written out as files."""
