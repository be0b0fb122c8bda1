"""`portal users …` and `portal audit`: accounts from the command line (bootstrapping the
first admin, scripts' tokens, disabling someone who left), over portal.accounts.

Changes are audited as `cli:<OS user>`. A password is never an argument (it would sit in
the shell's history and in `ps`): it is asked twice on a terminal, or read from stdin."""

from __future__ import annotations

import getpass
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer

from portal.accounts import audit
from portal.accounts.errors import PasswordMismatch, PasswordNeedsTerminal
from portal.accounts.service import Accounts
from portal.cli.state import state
from portal.localgov.directory import load as load_directory
from portal.store import Store

app = typer.Typer(help="Accounts of the portal's staff: users, roles, organizations, API tokens.")
Org = Annotated[str, typer.Option("--org", help="A municipality's 6-digit code or a department.")]


@contextmanager
def accounts(ctx: typer.Context) -> Iterator[Accounts]:
    store = Store.open(state(ctx).settings.effective_database_url)
    try:
        store.ensure_current()
        yield Accounts(store, load_directory())
    finally:
        store.close()


def who() -> str:
    return f"cli:{getpass.getuser()}"


def read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise PasswordNeedsTerminal()
    first = getpass.getpass("password / パスワード: ")
    if getpass.getpass("again / もう一度: ") != first:
        raise PasswordMismatch()
    return first


@app.command()
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The account name people sign in with.")],
    org: Org,
    role: Annotated[str, typer.Option("--role", help="viewer, editor, approver or admin.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin.")
    ] = False,
    display_name: Annotated[str, typer.Option("--display-name", help="Shown on pages.")] = "",
    exist_ok: Annotated[
        bool, typer.Option("--exist-ok", help="An existing account gets the password and role.")
    ] = False,
) -> None:
    """Add an account with a role in an organization (the password asked twice, or stdin)."""
    password = read_password(password_stdin)
    with accounts(ctx) as found:
        found.add_user(name, password, org, role, by=who(), display_name=display_name,
                       exist_ok=exist_ok)  # fmt: skip
    state(ctx).out.print(f"{name}: {role} of {org} / {org} の {role} として登録しました",
                         highlight=False)  # fmt: skip


@app.command()
def grant(
    ctx: typer.Context,
    name: str,
    org: Org,
    role: Annotated[str, typer.Option("--role", help="viewer, editor, approver or admin.")],
) -> None:
    """Give an account a role in another organization (or change the one it has)."""
    with accounts(ctx) as found:
        found.grant(name, org, role, by=who())
    state(ctx).out.print(f"{name}: {role} of {org} / 役割を設定しました", highlight=False)


@app.command()
def passwd(
    ctx: typer.Context,
    name: str,
    password_stdin: Annotated[bool, typer.Option("--password-stdin")] = False,
) -> None:
    """Set an account's password (its sessions end)."""
    password = read_password(password_stdin)
    with accounts(ctx) as found:
        found.set_password(name, password, by=who())
    state(ctx).out.print(f"{name}: password set / パスワードを設定しました", highlight=False)


@app.command()
def token(
    ctx: typer.Context,
    name: str,
    org: Annotated[str | None, typer.Option("--org", help="Needed when NAME has several.")] = None,
) -> None:
    """Print a new API token for NAME, once: only its hash is kept."""
    with accounts(ctx) as found:
        issued = found.issue_token(name, org, by=who())
    st = state(ctx)
    st.err.print("the token is shown once, keep it now / トークンは一度だけ表示されます:",
                 highlight=False)  # fmt: skip
    print(issued)  # alone on stdout: TOKEN=$(portal users token NAME)


@app.command()
def revoke(ctx: typer.Context, prefix: Annotated[str, typer.Argument(help="pt_xxxxxxxx")]) -> None:
    """Revoke an API token, named by the prefix `portal users list --tokens` shows."""
    with accounts(ctx) as found:
        found.revoke_token(prefix, by=who())
    state(ctx).out.print(f"{prefix}…: revoked / 取り消しました", highlight=False)


@app.command("list")
def list_users(
    ctx: typer.Context,
    tokens: Annotated[bool, typer.Option("--tokens", help="Also the tokens in use.")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """The accounts: name, roles per organization, disabled or not, tokens in use."""
    with accounts(ctx) as found:
        listed = found.users()
    out = state(ctx).out
    if as_json:
        rows = [{"name": u.name, "display_name": u.display_name, "disabled": u.disabled,
                 "roles": u.roles, "tokens": [p for p, _, _ in u.tokens]} for u in listed]  # fmt: skip
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for u in listed:
        roles = ", ".join(f"{o}:{r}" for o, r in sorted(u.roles.items())) or "-"
        flag = "  DISABLED / 無効" if u.disabled else ""
        out.print(f"{u.name}\t{u.display_name}\t{roles}\t{len(u.tokens)} token(s){flag}",
                  highlight=False)  # fmt: skip
        for prefix, org, used in u.tokens if tokens else []:
            out.print(f"  {prefix}…\t{org}\tlast used {used or 'never'}", highlight=False)


@app.command()
def disable(ctx: typer.Context, name: str) -> None:
    """Disable an account: it cannot sign in, its sessions end, its tokens are revoked."""
    with accounts(ctx) as found:
        found.disable(name, by=who())
    state(ctx).out.print(f"{name}: disabled / 無効にしました", highlight=False)


@app.command("org-add")
def org_add(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="LGCODE-NAME, e.g. 222127-bousai")],
    parent: Annotated[str, typer.Option("--parent", help="The municipality's 6-digit code.")],
    title: Annotated[str, typer.Option("--title", help="The department's name: 防災課")],
    no_approval: Annotated[
        bool, typer.Option("--no-approval", help="An editor publishes without an approver.")
    ] = False,
) -> None:
    """Add a department under its municipality (two-step approval unless --no-approval)."""
    with accounts(ctx) as found:
        found.add_department(code, title, parent, by=who(), approval_required=not no_approval)
    state(ctx).out.print(f"{code}: {title} ({parent}) / 登録しました", highlight=False)


@app.command("orgs")
def orgs(ctx: typer.Context) -> None:
    """The organizations of accounts: municipalities, departments, approval on or off."""
    with accounts(ctx) as found:
        listed = found.organizations()
    for o in listed:
        approval = "approval / 承認あり" if o.approval_required else "no approval / 承認なし"
        state(ctx).out.print(f"{o.code}\t{o.title}\t{o.parent or '-'}\t{approval}", highlight=False)


def audit_command(
    ctx: typer.Context,
    org: Annotated[str | None, typer.Option("--org", help="Only this organization's.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=10_000)] = 50,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """The audit log, newest first: who, when, which organization, what, content hash."""
    store = Store.open(state(ctx).settings.effective_database_url)
    try:
        store.ensure_current()
        found = audit.entries(store, org=org, limit=limit)
    finally:
        store.close()
    if as_json:
        rows = [{"at": e.at.isoformat(), "actor": e.actor, "org": e.org, "action": e.action,
                 "target": e.target, "content_hash": e.content_hash, "detail": e.detail}
                for e in found]  # fmt: skip
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for e in found:
        state(ctx).out.print(f"{e.at:%Y-%m-%d %H:%M:%S}Z\t{e.actor}\t{e.org or '-'}\t{e.action}"
                             f"\t{e.target}\t{e.content_hash or ''}", highlight=False)  # fmt: skip
