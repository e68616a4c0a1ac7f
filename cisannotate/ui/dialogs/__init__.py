"""The dialogs: import, export and merge, backups, codebook, agreement, alignment and proposals, small questions."""
