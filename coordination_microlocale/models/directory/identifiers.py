"""Checks of the French health identifiers (RPPS, ADELI, FINESS).

Pure functions, so that the model constraints and the import tools share them.
"""

import re


def luhn_is_valid(digits):
    """Return True when the string of digits passes the Luhn check."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def luhn_check_digit(digits):
    """Return the Luhn check digit to append to ``digits``."""
    for key in range(10):
        if luhn_is_valid(f"{digits}{key}"):
            return str(key)
    raise ValueError(digits)  # pragma: no cover - a key always exists


def normalize_identifier(value):
    """Strip spaces, dots and dashes people type inside identifiers."""
    return re.sub(r"[\s.\-]", "", value or "").upper()


def is_valid_rpps(value):
    """RPPS: 11 digits whose last one is the Luhn key of the first ten."""
    value = normalize_identifier(value)
    return bool(re.fullmatch(r"\d{11}", value)) and luhn_is_valid(value)


def is_valid_adeli(value):
    """ADELI: 9 characters, department (2 digits, 2A or 2B) then 7 digits."""
    value = normalize_identifier(value)
    return bool(re.fullmatch(r"(\d{2}|2A|2B)\d{7}", value))


def is_valid_finess(value):
    """FINESS: 9 characters, department (2 digits, 2A or 2B), 6 digits, Luhn key.

    For Corsica (2A/2B) only the format is checked: the key algorithm is not
    defined for letters.
    """
    value = normalize_identifier(value)
    if not re.fullmatch(r"(\d{2}|2A|2B)\d{7}", value):
        return False
    return value[:2] in ("2A", "2B") or luhn_is_valid(value)
