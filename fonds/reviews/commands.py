"""Commands for reviewing: `flask workflow remind`."""
