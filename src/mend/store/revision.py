"""Version numbers a quick read checks without loading SQLAlchemy (see store/quick.py)."""

#: The newest migration; bump it with every new file in migrations/versions.
HEAD_REVISION = "0010"
#: The layout of the stored status summaries (store/board.py); bump it when it changes.
STATUS_FORMAT = 1
