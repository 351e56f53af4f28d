"""The workflow by area, one module each; `bot.core.service.HannoService` combines them.

Areas build on `bot.core.area.Area` and never import each other: what two areas share belongs
in that base.
"""
