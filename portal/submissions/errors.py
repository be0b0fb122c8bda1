"""The upload flow's errors (bilingual, 4xx): what a clerk or a script did that cannot be done.
Apart from the flow, so that the body limit (portal.api.limits) names the same error without
importing the flow."""

from __future__ import annotations

from portal.errors import PortalError


def megabytes(size: int) -> str:
    return f"{size / (1 << 20):,.1f} MB"


class UploadTooLarge(PortalError):
    code = "upload-too-large"
    status = 413
    template_en = "the file is too large: this portal accepts files of at most {limit_text}"
    template_ja = "ファイルが大きすぎます（上限 {limit_text}）"
    hint_en = ("split the table into smaller files, or ask the portal's administrator to raise "
               "PORTAL_MAX_UPLOAD_BYTES")  # fmt: skip
    hint_ja = ("表を複数のファイルに分けるか、ポータル管理者に PORTAL_MAX_UPLOAD_BYTES の引き上げを"
               "依頼してください")  # fmt: skip

    def __init__(self, limit: int) -> None:
        super().__init__(limit=limit, limit_text=megabytes(limit))


class UploadNotFound(PortalError):
    code = "upload-not-found"
    status = 404
    template_en = "there is no upload {id} (or it belongs to an organization you cannot see)"
    template_ja = "アップロード {id} はありません（または閲覧できない組織のものです）"


class WrongState(PortalError):
    code = "upload-wrong-state"
    status = 409
    template_en = "upload {id} is {state}: it cannot be {doing} now (only when {allowed})"
    template_ja = (
        "アップロード {id} は現在「{state}」のため「{doing_ja}」できません（可能な状態: {allowed}）"
    )
    hint_en = "reload the upload to see its state; a submitted upload can be withdrawn to edit it"
    hint_ja = "状態を確認してください。提出済みのものは取り下げると編集できます"


class NoRecipeToReuse(PortalError):
    code = "no-recipe-to-reuse"
    status = 404
    template_en = "{org} has published no upload of {dataset} yet: there is no recipe to reuse"
    template_ja = "{org} はまだ {dataset} を公開していないため、再利用できるレシピがありません"
    hint_en = "upload without `reuse`: the portal proposes a mapping"
    hint_ja = "「再利用」なしでアップロードしてください。対応付けを提案します"


class MetadataMissing(PortalError):
    code = "metadata-missing"
    status = 409
    template_en = "upload {id} has no dataset metadata yet (title, 担当課, licence…)"
    template_ja = (
        "アップロード {id} にはデータセット情報（タイトル・担当課・ライセンスなど）がまだありません"
    )
    hint_en = "fill in the metadata (PUT /api/v1/uploads/{id}/metadata), then submit"
    hint_ja = "データセット情報を入力してから提出してください"


class ReasonRequired(PortalError):
    code = "reason-required"
    status = 422
    template_en = ("upload {id} did not pass validation ({errors} errors): publishing it needs "
                   "allow_invalid and a reason, shown publicly with 要修正")  # fmt: skip
    template_ja = ("アップロード {id} は検証エラーが{errors}件あります。公開するには allow_invalid と"
                   "理由が必要です（「要修正」として理由が公開されます）")  # fmt: skip
    hint_en = "fix the mapping or the file and preview again, or give the reason"
    hint_ja = "対応付けかファイルを直してプレビューし直すか、理由を入力してください"


class SourceNotUpload(PortalError):
    code = "recipe-source-not-upload"
    status = 422
    template_en = (
        "line {line}: an upload's recipe reads the uploaded file ({expected}), not {found}"
    )
    template_ja = "{line}行目: アップロードのレシピはアップロードしたファイル（{expected}）を読みます（{found} ではなく）"
    hint_en = "keep source.path as the recipe was downloaded"
    hint_ja = "source.path はダウンロードしたときのままにしてください"


class MappingEditInvalid(PortalError):
    code = "mapping-edit-invalid"
    status = 422
    template_en = "{detail}"
    template_ja = "{detail_ja}"
    hint_en = "choose a field of the dataset and columns of the uploaded file"
    hint_ja = "データセットの項目と、アップロードしたファイルの列から選んでください"
