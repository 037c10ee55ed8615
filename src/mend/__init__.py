"""Mend: repair a broken working relationship, step by step."""
