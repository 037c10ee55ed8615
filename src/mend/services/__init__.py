"""Use cases: one function per user intent, shared by the CLI, the web app and the API.

Each takes a unit of work and plain arguments (``now`` included) and is the only
place a transaction is committed.
"""
