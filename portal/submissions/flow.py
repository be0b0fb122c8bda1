"""The upload flow, as a library: a department's file to a published dataset. The API
(portal/api/routes/uploads.py) and the pages (portal/web) both call these functions; each
takes the Portal and the acting user, checks the actor's role in the upload's organization,
writes in one transaction with its audit entry, and answers an `Upload` (portal.submissions
.views) or raises a PortalError (4xx, bilingual).

    create_upload  editor   the file → stored (outside the public file store), sniffed, suggest
                            proposes the dataset and mapping; state draft, or needs-choice when
                            suggest is not sure (Suggestion.sure, portal/pipeline/choice.py;
                            the candidates keep their evidence for the clerk); `reuse` takes
                            the organization's last published recipe for that dataset instead
    choose_dataset editor   needs-choice → draft: the mapping is suggested for the dataset chosen
    recipe_text    editor   the recipe (the YAML `portal convert` reads)
    replace_recipe editor   a whole new recipe (YAML, checked: errors name the line)
    edit_mapping   editor   one field's mapping (a source column, a constant, or none; normalisers)
    preview        editor   convert into the upload's staging folder; first rows and the report
    set_metadata   editor   title, description, 担当課, contact, frequency, keywords, licence
    submit         editor   draft → submitted (→ published at once when the organization needs
                            no approval)
    publish        approver submitted → published; an invalid conversion only with a reason (要修正)
    withdraw       editor   submitted → draft, to change it again

Every change of the recipe converts it at once (the report is always of the current recipe).
Slow work (suggest, convert, publish) runs outside the database transaction; the change is
written only if nobody changed the upload meanwhile (409 otherwise).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, BinaryIO

import yaml

from portal.accounts import audit
from portal.accounts.auth import Actor
from portal.catalogue.metadata import DatasetMetadata
from portal.catalogue.publish import Options
from portal.catalogue.publish import publish as publish_folder
from portal.composition import Portal
from portal.errors import PortalError
from portal.pipeline.suggest import suggest
from portal.submissions import files, recipes, state
from portal.submissions import preview as previews
from portal.submissions.errors import MetadataMissing, NoRecipeToReuse, ReasonRequired, WrongState
from portal.submissions.models import UploadRow
from portal.submissions.views import MappingEdit, NormaliserInfo, Preview, Upload

PREVIEW_ROWS = 20  # converted rows the preview shows
REASON_MAX = 1000  # characters of a 要修正 reason

# A change: mutates the (detached) row; answers the audit action, content hash and detail.
Work = Callable[[UploadRow], tuple[str, str | None, dict[str, Any]]]


def create_upload(portal: Portal, actor: Actor, *, org: str, file_name: str, content: BinaryIO,
                  dataset: str | None = None, reuse: bool = False) -> Upload:  # fmt: skip
    """Store `content` (read in chunks, refused past settings.max_upload_bytes: 413
    upload-too-large) as a new upload of `org` (the actor must be its editor).

    The content decides what the file is (xlsx, xls, ods, CSV in any encoding); anything else
    is refused (422 input-unreadable). `dataset` skips the choice; `reuse` starts from the
    recipe of the organization's last published upload of that dataset (the one suggest
    proposes when `dataset` is not given; 404 no-recipe-to-reuse when there is none) and
    converts it at once: the preview and the metadata are ready."""
    actor.require("editor", org, "upload")
    if dataset is not None:
        portal.registry.get(dataset)  # 404 dataset-not-found before the file is read
    upload_id = uuid.uuid4().hex
    data_dir = portal.settings.data_dir
    got = files.receive(content, data_dir, upload_id, file_name, portal.settings.max_upload_bytes)
    try:
        moment = state.now()
        row = UploadRow(id=upload_id, org=org, state="needs-choice", file_name=got.name,
                        file_format=got.file_format, size=got.size, content_hash=got.content_hash,
                        created_by=actor.name, created_at=moment, updated_at=moment, dataset=None,
                        confidence=None, candidates=[], suggested={}, recipe=None)  # fmt: skip
        with portal.store.sessions() as session:
            code, _ = state.organization(session, org, actor)
        _suggest(portal, row, dataset, code, choosing=dataset is None and not reuse)
        if reuse:
            _reuse(portal, row, actor)
        with portal.store.writing() as session:
            session.add(row)
            audit.record(session, actor.name, "upload", org=org, target=upload_id,
                         content_hash=got.content_hash, detail=_detail(row))  # fmt: skip
            return state.view(row, portal.registry)
    except BaseException:
        files.discard(data_dir, upload_id)
        raise


def get_upload(portal: Portal, actor: Actor, upload_id: str) -> Upload:
    """One upload (404 upload-not-found; 403 forbidden when the actor is not an editor of its
    organization)."""
    with portal.store.sessions() as session:
        row = state.load(session, actor, upload_id, "editor", "see uploads")
        return state.view(row, portal.registry)


def list_uploads(portal: Portal, actor: Actor, *, org: str | None = None) -> list[Upload]:
    """The uploads the actor may see (of `org` only, if given), newest first."""
    visible = [o for o in {*actor.roles, *actor.parents} if actor.can("editor", o)]
    with portal.store.sessions() as session:
        rows = state.listing(session, visible, org)
        return [state.view(r, portal.registry) for r in rows]


def choose_dataset(portal: Portal, actor: Actor, upload_id: str, dataset: str) -> Upload:
    """Set the standard dataset (from the candidates, or any in the registry): the mapping is
    suggested for it. Allowed in needs-choice and draft (a draft starts its mapping anew).
    Who may is checked before what was asked: another organization's user learns nothing."""
    with portal.store.sessions() as session:
        state.load(session, actor, upload_id, "editor", "choose the dataset")
    portal.registry.get(dataset)

    def choose(row: UploadRow) -> tuple[str, str | None, dict[str, Any]]:
        with portal.store.sessions() as session:
            code, _ = state.organization(session, row.org, actor)
        _suggest(portal, row, dataset, code, choosing=False)
        return "recipe", recipes.text_hash(row.recipe or ""), {"dataset": dataset}

    return _change(portal, actor, upload_id, "choose", choose)


def recipe_text(portal: Portal, actor: Actor, upload_id: str) -> str:
    """The upload's recipe as YAML (downloadable; `portal convert` reads it beside the file);
    409 while the dataset is not chosen."""
    with portal.store.sessions() as session:
        row = state.load(session, actor, upload_id, "editor", "see uploads")
    if row.recipe is None:
        state.expect(row, "edit")
    return row.recipe or ""


def replace_recipe(portal: Portal, actor: Actor, upload_id: str, text: str) -> Upload:
    """Replace the recipe with `text`, checked like `portal convert` checks one (422
    recipe-invalid naming the line). Its source is always the upload's own file."""
    return _change(portal, actor, upload_id, "edit", lambda row: _recipe(portal, row, text))


def edit_mapping(portal: Portal, actor: Actor, upload_id: str, edit: MappingEdit) -> Upload:
    """Change one field's mapping; the recipe is checked as replace_recipe does."""

    def apply(row: UploadRow) -> tuple[str, str | None, dict[str, Any]]:
        current = recipes.mapping(row.recipe or "", portal.registry, row.suggested)
        recipes.check_edit(edit, current)
        scored = dict(row.suggested.get(recipes.SUGGESTED_FIELDS, {}))
        scored.pop(edit.field, None)  # a person's choice has no confidence score
        row.suggested = {**row.suggested, recipes.SUGGESTED_FIELDS: scored}
        action, digest, _ = _recipe(portal, row, recipes.edited(row.recipe or "", edit))
        return action, digest, {"field": edit.field, "edit": edit.model_dump(mode="json")}

    return _change(portal, actor, upload_id, "edit", apply)


def normalisers() -> list[NormaliserInfo]:
    """The normalisers the mapping form may offer, with their options' schemas."""
    return recipes.normaliser_infos()


def preview(portal: Portal, actor: Actor, upload_id: str, *, rows: int = PREVIEW_ROWS) -> Preview:
    """The first `rows` converted rows and the report, grouped by problem, of the current
    recipe (converted again if its conversion is gone or failed: the error is raised)."""
    with portal.store.sessions() as session:
        row = state.load(session, actor, upload_id, "editor", "see uploads")
    if row.recipe is None:
        state.expect(row, "edit")
    folder = files.folder(portal.settings.data_dir, row.id)
    kept = row.report or {}
    if kept.get("recipe_hash") != recipes.text_hash(row.recipe or "") or "valid" not in kept:
        recipes.write(folder, row.recipe or "")
        kept = previews.run(folder, portal.workspace, recipes.text_hash(row.recipe or ""))
    try:
        return previews.read(folder, kept, rows)
    except FileNotFoundError:  # the staging folder was cleared: convert again
        recipes.write(folder, row.recipe or "")
        kept = previews.run(folder, portal.workspace, recipes.text_hash(row.recipe or ""))
        return previews.read(folder, kept, rows)


def set_metadata(portal: Portal, actor: Actor, upload_id: str,
                 metadata: DatasetMetadata) -> Upload:  # fmt: skip
    """Keep the dataset metadata (a draft only), as the recipe's `metadata:` block: it goes
    wherever the recipe goes (convert, publish, next month's upload)."""

    def apply(row: UploadRow) -> tuple[str, str | None, dict[str, Any]]:
        data = recipes.data_of(row.recipe or "")
        data["metadata"] = metadata.to_dict()
        _recipe(portal, row, _dump(data))
        digest = recipes.text_hash(yaml.safe_dump(metadata.to_dict(), allow_unicode=True))
        return "metadata", digest, {"fields": sorted(metadata.to_dict())}

    return _change(portal, actor, upload_id, "edit", apply)


def submit(portal: Portal, actor: Actor, upload_id: str) -> Upload:
    """draft → submitted: needs a dataset and metadata. An invalid conversion may be submitted
    (the approver decides). When the organization requires no approval, a valid upload is
    published at once."""

    def apply(row: UploadRow) -> tuple[str, str | None, dict[str, Any]]:
        if state.metadata_of(row).empty:
            raise MetadataMissing(id=row.id)
        _converted(portal, row)
        row.state, row.submitted_by = "submitted", actor.name
        return "submit", recipes.text_hash(row.recipe or ""), {"valid": row.report["valid"]}  # type: ignore[index]

    done = _change(portal, actor, upload_id, "submit", apply)
    with portal.store.sessions() as session:
        _, approval = state.organization(session, done.org, actor)
    if approval or done.report is None or not done.report.valid:
        return done
    return publish(portal, actor, upload_id)


def withdraw(portal: Portal, actor: Actor, upload_id: str) -> Upload:
    """submitted → draft."""

    def apply(row: UploadRow) -> tuple[str, str | None, dict[str, Any]]:
        row.state = "draft"
        return "withdraw", None, {}

    return _change(portal, actor, upload_id, "withdraw", apply)


def publish(portal: Portal, actor: Actor, upload_id: str, *, allow_invalid: bool = False,
            reason: str = "") -> Upload:  # fmt: skip
    """submitted → published through the Portal's publisher (the configured catalogue), as
    `actor.name`. An approver of the organization (or its editor when approval is off, also
    from a draft). An invalid conversion needs `allow_invalid` and a `reason` (422
    reason-required otherwise); it is published marked 要修正 with the reason shown publicly
    (in the dataset's description). The answer's `links` name the public dataset page, API
    and CSV."""
    with portal.store.sessions() as session:
        row = state.load(session, actor, upload_id, "editor", "publish")
        _, approval = state.organization(session, row.org, actor)
    if approval:
        actor.require("approver", row.org, "publish")
    reason = " ".join(reason.split())[:REASON_MAX]

    def apply(row: UploadRow) -> tuple[str, str | None, dict[str, Any]]:
        _converted(portal, row)
        report = row.report or {}
        if not report["valid"] and not (allow_invalid and reason):
            raise ReasonRequired(id=row.id, errors=report["errors"])
        done = _publish(portal, row, actor, reason if not report["valid"] else "")
        row.state, row.published_by = "published", actor.name
        row.published_name = done.plan.name
        row.needs_fix_reason = reason if not report["valid"] else None
        return "publish", done.plan.digest, {"name": done.plan.name, "action": done.action,
                                             "valid": report["valid"], "reason": row.needs_fix_reason}  # fmt: skip

    states = ("submitted",) if approval else ("draft", "submitted")
    return _change(portal, actor, upload_id, "publish", apply, states)


# The steps


def _change(portal: Portal, actor: Actor, upload_id: str, action: str, work: Work,
            states: tuple[str, ...] | None = None) -> Upload:  # fmt: skip
    """Load and check (editor, state), work on a detached copy outside any transaction, then
    write it with its audit entry if the upload did not change meanwhile."""
    allowed, doing, _ = state.ALLOWED[action]
    with portal.store.sessions() as session:
        row = state.load(session, actor, upload_id, "editor", doing)
        session.expunge(row)
    state.expect(row, action, states)
    seen = row.updated_at
    what, digest, detail = work(row)
    with portal.store.writing() as session:
        current = state.load(session, actor, upload_id, "editor", doing)
        if current.updated_at != seen:
            raise WrongState(id=row.id, state=current.state, doing=doing, doing_ja=doing,
                             allowed="(changed by someone else meanwhile: reload)")  # fmt: skip
        row.updated_at = state.now()
        merged = session.merge(row)
        audit.record(session, actor.name, what, org=row.org, target=row.id,
                     content_hash=digest, detail=detail)  # fmt: skip
        session.flush()
        return state.view(merged, portal.registry)


def _suggest(portal: Portal, row: UploadRow, dataset: str | None, code: str | None, *,
             choosing: bool) -> None:  # fmt: skip
    """suggest's proposal for the upload's file: the candidates, and (unless it is not sure
    and a person should choose) the dataset, the recipe and its conversion."""
    folder = files.folder(portal.settings.data_dir, row.id)
    source = folder / files.SOURCE_DIR / row.file_name
    found = suggest(source, portal.registry, portal.directory, dataset=dataset)
    if dataset is None or not row.candidates:  # a person's choice keeps the list offered
        row.candidates = [{"dataset": c.dataset, "title_ja": c.title_ja, "score": c.score,
                           "evidence": c.evidence, "evidence_ja": c.evidence_ja}
                          for c in found.candidates]  # fmt: skip
    row.confidence = found.dataset_score
    row.suggested = recipes.suggested(found)
    if choosing and not found.sure:
        row.state, row.dataset, row.recipe = "needs-choice", None, None
        return
    row.state, row.dataset = "draft", found.dataset
    _recipe(portal, row, recipes.from_suggestion(found, folder, code), keep_failure=True)


def _reuse(portal: Portal, row: UploadRow, actor: Actor) -> None:
    """Start from the recipe of the organization's last published upload of the dataset."""
    dataset = row.dataset or (row.candidates[0]["dataset"] if row.candidates else "")
    with portal.store.sessions() as session:
        previous = state.last_published(session, row.org, dataset)
    if previous is None or previous.recipe is None:
        raise NoRecipeToReuse(org=row.org, dataset=dataset)
    data = recipes.data_of(previous.recipe)
    data["source"] = {**data.get("source", {}), "path": f"{files.SOURCE_DIR}/{row.file_name}"}
    row.state, row.dataset, row.reused_from = "draft", previous.dataset, previous.id
    row.suggested = {recipes.SOURCE_COLUMNS: row.suggested.get(recipes.SOURCE_COLUMNS, [])}
    _recipe(portal, row, _dump(data), keep_failure=True)


def _recipe(portal: Portal, row: UploadRow, text: str, *,
            keep_failure: bool = False) -> tuple[str, str | None, dict[str, Any]]:  # fmt: skip
    """Check `text` as the upload's recipe and convert it; kept with its report. A recipe
    that cannot be used raises (nothing kept), unless it is the portal's own proposal
    (`keep_failure`): then it is kept with why, for a person to fix."""
    folder = files.folder(portal.settings.data_dir, row.id)
    source = folder / files.SOURCE_DIR / row.file_name
    digest = recipes.text_hash(text)
    try:
        recipes.check(folder, text, portal.registry, portal.directory, source)
        row.report = previews.run(folder, portal.workspace, digest)
    except PortalError as exc:
        if not keep_failure:
            raise
        row.report = {"recipe_hash": digest, "failed": exc.to_dict()}
    else:
        columns = row.report["columns"]
        row.suggested = {**row.suggested, recipes.SOURCE_COLUMNS: columns}
    row.recipe = text
    return "recipe", digest, {"dataset": row.dataset}


def _converted(portal: Portal, row: UploadRow) -> None:
    """The conversion of the current recipe, made again if missing (raises if it fails)."""
    kept = row.report or {}
    folder = files.folder(portal.settings.data_dir, row.id)
    if kept.get("recipe_hash") == recipes.text_hash(row.recipe or "") and "valid" in kept:
        if (folder / files.CONVERTED_DIR / kept["csv"]).is_file():
            return
    _recipe(portal, row, row.recipe or "")


def _publish(portal: Portal, row: UploadRow, actor: Actor, reason: str) -> Any:
    """Publish the staging conversion; with a 要修正 reason, converted again from a copy of
    the recipe whose description starts with it (the public page shows the description)."""
    folder = files.folder(portal.settings.data_dir, row.id)
    if reason:
        data = recipes.data_of(row.recipe or "")
        given = dict(data.get("metadata") or {})
        given["description"] = f"【要修正の理由】{reason}\n\n{given.get('description', '')}".strip()
        data["metadata"] = given
        recipes.write(folder, _dump(data))
        previews.run(folder, portal.workspace, "")
    options = Options(who=actor.name, allow_invalid=bool(reason))
    return publish_folder(folder / files.CONVERTED_DIR, portal.publisher(), options)


def _dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1 << 16)


def _detail(row: UploadRow) -> dict[str, Any]:
    return {"file_name": row.file_name, "size": row.size, "format": row.file_format,
            "state": row.state, "dataset": row.dataset, "confidence": row.confidence,
            "reused_from": row.reused_from,
            "recipe_hash": recipes.text_hash(row.recipe) if row.recipe else None}  # fmt: skip
