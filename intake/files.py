"""File intake: the dossier as files, each identified by its name, with its type and page count.

A dossier is a folder or a `.zip` (paragraphs 8 and 16: each document a separate file whose name
identifies the document and its number of pages). Nothing in the input is changed: a folder is only
read, never written; a zip is unpacked into a private work area that is removed afterwards.

Unpacking is defensive: entries with absolute paths, `..`, drive letters, links or devices are never
written (FILE013); the bytes actually produced are counted while streaming, and unpacking stops at the
limits on entry size, total size, entry count and compression ratio (FILE014), whatever the archive's
headers declare; archives inside the dossier are reported (FILE015), never unpacked. Names without the
zip UTF-8 flag are decoded the way Windows wrote them (CP866 on a Russian or Kazakh system).

The naming scheme (docs/naming.md): the canonical name is `NN_<document-id>_<P>p.<ext>`, e.g.
`02_material-resources_3p.pdf`; names people really write (`Устав ТОО 12 стр.pdf`, `Диплом (2 л.).pdf`,
`086у мед справка 1 бет.jpg`, `lease contract - 4 pages.pdf`) are recognised through the synonyms of
the catalog (`intake.rules.DOCUMENT_TYPES`).

The machinery lies behind this face in `intake/filing/`, one module per concern: `media` (sniffing),
`naming` (the naming scheme), `pages` (page counts), `walking` (archive and folder walking, the facts
of each file, what intake refused) and `renaming` (`intake names`). File intake records facts only:
every FILE finding is made by `intake.judgements.on_files`.
"""

from __future__ import annotations

from intake.filing.media import (
    ARCHIVE_EXTENSIONS,
    ARCHIVE_MEDIA,
    DOCUMENT_EXTENSIONS,
    JPEG,
    PDF,
    PNG,
    SIGNATURE_EXTENSIONS,
    SUPPORTED_MEDIA,
    TIFF,
    ZIP,
    content_mismatch,
    describe_media,
    expected_media_type,
    is_archive,
    is_supported,
    sniff,
    sniff_file,
)
from intake.filing.naming import (
    MAX_DECLARED_PAGES,
    MAX_NAME_CHARS,
    canonical_extension,
    canonical_name,
    declared_pages,
    display_name,
    display_path,
    identify_by_content,
    is_text_name,
    normalise,
    parse_name,
    part_number,
    readable_name,
)
from intake.filing.pages import (
    count_pages,
)
from intake.filing.renaming import (
    NamePlan,
    apply_names,
    plan_names,
)
from intake.filing.walking import (
    APPLICATION_NAME,
    APPLICATION_XML_NAME,
    ATTESTATION_DIR,
    IGNORED_DIRS,
    IGNORED_NAMES,
    Limits,
    OpenedDossier,
    decode_entry_name,
    entry_problem,
    gather_file,
    open_dossier,
    role_of,
)

__all__ = [
    "APPLICATION_NAME",
    "APPLICATION_XML_NAME",
    "ARCHIVE_EXTENSIONS",
    "ARCHIVE_MEDIA",
    "ATTESTATION_DIR",
    "DOCUMENT_EXTENSIONS",
    "IGNORED_DIRS",
    "IGNORED_NAMES",
    "JPEG",
    "MAX_DECLARED_PAGES",
    "MAX_NAME_CHARS",
    "PDF",
    "PNG",
    "SIGNATURE_EXTENSIONS",
    "SUPPORTED_MEDIA",
    "TIFF",
    "ZIP",
    "Limits",
    "NamePlan",
    "OpenedDossier",
    "apply_names",
    "canonical_extension",
    "canonical_name",
    "content_mismatch",
    "count_pages",
    "declared_pages",
    "decode_entry_name",
    "describe_media",
    "display_name",
    "display_path",
    "entry_problem",
    "expected_media_type",
    "gather_file",
    "identify_by_content",
    "is_archive",
    "is_supported",
    "is_text_name",
    "normalise",
    "open_dossier",
    "parse_name",
    "part_number",
    "plan_names",
    "readable_name",
    "role_of",
    "sniff",
    "sniff_file",
]
