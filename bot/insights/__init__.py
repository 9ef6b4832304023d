"""What leaders and people see about their work: aggregate figures, digest, App Home data."""
