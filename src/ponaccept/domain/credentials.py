"""Passwords for password-authenticated test ONUs.

The password is written into OLT commands verbatim — Huawei ``ont add … password-auth "<pwd>"`` (GPON
allows at most 10 characters) and ZTE ``onu N type T pw <pwd>`` (unquoted, so a space would end it) — and
typed by the field engineer into the test ONU. Letters and digits only is the set both CLIs take without
escaping; 10 characters is the Huawei GPON maximum and gives 62¹⁰ ≈ 8·10¹⁷ combinations, far more than a
test ONU that lives for hours needs.

Randomness is injected (``secrets.SystemRandom()`` in production, a seeded ``random.Random`` in tests) so
the domain stays deterministic and free of global state.
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from typing import Final, Protocol

from ponaccept.domain.errors import InvalidOnuPassword

ONU_PASSWORD_ALPHABET: Final = string.ascii_letters + string.digits
UNAMBIGUOUS_ALPHABET: Final = "".join(c for c in ONU_PASSWORD_ALPHABET if c not in "0O1lI")
"""Optional alphabet without look-alike characters, for passwords read aloud or copied by hand."""
ONU_PASSWORD_MAX_LENGTH: Final = 10
"""Huawei GPON ``password-auth`` limit; the ZTE ``pw`` limit is not lower."""
DEFAULT_PASSWORD_LENGTH: Final = 10


class ChoiceSource(Protocol):
    """What a password generator needs from its random source (``random.Random`` and
    ``secrets.SystemRandom`` both qualify)."""

    def choice(self, seq: Sequence[str], /) -> str: ...


def validate_onu_password(password: str, max_length: int = ONU_PASSWORD_MAX_LENGTH) -> str:
    """Return ``password`` if 1…``max_length`` ASCII letters/digits; raise :class:`InvalidOnuPassword`.

    The error names the offending character's position and kind, never the password.
    """
    if not isinstance(password, str):
        raise InvalidOnuPassword(f"onu password must be text, got {type(password).__name__}")
    if not 1 <= len(password) <= max_length:
        raise InvalidOnuPassword(f"onu password must be 1…{max_length} characters, got {len(password)}")
    for position, char in enumerate(password):
        if char not in ONU_PASSWORD_ALPHABET:
            raise InvalidOnuPassword(
                f"onu password has a character that is not an ASCII letter or digit at position {position}"
            )
    return password


def generate_onu_password(
    rng: ChoiceSource, length: int = DEFAULT_PASSWORD_LENGTH, alphabet: str = ONU_PASSWORD_ALPHABET
) -> str:
    """A random password of ``length`` characters drawn from ``alphabet`` with ``rng``.

    ``alphabet`` must be a subset of :data:`ONU_PASSWORD_ALPHABET`, so every result is valid.
    """
    if not 1 <= length <= ONU_PASSWORD_MAX_LENGTH:
        raise InvalidOnuPassword(f"password length must be 1…{ONU_PASSWORD_MAX_LENGTH}, got {length}")
    if not alphabet or not set(alphabet) <= set(ONU_PASSWORD_ALPHABET):
        raise InvalidOnuPassword("password alphabet must be a non-empty subset of ASCII letters and digits")
    symbols = sorted(set(alphabet))
    password = "".join(rng.choice(symbols) for _ in range(length))
    return validate_onu_password(password)
