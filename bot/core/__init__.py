"""The platform-independent core: models, rules, permissions, the workflow and the grammar.

It imports only the standard library and pydantic; front ends and the store depend on it,
never the other way round.
"""
