"""Reply suggestions: the scan of a message, the tip policy (pure), its store and delivery."""
