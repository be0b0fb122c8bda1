"""A subscriber notification checked: its credentials (bearer token, basic, or an HMAC of
the raw body in a configured header, with an optional prefix — each compared in constant
time) before anything in it is read. Secrets come from the environment variables the
connector file names; one that is not set refuses every notification (never open)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import logging
import os
from collections.abc import Mapping

from portal.connectors.base import AuthConfig
from portal.connectors.orden.config import NotifyOptions

log = logging.getLogger(__name__)


class AuthRefused(Exception):
    """Why the credentials were refused (for the log; the caller answers a plain 401)."""


def _secret(name: str | None, what: str) -> bytes:
    value = os.environ.get(name or "")
    if not name or not value:
        log.error("ORDEN notify refused: %s is not set (environment variable %r)", what, name)
        raise AuthRefused(f"{what} is not configured")
    return value.encode("utf-8")


def _header(headers: Mapping[str, str], name: str) -> str:
    """A header's value by name, whatever its case."""
    wanted = name.lower()
    return next((v for k, v in headers.items() if k.lower() == wanted), "")


def _same(given: bytes, expected: bytes) -> bool:
    return hmac.compare_digest(given, expected)


def signature(secret: bytes, body: bytes, options: NotifyOptions, algorithm: str = "sha256") -> str:
    """The header value a sender puts: prefix + hex (or base64) of HMAC(secret, body)."""
    digest = hmac.new(secret, body, getattr(hashlib, algorithm)).digest()
    text = (
        digest.hex() if options.signature_encoding == "hex" else base64.b64encode(digest).decode()
    )
    return options.signature_prefix + text


def verify(
    auth: AuthConfig | None, body: bytes, headers: Mapping[str, str], options: NotifyOptions
) -> None:
    """Return when the notification carries the configured credentials; raise AuthRefused."""
    scheme = auth.scheme if auth else "none"
    if auth is None or scheme == "none":
        return
    if scheme == "bearer":
        kind, _, token = _header(headers, "authorization").partition(" ")
        expected = _secret(auth.token_env, "the bearer token")
        if kind.lower() != "bearer" or not _same(token.strip().encode(), expected):
            raise AuthRefused("missing or wrong bearer token")
    elif scheme == "basic":
        _basic(auth, _header(headers, "authorization"))
    elif scheme == "hmac":
        _hmac(auth, body, headers, options)
    else:
        raise AuthRefused(f"unknown scheme {scheme}")


def _basic(auth: AuthConfig, given: str) -> None:
    expected_user = (auth.username or "").encode()
    expected_password = _secret(auth.password_env, "the basic password")
    kind, _, encoded = given.partition(" ")
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError):
        decoded = b""
    user, _, password = decoded.partition(b":")
    # Both compared whatever the first gives: the time says nothing of which was wrong.
    user_ok = _same(user, expected_user)
    password_ok = _same(password, expected_password)
    if kind.lower() != "basic" or not (user_ok and password_ok):
        raise AuthRefused("missing or wrong basic credentials")


def _hmac(
    auth: AuthConfig, body: bytes, headers: Mapping[str, str], options: NotifyOptions
) -> None:
    secret = _secret(auth.secret_env, "the HMAC secret")
    header = auth.header or "X-Signature"
    given = _header(headers, header).strip()
    expected = signature(secret, body, options, auth.algorithm)
    if options.signature_encoding == "hex":  # hex may come in either case
        given, expected = given.lower(), expected.lower()
    if not given or not _same(given.encode(), expected.encode()):
        raise AuthRefused(f"missing or wrong signature in {header}")
