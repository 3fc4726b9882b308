"""The password policy: long enough, not a well-known password, not a pattern, not the username.

Follows NIST SP 800-63B (5.1.1.2): a minimum length, a check against commonly used and
expected values, no composition rules.

Examples:
    >>> password_problem("correct horse battery staple")
    >>> password_problem("short")
    'a password needs at least 12 characters'
    >>> password_problem("Password1234")
    'this is one of the most used passwords'
    >>> password_problem("aaaaaaaaaaaaaa")
    'a repeated character or a run of keys is guessed at once'
    >>> password_problem("anna.berg.lulea!", username="anna.berg@lulea.se")
    'a password must not contain the username'
"""

from __future__ import annotations

__all__ = ["COMMON_PASSWORDS", "MIN_PASSWORD_LENGTH", "password_problem"]

MIN_PASSWORD_LENGTH = 12
COMMON_PASSWORDS = frozenset({
    "password1234", "password12345", "password123456", "passwordpassword", "123456789012",
    "1234567890123", "12345678910", "qwertyuiop12", "qwertyuiop123", "qwerty123456", "qwertyuiopå",
    "1q2w3e4r5t6y", "1qaz2wsx3edc", "iloveyou1234", "sommar2024!!", "sommar2025!!", "sommar2026!!",
    "vinter2025!!", "vinter2026!!", "lösenord1234", "lösenordet12", "losenord1234", "hejsan123456",
    "välkommen123", "valkommen123", "welcome12345", "welcome123456", "administrator",
    "admin1234567", "adminadmin12", "letmein12345", "changeme1234", "trustno12345", "football1234",
    "baseball1234", "superman1234", "dragon123456", "monkey123456", "sunshine1234", "princess1234",
    "starwars1234", "abc123456789", "abcdefghijkl", "qazwsxedcrfv", "asdfghjkl123", "zxcvbnm12345",
    "passw0rd1234", "p@ssw0rd1234"
})
_RUNS = ("0123456789012345678901234567890", "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopq",
         "qwertyuiopåasdfghjklöäzxcvbnm", "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p")


def _is_pattern(password: str) -> bool:
    lowered = password.lower()
    if len(set(lowered)) <= 2:
        return True
    return any(lowered in run or lowered in run[::-1] for run in _RUNS)


def password_problem(password: str, *, username: str = "") -> str | None:
    """What is wrong with ``password`` under the policy, or ``None`` when it may be used."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"a password needs at least {MIN_PASSWORD_LENGTH} characters"
    if password.lower() in COMMON_PASSWORDS:
        return "this is one of the most used passwords"
    if _is_pattern(password):
        return "a repeated character or a run of keys is guessed at once"
    name = username.split("@")[0].lower()
    if len(name) >= 4 and name in password.lower():
        return "a password must not contain the username"
    return None
