"""studygen: source-grounded quizzes, keys, study guides and LMS exports from question banks."""

__version__ = "0.1.0"
