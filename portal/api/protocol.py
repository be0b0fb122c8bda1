"""The HTTP/1.1 protocol `portal serve` runs uvicorn with: httptools, as uvicorn picks it, with
two manners a plain uvicorn lacks.

- A URL with raw UTF-8 in it works. curl sends `?名称=公園` as raw bytes (it percent-encodes
  a path, not a query); httptools' parser (llhttp) refuses any byte above 0x7F in a URL
  ("Invalid char in url query", as h11 would) and uvicorn answers a plain-text
  "Invalid HTTP request received.". Each such byte of the request line is percent-encoded
  before the parser sees it, as a browser does before sending (RFC 3987 §3.1 maps an IRI
  to a URI this way), so the app gets the same request a browser sends.
- A request no parser can read still gets the API's JSON error shape, not plain text.
"""

from __future__ import annotations

import json
import re

from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from portal.api.errors import body

# What uvicorn's `http=` option takes to run this protocol (an import string: worker
# processes import it themselves).
PROTOCOL = "portal.api.protocol:Utf8HttpToolsProtocol"
NON_ASCII = re.compile(rb"[\x80-\xff]")
UNREADABLE = body(
    400,
    "bad-http-request",
    "the HTTP request cannot be read (its request line or headers are malformed); "
    "send the URL percent-encoded, without spaces or control characters",
    "HTTP リクエストを読み取れません（リクエスト行またはヘッダーの形式が正しくありません）。"
    "URL は空白や制御文字を含めず、パーセントエンコードして送ってください",
)


def percent_encoded(url: bytes) -> bytes:
    """`url` with every byte above 0x7F written as %XX (ASCII is left as sent)."""
    return NON_ASCII.sub(lambda byte: b"%%%02X" % byte[0][0], url)


class Utf8HttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, reading raw UTF-8 URLs and refusing in JSON."""

    # Whether the bytes arriving are (still) a request line: from the connection's start
    # and after each complete request, up to the line's end.
    in_request_line = True
    # Whether a request was completed in the read being parsed: one that begins in the same
    # read (pipelined) was fed as it came, and so are the rest of its bytes (its request
    # line's non-ASCII bytes would be refused, in JSON; its body is never touched).
    completed_in_read = False

    def data_received(self, data: bytes) -> None:
        if self.in_request_line:
            # A byte is encoded alone, so a character split between two reads is the same.
            line, newline, rest = data.partition(b"\n")
            data = percent_encoded(line) + newline + rest
            self.in_request_line = not newline
        self.completed_in_read = False
        super().data_received(data)

    def on_message_begin(self) -> None:
        if self.completed_in_read:
            self.in_request_line = False
        super().on_message_begin()

    def on_message_complete(self) -> None:
        self.in_request_line = self.completed_in_read = True
        super().on_message_complete()

    def send_400_response(self, msg: str) -> None:
        payload = json.dumps(UNREADABLE, ensure_ascii=False).encode()
        content = [STATUS_LINE[400]]
        for name, value in self.server_state.default_headers:
            content.extend([name, b": ", value, b"\r\n"])
        content.extend(
            [
                b"content-type: application/json\r\n",
                b"content-length: " + str(len(payload)).encode("ascii") + b"\r\n",
                b"connection: close\r\n",
                b"\r\n",
                payload,
            ]
        )
        self.transport.write(b"".join(content))
        self.transport.close()
