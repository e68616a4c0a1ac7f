"""Charts drawn with matplotlib: Qt-free figure builders, shared by the window and the HTML report."""
