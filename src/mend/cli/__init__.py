"""The `mend` command line: thin commands that parse input, call a service and render."""
