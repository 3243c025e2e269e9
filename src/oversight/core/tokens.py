"""Secrets programs authenticate with (personal API tokens, scan tokens): random, shown once, kept as digests.

They are 256-bit random strings, so a plain SHA-256 digest keeps them safe at rest: a slow password hash
is for secrets people choose and attackers can guess; these cannot be guessed. The prefix names what a
token is for, so a leaked one is recognised (and secret scanners can match it).
"""

import hashlib
import secrets


def new_secret(prefix: str) -> str:
    return prefix + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode('utf-8')).hexdigest()


def lookup_digest(secret: str, prefix: str) -> str | None:
    """The digest to find a presented secret by, or None when it cannot be one of ours (no lookup needed)."""
    if not secret.startswith(prefix) or len(secret) > 200:
        return None
    return digest(secret)
