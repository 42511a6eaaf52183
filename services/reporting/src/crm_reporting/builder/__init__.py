"""R1 report builder: a report definition is data, compiled over a whitelist of subjects."""
