"""B2/B3: the Israeli tax document chain, its numbering, VAT, allocation numbers and PDFs."""
