"""Who is acting, and what they may do: the interface every write route uses.

A request is made by a signed-in user (session cookie) or a script (`Authorization: Bearer
<token>`, a token scoped to one organization); citizens (anonymous) only read. Roles are per
organization — the municipality (its 6-digit code) or one of its departments — and a role on
the municipality holds for its departments:

    viewer < editor (uploads, edits, submits) < approver (publishes what was submitted) < admin

Routes depend on `actor` (401 `not-authenticated` when anonymous) and call
`actor.require(role, org)` (403 `forbidden` when the role is missing, or the token is of
another organization).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from portal.errors import PortalError

ROLES = ("viewer", "editor", "approver", "admin")  # each includes the ones before it


class NotAuthenticated(PortalError):
    code = "not-authenticated"
    status = 401
    template_en = "sign in (or send an API token) to do this"
    template_ja = "この操作にはログイン（または API トークン）が必要です"
    hint_en = "scripts send `Authorization: Bearer <token>` (`portal users token NAME` makes one)"
    hint_ja = "スクリプトからは `Authorization: Bearer <トークン>` を送ってください（`portal users token 名前` で発行）"


class Forbidden(PortalError):
    code = "forbidden"
    status = 403
    template_en = "{name} may not {doing} for {org}: it needs the role {role}"
    template_ja = "{name} には {org} で「{doing}」を行う権限がありません（必要な役割: {role}）"
    hint_en = "ask an admin of the organization for the role"
    hint_ja = "組織の管理者に役割の付与を依頼してください"


@dataclass(frozen=True)
class Actor:
    """A signed-in user or an API token's user, with their roles per organization."""

    user_id: int
    name: str  # the account name: kept in the audit log, never shown by the public API
    roles: dict[str, str] = field(default_factory=dict)  # organization -> highest role
    token_org: str | None = None  # a token acts for this organization only
    parents: dict[str, str] = field(default_factory=dict)  # department -> its municipality

    def role_in(self, org: str) -> str | None:
        """The highest role that holds in `org` (its own, or its municipality's)."""
        if self.token_org is not None and org not in (self.token_org, *self._below(self.token_org)):
            return None
        found = [r for o in (org, self.parents.get(org)) if o and (r := self.roles.get(o))]
        return max(found, key=ROLES.index) if found else None

    def can(self, role: str, org: str) -> bool:
        held = self.role_in(org)
        return held is not None and ROLES.index(held) >= ROLES.index(role)

    def require(self, role: str, org: str, doing: str) -> None:
        if not self.can(role, org):
            raise Forbidden(name=self.name, doing=doing, org=org, role=role)

    def _below(self, org: str) -> list[str]:
        return [d for d, parent in self.parents.items() if parent == org]
