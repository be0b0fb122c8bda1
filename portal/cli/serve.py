"""`portal serve`: the API and public pages with uvicorn."""

from __future__ import annotations

import socket
from typing import Annotated

import typer

from portal.cli.state import state
from portal.errors import PortalError


class PortInUse(PortalError):
    code = "port-in-use"
    template_en = "cannot listen on {host}:{port}: {reason}"
    template_ja = "{host}:{port} で待ち受けできません: {reason}"
    hint_en = "another program (perhaps the portal already running) uses it: stop it, or choose another port (--port 8001, or PORT=8001 make run)"
    hint_ja = "別のプログラム（起動済みのポータルなど）が使っています。それを止めるか、別のポートを指定してください（--port 8001、または PORT=8001 make run）"


def _check_free(host: str, port: int) -> None:
    """Say so before announcing the URL, rather than after: uvicorn only logs a bind error."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise PortInUse(host=host, port=port, reason=exc.strerror or str(exc)) from None


def serve_command(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[
        int, typer.Option(help="Worker processes (each opens the stores read-mostly).")
    ] = 1,
    with_worker: Annotated[
        bool,
        typer.Option("--with-worker", help="Also run background jobs in this process (make run)."),
    ] = False,
) -> None:
    """Serve the API, the compatibility routes and the public pages (OpenAPI at /docs)."""
    import uvicorn

    from portal.api.protocol import PROTOCOL
    from portal.composition import Portal
    from portal.server import create_app

    st = state(ctx)
    _check_free(host, port)
    # Before listening: an empty database is set up, one behind or newer than this code is a
    # clear error here (a worker process could only log a traceback).
    portal = Portal.open(st.settings)
    st.err.print(f"serving on http://{host}:{port}/  (API docs: http://{host}:{port}/docs; "
                 f"catalogue: {st.settings.catalogue})", highlight=False)  # fmt: skip
    # The demo's jobs (connector intakes, deliveries) need no `portal worker` this way.
    if with_worker and workers == 1:
        from portal.cli.worker import start_in_process

        start_in_process(portal)
    if workers > 1:
        # Worker processes build their own app from the environment, as the parent did.
        portal.close()
        uvicorn.run("portal.server:from_environment", factory=True, host=host, port=port,
                    workers=workers, log_level="warning", proxy_headers=False, http=PROTOCOL)  # fmt: skip
        return
    # proxy_headers=False: uvicorn would believe X-Forwarded-For from loopback by default;
    # the app believes it only from PORTAL_TRUSTED_PROXIES (portal.server).
    # http=PROTOCOL: raw UTF-8 in a URL (curl's `?名称=公園`) is read, not refused in plain text.
    uvicorn.run(create_app(st.settings, portal), host=host, port=port, log_level="warning",
                proxy_headers=False, http=PROTOCOL)  # fmt: skip
