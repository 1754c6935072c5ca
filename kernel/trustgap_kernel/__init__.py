"""A Jupyter kernel for trustgap: one trustgap session per notebook, each cell run as trustgap commands."""

__version__ = "0.1.0"
