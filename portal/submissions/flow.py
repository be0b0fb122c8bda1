"""The upload flow, as a library: a department's file to a published dataset. The API
(portal/api/routes/uploads.py) and the pages (portal/web) both call these functions; each
takes the Portal and the acting user, checks the actor's role in the upload's organization,
writes in one transaction with its audit entry, and answers an `Upload` (portal.submissions
.views) or raises a PortalError (4xx, bilingual).

    create_upload  editor   the file → stored (outside the public file store), sniffed, suggest
                            proposes the dataset and mapping; state draft, or needs-choice when
                            suggest is not sure (CHOOSE_BELOW); `reuse` takes the organization's
                            last published recipe for that dataset instead
    choose_dataset editor   needs-choice → draft: the mapping is suggested for the dataset chosen
    recipe_text    editor   the recipe (the YAML `portal convert` reads)
    replace_recipe editor   a whole new recipe (YAML, checked: errors name the line)
    edit_mapping   editor   one field's mapping (a source column, a constant, or none; normalisers)
    preview        editor   convert into the upload's staging folder; first rows and the report
    set_metadata   editor   title, description, 担当課, contact, frequency, keywords, licence
    submit         editor   draft → submitted (→ published at once when the organization needs
                            no approval and the actor may publish)
    publish        approver submitted → published; an invalid conversion only with a reason (要修正)
    withdraw       editor   submitted → draft, to change it again
"""

from __future__ import annotations

from typing import BinaryIO

from portal.accounts.auth import Actor
from portal.composition import Portal
from portal.submissions.metadata import UploadMetadata
from portal.submissions.views import MappingEdit, NormaliserInfo, Preview, Upload

# suggest's dataset score (matching.header_score: the share of the standard's fields found in
# the header, weighted) below which the portal asks rather than picks. See README/Uploads.
CHOOSE_BELOW = 0.5
PREVIEW_ROWS = 20  # converted rows the preview shows


def create_upload(portal: Portal, actor: Actor, *, org: str, file_name: str, content: BinaryIO,
                  dataset: str | None = None, reuse: bool = False) -> Upload:  # fmt: skip
    """Store `content` (read in chunks, refused past settings.max_upload_bytes: 413
    upload-too-large) as a new upload of `org` (the actor must be its editor).

    The content decides what the file is (xlsx, xls, ods, CSV in any encoding); anything else
    is refused (422 upload-unreadable). `dataset` skips the choice; `reuse` starts from the
    recipe of the organization's last published upload of that dataset (`dataset` required,
    404 no-recipe-to-reuse when there is none) and converts it at once (the preview is ready)."""
    raise NotImplementedError


def get_upload(portal: Portal, actor: Actor, upload_id: str) -> Upload:
    """One upload (404 upload-not-found, also for an upload of an organization the actor
    cannot see: its existence is not revealed)."""
    raise NotImplementedError


def list_uploads(portal: Portal, actor: Actor, *, org: str | None = None) -> list[Upload]:
    """The uploads the actor may see (of `org` only, if given), newest first."""
    raise NotImplementedError


def choose_dataset(portal: Portal, actor: Actor, upload_id: str, dataset: str) -> Upload:
    """Set the standard dataset (from the candidates, or any in the registry): the mapping is
    suggested for it. Allowed in needs-choice and draft (a draft starts its mapping anew)."""
    raise NotImplementedError


def recipe_text(portal: Portal, actor: Actor, upload_id: str) -> str:
    """The upload's recipe as YAML (downloadable; `portal convert` reads it beside the file)."""
    raise NotImplementedError


def replace_recipe(portal: Portal, actor: Actor, upload_id: str, text: str) -> Upload:
    """Replace the recipe with `text`, checked like `portal convert` checks one (422
    recipe-invalid naming the line). Its source is always the upload's own file."""
    raise NotImplementedError


def edit_mapping(portal: Portal, actor: Actor, upload_id: str, edit: MappingEdit) -> Upload:
    """Change one field's mapping; the recipe is checked as replace_recipe does."""
    raise NotImplementedError


def normalisers() -> list[NormaliserInfo]:
    """The normalisers the mapping form may offer, with their options' schemas."""
    raise NotImplementedError


def preview(portal: Portal, actor: Actor, upload_id: str, *, rows: int = PREVIEW_ROWS) -> Preview:
    """Convert with the current recipe into the upload's staging folder (unless the last
    conversion is of this recipe already) and answer the first `rows` rows and the report."""
    raise NotImplementedError


def set_metadata(portal: Portal, actor: Actor, upload_id: str,
                 metadata: UploadMetadata) -> Upload:  # fmt: skip
    """Keep the dataset metadata (a draft only)."""
    raise NotImplementedError


def submit(portal: Portal, actor: Actor, upload_id: str) -> Upload:
    """draft → submitted: needs a dataset and metadata; converts if the preview is stale.
    An invalid conversion may be submitted (the approver decides). When the organization
    requires no approval and the actor is its editor, it is published at once (valid only)."""
    raise NotImplementedError


def withdraw(portal: Portal, actor: Actor, upload_id: str) -> Upload:
    """submitted → draft."""
    raise NotImplementedError


def publish(portal: Portal, actor: Actor, upload_id: str, *, allow_invalid: bool = False,
            reason: str = "") -> Upload:  # fmt: skip
    """submitted → published through the Portal's publisher (the configured catalogue), as
    `actor.name`. An approver of the organization (or its editor when approval is off). An
    invalid conversion needs `allow_invalid` and a `reason` (422 reason-required otherwise);
    it is published marked 要修正 with the reason shown publicly. The answer's `links` name
    the public dataset page, API and CSV."""
    raise NotImplementedError
