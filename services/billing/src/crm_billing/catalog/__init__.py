"""B1: the business profile, products, price lists and customer terms."""
