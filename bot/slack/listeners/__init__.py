"""Bolt listeners, one module per kind of Slack request, each with `register(app, front)`."""
