"""File adapters: reading and writing the tables users exchange (xlsx, csv)."""
