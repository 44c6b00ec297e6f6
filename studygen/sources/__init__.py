"""Reading text people write (YAML banks, course files, seed readings) from disk."""
