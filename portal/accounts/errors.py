"""What accounts, sign-in, tokens and forms refuse, in English and Japanese.

A failed sign-in never says which of the name and the password was wrong: that would tell a
guesser which account names exist."""

from __future__ import annotations

from portal.errors import PortalError


class AccountInputError(PortalError):
    """Unusable input to an account command: exit 2, as for any unusable input."""

    exit_code = 2
    status = 400


class UserNotFound(AccountInputError):
    code = "user-not-found"
    status = 404
    template_en = "there is no account '{name}'"
    template_ja = "アカウント「{name}」はありません"
    hint_en = "`portal users list` shows the accounts"
    hint_ja = "`portal users list` でアカウントの一覧を確認してください"


class UserExists(AccountInputError):
    code = "user-exists"
    status = 409
    template_en = "the account '{name}' exists already"
    template_ja = "アカウント「{name}」は既にあります"
    hint_en = "choose another name, or pass --exist-ok to set its password and role"
    hint_ja = "別の名前にするか、--exist-ok でパスワードと役割を設定し直してください"


class UserNameInvalid(AccountInputError):
    code = "user-name-invalid"
    template_en = "'{name}' cannot be an account name: use 1–64 letters, digits, '.', '_', '-'"
    template_ja = (
        "「{name}」はアカウント名に使えません。半角英数字と . _ - で 1〜64 文字にしてください"
    )


class OrganizationNotFound(AccountInputError):
    code = "organization-not-found"
    status = 404
    template_en = "there is no organization '{org}'"
    template_ja = "組織「{org}」はありません"
    hint_en = (
        "a municipality is its 6-digit code (222127); a department is added first with "
        "`portal users org-add CODE --parent LGCODE --title TITLE`"
    )
    hint_ja = (
        "自治体は 6 桁の団体コード（222127）です。課は先に "
        "`portal users org-add コード --parent 団体コード --title 課名` で登録してください"
    )


class DepartmentCodeInvalid(AccountInputError):
    code = "department-code-invalid"
    template_en = (
        "'{code}' cannot be a department of {parent}: write it as {parent}-NAME, "
        "NAME in lower-case letters, digits and '-' (e.g. {parent}-bousai)"
    )
    template_ja = (
        "「{code}」は {parent} の課のコードにできません。{parent}-名前 の形で、名前は半角英小文字・"
        "数字・- にしてください（例: {parent}-bousai）"
    )


class OrganizationExists(AccountInputError):
    code = "organization-exists"
    status = 409
    template_en = "the organization '{org}' exists already"
    template_ja = "組織「{org}」は既にあります"


class RoleInvalid(AccountInputError):
    code = "role-invalid"
    template_en = "'{role}' is not a role: use one of {roles}"
    template_ja = "「{role}」は役割ではありません。{roles} のいずれかを指定してください"


class PasswordTooShort(AccountInputError):
    code = "password-too-short"
    template_en = "the password is too short: at least {minimum} characters"
    template_ja = "パスワードが短すぎます（{minimum} 文字以上にしてください）"


class PasswordNeedsTerminal(AccountInputError):
    code = "password-needs-terminal"
    template_en = "there is no terminal to ask for the password on"
    template_ja = "パスワードを入力する端末がありません"
    hint_en = "pipe it in with --password-stdin: printf '%s\\n' \"$PASSWORD\" | portal users add …"
    hint_ja = "--password-stdin で標準入力から渡してください"


class PasswordMismatch(AccountInputError):
    code = "password-mismatch"
    template_en = "the two passwords differ"
    template_ja = "2 回入力したパスワードが一致しません"


class TokenOrganizationNeeded(AccountInputError):
    code = "token-org-needed"
    template_en = "'{name}' has roles in {orgs}: say which one the token acts for with --org"
    template_ja = "「{name}」は {orgs} に役割があります。トークンの組織を --org で指定してください"


class NoRoleInOrganization(AccountInputError):
    code = "no-role-in-org"
    template_en = "'{name}' has no role in {org}: a token can only act where its account may"
    template_ja = (
        "「{name}」は {org} に役割がありません。トークンはアカウントの権限の範囲でのみ発行できます"
    )


class TokenNotFound(AccountInputError):
    code = "token-not-found"
    status = 404
    template_en = "there is no token starting '{prefix}' that is in use"
    template_ja = "「{prefix}」で始まる有効なトークンはありません"
    hint_en = "`portal users list --tokens` shows the tokens' prefixes"
    hint_ja = "`portal users list --tokens` でトークンの先頭部分を確認してください"


class LoginFailed(PortalError):
    code = "login-failed"
    status = 401
    template_en = "the account name or the password is wrong"
    template_ja = "アカウント名またはパスワードが正しくありません"
    hint_en = "after {maximum} failures in a row the account is locked for {minutes} minutes"
    hint_ja = "{maximum} 回続けて失敗するとアカウントは {minutes} 分間ロックされます"


class AccountLocked(PortalError):
    code = "account-locked"
    status = 429
    template_en = "too many failed sign-ins: the account is locked until {until}"
    template_ja = "ログインの失敗が続いたため、アカウントは {until} までロックされています"
    hint_en = "wait, or ask an administrator to set a new password (`portal users passwd`)"
    hint_ja = "時間をおいて再度お試しいただくか、管理者にパスワードの再設定を依頼してください"


class TokenInvalid(PortalError):
    code = "token-invalid"
    status = 401
    template_en = "the API token is not valid: it is unknown, revoked, or its account is disabled"
    template_ja = "API トークンが無効です（存在しない・取り消し済み・アカウントが無効のいずれか）"
    hint_en = "send `Authorization: Bearer <token>` with a token from `portal users token NAME`"
    hint_ja = "`portal users token 名前` で発行したトークンを `Authorization: Bearer <トークン>` で送ってください"


class CsrfFailed(PortalError):
    code = "csrf-failed"
    status = 403
    template_en = "the form has expired or did not come from this portal; nothing was changed"
    template_ja = (
        "フォームの有効期限が切れたか、このポータル以外から送信されました。変更は行われていません"
    )
    hint_en = "reload the page and send the form again"
    hint_ja = "ページを再読み込みしてから、もう一度送信してください"
