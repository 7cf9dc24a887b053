"""Exceptions that carry a clear, one-line message for the user."""


class EntenteError(Exception):
    """A failure of the job (exit code 1). The message is shown as one line."""


class UsageError(EntenteError):
    """Bad usage discovered after argument parsing (exit code 2)."""


class SettingError(UsageError, ValueError):
    """A setting's value cannot be used (an ``ENTENTE_*`` variable or the flag that overrides
    it): exit code 2, the message naming the setting and its variable."""


class StoreError(EntenteError):
    """The store is missing, corrupt or unwritable."""


class BuildError(EntenteError):
    """The build failed; the previous store is untouched."""


class Terminated(KeyboardInterrupt):
    """The command was sent SIGTERM: raised as Ctrl-C's KeyboardInterrupt is, so that what a
    command started (a server, a pool of workers, a temporary store) is stopped and removed
    by the same ``finally`` blocks; the command exits 143 (128 + SIGTERM)."""


def first_line(text: str, limit: int = 300, empty: str = "(no message)") -> str:
    """The first informative line of a remote server's answer (HTML markup lines skipped),
    shortened to ``limit`` characters: what an error message quotes of it."""
    for line in text.strip().splitlines():
        line = line.strip()
        if line and not line.startswith("<"):
            return line[:limit]
    return text.strip()[:limit] or empty
