"""The document view: the text view and its highlights, the panes, the link canvas, the workspace
that holds them, the tag popup and the styles of annotations."""
