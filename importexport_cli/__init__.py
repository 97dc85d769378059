"""importexport: a client for the AWS Import/Export API (2010-06-01) and an offline emulator of it."""

__version__ = "0.1.0"
