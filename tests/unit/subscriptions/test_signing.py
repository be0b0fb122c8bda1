"""Notices are signed with HMAC-SHA256 over the timestamp and the body; `verify` (what a
subscriber runs) takes the notice as sent, and refuses another body, another secret, a
tampered signature or a notice replayed later."""

from __future__ import annotations

import hashlib
import hmac

from portal.subscriptions.signing import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    TOLERANCE_SECONDS,
    new_secret,
    signed_headers,
    verify,
)

BODY = b'{"dataset": "222127-aed", "version": 2}'
NOW = 1_764_806_400.0


def test_the_signature_is_hmac_sha256_of_timestamp_dot_body() -> None:
    secret = new_secret()
    headers = signed_headers(secret, BODY, now=NOW)
    expected = hmac.new(secret.encode(), b"1764806400." + BODY, hashlib.sha256).hexdigest()
    assert headers == {TIMESTAMP_HEADER: "1764806400", SIGNATURE_HEADER: f"sha256={expected}"}


def test_verify_takes_the_notice_as_sent_in_any_header_case() -> None:
    secret = new_secret()
    headers = {k.lower(): v for k, v in signed_headers(secret, BODY, now=NOW).items()}
    assert verify(secret, BODY, headers, now=NOW + 10)


def test_verify_refuses_what_was_not_signed_so() -> None:
    secret = new_secret()
    headers = signed_headers(secret, BODY, now=NOW)
    assert not verify(secret, BODY + b" ", headers, now=NOW)
    assert not verify(new_secret(), BODY, headers, now=NOW)
    assert not verify(secret, BODY, {**headers, SIGNATURE_HEADER: "sha256=00"}, now=NOW)
    assert not verify(secret, BODY, {SIGNATURE_HEADER: headers[SIGNATURE_HEADER]}, now=NOW)


def test_verify_refuses_a_replay_after_the_tolerance() -> None:
    secret = new_secret()
    headers = signed_headers(secret, BODY, now=NOW)
    assert verify(secret, BODY, headers, now=NOW + TOLERANCE_SECONDS)
    assert not verify(secret, BODY, headers, now=NOW + TOLERANCE_SECONDS + 1)
