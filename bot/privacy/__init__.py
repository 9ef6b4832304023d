"""A person's data rights (export, forget-me) and the retention period, across every store."""
