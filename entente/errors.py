"""Exceptions that carry a clear, one-line message for the user."""


class EntenteError(Exception):
    """A failure of the job (exit code 1). The message is shown as one line."""


class UsageError(EntenteError):
    """Bad usage discovered after argument parsing (exit code 2)."""


class StoreError(EntenteError):
    """The store is missing, corrupt or unwritable."""


class BuildError(EntenteError):
    """The build failed; the previous store is untouched."""
