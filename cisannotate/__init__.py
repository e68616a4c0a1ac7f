"""cisannotate: annotate how news articles report official speech."""

__version__ = "0.1.0"


def open_project(path):  # noqa: ANN001, ANN201 (the real signature is in cisannotate.api)
    """Open a project read-only for reading its work as pandas DataFrames (see ``cisannotate.api``)."""
    from .api import open_project as _open_project

    return _open_project(path)
