"""Team library passwords in the system keyring, the one place the window keeps them.

A password is stored under the library's URL without its password (``ServerAddress.url``), so
each user and database on each server has its own entry. Any machine may lack a keyring (a
headless one, a desktop without a secret service) or refuse one (locked, dismissed prompt):
every call here is guarded, logs what went wrong and answers as if nothing were stored, and
the window then asks for the password. Imports no Qt.
"""

from __future__ import annotations

import logging

from corpusdesk.core.locations import ServerAddress

SERVICE = "corpusdesk"
"""The keyring service the passwords are filed under."""

log = logging.getLogger(__name__)


def stored_password(address: ServerAddress) -> str | None:
    """The password the keyring holds for ``address`` (None: none, or no keyring)."""
    try:
        import keyring

        password = keyring.get_password(SERVICE, address.url)
    except Exception as error:  # backends raise their own kinds (D-Bus, secret service)
        log.info("no password from the keyring for %s: %s", address.url, error)
        return None
    return password if isinstance(password, str) and password else None


def store_password(address: ServerAddress) -> bool:
    """Keep ``address``'s password in the keyring; whether it was kept."""
    if not address.password:
        return False
    try:
        import keyring

        keyring.set_password(SERVICE, address.url, address.password)
    except Exception as error:  # backends raise their own kinds (D-Bus, secret service)
        log.info("the keyring did not keep the password for %s: %s", address.url, error)
        return False
    return True


def forget_password(address: ServerAddress) -> None:
    """Remove ``address``'s password from the keyring, if it holds one."""
    try:
        import keyring

        keyring.delete_password(SERVICE, address.url)
    except Exception as error:  # none stored raises too
        log.debug("no password removed from the keyring for %s: %s", address.url, error)
