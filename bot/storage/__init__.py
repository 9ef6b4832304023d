"""SQLite storage: connections and migrations, and the stores shared by several features
(channel settings, people's own settings). Feature stores live in their feature's package.
"""
