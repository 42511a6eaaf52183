"""Customer portal (A4): invited customers, their logins and tickets."""
