"""Widgets: the window, document panes, link canvas, panels and dialogs."""
