"""The timing engine: a practice becomes a timeline; the state at time t is a pure query.

Pure: imports neither textual nor pygame. Nothing is imported here, so that a part (the
clock, say) can be imported without the rest (issue 18: start-up imports only what the
first frame needs); import from the modules themselves.
"""
