"""The flows that run the stages and write the archive: import, collection, re-processing, and the worker process they share."""
