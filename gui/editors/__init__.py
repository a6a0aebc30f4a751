"""Editors shown in the centre of the window, one per kind of navigation node."""
