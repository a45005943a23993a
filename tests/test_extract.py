"""Extraction on letters of many offices and formats (not only the seeds' wording).

Each case is a letter written in a ระเบียบงานสารบรรณ format with the damage OCR brings
(dropped marks, ํา, mixed digits, split lines), and the fields it must yield.
"""

from __future__ import annotations

import pytest

from pipeline import extract
from pipeline.extract import parse_number, read_document, read_text
from pipeline.lexicon import agency_of_office
from pipeline.normalise import normalise, thai_to_arabic
from pipeline.segment import segment

MILITARY_MEMO = """\
บันทึกข้อความ
ส่วนราชการ กรมยุทธการทหาร กองบัญชาการกองทัพไทย (กองนโยบาย โทร. ๐ ๒๕๗๕ ๖๐๐๐)
ที่ กห ๐๓๐๑.๑๐.๑/๒๖๐ วันที่ ๓ พ.ค. ๖๗
เรื่อง ขออนุมัติจัดการประชุมคณะทำงานพัฒนาระบบงานสารบรรณอิเล็กทรอนิกส์
เสนอ เสนาธิการทหาร
อ้างถึง คำสั่ง บก.ทท. (เฉพาะ) ที่ ๑๑๓๙/๖๖ ลง ๑๔ ธ.ค. ๖๖
๑. ตามอ้างถึง บก.ทท. ได้แต่งตั้งคณะทำงานพัฒนาระบบงานสารบรรณอิเล็กทรอนิกส์ เพื่อดำเนินการปรับปรุงระบบงานสารบรรณของหน่วยให้เป็นไปตามระเบียบสำนักนายกรัฐมนตรีว่าด้วยงานสารบรรณ
๒. เพื่อให้การดำเนินการเป็นไปด้วยความเรียบร้อย จึงขอให้หน่วยที่เกี่ยวข้องส่งรายชื่อผู้แทนให้ กยข.ยก.ทหาร ภายใน ๑๕ พ.ค. ๖๗
๓. จึงเสนอมาเพื่อกรุณาพิจารณาอนุมัติ

พลโท
(สมชาย ใจกล้า)
เจ้ากรมยุทธการทหาร
"""

DAMAGED_LETTER = """\
ด่วนมาก
ที สธ ๐๒๐๑.๐๔๓/ว ๕๖๗
กระทรวงสาธารณสุข
ถนนติวานนท์ จังหวัดนนทบุรี ๑๑๐๐๐
๑๒ ก.ค. ๒๕๖๖
เรือง ขอความร่วมมือรายงานข้อมูลบุคลากร
เรียน นายแพทย์สาธารณสุขจังหวัด ทุกจังหวัด
อ้างถึง หนังสือกระทรวงสาธารณสุข ที สธ ๐๒๐๑.๐๔๓/ว ๓๒๑ ลงวันที ๒ มิ.ย. ๒๕๖๖
สิงทิส่งมาด้วย แบบรายงานข้อมูลบุคลากร จํานวน ๑ ชุด
ตามหนังสือทีอ้างถึง กระทรวงสาธารณสุขได้ขอให้หน่วยงานในสังกัดจัดทําข้อมูลบุคลากร นั้น
ในการนี้ ขอให้ท่านรายงานข้อมูลตามแบบที่ส่งมาด้วย ให้กองบริหารทรัพยากรบุคคลทราบ ภายในวันศุกร์ที่ ๒๘ กรกฎาคม ๒๕๖๖ ก่อนเวลา ๑๖.๓๐ น. และส่งสำเนาให้สำนักงานเขตสุขภาพภายใน ๗ วัน นับแต่ได้รับหนังสือนี้
จึงเรียนมาเพื่อโปรดพิจารณาดำเนินการ
ขอแสดงความนับถือ
(นางสาวสมหญิง รักงาน)
รองปลัดกระทรวงสาธารณสุข ปฏิบัติราชการแทน
ปลัดกระทรวงสาธารณสุข
กองบริหารทรัพยากรบุคคล
โทร ๐ ๒๕๙๐ ๑๓๔๕
โทรสาร ๐ ๒๕๙๐ ๑๓๔๖
"""

ORDER = """\
คำสั่งจังหวัดขอนแก่น
ที่ ๑๒๓๔/๒๕๖๗
เรื่อง แต่งตั้งคณะกรรมการตรวจรับพัสดุ
เพื่อให้การตรวจรับพัสดุเป็นไปด้วยความเรียบร้อย จึงแต่งตั้งคณะกรรมการ ดังนี้
๑. นายสมปอง ดีใจ ประธานกรรมการ
ทั้งนี้ ตั้งแต่บัดนี้เป็นต้นไป
สั่ง ณ วันที่ ๑๕ มีนาคม พ.ศ. ๒๕๖๗
(นายสมศักดิ์ มั่นคง)
ผู้ว่าราชการจังหวัดขอนแก่น
"""

COVER_AND_FORWARDED = """\
ที่ ชม ๐๐๒๓.๓/ว ๑๕๐๒
ศาลากลางจังหวัดเชียงใหม่
ถนนโชตนา ชม ๕๐๓๐๐
๕ เมษายน ๒๕๖๗
เรื่อง การจัดงานวันท้องถิ่นไทย
เรียน นายอำเภอ ทุกอำเภอ
สิ่งที่ส่งมาด้วย สำเนาหนังสือกรมส่งเสริมการปกครองท้องถิ่น ที่ มท ๐๘๑๖.๒/ว ๘๘๘ ลงวันที่ ๒ เมษายน ๒๕๖๗ จำนวน ๑ ฉบับ
ด้วยจังหวัดเชียงใหม่ได้รับแจ้งจากกรมส่งเสริมการปกครองท้องถิ่นว่า ขอให้องค์กรปกครองส่วนท้องถิ่นจัดงานวันท้องถิ่นไทย รายละเอียดตามสิ่งที่ส่งมาด้วย
จึงเรียนมาเพื่อทราบ
ขอแสดงความนับถือ
(นายสมบัติ ใจดี)
รองผู้ว่าราชการจังหวัด ปฏิบัติราชการแทน
ผู้ว่าราชการจังหวัดเชียงใหม่
สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด
โทร ๐ ๕๓๑๑ ๒๒๓๓

ที่ มท ๐๘๑๖.๒/ว ๘๘๘
กรมส่งเสริมการปกครองท้องถิ่น
ถนนนครราชสีมา เขตดุสิต กทม. ๑๐๓๐๐
๒ เมษายน ๒๕๖๗
เรื่อง การจัดงานวันท้องถิ่นไทย
เรียน ผู้ว่าราชการจังหวัด ทุกจังหวัด
ด้วยวันที่ ๑๘ มีนาคม ของทุกปี เป็นวันท้องถิ่นไทย จึงขอให้จังหวัดแจ้งองค์กรปกครองส่วนท้องถิ่นรายงานผลการจัดงานภายในวันที่ ๓๐ เมษายน
จึงเรียนมาเพื่อโปรดพิจารณา
ขอแสดงความนับถือ
(นายขจร ศรีชวโนทัย)
อธิบดีกรมส่งเสริมการปกครองท้องถิ่น
"""


def _one(text: str):
    records = read_text(text, "t.txt")
    assert len(records) == 1, [r.number for r in records]
    return records[0]


def test_military_memo():
    r = _one(MILITARY_MEMO)
    assert r.kind == "memo"
    assert r.number.text == "กห 0301.10.1/260"
    assert (r.number.agency, r.number.code, r.number.circular, r.number.serial) == ("กห", "0301.10.1", False, "260")
    assert r.date == "2024-05-03"
    assert r.recipient == "เสนาธิการทหาร"
    assert r.sender.organization == "กรมยุทธการทหาร กองบัญชาการกองทัพไทย"
    assert r.signatory.name == "สมชาย ใจกล้า"
    assert r.signatory.position == "เจ้ากรมยุทธการทหาร"
    [ref] = r.references
    assert (ref.relation, ref.number.text, ref.number.agency, ref.date) == ("cites", "1139/66", None, "2023-12-14")
    assert ref.issuer == "บก.ทท. (เฉพาะ)"
    assert [(d.date, d.time) for d in r.deadlines] == [("2024-05-15", None)]


def test_ocr_damaged_letter():
    r = _one(DAMAGED_LETTER)
    assert r.kind == "letter" and r.urgency == "ด่วนมาก"
    assert r.number.text == "สธ 0201.043/ว 567"
    assert r.date == "2023-07-12"
    assert r.subject == "ขอความร่วมมือรายงานข้อมูลบุคลากร"
    assert r.recipient == "นายแพทย์สาธารณสุขจังหวัด ทุกจังหวัด"
    assert r.sender.organization == "กระทรวงสาธารณสุข"
    assert r.signatory.name == "นางสาวสมหญิง รักงาน"
    assert r.signatory.position == "รองปลัดกระทรวงสาธารณสุข ปฏิบัติราชการแทน ปลัดกระทรวงสาธารณสุข"
    assert r.sender.unit == "กองบริหารทรัพยากรบุคคล"
    assert r.sender.phones == ["0-2590-1345", "0-2590-1346"]
    assert [(x.relation, x.number.text, x.date) for x in r.references] == [("cites", "สธ 0201.043/ว 321", "2023-06-02")]
    assert [(e.text, e.quantity) for e in r.enclosures] == [("แบบรายงานข้อมูลบุคลากร", "1 ชุด")]
    by_date = {d.date: d for d in r.deadlines}
    assert by_date["2023-07-28"].time == "16:30"
    assert "รายงานข้อมูล" in by_date["2023-07-28"].action
    # relative deadline counted from the letter's date (no receipt stamp), with a warning
    assert by_date["2023-07-19"].relative
    assert any("computed" in w for w in r.warnings)
    assert "ำ" in r.text and "\u0e4d" not in r.text  # ํา became ำ


def test_order_dated_at_foot():
    r = _one(ORDER)
    assert r.kind == "order"
    assert r.number.text == "1234/2567" and r.number.agency is None
    assert r.date == "2024-03-15"
    assert r.signatory.name == "นายสมศักดิ์ มั่นคง"
    assert r.sender.organization == "จังหวัดขอนแก่น"


def test_cover_letter_and_forwarded_letter_split():
    cover, forwarded = read_text(COVER_AND_FORWARDED, "t.txt")
    assert cover.number.text == "ชม 0023.3/ว 1502" and forwarded.number.text == "มท 0816.2/ว 888"
    assert cover.sender.organization == "จังหวัดเชียงใหม่"
    assert cover.sender.address == "ศาลากลางจังหวัดเชียงใหม่ ถนนโชตนา ชม 50300"
    assert [(x.relation, x.number.text, x.date) for x in cover.references] == [("encloses", "มท 0816.2/ว 888", "2024-04-02")]
    assert forwarded.sender.organization == "กรมส่งเสริมการปกครองท้องถิ่น"
    # a deadline without a year takes the letter's year; 18 มีนาคม ของทุกปี is not a deadline
    assert [(d.date, d.time) for d in forwarded.deadlines] == [("2024-04-30", None)]
    assert cover.id.endswith("#1") and forwarded.id.endswith("#2")
    assert cover.id.split("#")[0] == forwarded.id.split("#")[0]


def _pages_of(text: str) -> list[str]:
    """COVER_AND_FORWARDED as a two-page scan: the forwarded letter on a page of its own."""
    first, second = text.split("\n\n", 1)
    return [first, second]


def _read_pages(pages: list[str]):
    from pipeline.types import Document, PageText

    doc = Document(path="scan.pdf", sha256="0" * 64,
                   pages=[PageText(page=n, text=t, method="ocr") for n, t in enumerate(pages, start=1)])
    return read_document(doc)


@pytest.mark.parametrize("damaged", ["NUN ๐๘๑๖.๒/ว ๘๘๘", "1 an ๐๘๑๖.๒/ว ๘๘๘", ""])
def test_a_page_that_opens_with_a_header_starts_a_letter(damaged):
    # the forwarded letter's number line as OCR damaged it (or lost it): no anchor, but
    # its page opens with the subject and recipient lines of a letter
    cover, forwarded = _pages_of(COVER_AND_FORWARDED)
    forwarded = forwarded.replace("ที่ มท ๐๘๑๖.๒/ว ๘๘๘", damaged)
    records = _read_pages([cover, "ไก\nด่วนที่สุด\n" + forwarded])
    assert [r.source.pages for r in records] == [[1], [2]]
    assert records[1].subject == "การจัดงานวันท้องถิ่นไทย" and records[1].date == "2024-04-02"
    # as one text, without its page breaks, the damaged header is not known for one
    if damaged:
        assert len(read_text(cover + "\n\nไก\nด่วนที่สุด\n" + forwarded, "t.txt")) == 1


def test_a_continuation_page_does_not_start_a_letter():
    # a letter's second page, and an enclosed form after its signature, open with body text
    cover, forwarded = _pages_of(COVER_AND_FORWARDED)
    head, body = cover.split("ด้วยจังหวัดเชียงใหม่", 1)
    form = "แบบรายงานผลการจัดงานวันท้องถิ่นไทย\nเรื่องที่รายงาน ........\nชื่อหน่วยงาน ........\n"
    records = _read_pages([head, "ด้วยจังหวัดเชียงใหม่" + body, form])
    assert len(records) == 1 and records[0].source.pages == [1, 2, 3]


def test_a_letter_whose_header_ocr_lost_is_kept_apart_from_the_next():
    # the cover letter's number line lost: the forwarded letter's is the first anchor,
    # but the text before it closes a letter (ขอแสดงความนับถือ)
    text = COVER_AND_FORWARDED.replace("ที่ ชม ๐๐๒๓.๓/ว ๑๕๐๒\n", "")
    cover, forwarded = read_text(text, "t.txt")
    assert cover.subject == "การจัดงานวันท้องถิ่นไทย" and cover.number is None
    assert forwarded.number.text == "มท 0816.2/ว 888"
    # without a closing before it, text above the first header is that letter's own
    text = "ด่วนที่สุด\nสำเนา\n" + COVER_AND_FORWARDED.split("\n\n", 1)[1]
    assert len(read_text(text, "t.txt")) == 1


@pytest.mark.parametrize(
    "text, expected",
    [
        ("ที่ มท ๐๓๐๕.๑/ว ๓๐๕๗๗", "มท 0305.1/ว 30577"),
        ("ที่ สน 0018.1/ว\n\n1044\n", "สน 0018.1/ว 1044"),
        ("ที่ พร 0023.7/ว\n\n10 มกราคม 2565", "พร 0023.7/ว"),  # blank serial: the 10 is a day
        ("ที่ กห 0301.10.1/260", "กห 0301.10.1/260"),
        ("ที่ 1139/66", "1139/66"),
        ("ที่ ศธ 04188/ว 12", "ศธ 04188/ว 12"),
        ("ที่ ศธ ๐๒๑๐. ๐๓/ว ๒๒๓๘๔", "ศธ 0210.03/ว 22384"),  # OCR split the code at its dot
        ("ที่ กห 0301. 10.1/ 440", "กห 0301.10.1/440"),
    ],
)
def test_parse_number(text, expected):
    number, _, _ = parse_number(text.split(" ", 1)[1])
    assert number.text == expected


def test_not_a_letter_gets_a_warning_not_a_guess():
    [r] = read_text("สวัสดีครับ นี่คือบันทึกส่วนตัว ไม่ใช่หนังสือราชการ\nพรุ่งนี้ไปตลาด", "note.txt")
    assert r.kind == "other"
    assert r.number is None and r.date is None and r.deadlines == []
    assert any("no document number" in w or "no date" in w for w in r.warnings) or r.kind == "other"


def test_empty_text_has_no_records():
    assert read_text("", "empty.txt") == []
    assert read_text(" \n\u200b\n", "blank.txt") == []


def test_evidence_points_at_raw_text():
    r = _one(DAMAGED_LETTER)
    [num] = r.evidence["number"]
    assert num.raw == "สธ ๐๒๐๑.๐๔๓/ว ๕๖๗" and num.page == 1
    assert r.date_text == "๑๒ ก.ค. ๒๕๖๖"


STAMPED = """\
หนังสือประทับตรา
ที่ นร ๐๕๐๕/ว ๑๒๓
ถึง กระทรวง กรม ทุกแห่ง
ด้วยสำนักงาน ก.พ. ขอแจ้งว่า ได้ปรับปรุงแบบรายงาน จึงขอให้แจ้งผลภายในวันที่ ๓๐ มิถุนายน ๒๕๖๗
สำนักงาน ก.พ.
๑๐ มิถุนายน ๒๕๖๗
"""

ANNOUNCEMENT = """\
ประกาศกระทรวงสาธารณสุข
เรื่อง มาตรการป้องกันโรคติดต่อ
ด้วยกระทรวงสาธารณสุขเห็นสมควรกำหนดมาตรการป้องกันโรคติดต่อ จึงประกาศให้ทราบโดยทั่วกัน
ประกาศ ณ วันที่ ๑ มกราคม พ.ศ. ๒๕๖๗
(นายแพทย์ สมชาย ดีมาก)
รัฐมนตรีว่าการกระทรวงสาธารณสุข
"""

MERGED_HEADER = """\
ที่ มท ๐๓๐๕.๑/ว ๑๙๖๔                    กรมการปกครอง
ถนนอัษฎางค์ กทม. ๑๐๒๐๐
วันพฤหัสบดีที่ ๒๑ มกราคม ๒๕๖๔
เรื่อง ทดสอบการอ่านหัวหนังสือ
เรียน ผู้ว่าราชการจังหวัด ทุกจังหวัด
ด้วยกรมการปกครองขอให้รายงานภายใน ๑ ก.พ. ๖๔
ขอแสดงความนับถือ
(นายธนาคม คงจิระ)
อธิบดีกรมการปกครอง
"""


@pytest.mark.parametrize(
    "text, kind, number, date, org, deadlines",
    [
        (STAMPED, "stamped", "นร 0505/ว 123", "2024-06-10", "สำนักงาน ก.พ.", ["2024-06-30"]),
        (ANNOUNCEMENT, "announcement", None, "2024-01-01", "กระทรวงสาธารณสุข", []),
        (MERGED_HEADER, "letter", "มท 0305.1/ว 1964", "2021-01-21", "กรมการปกครอง", ["2021-02-01"]),
    ],
)
def test_other_formats(text, kind, number, date, org, deadlines):
    r = _one(text)
    assert r.kind == kind
    assert (r.number.text if r.number else None) == number
    assert r.date == date
    assert r.sender.organization == org
    assert [d.date for d in r.deadlines] == deadlines


UNREADABLE_THI = """\
{line}
ศาลากลางจังหวัดนครราชสีมา
ถนนมหาดไทย นม ๓๐๐๐๐
๒๗ ธันวาคม ๒๕๔๗
เรื่อง ซักซ้อมแนวทางปฏิบัติ
เรียน นายอำเภอ ทุกอำเภอ
ด้วยจังหวัดนครราชสีมาได้รับแจ้งว่า ได้กำหนดแนวทางการดำเนินงาน จึงขอให้อำเภอดำเนินการ
จึงเรียนมาเพื่อโปรดทราบ
ขอแสดงความนับถือ
(นายสมชาย ทองคำ)
ผู้ว่าราชการจังหวัดนครราชสีมา
"""


@pytest.mark.parametrize("line,number,warned", [
    # `ที่` and the agency letters lost to OCR: the province's code stands in, with a warning
    ("Wl ๐๐๑๗.๒/ว ๓๐๓๕", "นม 0017.2/ว 3035", "sender"),
    ("fi aw ๐๐๑๗.๒/ว ๓๐๓๕", "นม 0017.2/ว 3035", "sender"),
    ("ที่ AIS ๐๐๑๗.๒/ว ๓๐๓๕", "นม 0017.2/ว 3035", "sender"),
    ("1 AN ๐๐๑๗.๒/ว ๓๐๓๕", "นม 0017.2/ว 3035", "sender"),  # ที่ read as a digit (seed 2032's 037)
    ("ที่ ส5 ๐๐๑๗.๒/ว ๓๐๓๕", "นม 0017.2/ว 3035", "sender"),  # letters no code holds
    ("ที่ นซ ๐๐๑๗.๒/ว ๓๐๓๕", "นม 0017.2/ว 3035", "sender"),  # no code, one letter shared
    # only `ที่` lost: the agency letters are read where they stand
    ("n กค ๐๓๑๐.๔/ว ๓๐๙๖๔", "กค 0310.4/ว 30964", "ที่"),
    ("กค ๐๓๑๐.๔/ว ๓๐๙๖๔", "กค 0310.4/ว 30964", None),
])
def test_a_number_line_without_a_readable_thi(line, number, warned):
    r = _one(UNREADABLE_THI.format(line=line))
    assert r.number is not None and r.number.text == number
    assert r.date == "2004-12-27"
    if warned:
        assert any(warned in w and "unreadable" in w for w in r.warnings)


@pytest.mark.parametrize("text,agency", [
    ("ที่ ภภก ๐๐๓๒/ว ๒๐๓๙๐", "ภก"),  # a doubled first letter
    ("ที่ ฑทส ๑๖๐๔.๓/ว ๓๒๐๑๑", "ทส"),  # a speck read as a rare letter
    ("ที่ สข. ๐๐๑๘.๓/ว ๒๒๐๑๙", "สข"),  # a dot read off a speck
    ("ที่ บก.ทท. ๐๔๐๑/๑๒๓", "บก.ทท."),  # dotted agencies stay
    ("ที่ สลก ๐๐๑๐/๑๒๓", "สลก"),  # an unknown three-letter code stays
    ("ที่ ซชร ๐๐๓๒/ว ๓๒๕๓๙", "ชร"),  # a stroke in front read as a letter
    ("ที่ กหอ ๐๓๐๑.๑๐.๑/๓๒๐", "กห"),  # ... or the code's dot behind
    ("ที่ กบษ ๐๓๐๓/ว ๓๖๑๓๗", "กบษ"),  # กบ or กษ: which one is not known
])
def test_agency_letters_lose_ocr_extras_only_toward_a_known_code(text, agency):
    number = parse_number(text)[0]
    assert number is not None and number.agency == agency and number.text.startswith(agency + " ")


@pytest.mark.parametrize("line,agency", [
    ("ที่ AIS ๐๒๐๖.๒/ว ๔๐๖๐\nสำนักงานปลัดกระทรวงศึกษาธิการ", "ศธ"),  # a ministry
    ("ที่ ส5 ๐๙๐๗/ว ๓๒๙๕๙ กรมอนามัย", "สธ"),  # one of its departments
    ("ที่ ศจงี้ ๐๔๐๐๖/ ๓๙๖๕๙ สำนักงานคณะกรรมการการศึกษาขั้นพื่นฐาน", "ศธ"),  # marks misread too
    ("ที่ ภภ ๐๐๒๓.๗/ว ๗๐๓๘ ศาลากลางจังหวัดภูเก็ต", "ภก"),
    ("ที่ นม ๐๐๓๒/ ๑๔๗๙๗ ศาลากลางจังหวัดสงขลา", "นม"),  # a known code is kept
    ("ที่ สบ ๐๐๓๒/ ๑๔๗๙๗ ศาลากลางจังหวัดสงขลา", "สข"),  # ... unless it is the sender's, บ for ข
    ("ที่ ตช ๐๐๑๙.๑/ ๑๔๗๙๗ ตำรวจภูธรจังหวัดสงขลา", "ตช"),  # so is an unknown one sharing no letter
    ("ที่ นว ๑๐๑๑/ว ๓๓๒๔๘ สำนักงาน ก.พ.", "นร"),  # ร read as ว (seed 2031's 013)
    ("ที่ นว ๐๐๓๒/ ๑๔๗๙๗ ศาลากลางจังหวัดนครสวรรค์", "นว"),  # นครสวรรค์'s own
])
def test_unreadable_agency_letters_come_from_the_sender(line, agency):
    r = _one(UNREADABLE_THI.replace("ศาลากลางจังหวัดนครราชสีมา\n", "").format(line=line))
    assert r.number is not None and r.number.agency == agency and r.number.text.startswith(agency + " ")


@pytest.mark.parametrize("line,subject,recipient", [
    ("Seu นายอำเภอ ทุกอำเภอ", "ซักซ้อมแนวทางปฏิบัติ", "นายอำเภอ ทุกอำเภอ"),  # bench-corpus 075
    ("ย่น นายอำเภอ ทุกอำเภอ", "ซักซ้อมแนวทางปฏิบัติ", "นายอำเภอ ทุกอำเภอ"),
    ("เวียน ปลัดจังหวัด ทุกจังหวัด", "ซักซ้อมแนวทางปฏิบัติ", "ปลัดจังหวัด ทุกจังหวัด"),  # ร read as ว
    ("เเรียน หัวหน้าส่วนราชการ ทุกส่วน", "ซักซ้อมแนวทางปฏิบัติ", "หัวหน้าส่วนราชการ ทุกส่วน"),
    # a subject's own wrapped line is no recipient's
    ("และ นายอำเภอ ทุกอำเภอ", "ซักซ้อมแนวทางปฏิบัติ", None),
    ("ประจำปี ๒๕๖๗", "ซักซ้อมแนวทางปฏิบัติ", None),
])
def test_a_recipient_line_whose_keyword_ocr_misread(line, subject, recipient):
    text = UNREADABLE_THI.format(line="ที่ นม ๐๐๑๗.๒/ว ๓๐๓๕").replace("เรียน นายอำเภอ ทุกอำเภอ", line)
    r = _one(text)
    assert r.subject == subject and r.recipient == recipient
    assert any("`เรียน` of the recipient's line is unreadable" in w for w in r.warnings) == (recipient is not None)


def test_a_misread_recipient_line_ends_the_subject_before_a_field_line():
    # seed 2032's 046: the subject's wrapped lines run on to the next field line, so the
    # misread `เรียน` line was glued to the subject (``…ฤดูแล้งเวียน ผู้ว่าราชการ…``)
    text = UNREADABLE_THI.format(line="ที่ นม ๐๐๑๗.๒/ว ๓๐๓๕").replace(
        "เรียน นายอำเภอ ทุกอำเภอ", "ในช่วงฤดูแล้ง\nเวียน ผู้ว่าราชการจังหวัดนครราชสีมา\n"
        "อ้างถึง หนังสือจังหวัดนครราชสีมา ที่ นม ๐๐๑๗.๒/ว ๓๐๐๐ ลงวันที่ ๑ ธันวาคม ๒๕๔๗")
    r = _one(text)
    assert r.subject == "ซักซ้อมแนวทางปฏิบัติในช่วงฤดูแล้ง"
    assert r.recipient == "ผู้ว่าราชการจังหวัดนครราชสีมา"


@pytest.mark.parametrize("lines,subject,recipient", [
    # a tone read over its ี and a speck after it (seed 2034's 017)
    ("เรี่ยน. นายอำเภอ ทุกอำเภอ", "ซักซ้อมแนวทางปฏิบัติ", "นายอำเภอ ทุกอำเภอ"),
    # `เรียน` lost outright under a wrapped subject (bench-corpus 100): the subject keeps its
    # wrapped line
    ("ประจำปี ๒๕๔๘\nนายอำเภอ ทุกอำเภอ (ยกเว้นอำเภอเมืองนครราชสีมา)", "ซักซ้อมแนวทางปฏิบัติประจำปี 2548",
     "นายอำเภอ ทุกอำเภอ (ยกเว้นอำเภอเมืองนครราชสีมา)"),
    # an addressee not written to all of its kind is not taken without its `เรียน`
    ("นายอำเภอเมืองนครราชสีมา", "ซักซ้อมแนวทางปฏิบัติ", None),
])
def test_a_recipient_line_whose_keyword_is_damaged_or_lost(lines, subject, recipient):
    text = UNREADABLE_THI.format(line="ที่ นม ๐๐๑๗.๒/ว ๓๐๓๕").replace("เรียน นายอำเภอ ทุกอำเภอ", lines)
    r = _one(text)
    assert r.subject == subject and r.recipient == recipient


def test_a_faxs_addressee_line_without_its_tueng():
    # seed 2026's 014: the fax's `ถึง` lost, its addressee above the subject
    r = _one("โทรสารในราชการสำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน\nที่ ศธ ๐๔๐๐๖/ว ๑๒๓๔\n"
             "วันที่ ๒ มิถุนายน ๒๕๔๔\nจาก เลขาธิการคณะกรรมการการศึกษาขั้นพื้นฐาน\nปลัดจังหวัด ทุกจังหวัด\n"
             "เรื่อง การรายงานผลการดำเนินงาน\nตามหนังสือสำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน นั้น\n"
             "จึงเรียนมาเพื่อโปรดทราบ\n")
    assert r.recipient == "ปลัดจังหวัด ทุกจังหวัด"
    assert any("has no `เรียน`" in w for w in r.warnings)


def test_a_fax_heading_under_a_receipt_stamp_and_junk():
    # bench-corpus 010: the heading is the eighth line, under junk and a stamp of four lines
    r = _one("1\nด่วนท สุด\nบแรอ๒อไว้9จเห เต เอ เว้แน่ง\nสำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด\nเลขรับ 31380\n"
             "วันที่ 27 พ.ย. 57\nเวลา 12.00 น.\nโทรสารในราชการกรม1 ๕๓๓๓\nที่ มท ๐๖๑๗/ว ๓๔๘๓๙\n"
             "วันที่ ๙ พฤศจิกายน ๒๕๕๗\nจาก อธิบดีกรมป้องกันและบรรเทาสาธารณภัย\nถึง ผู้ว่าราชการจังหวัด ทุกจังหวัด\n"
             "เรื่อง การเตรียมความพร้อมรับมือสถานการณ์อุทกภัย\nด้วยกรมป้องกันและบรรเทาสาธารณภัยขอความร่วมมือ\n")
    assert r.kind == "fax"
    assert r.sender.organization == "กรมป้องกันและบรรเทาสาธารณภัย"
    assert r.recipient == "ผู้ว่าราชการจังหวัด ทุกจังหวัด"


FAX = """\
ด่วนที่สุด
{heading}
ที่ ศธ ๐๒๑๐.๐๓/ว ๒๓๘๗
วันที่ ๔ กุมภาพันธ์ ๒๕๔๘
จาก {head}
ถึง ปลัดจังหวัด ทุกจังหวัด
เรื่อง การจัดซื้อจัดจ้างภาครัฐ
ด้วยสำนักงานปลัดกระทรวงศึกษาธิการมีความประสงค์จะดำเนินการ จึงเรียนมาเพื่อโปรดทราบ
"""


@pytest.mark.parametrize("heading,head,sender", [
    # the office the heading names sent the fax, not its head's title
    ("โทรสารในราชการสำนักงานปลัดกระทรวงศึกษาธิการ", "ปลัดกระทรวงศึกษาธิการ", "สำนักงานปลัดกระทรวงศึกษาธิการ"),
    ("โทรสารในราชการสำนักงาน ก.พ.", "เลขาธิการ ก.พ.", "สำนักงาน ก.พ."),
    ("โทรสารในว่าชการกรมควบคุมโรค", "อธิบดีกรมควบคุมโรค", "กรมควบคุมโรค"),  # ราช misread
    # a heading OCR damaged: the `จาก` line's office
    ("โทรสารในราชการกรม1 ๕๓๓๓", "อธิบดีกรมป้องกันและบรรเทาสาธารณภัย", "กรมป้องกันและบรรเทาสาธารณภัย"),
    ("โทรสารในราชการ", "อธิบดีกรมการปกครอง", "กรมการปกครอง"),
])
def test_a_faxs_sender_is_the_office_its_heading_names(heading, head, sender):
    r = _one(FAX.format(heading=heading, head=head))
    assert r.kind == "fax" and r.sender.organization == sender


def test_agency_letters_come_from_the_office_of_the_signatory():
    # the address block beside the number too damaged to name the office; the
    # signatory's position names it
    text = (UNREADABLE_THI.replace("ศาลากลางจังหวัดนครราชสีมา\n", "จำบักจงาบจ|ลัดกระทรางสึกจเาธิการ\n")
            .replace("ถนนมหาดไทย นม ๓๐๐๐๐", "ถนนราชดำเนินนอก กทม. ๑๐๓๐๐")
            .replace("ผู้ว่าราชการจังหวัดนครราชสีมา", "ปลัดกระทรวงศึกษาธิการ"))
    r = _one(text.format(line="ที่ ศอ ๐๒๑๐.๐๓/ว ๑๖๔๐๔"))
    assert r.number.text == "ศธ 0210.03/ว 16404"


def test_a_memo_number_line_below_its_receipt_stamp():
    r = _one("กองกลาง สำนักงานปลัดกระทรวง\nเลขรับ ๑๓๐๑๔\nวันที่ ๕ ก.พ. ๖๙\nเวลา ๑๔.๔๐ น.\nด่วนมาก\n"
             "บันทึกข้อความ\nส่วนราชการ กรมการปกครอง สำนักบริหารการทะเบียน โทร. ๐ ๒๓๖๔ ๖๖๐๗\n"
             "หมายเหตุ\nบันทึก\nถึง\n"
             "มท ๐๓๐๙.๑/ว 2615 วันที่ ๓ กุมภาพันธ์ ๖๙\nเรื่อง ขอเชิญประชุม\nเรียน อธิบดี\n"
             "ด้วยกรมการปกครองขอเชิญประชุม จึงเรียนมาเพื่อโปรดทราบ\n")
    assert r.number is not None and r.number.text == "มท 0309.1/ว 2615"


def test_a_blank_serial_before_a_memos_date_is_not_circular():
    number = parse_number("กค ๐๓๑๐.๔/ วันที่ ๒๕ พฤษภาคม ๒๕๔๖", header=True)[0]
    assert number is not None and number.text == "กค 0310.4/" and not number.circular


@pytest.mark.parametrize("text,expected", [
    ("กห 0301.31/.' 873 วันที่ 3 มี.ค. 52", "กห 0301.31/873"),  # specks before the serial
    ("ศธ ๐๔๐๐๙/ .๔๒๔๔", "ศธ 04009/4244"),
    ("กห 0301.31/ 3 มี.ค. 52", "กห 0301.31/"),  # a blank serial, then the day: `วันที่` lost
    ("กห 0301.31/ . 3 มี.ค. 52", "กห 0301.31/"),
    ("มท 0310/ว 1234 ๒๕ ม.ค. ๖๗", "มท 0310/ว 1234"),  # a serial, then a date
])
def test_a_header_serial_after_specks_and_never_a_dates_day(text, expected):
    number = parse_number(text, header=True)[0]
    assert number is not None and number.text == expected


def test_a_memo_number_line_whose_thi_is_lost():
    # seed 2029's 043: nothing left of `ที่` but a speck, specks between slash and serial
    text = MILITARY_MEMO.replace("ที่ กห ๐๓๐๑.๑๐.๑/๒๖๐ วันที่", ".กห 0301.31/.' 873 ท วันที่")
    r = _one(text)
    assert r.number is not None and r.number.text == "กห 0301.31/873"
    assert r.date == "2024-05-03"
    assert any("`ที่` is lost" in w for w in r.warnings)


@pytest.mark.parametrize("office,code", [
    ("กบ.ทหาร (กกบ.)", "กห"), ("กรมส่งกำลังบำรุงทหาร", "กห"), ("มณฑลทหารบกที่ ๒๓", "กห"),
    ("กองบัญชาการกองทัพไทย", "กห"), ("จังหวัดน่าน", "นน"),
    ("เลขาธิการ ก.พ.", "นร"), ("เเลขาธิการ ก.พ.ร.", "นร"),  # a fax's `จาก`: the office's head
    ("เรื่อง การตรวจเลือกทหารกองเกิน", None),  # a subject about soldiers names no office
])
def test_the_agency_code_of_an_office(office, code):
    assert agency_of_office(office) == code


@pytest.mark.parametrize("unit_line", [
    "ส่วนราชการ กบ.ทหาร (กกบ.) โทร. ๐ ๒๑๕๒ ๗๓๓๖",
    "วนราชการ กบ.ทหาร (กกบ.) โทร. ๐ ๒๑๕๒ ๗๓๓๖",  # its first letter lost (seed 2027's 020)
])
def test_a_military_directorates_unreadable_agency_letters_are_kalahom(unit_line):
    text = (MILITARY_MEMO.replace("ส่วนราชการ กรมยุทธการทหาร กองบัญชาการกองทัพไทย (กองนโยบาย โทร. ๐ ๒๕๗๕ ๖๐๐๐)",
                                  unit_line)
            .replace("ที่ กห ๐๓๐๑.๑๐.๑/๒๖๐", "ท NV ๐๓๐๑.๔๐.๒/"))
    r = _one(text)
    assert r.sender.organization.startswith("กบ.ทหาร")
    assert r.number is not None and r.number.text == "กห 0301.40.2/"


@pytest.mark.parametrize("text,expected", [
    ("ขก ๐๐๓๒ว ศาลากลางจังหวัดขอนแก่น", "ขก 0032/ว"),  # a blank serial, the slash lost
    ("ขก ๐๐๓๒ว", "ขก 0032/ว"),
    ("ขก ๐๐๓๒ว ๑๒๓๔", "ขก 0032/ว 1234"),  # a serial: as before
])
def test_a_blank_circular_number_whose_slash_ocr_lost(text, expected):
    number = parse_number(text, header=True)[0]  # seed 2027 file 002
    assert number is not None and number.text == expected


@pytest.mark.parametrize("text,expected", [
    ("สธ ๐๔๒๑.๕/) ๒๗๖๑", "สธ 0421.5/ว 2761"),
    ("นม ๐๐๑๘.๓/? ๓๑๒๔๔ . ศาลากลางจังหวัดนครราชสีมา", "นม 0018.3/ว 31244"),  # seed 2031 file 023
])
def test_a_circulars_wa_read_as_a_bracket_or_question_mark(text, expected):
    number = parse_number(text, header=True)[0]
    assert number is not None and number.text == expected


def test_a_blank_circular_number_without_its_slash_needs_a_known_agency():
    assert parse_number("กข ๐๐๓๒ว ศาลากลางจังหวัดขอนแก่น", header=True)[0] is None


@pytest.mark.parametrize("text", ["สธ ๐๔๒๑.๕ซีว ๒๕๕๗๑", "สธ ๐๔๒๑.๕ซว ๒๕๕๗๑ กรมควบคุมโรค"])
def test_a_slash_read_as_a_letter_before_the_circulars_wa(text):
    number = parse_number(text, header=True)[0]  # bench-corpus 138: the fax lost its number
    assert number is not None and number.text == "สธ 0421.5/ว 25571"


@pytest.mark.parametrize("text", ["กข 0303 5480", "กษ 03 5480", "กษ 0303 19 ธ.ค. 47"])
def test_a_number_without_its_slash_needs_a_known_agency_and_a_unit_code(text):
    assert parse_number(text, header=True)[0] is None  # unknown agency, no code, a day and month
    assert parse_number("กษ 0303 5480")[0] is None  # and only at the head of the number line


@pytest.mark.parametrize("line,number", [
    ("ที่ กจ ๐๐๑๗.๒/ว ๑๙ ๑๕๙ ศาลากลางจังหวัดกาญจนบุรี", "กจ 0017.2/ว 19159"),  # a serial OCR split
    ("ที่ กจ ๐๐๑๗.๒/ว ๑๗๐๖๔ 7 ศาลากลางจังหวัดกาญจนบุรี", "กจ 0017.2/ว 17064"),  # a speck after it
    ("fi นม ๐๐๒๓.๓/ ๒๑๙๖๗ [ ศาลากลางจังหวัดนครราชสีมา", "นม 0023.3/21967"),  # ที่ lost
    ("ลป ๐๐๑๘.๓/ ศาลากลางจังหวัดนครราชสีมา", "ลป 0018.3/"),  # ... and the serial left blank
    ("ฑทส ๑๖๐๔.๓/ว ๓๒๐๑๑", "ทส 1604.3/ว 32011"),  # ... and a speck before the agency
    ("ทส ๑๖๐๔.๓/ว ๓๒๐๑๑", "ทส 1604.3/ว 32011"),  # ที่ lost: the ท is the agency's
    ("7 ทส ๑๖๐๔.๓/ ๗๒๒๓", "ทส 1604.3/7223"),  # ที่ read as a digit
    ("ที่ บริ ๐๐๑๘.๑/ว ๒๔๙๖ ศาลากลางจังหวัดนครราชสีมา", "บร 0018.1/ว 2496"),  # a mark on the agency
    ("ทส ๑๖๐๔.๓/. ๓๔๓๓", "ทส 1604.3/3433"),  # a speck after the slash
    ("ทึกษ๐๓๐๓ 5480 กรมชลประทาน", "กษ 0303/5480"),  # ที่ glued on, the slash lost
    ("ที่ กห ๐๓๐๑.๒๐/755 755 กองทัพไทย", "กห 0301.20/755"),  # a serial read twice
    ("ที่ ชร ๐๐๑๘.๓/ว 399.68 80 ศาลากลางจังหวัดเชียงราย", "ชร 0018.3/ว 39968"),  # a speck in it
    ("ที่ ชร ๐๐๑๘.๓/ว ๓๙,๖๘๑ ศาลากลางจังหวัดเชียงราย", "ชร 0018.3/ว 39681"),  # ... read as a comma
    ("ที่ ตง ๐๐๓๒/ว ๓๗/๓๒๙ ศาลากลางจังหวัดตรัง", "ตง 0032/ว 37329"),  # ... read as a slash
    ("ที่ ตง ๐๐๓๒/ว ๓๗/๓๒๙๑๒ ศาลากลางจังหวัดตรัง", "ตง 0032/ว 37"),  # ... too many digits: not
    ("ที่ ศธ ๐๔๐๙/ .๔๒๔๔ ศาลากลางจังหวัดเชียงราย", "ศธ 0409/4244"),  # a speck before it
    ("ที่ นม ๐๐๒๓.๓ ๒๑๙๖๗ ศาลากลางจังหวัดนครราชสีมา", "นม 0023.3/21967"),  # the slash lost
    ("ที่ . กค ๐๓๑๐.๔/ว ๒๘๓๒๔", "กค 0310.4/ว 28324"),  # a speck after ที่
    ("ที่ มท ๐๘๑๐,๗/ว ๗๓๕๖", "มท 0810.7/ว 7356"),  # a comma for the code's dot
    ("ที่ กุค ๐๓๑๐.๔/ว ๓๔๔๑ กรมธนารักษ์", "กค 0310.4/ว 3441"),  # a mark inside the agency
    ("ทกค ๐๓๑๐.๔) ๓๘๙๖๘ กรมธนารักษ์", "กค 0310.4/38968"),  # the slash read as )
    ("ท มท ๐๓๑๗ว ๒๓๗๔๕ กรมการปกครอง", "มท 0317/ว 23745"),  # the slash lost before ว
    ("ที่ สธ ๐๙๑๑.๒/๙ กรมอนามัย", "สธ 0911.2/ว"),  # ว read as ๙, the serial left blank
    ("ที่ บร 0023.7/2 ศาลากลางจังหวัดบุรีรัมย์", "บร 0023.7/ว"),  # ... as 2
    ("ที่ บร ๐๐๒๓.๗/๙ ๑๒๓๔๕", "บร 0023.7/ว 12345"),  # ... before the serial
    ("71 ภก ๐๐๑๗.๒/ว ๒๒๓ ศาลากลางจังหวัดภูเก็ต", "ภก 0017.2/ว 223"),  # ที่ read as two digits
])
def test_the_header_number_as_ocr_leaves_it(line, number):
    # a cited letter's number (`ทภก` = ที่ ภก with its vowel lost) below the subject never
    # stands in for the letter's own
    text = UNREADABLE_THI.format(line=line).replace(
        "เรียน นายอำเภอ ทุกอำเภอ\n", "เรียน นายอำเภอ ทุกอำเภอ\nอ้างถึง หนังสือจังหวัด\nทภก ๐๐๒๓.๓/ว ๑๙๓๒ ลงวันที่ ๒๔ ม.ค. ๒๕๔๗\n")
    r = _one(text)
    assert r.number is not None and r.number.text == number
    assert r.date == "2004-12-27"


@pytest.mark.parametrize("stamp,number,date", [
    ("เลขรับ ๘๐๒๓\nวันที่ ๒๐ ธ.ค. ๔๗", "8023", "2004-12-20"),
    ("าเลตรับ 18281\nวันที่ 4 ก.ย. 51", "18281", "2008-09-04"),  # the keyword misread
    ("เลขรัจ| ๓๒๖๔๘\nวันที่ ๒๕ ธ.ค. ๔๖", "32648", "2003-12-25"),
    ("เลขรับ ๔๑,๐๗๒\nวันที่ ๒๙ มิ.ย. ๕๔", "41072", "2011-06-29"),  # a comma read into it
    ("เลขรับ ๓๗๐๔๑ ภร1\nวันที่ ๑๒ ต.ค. ๕๔", "37041", "2011-10-12"),  # specks after it
    ("เลขรับ ๒๙๒๕๕ 7ป7ฏ7\nวันที่ ๒๖ ก.ย. ๕๗", "29255", "2014-09-26"),  # pen strokes after it
    # a speck before it, a word of the address column beside the stamp after it
    (".เลขรับ ๑๐๓๘๙ ถนนสรี้ งก\nวันที่ ๒ เม.ย. ๔๓", "10389", "2000-04-02"),
    ("เลขรับ .4500.\nวันที่ 4 ม.ค. 53. 7ว", "4500", "2010-01-04"),  # a speck before the number
    ("เลขรับ ๒๓๑๔๐\nวับนที ๑๐ ก.พ. ๕๗", "23140", "2014-02-10"),  # the date's label misread
])
def test_receipt_stamps_as_ocr_reads_them(stamp, number, date):
    r = _one("ที่ทำการปกครองจังหวัดนครราชสีมา\n" + stamp + "\n" + UNREADABLE_THI.format(line="ที่ นม ๐๐๑๗.๒/ว ๓๐๓๕"))
    assert [(s.number, s.date) for s in r.stamps] == [(number, date)]


@pytest.mark.parametrize("line,date", [
    ("วับนที ๑๐ ก.พ. ๕๗", "2014-02-10"),
    ("วนท 29 พ.ย. 44", "2001-11-29"),
    ("จำนวน ๑๐ ก.พ. ๕๗", None),  # a word that is no วันที่
    ("วับนที ชุด ๑๐ ก.พ. ๕๗", None),  # the date not at once after it
])
def test_a_stamps_date_under_a_misread_label(line, date):
    found = extract._stamp_date_misread_label(line)
    assert (found.date.isoformat() if found else None) == date


def test_a_misread_keyword_needs_a_date_under_it():
    r = _one(UNREADABLE_THI.format(line="ที่ นม ๐๐๑๗.๒/ว ๓๐๓๕").replace(
        "ถนนมหาดไทย นม ๓๐๐๐๐\n", "ถนนมหาดไทย นม ๓๐๐๐๐\nเลขรัจ ๓๒๖๔๘\nโทร ๐๔๔\n"))
    assert r.stamps == []


@pytest.mark.parametrize("between", ["", "จังหวัดเชียงใหม่ -\nแม่\n"])
def test_an_ocr_read_stamp_belongs_to_the_letter_below_it(between):
    # the forwarded letter's receipt stamp, its keyword misread, OCR debris under it
    stamp = "จังหวัดเชียงใหม่\nาเลตรับ ๑๘๒๘๑\nวันที่ ๔ เม.ย. ๖๗\n" + between + "\n"
    text = COVER_AND_FORWARDED.replace("\n\nที่ มท ๐๘๑๖.๒/ว ๘๘๘\n", "\n\n" + stamp + "ด่วนที่สุด\nที่ มท ๐๘๑๖.๒/ว ๘๘๘\n")
    cover, forwarded = read_text(text, "t.txt")
    assert cover.stamps == []
    assert [(s.number, s.date) for s in forwarded.stamps] == [("18281", "2024-04-04")]
    # the forwarded letter's text starts at its stamp, the debris inside it
    normalised = normalise(text).text
    second = segment(normalised)[1]
    assert normalised[second.start:].startswith("จังหวัดเชียงใหม่\nาเลตรับ 18281")


YEARLESS = """\
ที่ มท ๐๘๑๖.๒/ว ๘๘๘
กรมส่งเสริมการปกครองท้องถิ่น
ถนนนครราชสีมา เขตดุสิต กทม. ๑๐๓๐๐
{day}
เรื่อง การจัดงานวันท้องถิ่นไทย
เรียน ผู้ว่าราชการจังหวัด ทุกจังหวัด
{body}
จึงเรียนมาเพื่อโปรดพิจารณา
ขอแสดงความนับถือ
(นายขจร ศรีชวโนทัย)
อธิบดีกรมส่งเสริมการปกครองท้องถิ่น
"""


@pytest.mark.parametrize(
    "day, body, expected",
    [
        # after the letter it cites: the first such day
        ("๕ มกราคม ๖", "ตามหนังสือกรมฯ ที่ มท ๐๘๑๖.๒/ว ๗๗๗ ลงวันที่ ๒๐ ธันวาคม ๒๕๖๖ นั้น", "2024-01-05"),
        ("๕ มกราคม", "ตามหนังสือกรมฯ ที่ มท ๐๘๑๖.๒/ว ๗๗๗ ลงวันที่ ๒ มกราคม ๒๕๖๖ นั้น", "2023-01-05"),
        # a year read as no year can be (a stamp's row through its first digit)
        ("๕ มกราคม ๖๕๖๗", "ตามหนังสือกรมฯ ที่ มท ๐๘๑๖.๒/ว ๗๗๗ ลงวันที่ ๒๐ ธันวาคม ๒๕๖๖ นั้น", "2024-01-05"),
        # before its deadline: the last such day
        ("๒ เมษายน ๒", "ขอให้รายงานผลภายในวันที่ ๑๐ มกราคม ๒๕๖๘", "2024-04-02"),
        # between the two
        ("๒ เมษายน", "ตามหนังสือ ลงวันที่ ๑ มีนาคม ๒๕๖๗ ขอให้รายงานภายในวันที่ ๓๐ เมษายน ๒๕๖๗", "2024-04-02"),
        # nothing to take a year from
        ("๒ เมษายน ๒", "ขอให้จังหวัดแจ้งองค์กรปกครองส่วนท้องถิ่น", None),
    ],
)
def test_a_date_whose_year_ocr_lost_takes_it_from_the_letters_it_names(day, body, expected):
    r = _one(YEARLESS.format(day=day, body=body))
    assert r.date == expected
    assert any("year of the letter's date is unreadable" in w for w in r.warnings) == (expected is not None)


def test_a_date_whose_year_is_under_a_stamp_takes_it_from_the_stamp():
    # seed 2031's 031: the stamp's ink over the year and the month's last letter
    text = YEARLESS.format(day="๑๔ พฤศจิกาย .เดชรับ", body="ขอให้จังหวัดแจ้งองค์กรปกครองส่วนท้องถิ่น").replace(
        "ที่ มท", "กองกลาง สำนักงานปลัดกระทรวง\nเลขรับ ๑๕๗๑๘\nวันที่ ๓ ธ.ค. ๖๕\nเวลา ๑๔.๐๐ น.\nที่ มท")
    r = _one(text)
    assert r.date == "2022-11-14"
    assert any("year of the letter's date is unreadable" in w and "receipt stamp" in w for w in r.warnings)


def test_a_date_above_the_number_line_is_not_the_letters():
    # a receipt stamp too damaged to be known as one: its date stands above the number
    text = UNREADABLE_THI.format(line="ที่ นม ๐๐๑๗.๒/ว ๓๐๓๕").replace(
        "ที่ นม", "สำนักงานปลัดกระทรวง\nเลบ ๑๒๓๔๕ ภ\nวันที่ ๓ ม.ค. ๔๘\nที่ นม", 1)
    r = _one(text)
    assert r.number.text == "นม 0017.2/ว 3035"
    assert r.date == "2004-12-27"


@pytest.mark.parametrize("time_line,expected", [
    ("เวลา ๑๑.๔๐ น.", "2004-12-27"),  # framed by เลขรับ and เวลา: the stamp's, though unreadable
    ("", "2004-12-03"),  # nothing says it is a stamp's: the first date below the number
])
def test_a_stamp_date_line_too_damaged_to_read_is_not_the_letters(time_line, expected):
    # bench-corpus 121: `วันหี 19 ต๓ต.ค. 48` gave ๓ ต.ค. ๔๘ as the letter's date
    stamp = "เลขรับ ๒๔๐๗๗\nวันหี ๑๙ ต๓ธ.ค. ๔๗\n" + (time_line + "\n" if time_line else "")
    text = UNREADABLE_THI.format(line="ที่ นม ๐๐๑๗.๒/ว ๓๐๓๕").replace("๒๗ ธันวาคม ๒๕๔๗\n", stamp + "๒๗ ธันวาคม ๒๕๔๗\n")
    r = _one(text)
    assert r.date == expected
    assert r.stamps == []  # a stamp without its date is not recorded


@pytest.mark.parametrize("cited,agency", [
    (["ศธ"], "ศธ"),  # an office cites its own earlier letter under the same code
    (["ศธ", "สธ"], "ศอ"),  # two agencies cited under that code: nothing to go by
    (["มท"], "ศอ"),  # shares no letter with what was read
])
def test_agency_letters_no_code_has_taken_from_the_letters_cited_under_the_same_code(cited, agency):
    refs = "".join(f"{k}. หนังสือ ที่ {a} ๐๒๑๐.๐๓/ว ๒๕๓๕{k} ลงวันที่ ๑ ก.ย. ๒๕๔๗\n" for k, a in enumerate(cited, 1))
    text = UNREADABLE_THI.format(line="ที่ ศอ ๐๒๑๐.๐๓/ว ๑๖๔๐๔").replace(
        "เรียน นายอำเภอ ทุกอำเภอ\n", "เรียน นายอำเภอ ทุกอำเภอ\nอ้างถึง " + refs)
    r = _one(text)
    assert r.number.agency == agency and r.number.text == f"{agency} 0210.03/ว 16404"
    assert any("no known code" in w for w in r.warnings) == (agency != "ศอ")


@pytest.mark.parametrize("line,agency", [
    ("ศีจิ ๐๒๑๐.๐๓/ว ๑๖๔๐๔", "ศธ"),  # letters no code holds, one shared with the cited code
    ("ท NV ๐๒๑๐.๐๓/ว ๑๖๔๐๔", "ศธ"),  # ... or a Latin one read with a misread ที่
    ("ที่ ๐๒๑๐.๐๓/ว ๑๖๔๐๔", "ศธ"),  # none read
    ("มีจิ ๐๒๑๐.๐๓/ว ๑๖๔๐๔", None),  # Thai letters read, none the cited code's
])
def test_unreadable_agency_letters_come_from_the_letters_cited_under_the_same_code(line, agency):
    # seed 2034's 034: `ศีจิ ๐๔๐๐๙/ว ๘๖๔` citing `ที่ ศธ ๐๔๐๐๙/ว ๑๑๖๖๘`, no office named
    text = (UNREADABLE_THI.replace("ศาลากลางจังหวัดนครราชสีมา\nถนนมหาดไทย นม ๓๐๐๐๐\n", "")
            .replace("ผู้ว่าราชการจังหวัดนครราชสีมา", "ผู้อำนวยการกองกลาง").format(line=line)
            .replace("เรียน นายอำเภอ ทุกอำเภอ\n", "เรียน นายอำเภอ ทุกอำเภอ\n"
                     "อ้างถึง หนังสือ ที่ ศธ ๐๒๑๐.๐๓/ว ๒๕๓๕๑ ลงวันที่ ๑ ก.ย. ๒๕๔๗\n"))
    r = _one(text)
    assert r.number is not None and r.number.agency == agency
    assert r.number.text == (f"{agency} " if agency else "") + "0210.03/ว 16404"
    assert any(("taken as ศธ" if agency else "kept without them") in w for w in r.warnings)


def test_a_cited_orders_number_below_a_damaged_number_line_is_not_the_letters():
    # seed 2026's 004: `ที่ กห 50. spd ววันที่ 14 กย. 59`, then `อ้างถึง คำสั่ง … ที่ 348/59`
    text = UNREADABLE_THI.format(line="ที่ กห 50. spd").replace(
        "เรียน นายอำเภอ ทุกอำเภอ\n", "เรียน นายอำเภอ ทุกอำเภอ\nอ้างถึง คำสั่ง บก.ทท. ที่ 348/59 ลง 16 ก.พ. 59\n")
    r = _one(text)
    assert r.number is None or r.number.text != "348/59"
    assert [x.number.text for x in r.references] == ["348/59"]


@pytest.mark.parametrize("cite,expected", [
    # ที่ glued to the agency (seed 2033's 002: ``ทสธ ๐๔๑๐.๓/๑๐๑๘๓``) or read as Latin
    ("ตามหนังสือกรมควบคุมโรค ทสธ ๐๔๑๐.๓/๑๐๑๘๓ ลงวันที่ ๒๐ มีนาคม ๒๕๔๗ นั้น", "สธ 0410.3/10183"),
    ("ตามหนังสือกรมธนารักษ์ HAA กค ๐๓๑๐.๔/ว ๒๙๘ ลงวันที่ ๒๐ มีนาคม ๒๕๔๗ นั้น", "กค 0310.4/ว 298"),
    ("อ้างถึง หนังสือกรมควบคุมโรค สธ ๐๔๑๐.๓/๑๐๑๘๓ ลงวันที่ ๒๐ มีนาคม ๒๕๔๗", "สธ 0410.3/10183"),
    # letters no agency has, before digits and a slash: no number
    ("ตามหนังสือกรมควบคุมโรค ขอ ๑๒๓๔/๕ ลงวันที่ ๒๐ มีนาคม ๒๕๔๗ นั้น", None),
])
def test_a_cited_number_whose_thi_ocr_lost_is_a_reference(cite, expected):
    text = UNREADABLE_THI.format(line="ที่ นม ๐๐๑๗.๒/ว ๓๐๓๕")
    if cite.startswith("อ้างถึง"):
        text = text.replace("เรียน นายอำเภอ ทุกอำเภอ\n", "เรียน นายอำเภอ ทุกอำเภอ\n" + cite + "\n")
    else:
        text = text.replace("ด้วยจังหวัดนครราชสีมาได้รับแจ้งว่า", cite + " จังหวัดได้รับแจ้งว่า")
    r = _one(text)
    assert [x.number.text for x in r.references if x.number] == ([expected] if expected else [])
    if expected:
        assert r.references[0].date == "2004-03-20"


@pytest.mark.parametrize("lines,expected", [
    # the enclosed letter's number wraps between its agency and its code (bench-corpus 021)
    (["สิ่งที่ส่งมาด้วย สำเนาโทรสารสำนักงานปลัดกระทรวงศึกษาธิการ ด่วนที่สุด ที่ ศธ",
      "0206.2/ว 4060 ลงวันที่ 14 พฤษภาคม 44 จำนวน 1 ชุด"], [("ศธ 0206.2/ว 4060", "2001-05-14")]),
    (["อ้างถึง หนังสือกรมควบคุมโรค ที่ สธ", "๐๔๑๐.๓/๑๐๑๘๓ ลงวันที่ ๒๐ มีนาคม ๒๕๔๗"], [("สธ 0410.3/10183", "2004-03-20")]),
    # specks about the cited date: a dot glued to ลงวันที่, a quote before the month (bench-corpus 000)
    (["สิ่งที่ส่งมาด้วย สำเนาหนังสือกรมชลประทาน ด่วน ที่ กษ ๐๓๐๓/๕๔๘๐ ลงวันที่.๑๙",
      "'ธันวาคม ๒๕๔๗ จำนวน ๑ ชุด"], [("กษ 0303/5480", "2004-12-19")]),
    (["อ้างถึง หนังสือกรมควบคุมโรค ที่ สธ ๐๔๑๐.๓/๑๐๑๘๓ ลงวันที่ ๒๐ “มีนาคม ๒๕๔๗"], [("สธ 0410.3/10183", "2004-03-20")]),
    (["อ้างถึง หนังสือกรมธนารักษ์ ที่ กค ๐๓๑๐.๔/๒๒๘๐๒ ลงวันที่ ๑ . เมษายน ๒๕๖๐"], [("กค 0310.4/22802", "2017-04-01")]),
    # อ้างถึง with its first letter lost (seed 2031's 022)
    (["างถึง หนังสือกรมป่าไม้ ด่วนที่สุด ที่ ทส ๑๖๐๔.๓/ว ๓๔๗๘๓ ลงวันที่ ๓๑ ธันวาคม ๔๐"], [("ทส 1604.3/ว 34783", "1997-12-31")]),
    (["อฮ้างถึง หนังสือกรมป่าไม้ ที่ ทส ๑๖๐๔.๓/ว ๓๔๗๘๓ ลงวันที่ ๓๑ ธันวาคม ๔๐"], [("ทส 1604.3/ว 34783", "1997-12-31")]),
    # อ้างถึง read as one Latin word (seed 2029's 027)
    (["OWEN หนังสือจังหวัดอุบลราชธานี ด่วนที่สุด ที่ อบ ๐๐๒๓.๗/ว ๘๙๓๓ ลงวันที่ ๑๔ มี.ค. ๒๕๔๓"],
     [("อบ 0023.7/ว 8933", "2000-03-14")]),
    # the second item's head lost: its number is on the first item's line (seed 2031's 021)
    (["อ้างถึง ๑. หนังสือกรมการปกครอง ที่ มท ๐๓๑๗/๘๘๓๗ ลงวันที่ ๒๔ เมษายน ๔๗",
      "วนที่สุด ที่ มท ๐๓๑๗/ว ๓๓๙๓๒ ลงวันที่ ๒๘ ธันวาคม ๔๖"],
     [("มท 0317/8837", "2004-04-24"), ("มท 0317/ว 33932", "2003-12-28")]),
    # agency letters no agency has: the issuer's code (seed 2031's 003); a known code is kept
    (["สิ่งที่ส่งมาด้วย สำเนาหนังสือกรมบัญชีกลาง ด่วนที่สุด ที่ กศ ๐๔๐๒.๒/ว ๓๗๒๗๕ ลงวันที่ ๒๖ มกราคม ๒๕๔๔ จำนวน ๑ ชุด"],
     [("กค 0402.2/ว 37275", "2001-01-26")]),
    (["อ้างถึง หนังสือจังหวัดสงขลา ที่ มท ๐๓๑๗/๘๘๓๗ ลงวันที่ ๒๔ เมษายน ๔๗"], [("มท 0317/8837", "2004-04-24")]),
])
def test_a_cited_number_wrapped_specked_or_damaged_is_a_reference(lines, expected):
    text = UNREADABLE_THI.format(line="ที่ นม ๐๐๑๗.๒/ว ๓๐๓๕").replace(
        "เรียน นายอำเภอ ทุกอำเภอ\n", "เรียน นายอำเภอ ทุกอำเภอ\n" + "\n".join(lines) + "\n")
    r = _one(text)
    assert [(x.number.text, x.date) for x in r.references if x.number] == expected


@pytest.mark.parametrize("code,cited_agency,expected", [
    ("๐๐๑๗๗.๒", "นม", "0017.2"),  # a digit read twice: the code of the letter it cites
    ("๐๐๑๗๗.๒", "มท", "00177.2"),  # cited under another agency: left alone
    ("๐๐๑๘.๒", "นม", "0018.2"),  # one digit off: a sibling division's code, left alone
])
def test_a_unit_code_with_a_digit_read_twice_comes_from_the_letters_cited(code, cited_agency, expected):
    # seed 2026's 039: `กค ๐๐๓๑๐.๔/ว ๙๔๒๑` citing `ที่ กค ๐๓๑๐.๔/ว ๑๑๕๖๔`
    text = UNREADABLE_THI.format(line=f"ที่ นม {code}/ว ๓๐๓๕").replace(
        "เรียน นายอำเภอ ทุกอำเภอ\n",
        f"เรียน นายอำเภอ ทุกอำเภอ\nอ้างถึง หนังสือ ที่ {cited_agency} ๐๐๑๗.๒/ว ๑๒๓ ลงวันที่ ๑ ก.ย. ๒๕๔๗\n")
    r = _one(text)
    assert r.number.code == expected and r.number.text == f"นม {expected}/ว 3035"
    assert any("a digit twice" in w for w in r.warnings) == (expected != thai_to_arabic(code))


@pytest.mark.parametrize("clause,time", [
    ("ภายในวันที่ ๒๐ ม.ค. ๒๕๔๘ เวลา\n๑๕.๐๐ น.", "15:00"),  # เวลา at the line's end
    ("ไม่เกินวันที่ 11 ส.ค. 2548 เวลา\n10.00", "10:00"),  # and its น. lost (seed 2026's 008)
    ("ภายในวันที่ ๒๐ ม.ค. ๒๕๔๘ เวลา\n\n๑๒.๐๐ WU.", "12:00"),  # a blank line between, น. read as Latin
    ("ภายในวันที่ ๒๐ ม.ค. ๒๕๔๘\n๑๐.๐๐ ล้านบาท", None),  # no เวลา, no น.: no time
])
def test_a_deadlines_time_on_the_next_line(clause, time):
    text = UNREADABLE_THI.format(line="ที่ นม ๐๐๑๗.๒/ว ๓๐๓๕").replace(
        "จึงเรียนมา", f"๑. รายงานผลให้จังหวัดทราบ {clause}\nจึงเรียนมา")
    deadlines = _one(text).deadlines
    assert [(d.date[:4], d.time) for d in deadlines] == [("2005", time)]


@pytest.mark.parametrize("clause,due", [
    ("ภายในวัน\nอังคารที่ ๑๑ เมษายน ๒๕๔๙", "2006-04-11"),  # the weekday under ภายในวัน (bench-corpus 023)
    ("ไม่เกินวันที่ . ๑๑ กันยายน ๒๕๔๙", "2006-09-11"),  # a speck before the day (bench-corpus 056)
    ("ในวันอังคารที่ ๑๑ เมษายน ๒๕๔๙", None),  # a day named, no cue: no deadline
])
def test_a_deadline_whose_cue_wraps_or_has_a_speck(clause, due):
    text = UNREADABLE_THI.format(line="ที่ นม ๐๐๑๗.๒/ว ๓๐๓๕").replace(
        "จึงเรียนมา", f"๑. รายงานผลให้จังหวัดทราบ {clause}\nจึงเรียนมา")
    assert [d.date for d in _one(text).deadlines] == ([due] if due else [])


@pytest.mark.parametrize("salutation,deadline", [
    ("เรียน นายอำเภอ ทุกอำเภอ", "วันที่ ๓๐ ธันวาคม ๒๕๔๗"),  # the header ends at เรียน
    ("", "ไม่เกินวันที่ ๓๐ ธันวาคม ๒๕๔๗"),  # no เรียน either: a deadline is none
    ("เรียน นายอำเภอ ทุกอำเภอ", "ไม่เกินวันที่ ๓๐ ธันวาคม ๒๕๔๗"),
])
def test_a_deadline_is_not_the_letters_date(salutation, deadline):
    # seed 2028's 036: its date line `๑๒ มีนาคม 6`, its subject `เว้อง`; the deadline
    # `ไม่เกินวันที่ ๑ เมษายน ๒๕๕๔` in the body became its date
    text = (UNREADABLE_THI.format(line="ที่ นม ๐๐๑๗.๒/ว ๓๐๓๕").replace("๒๗ ธันวาคม ๒๕๔๗\n", "")
            .replace("เรื่อง ซักซ้อมแนวทางปฏิบัติ", "เว้อง ซักซ้อมแนวทางปฏิบัติ")
            .replace("เรียน นายอำเภอ ทุกอำเภอ\n", salutation + "\n" if salutation else "")
            .replace("จึงเรียนมา", f"๑. รายงานผลให้จังหวัดทราบ {deadline}\nจึงเรียนมา"))
    assert _one(text).date is None


FAX_DATE_LOST = """\
โทรสารในราชการสำนักงานปลัดกระทรวงศึกษาธิการ
ที่ ศธ ๐๒๑๐.๐๓/ว ๒๓๘๗
{date}
จาก ปลัดกระทรวงศึกษาธิการ
ถึง ปลัดจังหวัด ทุกจังหวัด
{opener}๒. จัดส่งแบบรายงานให้สำนักงานปลัดกระทรวงศึกษาธิการ ไม่เกิน
วันที่ ๒๑ ก.พ. ๔๘
จึงเรียนมาเพื่อทราบ
(นางปิยะนุช สุขเกษม)
ปลัดกระทรวงศึกษาธิการ
"""


@pytest.mark.parametrize("date,opener,expected", [
    ("วันที่ ๔ ก.พ. ๔๘", "", "2005-02-04"),
    # seed 2029's 042: the fax's date line unreadable; its deadline, ``ไม่เกิน`` ending the
    # line above, became its date. The header ends at the body's first paragraph, and
    # without one a date under ``… ไม่เกิน`` is a deadline
    ("วันที่ ๔1ก.ุพ.๔๘", "ด้วยสำนักงานปลัดกระทรวงศึกษาธิการมีความประสงค์จะดำเนินการ\n", None),
    ("วันที่ ๔1ก.ุพ.๔๘", "", None),
    # nor is a meeting's date in the body
    ("วันที่ ๔1ก.ุพ.๔๘", "ด้วยสำนักงานปลัดกระทรวงศึกษาธิการกำหนดประชุม ในวันที่\n๒๘ ก.พ. ๔๘ เวลา ๐๙.๓๐ น.\n", None),
])
def test_a_deadline_under_its_words_is_not_a_faxs_date(date, opener, expected):
    r = _one(FAX_DATE_LOST.format(date=date, opener=opener))
    assert r.kind == "fax" and r.date == expected


@pytest.mark.parametrize("time_line,expected", [
    ("เวลา ๑๒.๑๐ น.", None),  # a date with its time under it: a stamp's, its number line lost
    ("", None),  # a letter's date line never opens with วันที่
])
def test_a_stamp_without_its_number_line_gives_the_letter_no_date(time_line, expected):
    # bench-corpus 047: the stamp's `เลขรับ` line unreadable, the letter's date line lost;
    # the stamp's ๕ ธ.ค. ๔๗ became the letter's date
    stamp = "ที่ทำการปกครองจังหวัดลำพูน\nะลจงขนาดเอ็ฒ(@๕7225) 7\nวันที่ ๕ ธ.ค. ๔๗\n" + (time_line + "\n" if time_line else "")
    text = UNREADABLE_THI.format(line="ที่ นม ๐๐๑๗.๒/ว ๓๐๓๕").replace("๒๗ ธันวาคม ๒๕๔๗\n", stamp)
    r = _one(text)
    assert r.date == expected


def test_a_header_date_before_1932_is_no_letters_date():
    text = UNREADABLE_THI.format(line="ที่ นม ๐๐๑๗.๒/ว ๓๐๓๕")
    assert _one(text).date == "2004-12-27"
    assert _one(text.replace("๒๗ ธันวาคม ๒๕๔๗", "๒๗ ธันวาคม ๒๔๔๔")).date is None  # ๒๕๕๕ read ๒๔๔๔


@pytest.mark.parametrize("heading", ["บันทึกข้อความ\nส่วนราชการ กรมการปกครอง โทร. ๐ ๒๒๒๒ ๒๒๒๒\n",
                                     "จาก อธิบดีกรมการปกครอง\n"])
def test_memos_and_faxes_keep_a_date_line_opening_with_wanthi(heading):
    r = _one(heading + "ที่ มท ๐๓๐๕.๑/ว ๑๙๖๔\nวันที่ ๒๒ มกราคม ๒๕๖๔\nเรื่อง ขอเชิญประชุม\nเรียน ผู้ว่าราชการจังหวัด\n"
             "ตามที่กรมการปกครองได้แจ้ง นั้น\n")
    assert r.date == "2021-01-22"


def test_a_stamp_with_pen_strokes_between_its_number_and_date_is_a_stamp():
    # bench-corpus 116: the stamp's date, a line of debris under its number, became the
    # letter's (whose own date line the stamp covered)
    stamp = "ที่ว่าการอำเภอเมืองแพร่\nเลฆรับ ๐๑๑๔๘๗\n๐, ล 2๖๐๐-\nวันที่ ๑ ต.ค. ๒๕๖๘\n"
    r = _one(UNREADABLE_THI.format(line="ที่ นม ๐๐๑๗.๒/ว ๓๐๓๕").replace("๒๗ ธันวาคม ๒๕๔๗\n", stamp))
    assert [(s.number, s.date) for s in r.stamps] == [("011487", "2025-10-01")]
    assert r.date is None


@pytest.mark.parametrize("line,number", [
    ("ก็ ทส ๑๖๐๔.๓/วง ๔๖๖๒ วันที่ ๓๐ มีนาคม ๒๕๕๕", "ทส 1604.3/ว 4662"),  # seed 2026 024
    ("NAW ๑๖๐๔.๓/วฮ่๔๖๖๒ วันที่ ๓๐ มีนาคม ๒๕๕๕", "1604.3/ว 4662"),  # the agency unread too
])
def test_a_specked_circular_wa_on_a_number_line_whose_thi_is_unreadable(line, number):
    r = _one("บันทึกข้อความ\nส่วนราชการ กรมป่าไม้ สำนักจัดการป่าชุมชน โทร. ๐ ๒๗๔๖ ๒๔๓๑\n" + line + "\n"
             "เรื่อง ขอเชิญประชุม\nเรียน อธิบดีกรมป่าไม้\nด้วยสำนักจัดการป่าชุมชนขอเชิญประชุม จึงเรียนมาเพื่อโปรดทราบ\n")
    assert r.number is not None and r.number.text.endswith(number) and r.number.circular


@pytest.mark.parametrize("number_line,body,expected", [
    ("ที่ กษ ๐๓๐๓/ ๑๐๒๒ วันที่ ๑ ก.พ. ๒๕๖๖", "", "2023-02-01"),
    ("ที่ กษ ๐๓๐๓/ ๑๐๒๒", "วันที่ ๑ ก.พ. ๒๕๖๖\n", "2023-02-01"),  # OCR split the number line
    # bench-corpus 079: the number line's date read ``G``; the receipt stamp's date above
    # it became the memo's
    ("กษ ๐๓๐๓/ ๑๐๒๒ วันที่ G", "", None),
    # bench-corpus 034: a meeting's date far down a memo whose subject OCR lost
    ("กษ ๐๓๐๓/ ๑๐๒๒ วันที่ G", "ข้อความ\nอีกบรรทัด\nใน ‘ail 6 ธ.ค. 2565 เวลา\n", None),
])
def test_a_memo_is_dated_on_its_number_line_or_just_below(number_line, body, expected):
    r = _one("ด่วนที่สุด\nบันทึกข้อความ\nกองกลาง สำนักงานปลัดกระทรวง\nวันที่ 6 ก.พ. 66\n"
             "ส่วนราชการ กรมชลประทาน สำนักบริหารจัดการน้ำ โทร. ๐ ๒๔๗๔ ๓๓๑๑\n" + number_line + "\n" + body
             + "เสนอ หัวหน้าส่วนราชการ\nด้วยกรมชลประทานขอรายงานผล จึงเรียนมาเพื่อโปรดทราบ\n")
    assert r.kind == "memo" and r.date == expected


def test_a_memo_dates_itself_on_its_number_line_not_on_a_stamps_date_line():
    # seed 2030 file 030: the stamp's number line and the memo's number unreadable; the
    # stamp's date line, above the memo's number line, gave the memo its date
    r = _one("สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด\nวันที่ ๔ ม.ค. ๕๓\n\nบันทึกข้อความ\n"
             "ส่วนราชการ กรมบัญชีกลาง กองกฎหมาย โทร. ๐ ๒๑๒๗ ๗๐๐๐\n"
             "ท กค none ซ์ ๑๕๖ 0 ) วันที่ ๒๖ ธันวาคม ๒๕๕๒\nเรื่อง ขอเชิญประชุม\nเรียน อธิบดี\n"
             "ด้วยกรมบัญชีกลางขอเชิญประชุม จึงเรียนมาเพื่อโปรดทราบ\n")
    assert r.date == "2009-12-26"
