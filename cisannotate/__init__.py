"""cisannotate: annotate how news articles report official speech."""

__version__ = "0.1.0"
