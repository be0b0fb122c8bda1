"""What can stop the portal from using its database, said so that an operator can act."""

from __future__ import annotations

from portal.errors import PortalError


class DatabaseUrlInvalid(PortalError):
    code = "database-url-invalid"
    status = 500
    exit_code = 2
    template_en = "PORTAL_DATABASE_URL is not a usable database URL ({url}): {reason}"
    template_ja = "PORTAL_DATABASE_URL がデータベースのURLとして使えません（{url}）: {reason}"
    hint_en = (
        "use sqlite:////path/to/portal.db or postgresql+psycopg://user:password@host/database;"
        " unset it for sqlite in PORTAL_DATA_DIR"
    )
    hint_ja = (
        "sqlite:////path/to/portal.db または postgresql+psycopg://ユーザー:パスワード@ホスト/データベース"
        " の形で指定してください。未設定なら PORTAL_DATA_DIR の SQLite を使います"
    )


class DatabaseUnavailable(PortalError):
    code = "database-unavailable"
    status = 503
    exit_code = 2
    template_en = "the database {url} cannot be used: {reason}"
    template_ja = "データベース {url} を利用できません: {reason}"
    hint_en = "check that it is running and reachable, and the user name, password and rights"
    hint_ja = (
        "データベースが起動していて接続できること、ユーザー名・パスワード・権限を確認してください"
    )


class DatabaseNewerThanCode(PortalError):
    """The database was migrated by a newer portal: this code would misread it."""

    code = "database-newer-than-code"
    status = 503
    exit_code = 2
    template_en = (
        "the database {url} is at schema revision {current}, which this version of the portal"
        " does not know (it knows up to {head}): a newer portal has migrated it"
    )
    template_ja = (
        "データベース {url} のスキーマのリビジョン {current} は、このバージョンのポータルが"
        "知らないものです（対応しているのは {head} まで）。より新しいポータルが移行しています"
    )
    hint_en = (
        "run the portal version that migrated it (upgrade this installation), or restore the"
        " backup taken before that upgrade; do not downgrade the database by hand"
    )
    hint_ja = (
        "移行したバージョンのポータルを使う（このインストールを更新する）か、その更新の前に"
        "取ったバックアップを復元してください。データベースを手作業で戻さないでください"
    )


class DatabaseBehind(PortalError):
    """The database holds data at an older schema: upgrading it is the operator's call."""

    code = "database-behind"
    status = 503
    exit_code = 2
    template_en = (
        "the database {url} is at schema revision {current}; this version of the portal needs"
        " {head} ({count} migration(s) pending: {pending})"
    )
    template_ja = (
        "データベース {url} のスキーマはリビジョン {current} です。このバージョンのポータルには"
        " {head} が必要です（未適用の移行 {count} 件: {pending}）"
    )
    hint_en = "take a backup, then run `portal db upgrade`"
    hint_ja = "バックアップを取ってから `portal db upgrade` を実行してください"


class DatabaseNotPortal(PortalError):
    """Tables but no schema revision: another application's database, most likely."""

    code = "database-not-portal"
    status = 503
    exit_code = 2
    template_en = (
        "the database {url} has tables ({tables}) but no portal schema revision: it is not"
        " the portal's database"
    )
    template_ja = (
        "データベース {url} にはテーブル（{tables}）がありますが、ポータルのスキーマの"
        "リビジョンがありません。ポータルのデータベースではありません"
    )
    hint_en = "give the portal a database of its own (an empty one is set up by itself)"
    hint_ja = "ポータル専用のデータベースを指定してください（空のデータベースなら自動で準備します）"
