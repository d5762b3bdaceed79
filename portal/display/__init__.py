"""Accessibility: text size and colour switches, the accessibility statement, and the
warning before a signed-in session times out."""
