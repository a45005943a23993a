"""A generated archive of circulars with known citations, for the linker's tests and benchmarks.

``generate(n_letters, seed)`` builds `Record` objects the way an archive holds them:
*threads* in which a ministry memo is cited by a department letter, which provinces
forward to their districts. Each province's file holds its cover letter followed by
copies of what it encloses (so the department letter appears in several files: one
letter, several records), districts cite their province's letter, provinces cite
their own earlier letters and letters that are not in the archive (external).

Citations are damaged the way OCR damages them (``noise``, default 30 % of
citations, one or two slips each): a digit misread, Thai-digit confusions
๖→๒ ๗→๓ ๙→๕ (as Arabic digits, after normalisation), a stray character, a dropped
or doubled digit, a slip in the unit code or the agency, a misread date. A few
letter headers are damaged too. *Decoys* are letters whose numbers nearly match
another's: the same unit and serial a year apart, the same code and serial under
another agency, the serial one digit off in the same unit months away.

Gold: for each (record id, reference index) the letter meant (a letter uid, equal
for all copies) or None for an external letter. Deterministic from `seed`; cheap
enough for 100,000 records (`model_construct`, no validation).
"""

from __future__ import annotations

import gc
import hashlib
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Optional

from pipeline.types import Deadline, DocNumber, Record, Reference, Sender, Signatory, Source, Stamp

_TO_THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม",
          "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")
MINISTRIES = (("มท", "กระทรวงมหาดไทย"), ("กษ", "กระทรวงเกษตรและสหกรณ์"), ("สธ", "กระทรวงสาธารณสุข"),
              ("ศธ", "กระทรวงศึกษาธิการ"), ("พณ", "กระทรวงพาณิชย์"), ("คค", "กระทรวงคมนาคม"),
              ("ทส", "กระทรวงทรัพยากรธรรมชาติและสิ่งแวดล้อม"), ("รง", "กระทรวงแรงงาน"))
DEPARTMENT_WORDS = ("การปกครอง", "ส่งเสริมการปกครองท้องถิ่น", "ที่ดิน", "ป้องกันและบรรเทาสาธารณภัย",
                    "การพัฒนาชุมชน", "โยธาธิการและผังเมือง", "ส่งเสริมการเกษตร", "ปศุสัตว์", "ควบคุมโรค",
                    "อนามัย", "การค้าภายใน", "ทางหลวง", "ป่าไม้", "การจัดหางาน", "ชลประทาน")
PROVINCES = (("สน", "สกลนคร"), ("ลพ", "ลำพูน"), ("พร", "แพร่"), ("มห", "มุกดาหาร"), ("ขก", "ขอนแก่น"),
             ("ชม", "เชียงใหม่"), ("นม", "นครราชสีมา"), ("อบ", "อุบลราชธานี"), ("สข", "สงขลา"),
             ("ภก", "ภูเก็ต"), ("ชบ", "ชลบุรี"), ("กจ", "กาญจนบุรี"), ("นว", "นครสวรรค์"), ("ลป", "ลำปาง"),
             ("รอ", "ร้อยเอ็ด"), ("บร", "บุรีรัมย์"), ("สร", "สุรินทร์"), ("อด", "อุดรธานี"),
             ("พล", "พิษณุโลก"), ("ตง", "ตรัง"))
TOPICS = ("การขับเคลื่อนโครงการสำคัญ", "การพัฒนามาตรฐานการให้บริการประชาชน", "ศูนย์ราชการสะดวก",
          "การป้องกันและแก้ไขปัญหายาเสพติด", "การเตรียมความพร้อมรับสถานการณ์อุทกภัย", "การจัดงานวันเด็กแห่งชาติ",
          "การสำรวจข้อมูลพื้นฐาน", "การรายงานผลการเบิกจ่ายงบประมาณ", "การฝึกอบรมเจ้าหน้าที่",
          "การประเมินผลการปฏิบัติราชการ", "มาตรการประหยัดพลังงาน", "การรับสมัครบุคคลเพื่อเลือกสรร",
          "การป้องกันโรคติดต่อ", "การส่งเสริมอาชีพ", "การจัดเก็บภาษีที่ดินและสิ่งปลูกสร้าง",
          "ศูนย์บริการร่วม (One Stop Service)", "การบริการแบบอิเล็กทรอนิกส์ (e-Service)", "การตรวจราชการ")
QUALIFIERS = ("ประจำปีงบประมาณ พ.ศ. {be}", "ระยะที่ {k}", "ครั้งที่ {k}/{be}", "ในพื้นที่ภูมิภาค",
              "ของส่วนราชการ", "(ฉบับปรับปรุง)", "ตามแนวทางที่กำหนด", "กรณีเร่งด่วน")
#: Unit codes of a province's offices: 0018.1 ปกครองจังหวัด (seeds), 0023.7 ท้องถิ่นจังหวัด (seeds) …
PROVINCE_OFFICES = ("0018.1", "0023.7") + tuple(f"00{c}.{k}" for c in (17, 18, 20, 23, 33) for k in (2, 3, 4, 5))[:18]
CONFUSIONS = {"4": "5", "6": "2", "7": "3", "8": "0", "9": "15", "5": "94"}
YEARS = tuple(range(2019, 2025))


@dataclass
class Corpus:
    """Generated records with the truth about them."""

    records: list[Record]
    letter_of: dict[str, str]  # record id -> letter uid (copies share one)
    gold: dict[tuple[str, int], Optional[str]]  # (record id, ref index) -> letter uid, None = external
    noisy: set[tuple[str, int]] = field(default_factory=set)  # damaged citations
    damaged_headers: set[str] = field(default_factory=set)  # records whose own number/date is misread

    @property
    def citations(self) -> int:
        return len(self.gold)

    @property
    def records_by_id(self) -> dict[str, Record]:
        return {r.id: r for r in self.records}


@dataclass
class _Letter:
    uid: str
    agency: str
    code: str
    serial: str
    day: date
    subject: str
    issuer: str
    recipient: str
    kind: str = "letter"
    refs: list[tuple[str, Optional["_Letter"], Optional[tuple[str, str, str, date]]]] = field(default_factory=list)
    deadlines: list[date] = field(default_factory=list)


@dataclass
class _Unit:
    agency: str
    code: str
    issuer: str
    rate: int  # serials issued per day, on average


def thai_date(day: date) -> str:
    """``date(2021, 1, 25)`` → ``'๒๕ มกราคม ๒๕๖๔'``."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year + 543}".translate(_TO_THAI)


def number_text(agency: str, code: str, serial: str) -> str:
    return f"{agency} {code}/ว {serial}"


class _Generator:
    def __init__(self, seed: int, noise: float, n_letters: int):
        self.rng = random.Random(seed)
        self.seed = seed
        self.noise = noise
        self.files = 0
        self.uids = 0
        self.used: dict[tuple[str, str, int], set[str]] = {}
        rng = self.rng
        n_ministry = max(6, n_letters // 2000)
        n_department = max(12, n_letters // 250)
        self.ministry_units = [
            _Unit(a, f"0{rng.randrange(200, 230)}" + (f".{rng.randrange(1, 9)}" if rng.random() < 0.5 else ""),
                  name + " สำนักงานปลัดกระทรวง", rng.randrange(10, 60))
            for a, name in (MINISTRIES[i % len(MINISTRIES)] for i in range(n_ministry))
        ]
        self.department_units = [
            _Unit(a, f"0{rng.randrange(300, 999)}" + (f".{rng.randrange(1, 9)}" if rng.random() < 0.6 else ""),
                  "กรม" + rng.choice(DEPARTMENT_WORDS), rng.randrange(20, 100))
            for a, _ in (MINISTRIES[i % len(MINISTRIES)] for i in range(n_department))
        ]
        # Each province writes through several offices (ปกครองจังหวัด 0018.1, ท้องถิ่นจังหวัด
        # 0023.x …); a bigger archive holds more of them, so a unit's yearly serials stay
        # as sparse as in a real one instead of filling up.
        offices = PROVINCE_OFFICES[: max(1, min(len(PROVINCE_OFFICES), round(n_letters / 5_000)))]
        self.province_units = [_Unit(a, code, "จังหวัด" + name, rng.randrange(10, 40))
                               for code in offices for a, name in PROVINCES]
        self.records: list[Record] = []
        self.letter_of: dict[str, str] = {}
        self.gold: dict[tuple[str, int], Optional[str]] = {}
        self.noisy: set[tuple[str, int]] = set()
        self.damaged: set[str] = set()
        self.previous: dict[str, _Letter] = {}  # province agency -> its latest letter

    # ----------------------------------------------------------------- letters

    def serial(self, unit: _Unit, day: date) -> str:
        """A unit's serial grows through the year: about `rate` a day, never reused."""
        used = self.used.setdefault((unit.agency, unit.code, day.year), set())
        value = max(1, day.timetuple().tm_yday * unit.rate + self.rng.randrange(-unit.rate, unit.rate + 1))
        while str(value) in used:
            value += 1
        used.add(str(value))
        return str(value)

    def subject(self, year: int) -> str:
        rng = self.rng
        qualifier = rng.choice(QUALIFIERS).format(be=year + 543, k=rng.randrange(1, 9))
        return f"{rng.choice(TOPICS)} {rng.choice(TOPICS)} {qualifier}"

    def letter(self, unit: _Unit, day: date, subject: str, recipient: str, kind: str = "letter") -> _Letter:
        self.uids += 1
        deadlines = [day + timedelta(days=self.rng.randrange(3, 40)) for _ in range(self.rng.choice((0, 1, 1, 2)))]
        return _Letter(f"L{self.uids}", unit.agency, unit.code, self.serial(unit, day), day, subject,
                       unit.issuer, recipient, kind, deadlines=deadlines)

    def external(self, unit: _Unit, before: date) -> tuple[str, str, str, date]:
        """A letter that is cited but not in the archive."""
        day = before - timedelta(days=self.rng.randrange(20, 300))
        return unit.agency, unit.code, self.serial(unit, day), day

    # ----------------------------------------------------------------- noise

    def damage(self, agency: str, code: str, serial: str, day: date) -> tuple[str, str, str, date]:
        rng = self.rng
        kinds = rng.sample(("digit", "confusion", "stray", "drop", "extra", "code", "date", "date", "agency"),
                           2 if rng.random() < 0.15 else 1)
        for kind in kinds:
            if kind == "digit":
                i = rng.randrange(len(serial))
                serial = serial[:i] + rng.choice([d for d in "0123456789" if d != serial[i]]) + serial[i + 1:]
            elif kind == "confusion":
                spots = [i for i, d in enumerate(serial) if d in CONFUSIONS]
                if spots:
                    i = rng.choice(spots)
                    serial = serial[:i] + rng.choice(CONFUSIONS[serial[i]]) + serial[i + 1:]
                else:
                    serial = serial + rng.choice(")'.")
            elif kind == "stray":
                i = rng.randrange(1, len(serial) + 1)
                serial = serial[:i] + rng.choice(")('.-") + serial[i:]
            elif kind == "drop" and len(serial) > 2:
                i = rng.randrange(len(serial))
                serial = serial[:i] + serial[i + 1:]
            elif kind == "extra":
                i = rng.randrange(len(serial) + 1)
                serial = serial[:i] + rng.choice("0123456789") + serial[i:]
            elif kind == "code":
                i = rng.choice([i for i, c in enumerate(code) if c.isdigit()])
                code = code[:i] + ("1" if code[i] == "0" else "0") + code[i + 1:]
            elif kind == "date":
                day = self.misread(day)
            elif kind == "agency":
                agency = agency[0] + rng.choice("ทนมบ")
        return agency, code, serial, day

    def misread(self, day: date) -> date:
        rng = self.rng
        how = rng.randrange(4)
        try:
            if how == 0:
                return day.replace(year=day.year + rng.choice((-1, 1)))  # ๒๕๖๓ read as ๒๕๖๔
            if how == 1:
                return day + timedelta(days=rng.choice((-4, -3, -2, -1, 1, 2, 3, 4)))
            if how == 2:
                return day.replace(month=day.month % 12 + 1) if day.month < 12 else day.replace(month=11)
            tens, units = divmod(day.day, 10)
            return day.replace(day=tens * 10 + rng.choice([u for u in range(10) if u != units and tens * 10 + u >= 1]))
        except ValueError:
            return day + timedelta(days=2)

    # ----------------------------------------------------------------- records

    def file(self, letters: list[_Letter], receiver: Optional[str] = None) -> None:
        """One scanned file: letters in order, each a record; the first is the cover."""
        self.files += 1
        sha = hashlib.sha256(f"linkcorpus:{self.seed}:{self.files}".encode()).hexdigest()
        for index, letter in enumerate(letters, start=1):
            rid = f"{sha[:12]}#{index}"
            agency, code, serial, day = letter.agency, letter.code, letter.serial, letter.day
            if index > 1 and self.rng.random() < 0.02:  # a copy whose header OCR misread
                agency, code, serial, day = self.damage(agency, code, serial, day)
                if (serial, day) != (letter.serial, letter.day):
                    self.damaged.add(rid)
            references = []
            for k, (relation, target, outside) in enumerate(letter.refs):
                if target is not None:
                    cited = (target.agency, target.code, target.serial, target.day)
                    issuer, subject = target.issuer, target.subject
                else:
                    cited, issuer, subject = outside, "หน่วยงานภายนอก", None
                if self.rng.random() < self.noise:
                    damaged = self.damage(*cited)
                    if damaged != cited:
                        self.noisy.add((rid, k))
                    cited = damaged
                references.append(self.reference(relation, cited, issuer, subject))
                self.gold[(rid, k)] = target.uid if target is not None else None
            stamps = []
            if self.rng.random() < 0.7:
                received = letter.day + timedelta(days=self.rng.randrange(1, 6))
                stamps.append(Stamp.model_construct(office=receiver or "สำนักงาน", number=str(self.rng.randrange(1, 9999)),
                                                    date=received.isoformat(), time=None))
            self.records.append(Record.model_construct(
                id=rid,
                source=Source.model_construct(path=f"archive/{day.year + 543}/{self.files:06d}.pdf", sha256=sha,
                                              letter_index=index, pages=[index]),
                kind=letter.kind, urgency="ด่วนที่สุด" if self.rng.random() < 0.5 else None, secrecy=None,
                number=DocNumber.model_construct(text=number_text(agency, code, serial), agency=agency, code=code,
                                                 circular=True, serial=serial),
                date=day.isoformat(), date_text=thai_date(day), subject=letter.subject,
                recipient=letter.recipient, sender=Sender.model_construct(organization=letter.issuer, address=None,
                                                                          unit=None, phones=[], emails=[]),
                signatory=Signatory.model_construct(name=None, position=None),
                references=references, enclosures=[],
                deadlines=[Deadline.model_construct(date=d.isoformat(), time=None, action="รายงานผลให้ทราบ",
                                                    text=f"ภายในวันที่ {thai_date(d)}", relative=False)
                           for d in letter.deadlines],
                stamps=stamps, warnings=[], text="", evidence={},
            ))
            self.letter_of[rid] = letter.uid

    def reference(self, relation: str, cited: tuple[str, str, str, date], issuer: str, subject: Optional[str]) -> Reference:
        agency, code, serial, day = cited
        text = f"หนังสือ{issuer} ด่วนที่สุด ที่ {number_text(agency, code, serial)} ลงวันที่ {thai_date(day)}"
        if subject and self.rng.random() < 0.4:
            text += f" เรื่อง {subject}"
        return Reference.model_construct(
            relation=relation, number=DocNumber.model_construct(text=number_text(agency, code, serial), agency=agency,
                                                                code=code, circular=True, serial=serial),
            date=day.isoformat(), issuer=issuer, text=text.translate(_TO_THAI), resolved_id=None,
            status="unresolved", candidates=[])

    # ----------------------------------------------------------------- threads

    def thread(self) -> None:
        rng = self.rng
        year = rng.choice(YEARS)
        d0 = date(year, 1, 1) + timedelta(days=rng.randrange(0, 340))
        subject = self.subject(year)
        ministry = rng.choice(self.ministry_units)
        memo = None
        if rng.random() < 0.8:
            memo = self.letter(ministry, d0, subject, "หัวหน้าส่วนราชการระดับกรม", kind="memo")
            if rng.random() < 0.3:
                memo.refs.append(("cites", None, self.external(ministry, d0)))
            self.file([memo])
        department = rng.choice([u for u in self.department_units if u.agency == ministry.agency] or self.department_units)
        dept = self.letter(department, d0 + timedelta(days=rng.randrange(1, 7)), subject, "ผู้ว่าราชการจังหวัด ทุกจังหวัด")
        dept.refs.append(("cites", memo, None) if memo else ("cites", None, self.external(ministry, d0)))
        if rng.random() < 0.3:
            self.file([dept])  # the department's own copy
        for province in rng.sample(self.province_units, rng.choice((1, 1, 2, 2, 3, 4))):
            cover = self.letter(province, dept.day + timedelta(days=rng.randrange(2, 15)), subject, "นายอำเภอ ทุกอำเภอ")
            cover.refs.append(("encloses", dept, None))
            copies = [cover, dept]
            if memo is not None and rng.random() < 0.4:
                cover.refs.append(("encloses", memo, None))
                copies.append(memo)
            earlier = self.previous.get(province.agency)
            if earlier is not None and rng.random() < 0.3 and earlier.day < cover.day:
                cover.refs.insert(0, ("cites", earlier, None))
            if rng.random() < 0.25:
                cover.refs.insert(0, ("cites", None, self.external(province, cover.day)))
            self.previous[province.agency] = cover
            self.file(copies, receiver=province.issuer)
            if rng.random() < 0.3:
                district = _Unit(province.agency, f"0{rng.randrange(100, 999)}", "อำเภอ" + rng.choice(TOPICS)[:6], 3)
                local = self.letter(district, cover.day + timedelta(days=rng.randrange(1, 10)), subject, "กำนัน ทุกตำบล")
                local.refs.append(("cites", cover, None))
                self.file([local])
        if rng.random() < 0.15:
            self.decoy(rng.choice([x for x in (memo, dept) if x is not None]))

    def decoy(self, like: _Letter) -> None:
        """A letter whose number nearly matches `like`'s: another year, agency, or a digit off."""
        rng = self.rng
        how = rng.randrange(3)
        unit = _Unit(like.agency, like.code, like.issuer, 1)
        if how == 0:  # same unit and serial, a year apart
            day = self._year_apart(like.day)
            serial = like.serial
        elif how == 1:  # same code and serial, another agency
            unit.agency = rng.choice([a for a, _ in MINISTRIES if a != like.agency])
            day, serial = like.day + timedelta(days=rng.randrange(-60, 60)), like.serial
        else:  # same unit and year, serial one digit off, months away
            day = like.day + timedelta(days=rng.choice((-1, 1)) * rng.randrange(60, 150))
            i = rng.randrange(len(like.serial))
            serial = like.serial[:i] + rng.choice([d for d in "0123456789" if d != like.serial[i]]) + like.serial[i + 1:]
        if serial in self.used.setdefault((unit.agency, unit.code, day.year), set()):
            return
        self.used[(unit.agency, unit.code, day.year)].add(serial)
        self.uids += 1
        self.file([_Letter(f"L{self.uids}", unit.agency, unit.code, serial, day, self.subject(day.year),
                           unit.issuer, "ผู้ว่าราชการจังหวัด ทุกจังหวัด")])

    @staticmethod
    def _year_apart(day: date) -> date:
        try:
            return day.replace(year=day.year + (1 if day.year < YEARS[-1] else -1))
        except ValueError:
            return day.replace(year=day.year - 1, day=28)


def generate(n_letters: int = 1000, seed: int = 0, noise: float = 0.3) -> Corpus:
    """At least `n_letters` records (it stops after the thread that reaches the count)."""
    gen = _Generator(seed, noise, n_letters)
    paused = gc.isenabled()
    gc.disable()  # millions of acyclic objects: full collections would make this quadratic
    try:
        while len(gen.records) < n_letters:
            gen.thread()
    finally:
        if paused:
            gc.enable()
    return Corpus(gen.records, gen.letter_of, gen.gold, gen.noisy, gen.damaged)


# --------------------------------------------------------------------------- small hand-made records


def doc_number(text: str) -> DocNumber:
    """``'มท 0305.1/ว 1964'`` → DocNumber (the canonical shape only)."""
    head, serial = text.split("/")
    agency, code = head.split(" ")
    circular = serial.startswith("ว ")
    return DocNumber(text=text, agency=agency, code=code, circular=circular, serial=serial.removeprefix("ว "))


def make_record(rid: str, number: Optional[str], day: Optional[str], refs=(), subject: Optional[str] = None,
                stamps=(), deadlines=(), sender: Optional[str] = None, recipient: Optional[str] = None) -> Record:
    """A validated Record for tests. `rid` is ``'<sha>#<index>'`` and the sha names its file.

    refs: (relation, number or None, date or None[, text]); deadlines: (date, time, action).
    """
    sha, index = rid.split("#")
    return Record(
        id=rid, source=Source(path=f"{sha}.pdf", sha256=sha, letter_index=int(index)), kind="letter",
        number=doc_number(number) if number else None, date=day, subject=subject, recipient=recipient,
        sender=Sender(organization=sender),
        references=[Reference(relation=ref[0], number=doc_number(ref[1]) if ref[1] else None, date=ref[2],
                              text=ref[3] if len(ref) > 3 else (ref[1] or "?")) for ref in refs],
        stamps=[Stamp(date=s) for s in stamps],
        deadlines=[Deadline(date=d, time=t, action=a, text=f"ภายในวันที่ {d}") for d, t, a in deadlines],
    )
