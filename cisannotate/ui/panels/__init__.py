"""The docked panels: corpus navigator, annotation table, source, review and comments, corpus search."""
