"""The failure log behind /fout: its store, sharing a learning card, the learning loop."""
