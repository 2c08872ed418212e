"""The checks: field rules, duplicates, manifest comparison, each in its own module."""
