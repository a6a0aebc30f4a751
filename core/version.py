"""The program's version, shown by --version and 关于."""

__version__ = "0.1.0"
