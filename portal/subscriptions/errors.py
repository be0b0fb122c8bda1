"""What subscribers are told when a request cannot be done (JSON error shape, ja + en)."""

from __future__ import annotations

from typing import ClassVar

from portal.accounts.auth import Forbidden, NotAuthenticated
from portal.errors import PortalError


class SubscriberKeyMissing(NotAuthenticated):
    template_en = "subscriptions need a subscriber key: send `Authorization: Bearer <key>`"
    template_ja = (
        "購読の操作には購読者キーが必要です（`Authorization: Bearer <キー>` を送ってください）"
    )
    hint_en = "the portal's admin issues keys with `portal subscriptions key-add NAME`"
    hint_ja = "キーはポータルの管理者が `portal subscriptions key-add 名前` で発行します"


class SubscriberKeyInvalid(PortalError):
    code = "subscriber-key-invalid"
    status = 401
    template_en = "the subscriber key is not known or was revoked"
    template_ja = "購読者キーが無効です（存在しないか、失効しています）"
    hint_en = "ask the portal's admin for a new key"
    hint_ja = "ポータルの管理者に新しいキーを依頼してください"


class SubscriberKeyNeeded(Forbidden):
    """An account's API token or session: they act for a municipality's staff, not for a
    subscriber, so they are refused rather than taken as anonymous."""

    template_en = (
        "{name} signed in as an account of the portal: subscriptions take a subscriber key"
    )
    template_ja = "{name} はポータルのアカウントです。購読の操作には購読者キーを使ってください"
    hint_en = "the portal's admin issues keys with `portal subscriptions key-add NAME`"
    hint_ja = "キーはポータルの管理者が `portal subscriptions key-add 名前` で発行します"


class SubscriptionNotFound(PortalError):
    code = "subscription-not-found"
    status = 404
    template_en = "no subscription {id} among this key's subscriptions"
    template_ja = "このキーの購読に {id} はありません"
    hint_en = "GET /api/v1/subscriptions lists the key's subscriptions"
    hint_ja = "購読の一覧は GET /api/v1/subscriptions で確認できます"


class WebhookUrlInvalid(PortalError):
    code = "webhook-url-invalid"
    status = 400
    template_en = "the webhook URL {url} cannot be used: {why_en}"
    template_ja = "Webhook の URL {url} は使えません: {why_ja}"
    hint_en = "give an https URL on a public host, e.g. https://hooks.example.org/portal"
    hint_ja = (
        "公開されたホストの https の URL を指定してください（例: https://hooks.example.org/portal）"
    )


class SubscriptionTargetMissing(PortalError):
    code = "subscription-target-invalid"
    status = 400
    template_en = "name exactly one of `dataset` or `standard` to subscribe to"
    template_ja = "購読する対象として `dataset` か `standard` のどちらか一つを指定してください"


class SubscriberKeyNameInvalid(PortalError):
    code = "subscriber-key-name-invalid"
    status = 400
    exit_code = 2
    template_en = "'{name}' cannot name a subscriber key: use 1 to 100 characters"
    template_ja = "「{name}」は購読者キーの名前に使えません（1〜100 文字）"


class SubscriberKeyUnknown(PortalError):
    code = "subscriber-key-not-found"
    status = 404
    exit_code = 2
    template_en = "no subscriber key in use starts with {prefix}"
    template_ja = "{prefix} で始まる有効な購読者キーはありません"
    hint_en = "`portal subscriptions keys` lists them"
    hint_ja = "`portal subscriptions keys` で一覧を確認できます"


class SubscriptionDisabled(PortalError):
    """The job's last word when a subscriber kept failing: no more attempts."""

    code = "subscription-disabled"
    status = 410
    retryable: ClassVar[bool] = False
    template_en = "subscription {id} was disabled after {failures} failed deliveries in a row"
    template_ja = "購読 {id} は配信に {failures} 回続けて失敗したため停止しました"
    hint_en = "fix the webhook, then subscribe again (POST /api/v1/subscriptions)"
    hint_ja = "Webhook を直してから、もう一度購読してください（POST /api/v1/subscriptions）"
