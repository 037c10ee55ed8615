"""The coach: fast, explainable feedback on a draft, for the repair step the user is on.

>>> from mend.coach import analyze
>>> report = analyze("I'm sorry if you felt left out.", "apology")
>>> [f.code for f in report.problems]
['non_apology']

Public API: :func:`analyze`, :class:`Report`, :class:`Finding`,
:func:`extract_commitments`, :class:`Commitment`, :data:`STEPS`, :data:`MAX_CHARS`,
:data:`SCORE_NAMES`. Pure: standard library, vaderSentiment's lexicon and the model
weights shipped in ``mend/coach/data``.
"""

from mend.coach._text import MAX_CHARS
from mend.coach.analyzer import analyze
from mend.coach.commitments import Commitment, extract_commitments
from mend.coach.report import SCORE_NAMES, SEVERITIES, Finding, Report
from mend.coach.rules import RULES_BY_CODE, STEPS

__all__ = [
    "MAX_CHARS",
    "RULES_BY_CODE",
    "SCORE_NAMES",
    "SEVERITIES",
    "STEPS",
    "Commitment",
    "Finding",
    "Report",
    "analyze",
    "extract_commitments",
]
