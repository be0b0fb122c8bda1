"""`portal serve`: the API and public pages with uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

from portal.cli.state import state


def serve_command(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[
        int, typer.Option(help="Worker processes (each opens the stores read-mostly).")
    ] = 1,
) -> None:
    """Serve the API, the compatibility routes and the public pages (OpenAPI at /docs)."""
    import uvicorn

    st = state(ctx)
    st.err.print(f"serving on http://{host}:{port}/  (API docs: http://{host}:{port}/docs; "
                 f"catalogue: {st.settings.catalogue})", highlight=False)  # fmt: skip
    if workers > 1:
        # Worker processes build their own app from the environment, as the parent did.
        uvicorn.run("portal.api.app:from_environment", factory=True, host=host, port=port,
                    workers=workers, log_level="warning")  # fmt: skip
        return
    from portal.api.app import create_app

    uvicorn.run(create_app(st.settings), host=host, port=port, log_level="warning")
