"""What every room of the window uses: translations, icons, keys, appearance and zoom, progress and the worker thread."""
