"""eurocities-kg: the linked open data publisher for the Eurocities network."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("eurocities-kg")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
