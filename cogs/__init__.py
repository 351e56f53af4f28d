"""Discord cogs: one per area, each only translating between Discord and the core."""
