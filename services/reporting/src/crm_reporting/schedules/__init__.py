"""R7 scheduled e-mailed reports: a saved report or a dashboard sent as a file on a cadence."""
