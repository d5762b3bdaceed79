"""The refusal every operation raises when an action is not allowed now."""

from __future__ import annotations


class Refused(Exception):
    """The action was refused; ``code`` says why (translated by portal.core.messages)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code
