"""hanno (反応): a chat bot with which a team produces overseas-reactions articles."""

__version__ = "0.1.0"
