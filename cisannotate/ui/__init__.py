"""Widgets, in rooms that import only downwards (an import-linter contract checks it):

- ``window``: the main window, which builds the rest and routes actions to the session;
- ``features``: what the window can do beyond showing documents (linking, review, team,
  findings), each in its own module, reaching the window through ``features.host``;
- ``panels``: the docked panels (navigator, annotation table, source, review, comments,
  corpus search);
- ``dialogs``: the dialogs, the exchange's and import's among them;
- ``document``: the document view (text view, panes, link canvas, workspace, tag popup);
- ``common``: what every room uses (translations, icons, keys, appearance, the worker).
"""
