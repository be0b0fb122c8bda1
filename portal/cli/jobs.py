"""`portal jobs recover --older-than MINUTES`: an operator's command for jobs a stopped worker
left `running` (killed, machine lost): huey had already taken their task, so nothing runs them
again. Each counts as a failed attempt (`job-abandoned`): queued again while its kind's retries
last, else failed. MINUTES must be longer than any job takes (a connector's intake of a large
file, a push of many rows): a job still running elsewhere is not asked."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import typer

from portal.cli.state import state
from portal.composition import Portal

app = typer.Typer(help="Background jobs: recover those a stopped worker left running.")


@app.command("recover")
def recover(
    ctx: typer.Context,
    older_than: Annotated[
        int, typer.Option("--older-than", min=1, help="Minutes since the attempt began.")
    ],  # fmt: skip
) -> None:
    """Recover jobs left running by a stopped worker: tried again, or failed (job-abandoned)."""
    st = state(ctx)
    portal = Portal.open(st.settings)
    try:
        recovered = portal.jobs.recover(timedelta(minutes=older_than))
    finally:
        portal.close()
    for record in recovered:
        st.out.print(f"{record.id}\t{record.kind}\t{record.state}", highlight=False)
    st.err.print(f"{len(recovered)} job(s) recovered / {len(recovered)} 件のジョブを回復しました",
                 highlight=False)  # fmt: skip
