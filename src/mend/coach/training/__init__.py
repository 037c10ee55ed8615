"""Training and evaluation of the coach's graded scores (needs scikit-learn).

Nothing here is imported by :func:`mend.coach.analyze`; scikit-learn is imported
lazily inside the functions that need it.
"""
