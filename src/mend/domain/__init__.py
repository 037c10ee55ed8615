"""Pure model and rules of a repair: the ten-step playbook, entities, trust, patience.

Nothing here performs I/O or reads the clock; functions that need "now" take it.
"""
