"""The small data types passed between stages, and the record contract.

`Record` and its parts follow ``../shared/design/record.md`` field for field; the
JSON Schema printed by ``circulars schema`` is generated from these classes, never
written by hand. Extra fields (``evidence``, ``kind_text`` …) are allowed by the
contract and documented here.

Page-level types (`Word`, `PageText`, `Document`) carry OCR output and the text a
letter was read from, so that every extracted value can point back at its page.
"""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, model_validator

Kind = Literal["letter", "memo", "fax", "stamped", "order", "announcement", "other"]
Relation = Literal["cites", "encloses"]
Status = Literal["resolved", "ambiguous", "unresolved"]
PageMethod = Literal["text", "text-layer", "ocr"]

ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
HH_MM = r"^\d{2}:\d{2}$"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


# --------------------------------------------------------------------------- pages


class Box(_Model):
    """A rectangle in page pixels, origin top-left."""

    left: int = Field(description="x of the left edge")
    top: int = Field(description="y of the top edge")
    right: int = Field(description="x of the right edge (>= left)")
    bottom: int = Field(description="y of the bottom edge (>= top)")

    @model_validator(mode="after")
    def _ordered(self) -> "Box":
        if self.right < self.left or self.bottom < self.top:
            raise ValueError(f"box edges out of order: {self}")
        return self


class Word(_Model):
    """One word as the OCR engine saw it."""

    text: str = Field(description="the word's text after our corrections")
    raw: Optional[str] = Field(default=None, description="the engine's own text, where we changed it")
    box: Box = Field(description="where the word stands on its page")
    conf: float = Field(description="engine confidence 0-100 (-1 where unknown)")
    line: int = Field(default=0, description="index of the line on the page, in reading order")
    start: Optional[int] = Field(default=None, description="offset of the word in PageText.text")


class PageText(_Model):
    """The text of one page and how it was obtained."""

    page: int = Field(description="1-based page number in the source file")
    text: str = Field(description="the page's text (raw: not yet normalised)")
    method: PageMethod = Field(description="text = plain text input, text-layer = PDF text, ocr = our OCR")
    words: list[Word] = Field(default_factory=list, description="word boxes (OCR only)")
    width: Optional[int] = Field(default=None, description="page image width in pixels (OCR only)")
    height: Optional[int] = Field(default=None, description="page image height in pixels (OCR only)")
    warnings: list[str] = Field(default_factory=list, description="problems met reading this page")


class Document(_Model):
    """One input file as pages of text: what extraction reads."""

    path: str = Field(description="path of the input file as given")
    sha256: str = Field(description="sha256 of the file's bytes")
    pages: list[PageText] = Field(default_factory=list, description="pages in order")
    warnings: list[str] = Field(default_factory=list, description="problems met reading the file")


# --------------------------------------------------------------------------- record parts


class Source(_Model):
    """Where a letter was read from."""

    path: str = Field(description="path of the input file as given")
    sha256: str = Field(description="sha256 of the input file's bytes")
    letter_index: int = Field(ge=1, description="1-based position of the letter in its file")
    pages: list[int] = Field(default_factory=list, description="1-based pages the letter spans")


class DocNumber(_Model):
    """A document number (เลขที่หนังสือ), canonical as in record.md."""

    text: str = Field(description="canonical form: 'มท 0305.1/ว 30577', 'กห 0301.10.1/260', '1139/66'")
    agency: Optional[str] = Field(default=None, description="agency letters (รหัสตัวพยัญชนะ), e.g. 'มท'; null for orders")
    code: Optional[str] = Field(default=None, description="numeric unit code, e.g. '0305.1'")
    circular: bool = Field(default=False, description="True for a circular (ว) number")
    serial: Optional[str] = Field(default=None, description="the serial after '/', digits only where readable")


class Sender(_Model):
    """The issuing office."""

    organization: Optional[str] = Field(default=None, description="issuing organisation, e.g. 'จังหวัดสกลนคร'")
    address: Optional[str] = Field(default=None, description="postal address under the organisation")
    unit: Optional[str] = Field(default=None, description="owner unit (ส่วนราชการเจ้าของเรื่อง) at the foot")
    phones: list[str] = Field(default_factory=list, description="phone / fax numbers, Arabic digits")
    emails: list[str] = Field(default_factory=list, description="e-mail addresses")


class Signatory(_Model):
    """Who signed."""

    name: Optional[str] = Field(default=None, description="name with title as printed in brackets")
    position: Optional[str] = Field(default=None, description="position lines under the name, joined")


class Reference(_Model):
    """A letter this letter cites or encloses."""

    relation: Relation = Field(description="cites (อ้างถึง, ตามหนังสือ…) or encloses (สิ่งที่ส่งมาด้วย)")
    number: Optional[DocNumber] = Field(default=None, description="the cited letter's number")
    date: Optional[str] = Field(default=None, pattern=ISO_DATE, description="the cited letter's date")
    issuer: Optional[str] = Field(default=None, description="the cited letter's issuer as named")
    text: str = Field(description="the reference as written (normalised text)")
    resolved_id: Optional[str] = Field(default=None, description="id of the record it resolves to")
    status: Status = Field(default="unresolved", description="resolved / ambiguous / unresolved")
    candidates: list["Candidate"] = Field(default_factory=list, description="scored candidates when ambiguous")


class Candidate(_Model):
    """A record a reference may point at, with the linker's score."""

    id: str = Field(description="record id")
    score: float = Field(description="0..1, higher is more likely")


class Enclosure(_Model):
    """An item under สิ่งที่ส่งมาด้วย."""

    text: str = Field(description="the item as written")
    quantity: Optional[str] = Field(default=None, description="'1 ชุด', '1 ฉบับ' …")


class Deadline(_Model):
    """Something the recipient must do by a date."""

    date: str = Field(pattern=ISO_DATE, description="due date")
    time: Optional[str] = Field(default=None, pattern=HH_MM, description="due time HH:MM where given")
    action: Optional[str] = Field(default=None, description="what must be done, from the sentence")
    text: str = Field(description="the deadline phrase as written, e.g. 'ภายในวันที่ 29 มกราคม 2564'")
    relative: bool = Field(default=False, description="computed from 'ภายใน N วัน' against another date")


class Stamp(_Model):
    """A receipt stamp (ตรารับหนังสือ)."""

    office: Optional[str] = Field(default=None, description="receiving office named on the stamp")
    number: Optional[str] = Field(default=None, description="receipt number (เลขรับ)")
    date: Optional[str] = Field(default=None, pattern=ISO_DATE, description="date received")
    time: Optional[str] = Field(default=None, pattern=HH_MM, description="time received")


class Evidence(_Model):
    """Where a field's value was read: page and character span of the letter text."""

    page: Optional[int] = Field(default=None, description="1-based page of the source file")
    start: int = Field(description="start offset in Record.text")
    end: int = Field(description="end offset in Record.text")
    raw: str = Field(description="the source text of the span before normalisation")


class Record(_Model):
    """One letter. The contract of record.md."""

    id: str = Field(description="stable id: first 12 hex of the file's sha256, '#', letter index")
    source: Source
    kind: Kind = Field(description="letter / memo / fax / stamped / order / announcement / other")
    urgency: Optional[str] = Field(default=None, description="ด่วน / ด่วนมาก / ด่วนที่สุด")
    secrecy: Optional[str] = Field(default=None, description="ลับ / ลับมาก / ลับที่สุด")
    number: Optional[DocNumber] = None
    date: Optional[str] = Field(default=None, pattern=ISO_DATE, description="date of the letter, Gregorian")
    date_text: Optional[str] = Field(default=None, description="the date as written")
    subject: Optional[str] = Field(default=None, description="เรื่อง")
    recipient: Optional[str] = Field(default=None, description="เรียน / เสนอ / ถึง")
    sender: Sender = Field(default_factory=Sender)
    signatory: Signatory = Field(default_factory=Signatory)
    references: list[Reference] = Field(default_factory=list)
    enclosures: list[Enclosure] = Field(default_factory=list)
    deadlines: list[Deadline] = Field(default_factory=list)
    stamps: list[Stamp] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list, description="failed checks in plain words")
    text: str = Field(default="", description="the letter's normalised text")
    evidence: dict[str, list[Evidence]] = Field(
        default_factory=dict, description="extra: field name -> where its value was read"
    )


Reference.model_rebuild()


def record_json_schema() -> dict:
    """The JSON Schema of one record, generated from `Record`."""
    schema = Record.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://circulars.local/schema/record.json"
    return schema
