"""Co-control emission accounting: factor library, sector methods, inventory (issue 3)."""
