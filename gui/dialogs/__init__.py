"""Dialogs: new report, export progress, about."""
