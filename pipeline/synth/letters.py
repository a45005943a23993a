"""Synthetic Thai official letters (หนังสือราชการ) with gold labels.

`make_letter(seed, index)` writes one letter following ระเบียบงานสารบรรณ: a
หนังสือภายนอก (external letter), a บันทึกข้อความ (memo), a โทรสาร (fax) or a
military-style memo. The letter comes out as layout `Block`s (what is printed,
where, in which hand) plus its gold record in the record.md shape. The exact
gold text of each page is known only after line breaking, so `render.py`
produces it.

Everything is drawn from one `random.Random` seeded with ``f"{seed}:{index}"``:
the same seed and index give the same letter on every machine.

The wording is composed from small phrase tables below (real ministries,
departments, provinces and agency codes; invented people and topics); it does not
copy the seed letters.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field, replace
from typing import Literal, Optional

from ..types import DocNumber

# --------------------------------------------------------------------------- digits and dates

THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
ARABIC_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")

MONTHS_FULL = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)
MONTHS_ABBR = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)
WEEKDAYS = ("จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์", "อาทิตย์")

Digits = Literal["thai", "arabic"]


def digits(text: str, style: Digits) -> str:
    """Write the digits of `text` in Thai (๑๒๓) or Arabic (123) form."""
    return text.translate(THAI_DIGITS if style == "thai" else ARABIC_DIGITS)


def _format_thai_date(
    date: dt.date, *, month: str = "full", digits_: str = "thai", year: str = "be4", weekday: bool = False
) -> str:
    """Fallback for `pipeline.thaidate.format_thai_date`: '๒๗ มกราคม ๒๕๖๔', '๓ พ.ค. ๖๗'."""
    months = MONTHS_FULL if month == "full" else MONTHS_ABBR
    be = date.year + 543
    y = {"be4": str(be), "be2": f"{be % 100:02d}", "ce": str(date.year)}[year]
    text = f"{date.day} {months[date.month - 1]} {y}"
    if weekday:
        text = f"วัน{WEEKDAYS[date.weekday()]}ที่ {text}"
    return digits(text, "thai" if digits_ == "thai" else "arabic")


def format_date(date: dt.date, *, month: str, digit_style: Digits, year: str, weekday: bool = False) -> str:
    """A Thai date as printed, through `pipeline.thaidate` where that module exists."""
    try:
        from ..thaidate import format_thai_date  # written by another stage; optional here
    except ImportError:
        return _format_thai_date(date, month=month, digits_=digit_style, year=year, weekday=weekday)
    return format_thai_date(date, month=month, digits=digit_style, year=year, weekday=weekday)


# --------------------------------------------------------------------------- phrase tables

#: (agency letters, ministry, [(department, department code, head's title, [(unit code, owner unit)])])
MINISTRIES = (
    ("มท", "กระทรวงมหาดไทย", (
        ("กรมการปกครอง", "0300", "อธิบดีกรมการปกครอง", (
            ("0305.1", "กองวิชาการและแผนงาน ส่วนแผนงานยุทธศาสตร์"),
            ("0309.1", "สำนักบริหารการทะเบียน ส่วนบริหารการทะเบียน"),
            ("0314", "สำนักการสอบสวนและนิติการ"),
            ("0317", "ศูนย์ดำรงธรรม กรมการปกครอง"))),
        ("กรมส่งเสริมการปกครองท้องถิ่น", "0800", "อธิบดีกรมส่งเสริมการปกครองท้องถิ่น", (
            ("0810.7", "กองพัฒนาและส่งเสริมการบริหารงานท้องถิ่น กลุ่มงานส่งเสริมการพัฒนาเศรษฐกิจ"),
            ("0816.3", "กองส่งเสริมและพัฒนาการจัดการศึกษาท้องถิ่น กลุ่มส่งเสริมการจัดการศึกษา"),
            ("0808.2", "กองการเจ้าหน้าที่ กลุ่มงานสรรหาและบรรจุแต่งตั้ง"))),
        ("กรมป้องกันและบรรเทาสาธารณภัย", "0600", "อธิบดีกรมป้องกันและบรรเทาสาธารณภัย", (
            ("0617", "สำนักมาตรการป้องกันสาธารณภัย ส่วนป้องกันสาธารณภัย"),
            ("0603", "กองการเจ้าหน้าที่"))),
        ("กรมการพัฒนาชุมชน", "0400", "อธิบดีกรมการพัฒนาชุมชน", (
            ("0410.5", "สำนักส่งเสริมภูมิปัญญาท้องถิ่นและวิสาหกิจชุมชน"),
            ("0403.2", "กองแผนงาน กลุ่มงานติดตามและประเมินผล"))),
        ("สำนักงานปลัดกระทรวงมหาดไทย", "0200", "ปลัดกระทรวงมหาดไทย", (
            ("0218", "สำนักพัฒนาระบบบริหาร"),
            ("0211.3", "สำนักนโยบายและแผน กลุ่มงานยุทธศาสตร์"))),
    )),
    ("ศธ", "กระทรวงศึกษาธิการ", (
        ("สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน", "04000", "เลขาธิการคณะกรรมการการศึกษาขั้นพื้นฐาน", (
            ("04006", "สำนักพัฒนานวัตกรรมการจัดการศึกษา"),
            ("04009", "สำนักบริหารงานการมัธยมศึกษาตอนปลาย"))),
        ("สำนักงานปลัดกระทรวงศึกษาธิการ", "0200", "ปลัดกระทรวงศึกษาธิการ", (
            ("0210.03", "สำนักนโยบายและยุทธศาสตร์"),
            ("0206.2", "สำนักอำนวยการ กลุ่มสารบรรณ"))),
    )),
    ("สธ", "กระทรวงสาธารณสุข", (
        ("กรมควบคุมโรค", "0400", "อธิบดีกรมควบคุมโรค", (
            ("0410.3", "กองโรคติดต่อทั่วไป กลุ่มพัฒนาระบบ"),
            ("0421.5", "กองระบาดวิทยา"))),
        ("กรมอนามัย", "0900", "อธิบดีกรมอนามัย", (
            ("0907", "สำนักส่งเสริมสุขภาพ"),
            ("0911.2", "กองแผนงาน"))),
    )),
    ("กค", "กระทรวงการคลัง", (
        ("กรมบัญชีกลาง", "0400", "อธิบดีกรมบัญชีกลาง", (
            ("0402.2", "กองการพัสดุภาครัฐ"),
            ("0405.2", "กองระบบการคลังภาครัฐ"),
            ("0421.3", "กองกฎหมาย"))),
        ("กรมธนารักษ์", "0300", "อธิบดีกรมธนารักษ์", (
            ("0310.4", "กองบริหารที่ราชพัสดุ"),)),
    )),
    ("กษ", "กระทรวงเกษตรและสหกรณ์", (
        ("กรมส่งเสริมการเกษตร", "1000", "อธิบดีกรมส่งเสริมการเกษตร", (
            ("1008", "กองส่งเสริมการผลิตพืช"),
            ("1003.4", "กองแผนงาน"))),
        ("กรมชลประทาน", "0300", "อธิบดีกรมชลประทาน", (
            ("0303", "สำนักบริหารจัดการน้ำและอุทกวิทยา"),)),
    )),
    ("นร", "สำนักนายกรัฐมนตรี", (
        ("สำนักงาน ก.พ.", "1000", "เลขาธิการ ก.พ.", (
            ("1008", "ศูนย์กฎหมายและระเบียบบริหารงานบุคคล"),
            ("1011", "สถาบันพัฒนาข้าราชการพลเรือน"))),
        ("สำนักงานปลัดสำนักนายกรัฐมนตรี", "0100", "ปลัดสำนักนายกรัฐมนตรี", (
            ("0107", "สำนักงานพัฒนาระบบราชการ"),
            ("0105.04", "กองกลาง"))),
    )),
    ("ทส", "กระทรวงทรัพยากรธรรมชาติและสิ่งแวดล้อม", (
        ("กรมป่าไม้", "1600", "อธิบดีกรมป่าไม้", (
            ("1604.3", "สำนักจัดการป่าชุมชน"),)),
    )),
)

#: (agency letters, province, seat of the provincial hall, street, postcode)
PROVINCES = (
    ("สน", "สกลนคร", "ถนนศูนย์ราชการ", "47000"),
    ("ลพ", "ลำพูน", "ถนนอินทยงยศ", "51000"),
    ("พร", "แพร่", "ถนนไชยบูรณ์", "54000"),
    ("มห", "มุกดาหาร", "ถนนวิวิธสุรการ", "49000"),
    ("ขก", "ขอนแก่น", "ถนนศูนย์ราชการ", "40000"),
    ("ชม", "เชียงใหม่", "ถนนโชตนา", "50300"),
    ("ชร", "เชียงราย", "ถนนแม่ฟ้าหลวง", "57000"),
    ("นน", "น่าน", "ถนนสุริยพงษ์", "55000"),
    ("บร", "บุรีรัมย์", "ถนนหลักเมือง", "31000"),
    ("อบ", "อุบลราชธานี", "ถนนแจ้งสนิท", "34000"),
    ("สข", "สงขลา", "ถนนราชดำเนิน", "90000"),
    ("ภก", "ภูเก็ต", "ถนนนริศร", "83000"),
    ("ตง", "ตรัง", "ถนนพระรามหก", "92000"),
    ("กจ", "กาญจนบุรี", "ถนนแสงชูโต", "71000"),
    ("นม", "นครราชสีมา", "ถนนมหาดไทย", "30000"),
    ("ลป", "ลำปาง", "ถนนบุญวาทย์", "52000"),
)

#: Provincial offices: (unit code, owner unit printed at the foot, short name used in the body)
PROVINCIAL_UNITS = (
    ("0017.2", "สำนักงานจังหวัด กลุ่มงานอำนวยการ", "สำนักงานจังหวัด"),
    ("0018.1", "ที่ทำการปกครองจังหวัด กลุ่มงานปกครอง", "ที่ทำการปกครองจังหวัด"),
    ("0018.3", "ที่ทำการปกครองจังหวัด กลุ่มงานการเจ้าหน้าที่", "ที่ทำการปกครองจังหวัด"),
    ("0023.3", "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด กลุ่มงานส่งเสริมและพัฒนาท้องถิ่น",
     "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด"),
    ("0023.7", "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด กลุ่มงานกฎหมาย", "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด"),
    ("0032", "สำนักงานป้องกันและบรรเทาสาธารณภัยจังหวัด ฝ่ายป้องกัน", "สำนักงานป้องกันและบรรเทาสาธารณภัยจังหวัด"),
)

TITLES = ("นาย", "นาย", "นาย", "นาง", "นางสาว", "ว่าที่ร้อยตรี")
GIVEN_M = ("สมชาย", "ประยูร", "วิเชียร", "ธนากร", "อรรถพล", "ชาตรี", "สุรพล", "กิตติศักดิ์", "ณัฐวุฒิ",
           "พงศ์ศักดิ์", "วีระ", "อนุชา", "ภาณุวัฒน์", "เกรียงไกร", "ทวีศักดิ์", "ปกรณ์")
GIVEN_F = ("สุนันทา", "วราภรณ์", "กัลยา", "ปิยะนุช", "รัชนี", "อรุณี", "จิราพร", "ศิริพร", "ดวงใจ", "นันทนา")
FAMILY = ("ใจดี", "ศรีสุข", "บุญมา", "วงศ์สวัสดิ์", "แก้วมณี", "ทองคำ", "จันทร์เพ็ญ", "พรหมสุวรรณ",
          "สุขเกษม", "รัตนพันธ์", "ชัยมงคล", "อินทร์แก้ว", "ปัญญาดี", "ศรีวงศ์", "มณีรัตน์", "เพชรสุวรรณ",
          "นาคประเสริฐ", "ธนสาร")

TOPICS = (
    "การป้องกันและแก้ไขปัญหาฝุ่นละอองขนาดเล็ก (PM 2.5)",
    "การจัดทำแผนพัฒนาท้องถิ่น",
    "การส่งเสริมการท่องเที่ยวชุมชน",
    "การบริหารจัดการน้ำในช่วงฤดูแล้ง",
    "การป้องกันและควบคุมโรคไข้เลือดออก",
    "การจัดเก็บข้อมูลความจำเป็นพื้นฐาน (จปฐ.)",
    "การพัฒนาระบบบริการประชาชนผ่านระบบอิเล็กทรอนิกส์ (e-Service)",
    "การประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA)",
    "การจัดซื้อจัดจ้างภาครัฐผ่านระบบ e-GP",
    "การรณรงค์ป้องกันและลดอุบัติเหตุทางถนนช่วงเทศกาลสงกรานต์",
    "การส่งเสริมผลิตภัณฑ์หนึ่งตำบลหนึ่งผลิตภัณฑ์ (OTOP)",
    "การเตรียมความพร้อมรับมือสถานการณ์อุทกภัย",
    "การคัดเลือกข้าราชการผู้มีผลงานดีเด่น",
    "การจัดงานวันเด็กแห่งชาติ",
    "การฝึกอบรมหลักสูตรการบริหารงานภาครัฐแนวใหม่",
    "การปรับปรุงฐานข้อมูลทะเบียนราษฎร",
    "การรับสมัครอาสาสมัครป้องกันภัยฝ่ายพลเรือน (อปพร.)",
    "การเบิกจ่ายงบประมาณรายจ่ายลงทุน",
)
SUBJECT_FRAMES = (
    "ขอความร่วมมือ{topic}",
    "แนวทางการดำเนินการ{topic} ประจำปีงบประมาณ พ.ศ. {fy}",
    "ขอเชิญประชุมชี้แจงเรื่อง{topic}",
    "การรายงานผลการดำเนินงาน{topic}",
    "ซักซ้อมแนวทางปฏิบัติเกี่ยวกับ{topic}",
    "ขอให้จัดส่งข้อมูล{topic}",
    "{topic} ประจำปี พ.ศ. {fy}",
)
ENCLOSURE_ITEMS = (
    "แบบรายงานผลการดำเนินงาน", "คู่มือการปฏิบัติงาน", "แนวทางการดำเนินงาน", "กำหนดการประชุม",
    "รายชื่อผู้เข้ารับการฝึกอบรม", "แบบสำรวจข้อมูล", "QR Code เอกสารประกอบการประชุม", "ปฏิทินการดำเนินงาน",
    "หลักเกณฑ์และวิธีการคัดเลือก", "สรุปผลการประชุม",
)
QUANTITIES = ("๑ ชุด", "๑ ชุด", "๑ ชุด", "๑ ฉบับ", "๒ แผ่น", "๑ เล่ม")
BODY_FILLERS = (
    "เพื่อให้การดำเนินงานเป็นไปด้วยความเรียบร้อย มีประสิทธิภาพ และบรรลุวัตถุประสงค์ที่ทางราชการกำหนด "
    "จึงขอให้ผู้เกี่ยวข้องถือปฏิบัติตามแนวทางดังกล่าวอย่างเคร่งครัด",
    "ทั้งนี้ หากมีข้อสงสัยหรือปัญหาอุปสรรคในการดำเนินการ ให้ประสานกับเจ้าหน้าที่ผู้รับผิดชอบตามหมายเลขโทรศัพท์ "
    "ที่ปรากฏท้ายหนังสือนี้ในวันและเวลาราชการ",
    "โดยให้ดำเนินการประชาสัมพันธ์ให้ประชาชนในพื้นที่ได้รับทราบอย่างทั่วถึง ผ่านช่องทางการสื่อสารของหน่วยงาน "
    "ทั้งหอกระจายข่าว เว็บไซต์ และสื่อสังคมออนไลน์",
    "ให้มอบหมายเจ้าหน้าที่ผู้รับผิดชอบติดตามผลการดำเนินงานอย่างต่อเนื่อง และจัดทำสรุปผลการดำเนินงาน "
    "เสนอผู้บังคับบัญชาตามลำดับชั้น",
    "สำหรับค่าใช้จ่ายในการดำเนินการ ให้เบิกจ่ายจากงบประมาณของหน่วยงานตามระเบียบกระทรวงการคลังที่เกี่ยวข้อง",
)

MILITARY_UNITS = (
    ("0301.10.1", "กพ.ทหาร (กนผ.)", "กรมกำลังพลทหาร"),
    ("0301.20", "ยก.ทหาร (กผค.)", "กรมยุทธการทหาร"),
    ("0301.40.2", "กบ.ทหาร (กกบ.)", "กรมส่งกำลังบำรุงทหาร"),
    ("0301.31", "สปท. (กยข.)", "สถาบันวิชาการป้องกันประเทศ"),
)
RANKS = ("พลตรี", "พลอากาศตรี", "พลเรือตรี", "พันเอก", "นาวาอากาศเอก")
MILITARY_RECIPIENTS = ("ผบ.ทหารสูงสุด", "เสธ.ทหาร", "จก.กพ.ทหาร", "รอง เสธ.ทหาร (๑)")

URGENCIES = (None, None, None, "ด่วน", "ด่วนมาก", "ด่วนที่สุด", "ด่วนที่สุด")

# --------------------------------------------------------------------------- layout types

Ink = Literal["black", "blue", "red"]


@dataclass
class Span:
    """A run of text in one style."""

    text: str
    hand: bool = False  # written by pen in a hand-like font
    bold: bool = False
    size: float = 16.0  # points
    ink: Ink = "black"
    tab: Optional[float] = None  # start at this many cm from the left margin (single-line blocks)
    stamped: bool = False  # pressed with a numbering stamp (typewriter-like digits)


@dataclass
class Block:
    """A piece of the page: wrapped text, a one-line row, the emblem or a signature.

    ``x`` is where the block starts, cm from the left margin; ``align`` "centre-at"
    centres each line on ``x``; "right-block" puts the block flush against the right
    margin with its lines left-aligned. ``label`` + ``tab`` make a hanging field
    (``เรื่อง``, ``อ้างถึง``): the value wraps under its own start. ``right`` is printed
    flush right on the block's last line (``จำนวน ๑ ชุด``). ``beside`` puts the block at
    the top of the previous one (two columns, e.g. the ที่ line and the office address).
    """

    role: Literal["text", "row", "garuda", "signature", "title"]
    spans: list[Span] = field(default_factory=list)
    x: float = 0.0
    align: Literal["left", "centre-at", "right-block"] = "left"
    indent: float = 0.0  # first-line indent, cm
    label: Optional[Span] = None
    tab: float = 0.0
    right: Optional[Span] = None
    space_before: float = 0.0  # in lines
    beside: bool = False
    dy: float = 0.0  # cm below the top of the previous block when `beside`
    height: float = 0.0  # cm, for garuda / signature
    dotted: bool = False  # memo header fields are written over dotted lines
    keep_with_next: bool = False


@dataclass
class StampSpec:
    """A receipt stamp (ตรารับหนังสือ) to press on the first page of a letter."""

    lines: list[list[Span]]
    ink: Ink
    overlap: bool  # pressed over the letter's text rather than in the margin


@dataclass
class Letter:
    """One letter: what to print and what a perfect reader should extract."""

    kind: str
    blocks: list[Block]
    gold: dict  # record.md shape, without id/source (filled in when written to a file)
    also: dict = field(default_factory=dict)  # second accepted values, as in gold/seeds.json
    stamp: Optional[StampSpec] = None
    digit_style: Digits = "thai"
    style: str = ""  # short description: kind, digits, months, years


# --------------------------------------------------------------------------- helpers


def _docnumber(agency: Optional[str], code: Optional[str], serial: Optional[str], circular: bool) -> DocNumber:
    if agency is None:  # an order: '1139/66'
        return DocNumber(text=f"{serial}/{code}", agency=None, code=None, circular=False, serial=serial)
    if serial is None:
        text = f"{agency} {code}/ว" if circular else f"{agency} {code}/"
    else:
        text = f"{agency} {code}/{'ว ' if circular else ''}{serial}"
    return DocNumber(text=text, agency=agency, code=code, circular=circular, serial=serial)


def _person(rng: random.Random) -> str:
    title = rng.choice(TITLES)
    given = rng.choice(GIVEN_F if title in ("นาง", "นางสาว") else GIVEN_M)
    return f"{title}{given} {rng.choice(FAMILY)}"


def _phone(rng: random.Random, bangkok: bool) -> str:
    if bangkok:
        return f"0 2{rng.randint(100, 999)} {rng.randint(1000, 9999)}"
    return f"0 {rng.randint(4200, 7799)} {rng.randint(1000, 9999)}"


def _date_between(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    return lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))


def _working_day(date: dt.date) -> dt.date:
    while date.weekday() >= 5:
        date += dt.timedelta(days=1)
    return date


@dataclass
class _Style:
    """How one letter writes its numbers and dates."""

    digit_style: Digits
    month: str  # full / abbr
    year: str  # be4 / be2

    def date(self, date: dt.date, weekday: bool = False) -> str:
        return format_date(date, month=self.month, digit_style=self.digit_style, year=self.year, weekday=weekday)

    def num(self, text: str) -> str:
        return digits(text, self.digit_style)


@dataclass
class _Issuer:
    """Who writes: an organisation with its number prefix, address, unit and signer."""

    organization: str  # sender.organization
    agency: str
    code: str
    address: list[str]
    unit: str
    short: str  # how the body names it
    phone: str
    signer: str
    positions: list[str]
    province: Optional[str] = None
    email: Optional[str] = None


def _provincial_issuer(rng: random.Random) -> _Issuer:
    agency, prov, street, post = rng.choice(PROVINCES)
    code, unit, _short = rng.choice(PROVINCIAL_UNITS)
    signer = _person(rng)
    positions = rng.choice((
        [f"ผู้ว่าราชการจังหวัด{prov}"],
        ["รองผู้ว่าราชการจังหวัด ปฏิบัติราชการแทน", f"ผู้ว่าราชการจังหวัด{prov}"],
        [f"ปลัดจังหวัด{prov} ปฏิบัติราชการแทน", f"ผู้ว่าราชการจังหวัด{prov}"],
    ))
    return _Issuer(
        organization=f"จังหวัด{prov}", agency=agency, code=code,
        address=[f"ศาลากลางจังหวัด{prov}", f"{street} {agency} {post}"],
        unit=unit, short=f"จังหวัด{prov}", phone=_phone(rng, False), signer=signer,
        positions=positions, province=prov,
    )


def _central_issuer(rng: random.Random) -> _Issuer:
    agency, ministry, depts = rng.choice(MINISTRIES)
    dept, _dcode, head, units = rng.choice(depts)
    code, unit = rng.choice(units)
    street = rng.choice(("ถนนอัษฎางค์ เขตพระนคร กรุงเทพฯ ๑๐๒๐๐", "ถนนราชดำเนินนอก เขตดุสิต กรุงเทพฯ ๑๐๓๐๐",
                         "ถนนพระรามที่ ๖ เขตพญาไท กรุงเทพฯ ๑๐๔๐๐", "ถนนติวานนท์ อำเภอเมือง นนทบุรี ๑๑๐๐๐",
                         "ถนนพิษณุโลก เขตดุสิต กรุงเทพฯ ๑๐๓๐๐"))
    positions = rng.choice(([head], ["รองอธิบดี ปฏิบัติราชการแทน" if head.startswith("อธิบดี") else
                                     "รองเลขาธิการ ปฏิบัติราชการแทน", head]))
    return _Issuer(
        organization=dept, agency=agency, code=code, address=[dept, street.translate(ARABIC_DIGITS)],
        unit=unit, short=dept, phone=_phone(rng, True), signer=_person(rng), positions=positions,
        email=rng.choice((None, "saraban@" + rng.choice(("dopa", "dla", "moph", "cgd", "ocsc")) + ".go.th")),
    )


def _recipient(rng: random.Random, issuer: _Issuer) -> tuple[str, str]:
    """(recipient as written after เรียน, short name used in the body)."""
    if issuer.province:
        p = issuer.province
        return rng.choice((
            ("นายอำเภอ ทุกอำเภอ", "อำเภอ"),
            (f"นายอำเภอ ทุกอำเภอ (ยกเว้นอำเภอเมือง{p})", "อำเภอ"),
            (f"นายกองค์การบริหารส่วนจังหวัด{p}", "องค์การบริหารส่วนจังหวัด"),
            (f"หัวหน้าส่วนราชการประจำจังหวัด{p} ทุกส่วน", "ส่วนราชการ"),
            (f"นายอำเภอ ทุกอำเภอ และนายกเทศมนตรีเมือง{p}", "อำเภอและเทศบาล"),
        ))
    return rng.choice((
        ("ผู้ว่าราชการจังหวัด ทุกจังหวัด", "จังหวัด"),
        ("ปลัดจังหวัด ทุกจังหวัด", "ที่ทำการปกครองจังหวัด"),
        (f"ผู้ว่าราชการจังหวัด{rng.choice(PROVINCES)[1]}", "จังหวัด"),
        ("หัวหน้าส่วนราชการระดับกรม ทุกกรม", "ส่วนราชการ"),
    ))


# --------------------------------------------------------------------------- body pieces


@dataclass
class _Ref:
    relation: str
    number: DocNumber
    date: dt.date
    issuer: str
    printed: str  # as written in the letter


def _cited_letter(rng: random.Random, style: _Style, issuer: _Issuer, before: dt.date, kind_word: str) -> _Ref:
    circular = rng.random() < 0.7
    serial = str(rng.randint(1, 35000))
    number = _docnumber(issuer.agency, issuer.code, serial, circular)
    date = _date_between(rng, before - dt.timedelta(days=400), before - dt.timedelta(days=3))
    urgency = rng.choice((None, None, "ด่วน", "ด่วนที่สุด"))
    printed = f"{kind_word}{issuer.short}{' ' + urgency if urgency else ''} ที่ {style.num(number.text)} " \
              f"ลงวันที่ {style.date(date)}"
    return _Ref("cites", number, date, issuer.short, printed)


def _deadline_phrase(rng: random.Random, style: _Style, due: dt.date, with_time: bool) -> tuple[str, Optional[str]]:
    time = None
    frame = rng.choice(("ภายในวันที่ {d}", "ภายใน{d}", "ก่อนวันที่ {d}", "ไม่เกินวันที่ {d}"))
    if frame == "ภายใน{d}":
        text = frame.format(d=style.date(due, weekday=True))
    else:
        text = frame.format(d=style.date(due))
    if with_time:
        hh, mm = rng.choice(((12, 0), (16, 30), (15, 0), (10, 0), (16, 0)))
        time = f"{hh:02d}:{mm:02d}"
        text += f" เวลา {style.num(f'{hh:02d}.{mm:02d}')} น."
    return text, time


_ACTIONS = (
    "รายงานผลการดำเนินการให้{to}ทราบ",
    "จัดส่งแบบรายงานพร้อมเอกสารหลักฐานให้{to}",
    "แจ้งรายชื่อผู้ประสานงานให้{to}ทราบ",
    "ส่งข้อมูลทางไปรษณีย์อิเล็กทรอนิกส์ให้{to}",
)


def _body(rng: random.Random, style: _Style, issuer: _Issuer, you: str, topic: str, date: dt.date,
          refs: list[_Ref], forwards: Optional[_Ref], n_deadlines: int, long: bool,
          numbered_paras: bool, closing: Optional[str] = None) -> tuple[list[str], list[dict]]:
    """Body paragraphs, ending with `closing`, and the gold deadlines they contain.

    Civil letters number the requested actions ``๑.``, ``๒.``; military memos number
    every paragraph and the actions under it ``๒.๑``, ``๒.๒``.
    """
    fillers = list(BODY_FILLERS)
    rng.shuffle(fillers)
    paras: list[str] = []
    if forwards is not None:
        paras.append(f"ด้วย{issuer.short}ได้รับแจ้งจาก{forwards.issuer}ว่า ได้กำหนดแนวทางการดำเนินงาน{topic} "
                     f"เพื่อให้หน่วยงานที่เกี่ยวข้องถือปฏิบัติ รายละเอียดตามสิ่งที่ส่งมาด้วย")
    elif refs:
        paras.append(f"ตามที่{issuer.short}ได้แจ้งให้{you}ดำเนินการเกี่ยวกับ{topic} ความละเอียดตามที่อ้างถึง นั้น")
    else:
        paras.append(f"ด้วย{issuer.short}มีความประสงค์จะดำเนินการเรื่อง{topic} เพื่อให้การปฏิบัติงานของหน่วยงาน"
                     f"ในสังกัดเป็นไปในแนวทางเดียวกัน และเกิดประโยชน์สูงสุดแก่ประชาชน")
    amount = rng.choice((f"จำนวน {style.num(str(rng.randint(2, 180)))} แห่ง",
                         f"เป็นเงิน {style.num(f'{rng.randint(10, 990) * 1000:,}')} บาท",
                         f"รวม {style.num(str(rng.randint(3, 60)))} โครงการ"))
    paras.append(f"ในการนี้ {issuer.short}พิจารณาแล้ว เห็นควรให้{you}ดำเนินการในส่วนที่เกี่ยวข้อง ซึ่งมีเป้าหมาย{amount} "
                 f"จึงขอความร่วมมือดำเนินการ ดังนี้")
    deadlines = []
    items = []
    due = date
    for i in range(max(n_deadlines, rng.randint(1, 3))):
        action = rng.choice(_ACTIONS).format(to=issuer.short)
        if i < n_deadlines:
            due = _working_day(due + dt.timedelta(days=rng.randint(3, 25)))
            phrase, time = _deadline_phrase(rng, style, due, with_time=rng.random() < 0.3)
            items.append(f"{action} {phrase}")
            deadlines.append({"date": due.isoformat(), "time": time, "action": action, "text": phrase})
        else:
            items.append(fillers.pop())
    tail = []
    if rng.random() < 0.4:  # a meeting is a date but not a deadline
        meet = _working_day(date + dt.timedelta(days=rng.randint(5, 40)))
        tail.append(f"อนึ่ง {issuer.short}กำหนดประชุมชี้แจงแนวทางการดำเนินงาน ในวันที่ {style.date(meet)} "
                    f"เวลา {style.num('09.30')} น. ณ ห้องประชุมชั้น {style.num(str(rng.randint(1, 5)))} "
                    f"ขอให้ผู้เกี่ยวข้องเข้าร่วมประชุมโดยพร้อมเพรียงกัน")
    tail += fillers[: len(fillers) if long else rng.randint(0, 1)]
    if long:  # long letters run onto a second page: restate the background at length
        tail += [f"{issuer.short}ขอเรียนว่า การดำเนินการ{topic} เป็นนโยบายสำคัญของรัฐบาล ที่มุ่งเน้นให้หน่วยงาน"
                 f"ทุกระดับบูรณาการการทำงานร่วมกัน โดยยึดประชาชนเป็นศูนย์กลาง {filler} "
                 "และให้รายงานปัญหาอุปสรรคที่พบในระหว่างการดำเนินการเพื่อประกอบการพิจารณาปรับปรุงแนวทางต่อไป"
                 for filler in BODY_FILLERS[:2]]
    if closing:
        tail.append(closing)
    if numbered_paras:
        head = [f"{style.num(str(i + 1))}. {p}" for i, p in enumerate(paras)]
        k = len(head)
        head += [f"{style.num(f'{k}.{j + 1}')} {p}" for j, p in enumerate(items)]
        head += [f"{style.num(str(k + 1 + i))}. {p}" for i, p in enumerate(tail)]
        return head, deadlines
    return paras + [f"{style.num(str(j + 1))}. {p}" for j, p in enumerate(items)] + tail, deadlines


# --------------------------------------------------------------------------- the letter kinds


def _signature(issuer: _Issuer, closing: Optional[str], cx: float) -> list[Block]:
    blocks = []
    if closing:
        blocks.append(Block("text", [Span(closing)], x=cx, align="centre-at", space_before=1, keep_with_next=True))
    blocks.append(Block("signature", height=1.6, x=cx, keep_with_next=True))
    blocks.append(Block("text", [Span(f"({issuer.signer})")], x=cx, align="centre-at", keep_with_next=True))
    for i, pos in enumerate(issuer.positions):
        blocks.append(Block("text", [Span(pos)], x=cx, align="centre-at", keep_with_next=i + 1 < len(issuer.positions)))
    return blocks


def _footer(issuer: _Issuer, style: _Style, fax: bool) -> list[Block]:
    lines = issuer.unit.split(" ", 1)
    blocks = [Block("text", [Span(lines[0])], space_before=1.5)]
    blocks += [Block("text", [Span(line)]) for line in lines[1:]]
    label = "โทร./โทรสาร" if fax else "โทร."
    blocks.append(Block("text", [Span(f"{label} {style.num(issuer.phone)}")]))
    if issuer.email:
        blocks.append(Block("text", [Span(f"ไปรษณีย์อิเล็กทรอนิกส์ {issuer.email}")]))
    return blocks


def _serial_spans(rng: random.Random, text: str, style: _Style) -> tuple[list[Span], Optional[str], str]:
    """A serial number: printed with the letter, written later by pen in blue (Thai or
    Arabic digits), pressed with a numbering stamp, or left blank.

    Returns the spans, the serial as gold (None when blank) and how it was written.
    """
    r = rng.random()
    if r < 0.5:
        return [Span(style.num(text))], text, "printed"
    if r < 0.75:
        pen_digits: Digits = rng.choice(("thai", "arabic", "arabic"))
        return [Span(digits(text, pen_digits), hand=True, ink="blue", size=18)], text, "hand"
    if r < 0.87:
        ink: Ink = rng.choice(("black", "blue", "red"))
        return [Span(text, stamped=True, ink=ink, size=rng.choice((14.0, 16.0)))], text, "stamped"
    return [], None, "blank"


def _refs_blocks(style: _Style, refs: list[_Ref], label: str) -> list[Block]:
    blocks = []
    for i, ref in enumerate(refs):
        prefix = f"{style.num(str(i + 1))}. " if len(refs) > 1 else ""
        blocks.append(Block("text", [Span(prefix + ref.printed)], label=Span(label) if i == 0 else None, tab=2.3,
                            space_before=1 if i == 0 else 0))
    return blocks


def _enclosure_blocks(style: _Style, items: list[tuple[str, str]]) -> list[Block]:
    blocks = []
    for i, (text, qty) in enumerate(items):
        prefix = f"{style.num(str(i + 1))}. " if len(items) > 1 else ""
        blocks.append(Block("text", [Span(prefix + text)], label=Span("สิ่งที่ส่งมาด้วย") if i == 0 else None,
                            tab=3.0, right=Span(f"จำนวน {style.num(qty)}"), space_before=0.5 if i == 0 else 0))
    return blocks


#: Urgency marks are printed large: 32 pt for ด่วนที่สุด as in the ระเบียบ, 28 and 24 pt below it.
URGENCY_PT = {"ด่วนที่สุด": 32.0, "ด่วนมาก": 28.0, "ด่วน": 24.0}


def _urgency_block(urgency: Optional[str], beside: bool) -> list[Block]:
    """The urgency mark in red at the top left (beside the emblem in a letter or fax)."""
    if not urgency:
        return []
    return [Block("text", [Span(urgency, bold=True, size=URGENCY_PT[urgency], ink="red")], beside=beside,
                  dy=1.4 if beside else 0.0)]


def _stamp(rng: random.Random, office: str, letter_date: dt.date) -> tuple[StampSpec, dict]:
    received = letter_date + dt.timedelta(days=rng.randint(1, 20))
    number = str(rng.randint(1, 60000))
    pen: Digits = rng.choice(("thai", "arabic"))
    hh, mm = rng.randint(8, 16), rng.choice((0, 10, 15, 20, 30, 40, 45, 50))
    ink: Ink = rng.choice(("blue", "red"))
    with_time = rng.random() < 0.75
    dstyle = _Style(pen, "abbr", "be2")
    lines = [
        [Span(office, ink=ink, size=14)],
        [Span("เลขรับ", ink=ink, size=14), Span(digits(number, pen), hand=True, ink="blue", size=18)],
        [Span("วันที่", ink=ink, size=14), Span(dstyle.date(received), hand=True, ink="blue", size=18)],
    ]
    if with_time:
        lines.append([Span("เวลา", ink=ink, size=14),
                      Span(digits(f"{hh:02d}.{mm:02d} น.", pen), hand=True, ink="blue", size=18)])
    gold = {"office": office, "number": number, "date": received.isoformat(),
            "time": f"{hh:02d}:{mm:02d}" if with_time else None}
    return StampSpec(lines=lines, ink=ink, overlap=rng.random() < 0.35), gold


def _style(rng: random.Random, military: bool = False) -> _Style:
    if military:
        return _Style(rng.choice(("thai", "thai", "arabic")), "abbr", "be2")
    return _Style(rng.choice(("thai", "thai", "thai", "arabic")), rng.choice(("full", "full", "full", "abbr")),
                  rng.choice(("be4", "be4", "be4", "be2")))


def _record(kind: str, urgency, number: Optional[DocNumber], date: dt.date, date_text: str, subject, recipient,
            issuer: _Issuer, refs: list[_Ref], enclosures: list[tuple[str, str]], deadlines: list[dict],
            stamps: list[dict]) -> dict:
    return {
        "kind": kind,
        "urgency": urgency,
        "secrecy": None,
        "number": number.model_dump() if number else None,
        "date": date.isoformat(),
        "date_text": date_text,
        "subject": subject.translate(ARABIC_DIGITS) if subject else None,
        "recipient": recipient.translate(ARABIC_DIGITS),
        "sender": {"organization": issuer.organization,
                   "address": _address(issuer),
                   "unit": issuer.unit, "phones": [issuer.phone.replace(" ", "")],
                   "emails": [issuer.email] if issuer.email else []},
        "signatory": {"name": issuer.signer, "position": " ".join(issuer.positions)},
        "references": [{"relation": r.relation, "number": r.number.model_dump(), "date": r.date.isoformat(),
                        "issuer": r.issuer, "text": r.printed.translate(ARABIC_DIGITS), "resolved_id": None,
                        "status": "unresolved", "candidates": []} for r in refs],
        "enclosures": [{"text": t.translate(ARABIC_DIGITS), "quantity": q.translate(ARABIC_DIGITS)}
                       for t, q in enclosures],
        "deadlines": [{**d, "text": d["text"].translate(ARABIC_DIGITS), "relative": False} for d in deadlines],
        "stamps": stamps,
        "warnings": [],
        "text": "",
        "evidence": {},
    }


def _address(issuer: _Issuer) -> Optional[str]:
    """The postal address under the office name ('ศาลากลางจังหวัดสกลนคร ถนนศูนย์ราชการ สน 47000')."""
    lines = issuer.address[1:] if issuer.address[:1] == [issuer.organization] else issuer.address
    return " ".join(lines).translate(ARABIC_DIGITS) or None


def _subject(rng: random.Random, topic: str, date: dt.date, style: _Style) -> str:
    fy = date.year + 543 + (1 if date.month >= 10 else 0)
    return rng.choice(SUBJECT_FRAMES).format(topic=topic, fy=style.num(str(fy)))


def external_letter(rng: random.Random, date: dt.date, forwards: Optional["Letter"] = None,
                    long: bool = False, issuer: Optional[_Issuer] = None) -> Letter:
    """หนังสือภายนอก: emblem at top centre, ที่ at left, office at right, centred date."""
    style = _style(rng)
    issuer = issuer or (_provincial_issuer(rng) if rng.random() < 0.6 else _central_issuer(rng))
    urgency = rng.choice(URGENCIES)
    circular = rng.random() < 0.75
    serial = str(rng.randint(1, 40000))
    serial_spans, gold_serial, serial_how = _serial_spans(rng, serial, style)
    number = _docnumber(issuer.agency, issuer.code, gold_serial, circular)
    prefix = _docnumber(issuer.agency, issuer.code, None, circular).text  # 'มท 0305.1/ว'
    recipient, you = _recipient(rng, issuer)
    topic = rng.choice(TOPICS)
    subject = forwards.gold["subject"] if forwards is not None and rng.random() < 0.7 else _subject(rng, topic, date, style)
    refs = [_cited_letter(rng, style, issuer, date, "หนังสือ") for _ in range(rng.choice((0, 0, 1, 1, 2, 3)))]
    enclosures = [(rng.choice(ENCLOSURE_ITEMS), rng.choice(QUANTITIES)) for _ in range(rng.choice((0, 0, 1, 2, 3, 4)))]
    fwd_ref = None
    if forwards is not None:
        fg = forwards.gold
        fnum = DocNumber(**fg["number"]) if fg["number"] else None
        fdate = dt.date.fromisoformat(fg["date"])
        word = "สำเนาโทรสาร" if forwards.kind == "fax" else "สำเนาหนังสือ"
        printed = f"{word}{fg['sender']['organization']}"
        if fg["urgency"]:
            printed += f" {fg['urgency']}"
        if fnum is not None:
            printed += f" ที่ {style.num(fnum.text)}"
        printed += f" ลงวันที่ {style.date(fdate)}"
        fwd_ref = _Ref("encloses", fnum, fdate, fg["sender"]["organization"], printed)
        enclosures.insert(0, (printed, "๑ ชุด"))
    date_text = style.date(date)
    n_dead = rng.choice((0, 1, 1, 2, 3))
    closing = rng.choice(("จึงเรียนมาเพื่อโปรดทราบ", "จึงเรียนมาเพื่อโปรดพิจารณาดำเนินการต่อไป",
                          "จึงเรียนมาเพื่อโปรดทราบและแจ้งผู้เกี่ยวข้องดำเนินการต่อไป"))
    paras, deadlines = _body(rng, style, issuer, you, topic, date, refs, fwd_ref, n_dead, long, numbered_paras=False,
                             closing=closing)

    blocks: list[Block] = [Block("garuda", height=3.0, x=8.0, align="centre-at")]
    blocks += _urgency_block(urgency, beside=True)
    blocks.append(Block("row", [Span("ที่ " + style.num(prefix))] + serial_spans, space_before=0.3))
    blocks.append(Block("text", [Span(issuer.address[0])], align="right-block", beside=True))
    for line in issuer.address[1:]:
        blocks.append(Block("text", [Span(style.num(line))], align="right-block", beside=False))
    blocks.append(Block("row", [Span(date_text)], x=8.0, space_before=0.6))
    blocks.append(Block("text", [Span(subject)], label=Span("เรื่อง"), tab=1.3, space_before=0.6))
    blocks.append(Block("text", [Span(recipient)], label=Span("เรียน"), tab=1.3, space_before=0.6))
    blocks += _refs_blocks(style, [r for r in refs], "อ้างถึง")
    blocks += _enclosure_blocks(style, enclosures)
    for i, p in enumerate(paras):
        blocks.append(Block("text", [Span(p)], indent=2.5, space_before=1 if i == 0 else 0.4))
    blocks += _signature(issuer, "ขอแสดงความนับถือ", cx=10.0)
    blocks += _footer(issuer, style, fax=False)

    all_refs = refs + ([fwd_ref] if fwd_ref else [])
    gold = _record("letter", urgency, number, date, date_text, subject, recipient, issuer, all_refs,
                   enclosures, deadlines, [])
    also = {"number": prefix} if gold_serial is None else {}
    desc = f"letter {style.digit_style} {style.month} {style.year} serial={serial_how}"
    return Letter("letter", blocks, gold, also, None, style.digit_style, desc)


def _memo_blocks(style, office, phone, prefix, serial_spans, day_spans, subject, recipient, salutation,
                 refs, paras, issuer) -> list[Block]:
    """The บันทึกข้อความ layout: heading beside the Garuda, ส่วนราชการ, ที่ … วันที่ …, เรื่อง,
    เรียน/เสนอ, อ้างถึง, paragraphs, signature (civil and military memos alike)."""
    blocks: list[Block] = [Block("garuda", height=1.5, x=0.75, align="centre-at")]
    blocks.append(Block("title", [Span("บันทึกข้อความ", bold=True, size=29)], x=8.0, align="centre-at",
                        beside=True, dy=0.2))
    blocks.append(Block("row", [Span("ส่วนราชการ", bold=True, size=20), Span(f"{office} โทร. {style.num(phone)}", tab=2.4)],
                        space_before=0.4, dotted=True))
    blocks.append(Block("row", [Span("ที่", bold=True, size=20), Span(style.num(prefix), tab=0.8)] +
                        [replace(s, tab=None) for s in serial_spans] +
                        [Span("วันที่", bold=True, size=20, tab=8.0)] + day_spans, dotted=True))
    blocks.append(Block("text", [Span(subject)], label=Span("เรื่อง", bold=True, size=20), tab=1.3, dotted=True))
    blocks.append(Block("text", [Span(recipient)], label=Span(salutation), tab=1.3, space_before=0.6))
    blocks += _refs_blocks(style, refs, "อ้างถึง")
    for i, p in enumerate(paras):
        blocks.append(Block("text", [Span(p)], indent=2.5, space_before=0.8 if i == 0 else 0.4))
    blocks += _signature(issuer, None, cx=10.0)
    return blocks


def memo(rng: random.Random, date: dt.date, long: bool = False) -> Letter:
    """บันทึกข้อความ: small emblem at left, ส่วนราชการ / ที่ … วันที่ … / เรื่อง, then เรียน or เสนอ."""
    style = _style(rng)
    agency, ministry, depts = rng.choice(MINISTRIES)
    dept, _dcode, head, units = rng.choice(depts)
    code, unit = rng.choice(units)
    phone = _phone(rng, True)
    org = f"{dept} {unit.split(' ')[0]}"
    issuer = _Issuer(organization=org, agency=agency, code=code, address=[], unit=unit, short=dept, phone=phone,
                     signer=_person(rng), positions=[rng.choice(("ผู้อำนวยการ", "หัวหน้า")) + unit.split(" ")[0]])
    urgency = rng.choice(URGENCIES)
    circular = rng.random() < 0.5
    serial = str(rng.randint(1, 9000))
    serial_spans, gold_serial, serial_how = _serial_spans(rng, serial, style)
    number = _docnumber(agency, code, gold_serial, circular)
    prefix = _docnumber(agency, code, None, circular).text
    recipient = rng.choice((f"อธิบดี{dept}" if dept.startswith("กรม") else f"ผู้บริหาร{dept}",
                            "หัวหน้าส่วนราชการระดับกรมในสังกัด" + ministry, "ผู้อำนวยการกอง ทุกกอง"))
    salutation = rng.choice(("เรียน", "เรียน", "เสนอ"))
    topic = rng.choice(TOPICS)
    subject = _subject(rng, topic, date, style)
    refs = [_cited_letter(rng, style, issuer, date, "บันทึก") for _ in range(rng.choice((0, 0, 1)))]
    day_spans, day_how, date_text = _memo_date_spans(rng, style, date)
    paras, deadlines = _body(rng, style, issuer, "หน่วยงาน", topic, date, refs, None, rng.choice((0, 1, 2)), long,
                             numbered_paras=False, closing=f"จึง{salutation}มาเพื่อโปรดพิจารณา")

    blocks = _memo_blocks(style, org, phone, prefix, serial_spans, day_spans, subject, recipient, salutation,
                          refs, paras, issuer)

    gold = _record("memo", urgency, number, date, date_text, subject, recipient, issuer, refs, [], deadlines, [])
    gold["sender"].update(address=None, phones=[phone.replace(" ", "")], emails=[])
    also = {"number": prefix} if gold_serial is None else {}
    blocks[:0] = _urgency_block(urgency, beside=False)
    desc = f"memo {style.digit_style} {style.month} {style.year} serial={serial_how} day={day_how}"
    return Letter("memo", blocks, gold, also, None, style.digit_style, desc)


def _memo_date_spans(rng: random.Random, style: _Style, date: dt.date) -> tuple[list[Span], str, str]:
    """The memo's date: printed, or the day written by pen before a printed month and year.

    Returns the spans, how the day was written and the date as written (gold date_text).
    """
    text = style.date(date)
    if rng.random() < 0.7:
        return [Span(text, tab=9.2)], "printed", text
    day, rest = text.split(" ", 1)
    pen: Digits = rng.choice(("thai", "arabic"))
    day = digits(day, pen)
    return [Span(day, hand=True, ink="blue", size=18, tab=9.2), Span(rest)], "hand-day", f"{day} {rest}"


def fax(rng: random.Random, date: dt.date, long: bool = False) -> Letter:
    """โทรสารในราชการ: a department's fax — ที่ / วันที่ / จาก / ถึง, body, signature."""
    style = _style(rng)
    issuer = _central_issuer(rng)
    urgency = rng.choice(("ด่วนที่สุด", "ด่วนที่สุด", "ด่วนมาก", None))
    serial = str(rng.randint(1, 40000))
    number = _docnumber(issuer.agency, issuer.code, serial, True)
    recipient, you = rng.choice((("ผู้ว่าราชการจังหวัด ทุกจังหวัด", "จังหวัด"), ("ปลัดจังหวัด ทุกจังหวัด", "จังหวัด"),
                                 ("นายอำเภอ ทุกอำเภอ", "อำเภอ")))
    topic = rng.choice(TOPICS)
    subject = _subject(rng, topic, date, style) if rng.random() < 0.5 else None
    refs = [_cited_letter(rng, style, issuer, date, "หนังสือ") for _ in range(rng.choice((0, 1, 1)))]
    date_text = style.date(date)
    paras, deadlines = _body(rng, style, issuer, you, topic, date, refs, None, rng.choice((1, 1, 2, 3)), long,
                             numbered_paras=False, closing="จึงเรียนมาเพื่อทราบและพิจารณาดำเนินการโดยด่วน")
    if refs:  # a fax cites in its first sentence rather than under อ้างถึง
        paras[0] = f"ตาม{refs[0].printed} {issuer.short}ได้แจ้งแนวทางการดำเนินการ{topic} นั้น"

    blocks: list[Block] = [Block("garuda", height=2.0, x=8.0, align="centre-at")]
    blocks += _urgency_block(urgency, beside=True)
    blocks.append(Block("text", [Span(f"โทรสารในราชการ{issuer.organization}", bold=True, size=20)], x=8.0,
                        align="centre-at", space_before=0.3))
    blocks.append(Block("row", [Span("ที่"), Span(style.num(number.text), tab=1.3)], space_before=0.5))
    blocks.append(Block("row", [Span("วันที่"), Span(date_text, tab=1.3)]))
    blocks.append(Block("row", [Span("จาก"), Span(issuer.positions[-1], tab=1.3)]))
    blocks.append(Block("row", [Span("ถึง"), Span(recipient, tab=1.3)]))
    if subject:
        blocks.append(Block("text", [Span(subject)], label=Span("เรื่อง"), tab=1.3))
    for i, p in enumerate(paras):
        blocks.append(Block("text", [Span(p)], indent=2.5, space_before=0.8 if i == 0 else 0.4))
    blocks += _signature(issuer, None, cx=10.0)
    blocks += _footer(issuer, style, fax=True)

    gold = _record("fax", urgency, number, date, date_text, subject, recipient, issuer, refs, [], deadlines, [])
    desc = f"fax {style.digit_style} {style.month} {style.year}"
    return Letter("fax", blocks, gold, {}, None, style.digit_style, desc)


def military_memo(rng: random.Random, date: dt.date, long: bool = False) -> Letter:
    """A military บันทึกข้อความ: 'ที่ กห ๐๓๐๑.๑๐.๑/๒๖๐', 'วันที่ ๓ พ.ค. ๖๗', orders cited as '๑๑๓๙/๖๖ ลง ๑๔ ธ.ค. ๖๖'."""
    style = _style(rng, military=True)
    code, short, full = rng.choice(MILITARY_UNITS)
    phone = _phone(rng, True)
    rank = rng.choice(RANKS)
    given, family = rng.choice(GIVEN_M), rng.choice(FAMILY)
    division = short.split(" ")[1].strip("()")  # 'กพ.ทหาร (กนผ.)' -> 'กนผ.'
    issuer = _Issuer(organization=short, agency="กห", code=code, address=[], unit=full, short=short.split(" ")[0],
                     phone=phone, signer=f"{rank}{given} {family}", positions=[f"ผอ.{division}"])
    serial = str(rng.randint(1, 900))
    serial_spans, gold_serial, serial_how = _serial_spans(rng, serial, style)
    number = _docnumber("กห", code, gold_serial, False)
    prefix = f"กห {code}/"
    salutation = rng.choice(("เรียน", "เสนอ"))
    recipient = rng.choice(MILITARY_RECIPIENTS)
    topic = rng.choice(TOPICS[:12])
    subject = f"ขออนุมัติ{topic}" if rng.random() < 0.5 else f"รายงานผล{topic}"
    refs: list[_Ref] = []
    for _ in range(rng.choice((0, 1, 1, 2))):
        odate = _date_between(rng, date - dt.timedelta(days=300), date - dt.timedelta(days=5))
        oserial = str(rng.randint(100, 2500))
        yy = f"{(odate.year + 543) % 100:02d}"
        num = _docnumber(None, yy, oserial, False)
        printed = f"คำสั่ง บก.ทท. (เฉพาะ) ที่ {style.num(num.text)} ลง {style.date(odate)}"
        refs.append(_Ref("cites", num, odate, "บก.ทท.", printed))
    day_spans, day_how, date_text = _memo_date_spans(rng, style, date)
    paras, deadlines = _body(rng, style, issuer, "หน่วย", topic, date, refs, None, rng.choice((0, 1, 1, 2)), long,
                             numbered_paras=True, closing=f"จึง{salutation}มาเพื่อกรุณาพิจารณา หากเห็นชอบขอได้โปรดอนุมัติ")

    blocks = _memo_blocks(style, short, phone, prefix, serial_spans, day_spans, subject, recipient, salutation,
                          refs, paras, issuer)

    gold = _record("memo", None, number, date, date_text, subject, recipient, issuer, refs, [], deadlines, [])
    gold["sender"].update(address=None, phones=[phone.replace(" ", "")], emails=[])
    also = {"number": prefix} if gold_serial is None else {}
    also["sender_organization"] = short.split(" ")[0]  # 'กพ.ทหาร (กนผ.)': the division in brackets is optional
    desc = f"military memo {style.digit_style} serial={serial_how} day={day_how}"
    return Letter("memo", blocks, gold, also, None, style.digit_style, desc)


#: Registry of letter kinds with their share of the corpus.
KINDS = {"letter": (external_letter, 0.5), "memo": (memo, 0.2), "fax": (fax, 0.15), "military": (military_memo, 0.15)}


def add_stamp(rng: random.Random, letter: Letter, office: str) -> None:
    """Press a receipt stamp of `office` on the letter (first page) and record it in the gold."""
    spec, gold = _stamp(rng, office, dt.date.fromisoformat(letter.gold["date"]) if letter.gold["date"]
                        else dt.date(2020, 1, 1))
    letter.stamp = spec
    letter.gold["stamps"].append(gold)


def make_letter(seed: int | str, index: int, *, kind: Optional[str] = None, long: Optional[bool] = None) -> Letter:
    """Letter number `index` of the corpus drawn with `seed`; same arguments, same letter."""
    rng = random.Random(f"{seed}:{index}")
    kind = kind or rng.choices(list(KINDS), weights=[w for _, w in KINDS.values()])[0]
    date = _date_between(rng, dt.date(1997, 1, 1), dt.date(2026, 10, 31))  # BE 2540-2569
    long = rng.random() < 0.25 if long is None else long
    letter = KINDS[kind][0](rng, date, long=long)
    if rng.random() < 0.5:
        add_stamp(rng, letter, _receiving_office(rng, letter))
    return letter


def make_forwarding(seed: int | str, index: int) -> list[Letter]:
    """A file as received: a provincial cover letter followed by the letter it forwards."""
    rng = random.Random(f"{seed}:{index}:fwd")
    date = _date_between(rng, dt.date(1997, 1, 1), dt.date(2026, 9, 30))
    inner_kind = rng.choice(("letter", "letter", "fax"))
    inner = KINDS[inner_kind][0](rng, date, long=False)
    province_issuer = _provincial_issuer(rng)
    stamp_office = f"ที่ทำการปกครองจังหวัด{province_issuer.province}" if rng.random() < 0.5 else province_issuer.organization
    if rng.random() < 0.7:
        add_stamp(rng, inner, stamp_office)
    cover_date = _working_day(date + dt.timedelta(days=rng.randint(2, 12)))
    cover = external_letter(rng, cover_date, forwards=inner, long=False, issuer=province_issuer)
    return [cover, inner]


def _receiving_office(rng: random.Random, letter: Letter) -> str:
    recipient = letter.gold["recipient"] or ""
    if "จังหวัด" in recipient and "ทุกจังหวัด" not in recipient:
        return recipient.replace("ผู้ว่าราชการ", "สำนักงาน").split(" ")[0]
    return rng.choice(("ที่ทำการปกครองจังหวัดลำพูน", "สำนักงานจังหวัดสกลนคร", "ที่ว่าการอำเภอเมืองแพร่",
                       "กองกลาง สำนักงานปลัดกระทรวง", "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดน่าน"))
