"""Charts of a project's figures, drawn with matplotlib (imported only when a chart is made)."""
