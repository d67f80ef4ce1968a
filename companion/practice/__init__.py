"""The practice file format: model, loader and validator. Pure: no textual, no pygame.

Nothing is imported here, so that the model can be imported without the loader and all its
checks (a library read from the cache needs only the model; issue 18); import from the
modules themselves.
"""
