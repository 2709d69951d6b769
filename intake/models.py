"""The data of `intake`: facts gathered from a dossier, findings, the report, and the application.

Facts come first (files, pages, text, signatures), judgements second (findings). Every model is
frozen: once a fact is gathered, nothing downstream may change it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field

from intake.workdays import Timeline


class Frozen(BaseModel):
    """Base of every model: immutable, unknown fields refused."""

    model_config = ConfigDict(frozen=True, extra="forbid")


# --------------------------------------------------------------------------- outcomes


class Outcome(StrEnum):
    """ETSI EN 319 102-1 triad, used for every check."""

    PASSED = "passed"
    FAILED = "failed"
    INDETERMINATE = "indeterminate"


class Severity(StrEnum):
    """What a non-passed finding means for the dossier."""

    BLOCKING = "blocking"  # a refusal ground or a missing mandatory item
    REVIEW = "review"  # needs a human eye
    INFO = "info"  # recorded, never changes the verdict


class Verdict(StrEnum):
    """The dossier's bottom line."""

    PASS = "pass"
    FAIL = "fail"
    REVIEW = "review"


class Kind(StrEnum):
    """What the dossier applies for."""

    ORGANIZATION = "organization"  # Appendix 1, paragraph 7
    SPECIALIST = "specialist"  # Appendix 2, paragraph 15
    REMOVAL = "removal"  # Appendix 3, paragraph 32
    CHANGE = "change"  # paragraph 30


SayArg = Union[str, int, float, bool, None, "Say", tuple[Union[str, "Say"], ...]]  # forward refs
"""A value filled into a message: plain data as it is, a `Say` said in the language, a tuple joined by '; '."""


class Say(Frozen):
    """A message that can be said in every language of the catalogs: an English template with `{named}`
    fields, the plural template where a count `n` chooses the form, and the arguments.

    Like Django's `format_lazy(gettext_lazy(...))` or Babel's `LazyString`, the words are chosen only
    when the language is known; unlike a lazy proxy, it is plain data, so the JSON report keeps it and a
    report read back is said again in another language. An argument that is itself a `Say` (a detail
    kind, a fragment of a sentence) is said in the same language. Build it with `say` and `say_n`, whose
    literal templates the catalog test extracts.
    """

    text: str = Field(description="The English template, the msgid of the catalogs.")
    plural: str | None = Field(default=None, description="The English plural template (msgid_plural).")
    n: int | None = Field(default=None, description="The count that chooses the plural form; also `{n}`.")
    args: dict[str, SayArg] = Field(default_factory=dict, description="The values of the `{named}` fields.")

    def render(
        self,
        gettext: Callable[[str], str] = str,
        ngettext: Callable[[str, str, int], str] | None = None,
        term: Callable[[str], str] = str,
    ) -> str:
        """The message in the language of `gettext`/`ngettext`; `term` says a plain string argument
        (a document's English name becomes its name in the language). The defaults give English."""
        if self.plural is not None and self.n is not None:
            if ngettext is None:
                template = self.text if self.n == 1 else self.plural
            else:
                template = ngettext(self.text, self.plural, self.n)
        else:
            template = gettext(self.text) if self.text else self.text
        values: dict[str, object] = {"n": self.n} if self.n is not None else {}
        for key, value in self.args.items():
            values[key] = _said(value, gettext, ngettext, term)
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError):  # a translation naming a field the template lacks
            return self.text.format(**values)

    def __str__(self) -> str:
        return self.render()


def _said(
    value: SayArg,
    gettext: Callable[[str], str],
    ngettext: Callable[[str, str, int], str] | None,
    term: Callable[[str], str],
) -> object:
    if isinstance(value, Say):
        return value.render(gettext, ngettext, term)
    if isinstance(value, tuple):
        return "; ".join(str(_said(v, gettext, ngettext, term)) for v in value)
    if isinstance(value, str):
        return term(value)
    return value


def say(text: str, /, **args: SayArg) -> Say:
    """A message to say in the language of the report: `say("{file} is empty", file=name)`."""
    return Say(text=text, args=args)


def say_n(singular: str, plural: str, n: int, /, **args: SayArg) -> Say:
    """A message whose words follow a count: `say_n("{n} page", "{n} pages", count)`."""
    return Say(text=singular, plural=plural, n=n, args=args)


class Finding(Frozen):
    """One judgement over the facts, tied to a rule of the catalog."""

    code: str
    outcome: Outcome
    severity: Severity
    rule: str = Field(description="The paragraph of the Rules enforced, e.g. '27.3'.")
    ground: str | None = Field(
        default=None,
        description="The ground of refusal of paragraph 27 a failure supports ('27.1'..'27.7'), or null.",
    )
    title: str
    document: str | None = None
    page: int | None = None
    message: str = Field(
        description="What was expected and what was found (English; in the report's language with --lang)."
    )
    evidence: dict[str, Any] = Field(default_factory=dict)
    template: Say | None = Field(
        default=None, description="The message as a template and its arguments, to say it in another language."
    )


# --------------------------------------------------------------------------- page text

Box = tuple[int, int, int, int]
"""A rectangle on a page image, in pixels at the page's `dpi`: x0, y0, x1, y1."""


class Word(Frozen):
    """A word on a page with its box and recognition confidence (100 for a sound text layer)."""

    text: str
    box: Box
    conf: float
    line: int = 0
    block: int = 0


class MarkKind(StrEnum):
    """What an image detector saw on a page: a seal or stamp, a handwritten signature, a handwritten entry, or a
    visual EDS stamp («ДОКУМЕНТ ПОДПИСАН ЭЛЕКТРОННОЙ ПОДПИСЬЮ», certificate, owner, validity): the printed trace
    of an electronic signature, a signature mark of its own kind."""

    SEAL = "seal"
    SIGNATURE = "signature"
    HANDWRITING = "handwriting"
    EDS_STAMP = "eds_stamp"


class Mark(Frozen):
    """A seal, signature or handwritten entry seen on a page image (facts: a box and a score, no verdict)."""

    kind: MarkKind
    box: Box
    score: float = Field(ge=0.0, le=1.0, description="How sure the detector is, 0 to 1.")
    colour: Literal["blue", "violet", "red", "black", "other"] | None = None
    shape: Literal["round", "oval", "rectangular", "stroke", "other"] | None = None
    text: str | None = Field(default=None, description="What the mark says, when it is read (a visual EDS stamp).")


class FillIn(Frozen):
    """A handwritten entry in the printed blank of a date or number field (`intake.fillins`): where the blank is,
    what OCR read from the pen's ink in it, and the value it parses to (None when unread or refused)."""

    kind: Literal["date", "number"]
    box: Box = Field(description="The blank where the entry sits, in page pixels.")
    ink: Box | None = Field(default=None, description="The pen's ink inside the blank.")
    text: str = Field(default="", description="What OCR read from the ink layer.")
    value: str | None = Field(default=None, description="ISO date or number; None when unread or refused.")
    confidence: float = Field(default=0.0, description="OCR confidence 0-100 of the surest agreeing reading.")
    reason: str | None = Field(default=None, description="Why no value was taken.")


class ImageMeasures(Frozen):
    """Image measures of a page (research/scan-heuristics.md §1.3-1.4): numbers, no verdict."""

    contrast: float = Field(default=0.0, description="A = p90(paper) - p10(ink), grey levels.")
    sharpness: float = Field(default=0.0, description="S = p99(|Sobel|) / (4 A) near ink, at ~30 px text height.")
    noise_sd: float = Field(default=0.0, description="Sd of the paper's grey levels around their local median.")
    noise_rel: float = Field(default=0.0, description="noise_sd / contrast.")
    ink_share: float = Field(default=0.0, description="Share of the page's pixels that are ink (Otsu).")


SignKind = Literal["illegible_line", "strike_through", "whiteout", "coloured_addition", "identical_glyphs"]


class PageSign(Frozen):
    """A located sign on a page image (an illegible line, a stroke, a patch, coloured ink): where and its measures."""

    kind: SignKind
    box: Box
    values: dict[str, float] = Field(default_factory=dict, description="The measures of the sign (numbers).")
    words: tuple[str, ...] = Field(default=(), description="Words the sign touches (a stroke's crossed words).")
    twin_box: Box | None = Field(default=None, description="For identical glyphs: the other glyph.")
    signature_nearby: bool = Field(default=False, description="A handwritten signature within 3 cm.")
    seal_nearby: bool = Field(default=False, description="A seal within 3 cm.")


class ZoneConfidence(Frozen):
    """OCR confidence over one zone of a page (a Tesseract block, or a column)."""

    box: Box
    words: int
    conf_mean: float
    conf_median: float


class PageQuality(Frozen):
    """Scan-quality measures of one page (27.3), numbers only; `intake.judgements.on_scans` judges them."""

    effective_dpi: float | None = None
    estimated_dpi: float | None = Field(default=None, description="From the text height when no dpi is credible.")
    text_height_px: float | None = None
    osd_rotate: int | None = None
    osd_conf: float | None = None
    words: int = 0
    conf_median: float | None = None
    conf_mean: float | None = None
    low60: float | None = None
    left_out: int = Field(
        default=0,
        description="Words read but left out of the statistics above: in seals, signatures, handwriting, the "
        "signature and seal zones, and entries of printed fields.",
    )
    line_means: dict[int, float] = Field(default_factory=dict, description="Mean word confidence per line.")
    zones: tuple[ZoneConfidence, ...] = Field(default=(), description="OCR confidence per block and column.")
    image: ImageMeasures | None = None
    ocr_skipped: bool = Field(default=False, description="Not read: the image is beyond reading before OCR.")
    examined: bool = Field(default=False, description="Alterations were looked for (the page reads confidently).")
    skew_degrees: float = Field(default=0.0, description="Skew corrected before OCR (degrees, counter-clockwise).")
    upscaled: int = Field(default=1, description="Factor the page was enlarged by for OCR (small text).")
    dropout_share: float = Field(default=0.0, description="Share of pixels of coloured ink dropped before OCR.")
    columns: int = Field(default=1, description="Text columns found (a bilingual side-by-side form has 2).")
    signs: tuple[PageSign, ...] = Field(default=(), description="Located signs: illegible lines, strokes, patches.")


class PageText(Frozen):
    """The text of one page, from its own text layer or from OCR."""

    number: int = Field(ge=1)
    source: Literal["text-layer", "ocr", "none"]
    text: str = ""
    words: tuple[Word, ...] = ()
    width: int = 0
    height: int = 0
    dpi: float = 300.0
    rotation: int = 0
    quality: PageQuality | None = None
    marks: tuple[Mark, ...] = Field(default=(), description="Seals, signatures and handwriting seen on the page.")
    fillins: tuple[FillIn, ...] = Field(default=(), description="Handwritten entries in printed date/number blanks.")
    note: str | None = None


# --------------------------------------------------------------------------- signatures


class Signer(Frozen):
    """Who signed, read from the Kazakh certificate profile (kz-pki README §1)."""

    common_name: str | None = None
    iin: str | None = None
    bin: str | None = None
    organization: str | None = None
    role: str | None = None
    key_purpose: Literal["sign", "auth", "unknown"] | None = None
    email: str | None = None
    certificate_serial: str | None = None
    certificate_sha256: str | None = None
    issuer: str | None = None
    not_before: datetime | None = None
    not_after: datetime | None = None
    holder: Literal["individual", "legal_entity"] | None = Field(
        default=None, description="Individual or legal-entity certificate (from the NCA EKU)."
    )
    roles: tuple[str, ...] = Field(default=(), description="Every holder tag the EKU names.")
    subject: str | None = None


class Revocation(Frozen):
    """Revocation status of the signer certificate at the signing moment."""

    status: Literal["good", "revoked", "unknown", "not_checked"] = "not_checked"
    source: str | None = None
    revoked_at: datetime | None = None
    reason: str | None = None
    messages: tuple[str, ...] = ()
    policy: str | None = Field(
        default=None, description="The revocation policy it was judged under: require, soft-fail or off."
    )
    origin: str | None = Field(
        default=None,
        description="Where the revocation data used came from: --crl/--ocsp, online, pdf-dss, pdf-dss-vri, "
        "cms-revocation-info, adbe-revocation-info-archival, cades-revocation-values, timestamp-token.",
    )


class ProofOfExistence(Frozen):
    """ETSI EN 319 102-1 5.6: the earliest trusted time the signature is proven to have existed."""

    time: datetime
    source: Literal["signature_timestamp", "document_timestamp"]
    timestamp_authority: str | None = None


class ChangedRegion(Frozen):
    """A region of a page that looks different in the final revision than in the signed one."""

    page: int = Field(description="1-based page number.")
    box: tuple[float, float, float, float] = Field(
        description="x0, y0, x1, y1 in PDF points from the page's lower left corner."
    )
    evidence: str | None = Field(default=None, description="Path of a side-by-side crop (signed | final), if written.")


class Modification(Frozen):
    """What changed after signing (PDF) and what the signature covers."""

    level: str | None = None
    coverage: str | None = None
    messages: tuple[str, ...] = ()
    revisions_after: int | None = Field(default=None, description="Incremental updates saved after this signature.")
    changes: tuple[str, ...] = Field(default=(), description="What each later revision changed, in order.")
    suspicious: bool | None = Field(default=None, description="Content changed after signing (SIG005 fails).")
    opinions: tuple[str, ...] = Field(
        default=(), description="Each analysis and what it decided (pyHanko's, intake's)."
    )
    objects: tuple[str, ...] = Field(default=(), description="Objects later revisions added, redefined or freed.")
    changed_pages: tuple[int, ...] = Field(default=(), description="Pages whose objects changed against the rules.")
    rendered: bool | None = Field(
        default=None, description="The signed and final revisions were rendered and compared."
    )
    regions: tuple[ChangedRegion, ...] = Field(default=(), description="Page regions whose pixels differ.")


class SignatureReport(Frozen):
    """The separate facts of one signature and the ETSI EN 319 102-1 indication derived from them."""

    indication: Literal["TOTAL_PASSED", "TOTAL_FAILED", "INDETERMINATE"]
    subindication: str | None = None
    intact: bool | None = None
    valid: bool | None = None
    trusted: bool | None = None
    signing_time: datetime | None = None
    signing_time_source: Literal["timestamp", "signing_time", "validation_time", "signed_data"] | None = Field(
        default=None,
        description="Where signing_time came from; `signed_data`: a date inside the signed content (egov barcodes).",
    )
    algorithm: str | None = None
    signer: Signer = Field(default_factory=Signer)
    revocation: Revocation = Field(default_factory=Revocation)
    modification: Modification = Field(default_factory=Modification)
    messages: tuple[str, ...] = ()
    format: str | None = None
    source: str | None = None
    certificate_valid: bool | None = None
    key_usage_ok: bool | None = None
    algorithm_ok: bool | None = None
    digest_algorithm: str | None = None
    timestamp: datetime | None = Field(default=None, description="genTime of a verified signature timestamp.")
    chain: tuple[str, ...] = Field(default=(), description="Certification path, signer first, anchor last.")
    signed_data: dict[str, str] = Field(
        default_factory=dict, description="Fields of the signed content compared with the printed page (egov-qr)."
    )
    page_compared: bool | None = Field(default=None, description="Whether the signed data was compared with the page.")
    page_mismatches: tuple[str, ...] = Field(
        default=(), description="Signed values (`field=value`) the printed page does not show."
    )
    proof_of_existence: ProofOfExistence | None = Field(
        default=None, description="The trusted proof of existence the signature was validated at (past validation)."
    )
    cause: Literal["no_trust_anchors", "no_revocation_data"] | None = Field(
        default=None,
        description="Why it is undecided when the cause lies in the run, not in the signature: no --trust "
        "given, or no revocation data at all for the signer (one finding names every file it affects).",
    )

    @property
    def passed(self) -> bool:
        """The bottom line (pyHanko's `bottom_line`): the signature is TOTAL_PASSED. Derived, read-only, and
        not part of the JSON report."""
        return self.indication == "TOTAL_PASSED"


# --------------------------------------------------------------------------- files


class FileRole(StrEnum):
    """What a file of the dossier is."""

    APPLICATION = "application"
    DOCUMENT = "document"
    ATTESTATION = "attestation"
    SIGNATURE = "signature"
    IGNORED = "ignored"


class Refusal(StrEnum):
    """Why file intake did not take a file or an archive entry into the dossier."""

    UNSAFE = "unsafe"  # a link, a device, an absolute path, `..`, a drive letter, a name twice (FILE013)
    OVER_LIMIT = "over_limit"  # past the limits on size, count or compression ratio (FILE014)
    ENCRYPTED = "encrypted"  # an archive entry under a password (FILE009)
    UNREADABLE = "unreadable"  # a file, folder or entry that cannot be read or written (FILE008)
    NAME_NOT_TEXT = "name_not_text"  # a name whose bytes are not UTF-8 (FILE016); the file is still read


class RefusedEntry(Frozen):
    """A file or archive entry that file intake refused or could not take, and what was seen."""

    refusal: Refusal
    reason: str = Field(description="What was seen, as a sentence naming the entry.")
    template: Say | None = Field(default=None, description="The reason to say in the report's language.")
    document: str | None = Field(default=None, description="The dossier path or archive entry; none: the whole.")
    evidence: dict[str, Any] = Field(default_factory=dict)


class IntakeFacts(Frozen):
    """What file intake saw of the dossier as a whole: a folder or an archive, and what it refused."""

    source_name: str
    archive: bool = False
    refused: tuple[RefusedEntry, ...] = ()


class Identification(Frozen):
    """Which document a file name identifies, and the page count it declares (paragraphs 8, 16)."""

    document_type: str | None = None
    declared_pages: int | None = None
    order: int | None = None
    score: float = 0.0
    matched: str | None = None
    candidates: tuple[str, ...] = ()
    decided_by: Literal["name", "content"] | None = Field(
        default=None,
        description="What identified the document: its name, or (the name naming several equally) the first "
        "page's text.",
    )
    content_matched: str | None = Field(default=None, description="The word of the first page that decided.")


class Detail(Frozen):
    """A required detail of a document (27.5) found in its text, with where it was found."""

    kind: str
    value: str
    page: int | None = None
    box: Box | None = None
    confidence: float = 100.0
    source: Literal["text-layer", "ocr", "eds", "structured", "image", "handwriting"] = Field(
        default="text-layer",
        description="image: a mark the page detectors saw (seal, signature); handwriting: a fill-in by pen.",
    )


class EditSign(Frozen):
    """A sign that a PDF was edited after it was made (research/scan-heuristics.md §2.5)."""

    sign: Literal["editor", "incremental_update", "visible_text_over_scan"]
    message: str
    template: Say | None = Field(default=None, description="The message to say in the report's language.")
    page: int | None = None
    box: Box | None = None
    field: str | None = Field(default=None, description="For an editor: Producer or Creator.")
    value: str | None = Field(default=None, description="For an editor: the tool's name as written.")
    revision_end: int | None = Field(default=None, description="For an update: the byte where the earlier file ends.")
    pages_changed: tuple[int, ...] = ()
    pages_added: int = 0
    text_objects: int = Field(default=0, description="For text over a scan: how many visible text objects.")


class PdfForensics(Frozen):
    """What the PDF's structure says about editing, gathered once per file (`intake.forensics`)."""

    examined: bool
    reason: str | None = Field(default=None, description="Why the file was not examined (too large, unreadable).")
    reason_template: Say | None = Field(default=None, description="The reason to say in the report's language.")
    signs: tuple[EditSign, ...] = ()


class FileFacts(Frozen):
    """Everything gathered about one file of the dossier before any judgement."""

    name: str = Field(description="Path inside the dossier, '/'-separated.")
    path: Path
    size: int
    sha256: str
    extension: str
    media_type: str | None = None
    role: FileRole = FileRole.DOCUMENT
    identification: Identification = Field(default_factory=Identification)
    pages: int | None = None
    read_error: str | None = None
    encrypted: bool = False
    signature_files: tuple[str, ...] = ()
    signed_file: str | None = None
    signatures: tuple[SignatureReport, ...] = ()
    text: tuple[PageText, ...] = ()
    text_error: str | None = None
    forensics: PdfForensics | None = Field(default=None, description="Editing signs of a PDF (None: not a PDF).")
    details: tuple[Detail, ...] = ()
    content_from: str | None = Field(
        default=None, description="For content extracted from an attached CMS: the container's name."
    )


# --------------------------------------------------------------------------- application


class PersonName(Frozen):
    """Last and first names, patronymic (if any)."""

    last_name: str
    first_name: str
    patronymic: str | None = None


class Address(Frozen):
    """Region, city, district, populated locality, street, house/building; postal code (Appendix 1-3)."""

    region: str
    city: str | None = None
    district: str | None = None
    locality: str | None = None
    street: str
    house: str
    postal_code: str | None = None


class Contacts(Frozen):
    """E-mail, telephones, fax (optional)."""

    email: str
    phones: tuple[str, ...] = Field(min_length=1)
    fax: str | None = None


class Consents(Frozen):
    """The confirmations of the Appendices."""

    official_contacts: bool = False
    documents_true: bool = False
    personal_data: bool = False


class Price(Frozen):
    """An EXW price with its country and source (paragraph 4.10)."""

    country: str = Field(description="ISO 3166-1 alpha-2 code.")
    amount: Decimal
    currency: str = "KZT"
    source: str | None = None
    manufacturer: str | None = None


class Service(Frozen):
    """A type of special social service and its price (paragraph 4.6)."""

    name: str
    standard: str | None = None
    price_kzt: Decimal
    unit: str | None = None


class Rtd(Frozen):
    """A rehabilitative technology device sold (paragraphs 4.7, 4.8, 4.10)."""

    name: str
    type: str
    technical_features: str
    standard: str | None = None
    cost_kzt: Decimal
    manufacturer: str | None = None
    exw_price: Price | None = None
    reference_prices: tuple[Price, ...] = ()
    alternative_prices: tuple[Price, ...] = ()


class Accessibility(Frozen):
    """Easy access to the facilities for persons with limited mobility (paragraph 4.9)."""

    accessible: bool
    description: str | None = None


class Places(Frozen):
    """Places for special social services and the forms of provision (paragraph 4.11)."""

    total: int = Field(ge=0)
    available: int = Field(ge=0)
    forms: tuple[str, ...] = ()


class SpecialistRef(Frozen):
    """A specialist of the organization (paragraph 4.11)."""

    name: PersonName
    position: str
    iin: str | None = None


class Activity(Frozen):
    """What the organization does; decides which documents are required (paragraph 7)."""

    provides_services: bool = True
    sells_rtd: bool = False
    domestic_producer: bool = False


class ExchangeRates(Frozen):
    """Currency rates declared for the reference pricing: KZT per unit of each currency."""

    date: date
    rates: dict[str, Decimal]
    source: str | None = None


class Experience(Frozen):
    """A period of work in special social services (paragraph 12.4)."""

    organization: str
    position: str
    start: date
    end: date | None = None


class OrganizationApplication(Frozen):
    """Appendix 1 with the register fields of paragraph 4."""

    kind: Literal["organization"]
    registration_number: str | None = None
    full_name: str
    short_name: str | None = None
    bin: str
    state_registration_number: str | None = None
    legal_form: str | None = None
    state_owned: bool = False
    has_constituent_documents: bool = True
    head: PersonName
    legal_address: Address
    facility_addresses: tuple[Address, ...] = Field(min_length=1)
    contacts: Contacts
    activity: Activity = Field(default_factory=Activity)
    services: tuple[Service, ...] = ()
    rtds: tuple[Rtd, ...] = ()
    accessibility: Accessibility | None = None
    places: Places | None = None
    specialists: tuple[SpecialistRef, ...] = ()
    employees_count: int | None = Field(default=None, ge=0)
    exchange_rates: ExchangeRates | None = None
    consents: Consents
    filled_out_on: date
    submitted_at: datetime | None = None


class SpecialistApplication(Frozen):
    """Appendix 2 with the registry fields of paragraph 12."""

    kind: Literal["specialist"]
    registration_number: str | None = None
    iin: str
    name: PersonName
    position: str
    education: str
    qualification: str
    experience_years: Decimal | None = Field(default=None, ge=0)
    experience: tuple[Experience, ...] = ()
    service_types: tuple[str, ...] = Field(min_length=1)
    address: Address
    contacts: Contacts
    has_position_document: bool = False
    consents: Consents
    filled_out_on: date
    submitted_at: datetime | None = None


class RemovalApplication(Frozen):
    """Appendix 3: application for removal from the Register or the Registry (paragraph 32.1)."""

    kind: Literal["removal"]
    registration_number: str | None = None
    supplier_name: str
    bin: str | None = None
    iin: str | None = None
    state_registration_number: str | None = None
    service_types: tuple[str, ...] = ()
    address: Address
    facility_address: Address | None = None
    contacts: Contacts
    head: PersonName
    reason: str | None = None
    consents: Consents
    filled_out_on: date
    submitted_at: datetime | None = None


class ChangeApplication(Frozen):
    """A change of the supplier's information (paragraphs 30, 31): the updated record in full."""

    kind: Literal["change"]
    registration_number: str
    changed_fields: tuple[str, ...] = Field(min_length=1)
    updated: Annotated[OrganizationApplication | SpecialistApplication, Field(discriminator="kind")]
    filled_out_on: date
    submitted_at: datetime | None = None


Application = Annotated[
    OrganizationApplication | SpecialistApplication | RemovalApplication | ChangeApplication,
    Field(discriminator="kind"),
]


# --------------------------------------------------------------------------- dossier and report


# --------------------------------------------------------------------------- state attestations


class Attestation(Frozen):
    """One attestation read, with the signatures verified over it."""

    file: str
    origin: str = Field(description="'dossier' or the source it came from.")
    type: str
    issuer: str
    system: str
    subject_bin: str | None
    subject_iin: str | None
    issued_at: datetime
    status: Literal["clear", "adverse"]
    statement: str
    details: dict[str, Any] = Field(default_factory=dict)
    sha256: str
    signatures: tuple[SignatureReport, ...] = ()


class AttestationProblem(Frozen):
    """An attestation file that could not be read as one."""

    file: str
    origin: str
    type: str | None = None
    message: str
    template: Say | None = Field(default=None, description="The message to say in the report's language.")


class Attestations(Frozen):
    """Every attestation gathered from every source, and every file that could not be read."""

    found: tuple[Attestation, ...] = ()
    problems: tuple[AttestationProblem, ...] = ()
    sources: tuple[str, ...] = ()

    def latest(self, type_id: str) -> Attestation | None:
        """The most recently issued attestation of a type."""
        mine = [a for a in self.found if a.type == type_id]
        return max(mine, key=lambda a: a.issued_at) if mine else None


class ApplicationProblem(Frozen):
    """Why `application.json` (or one of its fields) could not be taken as it is."""

    kind: Literal["missing", "unreadable", "invalid", "unknown_field"]
    field: str | None = None
    message: str
    template: Say | None = Field(default=None, description="The message to say in the report's language.")
    value: Any = None


class Dossier(Frozen):
    """The facts of one dossier: what the checks judge."""

    source: str
    at: datetime
    kind: Kind | None
    application: OrganizationApplication | SpecialistApplication | RemovalApplication | ChangeApplication | None
    application_file: str | None = None
    application_raw: dict[str, Any] | None = None
    application_problems: tuple[ApplicationProblem, ...] = ()
    files: tuple[FileFacts, ...] = ()
    submitted_at: datetime | None = None
    timeline: Timeline | None = None
    revocation_policy: str | None = Field(
        default=None, description="The revocation policy signatures were judged under (--revocation)."
    )
    timeline_error: str | None = None
    attestations: Attestations = Field(default_factory=Attestations)
    attestation_max_age_days: int = Field(default=30, description="An older attestation is not current.")
    rates: ExchangeRates | None = Field(default=None, description="Exchange rates given with --rates.")
    rates_source: str | None = None
    intake: IntakeFacts | None = Field(default=None, description="What file intake refused; none: not gathered.")

    def documents(self) -> tuple[FileFacts, ...]:
        """The attached documents (not the application, signatures or ignored files)."""
        return tuple(f for f in self.files if f.role is FileRole.DOCUMENT)

    def file(self, name: str) -> FileFacts | None:
        """The file with this dossier path, if any."""
        return next((f for f in self.files if f.name == name), None)


class DocumentEntry(Frozen):
    """One file of the dossier as the report shows it."""

    file: str
    document_type: str | None
    pages: int | None
    declared_pages: int | None
    sha256: str
    signatures: tuple[SignatureReport, ...] = ()
    role: FileRole
    size: int
    media_type: str | None = None
    canonical_name: str | None = None
    text_source: str | None = None
    details: tuple[Detail, ...] = ()
    page_sizes: tuple[tuple[int, int], ...] = Field(
        default=(), description="Per page read: width and height in pixels, the frame of the boxes on that page."
    )


class Summary(Frozen):
    """Counts of findings per outcome and per severity."""

    total: int
    outcomes: dict[str, int]
    severities: dict[str, dict[str, int]]


class Applicant(Frozen):
    """Who applied, as the application records it: what the notice of paragraph 28 is addressed to."""

    kind: Kind | None = None
    name: str | None = Field(default=None, description="Organization's full name, or the specialist's full name.")
    bin: str | None = None
    iin: str | None = None
    email: str | None = Field(default=None, description="The e-mail of the application; paragraph 28 notifies there.")
    registration_number: str | None = None


class Cause(Frozen):
    """One cause behind one or more findings (one encrypted archive, one unreadable page, no trust anchor)."""

    cause: str = Field(description="What kind of cause: 'unreadable-page', 'encrypted-archive', ... or 'finding'.")
    title: str = Field(description="The cause in words (English).")
    ground: str | None = Field(description="The one ground of paragraph 27 the cause supports, or null.")
    outcome: Outcome
    severity: Severity
    codes: tuple[str, ...]
    documents: tuple[str, ...]
    pages: tuple[int, ...] = ()
    findings: tuple[int, ...] = Field(description="Indexes into the report's findings, the first one the cause's own.")


class Report(Frozen):
    """The completeness report of one dossier (contract: add fields freely, rename none)."""

    schema_version: str = "1.0"
    tool: str
    profile: str
    dossier: str
    validated_at: datetime
    verdict: Verdict
    kind: Kind | None
    documents: tuple[DocumentEntry, ...]
    findings: tuple[Finding, ...]
    summary: Summary
    timeline: Timeline | None = None
    revocation_policy: str | None = Field(
        default=None, description="The revocation policy signatures were judged under (--revocation)."
    )
    applicant: Applicant | None = Field(default=None, description="The applicant, as the application records it.")
    causes: tuple[Cause, ...] = Field(
        default=(), description="The findings that did not pass, grouped by what caused them (each index once)."
    )
