"""Features of the window, each in its own module: linking, review, team, findings.

They reach the window through ``host.FeatureHost`` only (add a dock, an action, a status
message, open a document)."""
