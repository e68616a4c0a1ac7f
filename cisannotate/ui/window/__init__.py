"""The main window: it lays out the rooms below and routes actions to the session."""
