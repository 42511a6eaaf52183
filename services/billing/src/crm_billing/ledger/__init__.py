"""B5, B7, B8: customer ledger, statement, aging, purchase history and lapsed buyers."""
