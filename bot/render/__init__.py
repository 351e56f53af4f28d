"""Article rendering: the Jinja2 layout, chat splitting, and Markdown / HTML / plain exports.

Depends on `bot.core` (models, errors, messages); the core never imports this package.
"""

from __future__ import annotations

from bot.render.article import Renderer
from bot.render.chat import Measure, split_for_chat
from bot.render.graphemes import graphemes

__all__ = ["Measure", "Renderer", "graphemes", "split_for_chat"]
