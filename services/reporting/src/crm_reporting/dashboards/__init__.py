"""R7 dashboards: saved sets of reports with a chart kind and a grid position."""
