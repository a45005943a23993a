"""Official-letter vocabulary and OCR-tolerant keyword patterns.

Shared by extraction (field keywords, agency codes, positions) and OCR correction
(`official_words`). The vocabulary follows ระเบียบสำนักนายกรัฐมนตรีว่าด้วยงานสารบรรณ:
field keywords of the letter formats, the agency letter codes (รหัสตัวพยัญชนะ) of
ministries and provinces, and the usual positions of signatories.
"""

from __future__ import annotations

import functools
import re

# Thai combining marks that Tesseract's `tha` model often drops or swaps.
UPPER_VOWELS = "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e47"  # ั ิ ี ึ ื ็
TONES = "\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d"  # ่ ้ ๊ ๋ ์ ํ
LOWER_VOWELS = "\u0e38\u0e39\u0e3a"  # ุ ู ฺ
MARKS = UPPER_VOWELS + TONES + LOWER_VOWELS


def fuzzy(word: str) -> str:
    """A regex for `word` that tolerates dropped or swapped combining marks.

    Upper vowels may be dropped or read as another upper vowel (สิ่งที่ → สิงทิ); tone
    marks and the thanthakhat may be dropped; lower vowels may be dropped.

    >>> bool(re.fullmatch(fuzzy("เรื่อง"), "เรือง")), bool(re.fullmatch(fuzzy("ที่"), "ทิ"))
    (True, True)
    """
    out = []
    for ch in word:
        if ch in UPPER_VOWELS:
            out.append(f"[{UPPER_VOWELS}]?")
        elif ch in TONES or ch in LOWER_VOWELS:
            out.append(f"{re.escape(ch)}?")
        elif ch == " ":
            out.append(r"\s*")
        else:
            out.append(re.escape(ch))
            # a mark the source lacks may still be present in OCR output (rare): allow one tone
    return "".join(out)


def tolerant(pattern: str) -> str:
    """Rewrite a regex source so its Thai literals tolerate dropped/swapped marks, as
    `fuzzy` does for one word. Character classes ``[...]`` are left as written.

    >>> bool(re.fullmatch(tolerant("(?:ด่วนที่สุด|ผู้ว่าราชการ)"), "ดวนทีสุด"))
    True
    """
    out, depth, escape = [], 0, False
    for ch in pattern:
        if escape:
            out.append(ch)
            escape = False
            continue
        if ch == "\\":
            escape = True
        elif ch == "[":
            depth += 1
        elif ch == "]" and depth:
            depth -= 1
        if depth == 0 and ch in UPPER_VOWELS:
            out.append(f"[{UPPER_VOWELS}]?")
        elif depth == 0 and (ch in TONES or ch in LOWER_VOWELS):
            out.append(f"{ch}?")
        else:
            out.append(ch)
    return "".join(out)


# --------------------------------------------------------------------------- field keywords

#: Keywords that open a field line in the header of a letter.
FIELD_KEYWORDS = {
    "number": "ที่",
    "date": "วันที่",
    "subject": "เรื่อง",
    "recipient": "เรียน",
    "recipient_memo": "เสนอ",
    "recipient_fax": "ถึง",
    "from_fax": "จาก",
    "cites": "อ้างถึง",
    "cites_alt": "อ้างอิง",
    "encloses": "สิ่งที่ส่งมาด้วย",
    "unit_memo": "ส่วนราชการ",
    "closing": "ขอแสดงความนับถือ",
}

URGENCY = ("ด่วนที่สุด", "ด่วนมาก", "ด่วน")
SECRECY = ("ลับที่สุด", "ลับมาก", "ลับ")

KEYWORDS = (
    "ที่", "สิ่งที่", "ที่ทำการ", "วันที่", "ลงวันที่", "เรื่อง", "เรียน", "เสนอ", "อ้างถึง", "อ้างอิง", "สิ่งที่ส่งมาด้วย",
    "ส่วนราชการ", "บันทึกข้อความ", "ขอแสดงความนับถือ", "จึงเรียนมาเพื่อโปรดทราบ", "จึงเรียนมาเพื่อพิจารณา",
    "ปฏิบัติราชการแทน", "รักษาราชการแทน", "เจ้ากรม", "รองเจ้ากรม", "ผู้บังคับ", "ด่วนที่สุด", "ด่วนมาก", "ด่วน", "ลับที่สุด", "ลับมาก",
    "โทรสาร", "โทรศัพท์", "โทร", "ไปรษณีย์อิเล็กทรอนิกส์", "สำเนา", "สำเนาหนังสือ", "หนังสือ",
    "ภายในวันที่", "ตามหนังสือ", "ตามที่", "จำนวน", "ชุด", "ฉบับ", "เลขรับ", "เวลา", "ศาลากลางจังหวัด",
    "ที่ว่าการอำเภอ", "ถนน", "ตำบล", "อำเภอ", "จังหวัด", "กรุงเทพมหานคร", "ปีงบประมาณ", "พ.ศ.",
    "คำสั่ง", "ประกาศ", "ระเบียบ", "ข้อบังคับ", "หนังสือประทับตรา", "ทุกจังหวัด", "ทุกอำเภอ",
)

MINISTRIES = {
    "นร": "สำนักนายกรัฐมนตรี", "กห": "กระทรวงกลาโหม", "กค": "กระทรวงการคลัง",
    "กต": "กระทรวงการต่างประเทศ", "กก": "กระทรวงการท่องเที่ยวและกีฬา",
    "พม": "กระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์", "อว": "กระทรวงการอุดมศึกษา วิทยาศาสตร์ วิจัยและนวัตกรรม",
    "กษ": "กระทรวงเกษตรและสหกรณ์", "คค": "กระทรวงคมนาคม", "ทส": "กระทรวงทรัพยากรธรรมชาติและสิ่งแวดล้อม",
    "ดศ": "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม", "พน": "กระทรวงพลังงาน", "พณ": "กระทรวงพาณิชย์",
    "มท": "กระทรวงมหาดไทย", "ยธ": "กระทรวงยุติธรรม", "รง": "กระทรวงแรงงาน", "วธ": "กระทรวงวัฒนธรรม",
    "ศธ": "กระทรวงศึกษาธิการ", "สธ": "กระทรวงสาธารณสุข", "อก": "กระทรวงอุตสาหกรรม",
}

#: Province → its two-letter code (รหัสพยัญชนะจังหวัด), used in numbers and postal lines.
PROVINCES = {
    "กรุงเทพมหานคร": "กท", "กระบี่": "กบ", "กาญจนบุรี": "กจ", "กาฬสินธุ์": "กส", "กำแพงเพชร": "กพ",
    "ขอนแก่น": "ขก", "จันทบุรี": "จบ", "ฉะเชิงเทรา": "ฉช", "ชลบุรี": "ชบ", "ชัยนาท": "ชน",
    "ชัยภูมิ": "ชย", "ชุมพร": "ชพ", "เชียงราย": "ชร", "เชียงใหม่": "ชม", "ตรัง": "ตง", "ตราด": "ตร",
    "ตาก": "ตก", "นครนายก": "นย", "นครปฐม": "นฐ", "นครพนม": "นพ", "นครราชสีมา": "นม",
    "นครศรีธรรมราช": "นศ", "นครสวรรค์": "นว", "นนทบุรี": "นบ", "นราธิวาส": "นธ", "น่าน": "นน",
    "บึงกาฬ": "บก", "บุรีรัมย์": "บร", "ปทุมธานี": "ปท", "ประจวบคีรีขันธ์": "ปข", "ปราจีนบุรี": "ปจ",
    "ปัตตานี": "ปน", "พระนครศรีอยุธยา": "อย", "พะเยา": "พย", "พังงา": "พง", "พัทลุง": "พท",
    "พิจิตร": "พจ", "พิษณุโลก": "พล", "เพชรบุรี": "พบ", "เพชรบูรณ์": "พช", "แพร่": "พร",
    "ภูเก็ต": "ภก", "มหาสารคาม": "มค", "มุกดาหาร": "มห", "แม่ฮ่องสอน": "มส", "ยโสธร": "ยส",
    "ยะลา": "ยล", "ร้อยเอ็ด": "รอ", "ระนอง": "รน", "ระยอง": "รย", "ราชบุรี": "รบ", "ลพบุรี": "ลบ",
    "ลำปาง": "ลป", "ลำพูน": "ลพ", "เลย": "ลย", "ศรีสะเกษ": "ศก", "สกลนคร": "สน", "สงขลา": "สข",
    "สตูล": "สต", "สมุทรปราการ": "สป", "สมุทรสงคราม": "สส", "สมุทรสาคร": "สค", "สระแก้ว": "สก",
    "สระบุรี": "สบ", "สิงห์บุรี": "สห", "สุโขทัย": "สท", "สุพรรณบุรี": "สพ", "สุราษฎร์ธานี": "สฎ",
    "สุรินทร์": "สร", "หนองคาย": "นค", "หนองบัวลำภู": "นภ", "อ่างทอง": "อท", "อำนาจเจริญ": "อจ",
    "อุดรธานี": "อด", "อุตรดิตถ์": "อต", "อุทัยธานี": "อน", "อุบลราชธานี": "อบ",
}

#: Departments that often issue circulars (issuer names in references).
DEPARTMENTS = (
    "กรมการปกครอง", "กรมส่งเสริมการปกครองท้องถิ่น", "กรมการพัฒนาชุมชน", "กรมที่ดิน", "กรมโยธาธิการและผังเมือง",
    "กรมป้องกันและบรรเทาสาธารณภัย", "สำนักงานปลัดกระทรวงมหาดไทย", "สำนักงานปลัดกระทรวง",
    "สำนักงานปลัดสำนักนายกรัฐมนตรี", "สำนักงานคณะกรรมการพัฒนาระบบราชการ", "สำนักงาน ก.พ.", "สำนักงาน ก.พ.ร.",
    "กรมบัญชีกลาง", "กรมสรรพากร", "กรมการแพทย์", "กรมควบคุมโรค", "กรมอนามัย", "สำนักงานปลัดกระทรวงสาธารณสุข",
    "สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน", "กองบัญชาการกองทัพไทย", "กองทัพบก", "กองทัพเรือ", "กองทัพอากาศ",
    "สำนักงานปลัดกระทรวงกลาโหม", "ที่ทำการปกครองจังหวัด", "ที่ทำการปกครองอำเภอ", "สำนักงานจังหวัด",
    "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด", "องค์การบริหารส่วนจังหวัด", "องค์การบริหารส่วนตำบล", "เทศบาล",
)

#: Departments (กรม and equivalents) → the letter code of their ministry, which heads every
#: number they issue (กรมอนามัย numbers `สธ 0907/…`, สำนักงาน ก.พ. `นร 1008/…`).
DEPARTMENT_MINISTRY = {
    "มท": ("กรมการปกครอง", "กรมส่งเสริมการปกครองท้องถิ่น", "กรมการพัฒนาชุมชน", "กรมที่ดิน",
           "กรมโยธาธิการและผังเมือง", "กรมป้องกันและบรรเทาสาธารณภัย"),
    "กค": ("กรมบัญชีกลาง", "กรมสรรพากร", "กรมธนารักษ์", "กรมศุลกากร", "กรมสรรพสามิต", "สำนักงานเศรษฐกิจการคลัง"),
    "สธ": ("กรมการแพทย์", "กรมควบคุมโรค", "กรมอนามัย", "กรมสุขภาพจิต", "กรมวิทยาศาสตร์การแพทย์",
           "กรมสนับสนุนบริการสุขภาพ", "กรมการแพทย์แผนไทยและการแพทย์ทางเลือก"),
    # the board's name alone, so that its head (เลขาธิการคณะกรรมการ…) names it too
    "ศธ": ("คณะกรรมการการศึกษาขั้นพื้นฐาน", "คณะกรรมการการอาชีวศึกษา", "เลขาธิการสภาการศึกษา",
           "สำนักงานส่งเสริมการเรียนรู้"),
    "กห": ("กองบัญชาการกองทัพไทย", "กองทัพบก", "กองทัพเรือ", "กองทัพอากาศ"),
    "กษ": ("กรมส่งเสริมการเกษตร", "กรมชลประทาน", "กรมปศุสัตว์", "กรมประมง", "กรมพัฒนาที่ดิน",
           "กรมวิชาการเกษตร", "กรมตรวจบัญชีสหกรณ์", "กรมส่งเสริมสหกรณ์", "กรมการข้าว"),
    "ทส": ("กรมควบคุมมลพิษ", "กรมป่าไม้", "กรมอุทยานแห่งชาติ สัตว์ป่า และพันธุ์พืช", "กรมทรัพยากรน้ำ",
           "กรมส่งเสริมคุณภาพสิ่งแวดล้อม", "กรมทรัพยากรทางทะเลและชายฝั่ง"),
    "คค": ("กรมทางหลวงชนบท", "กรมทางหลวง", "กรมการขนส่งทางบก", "กรมเจ้าท่า"),
    "พม": ("กรมกิจการเด็กและเยาวชน", "กรมกิจการผู้สูงอายุ", "กรมพัฒนาสังคมและสวัสดิการ",
           "กรมส่งเสริมและพัฒนาคุณภาพชีวิตคนพิการ"),
    "รง": ("กรมการจัดหางาน", "กรมพัฒนาฝีมือแรงงาน", "กรมสวัสดิการและคุ้มครองแรงงาน", "สำนักงานประกันสังคม"),
    "วธ": ("กรมศิลปากร", "กรมการศาสนา", "กรมส่งเสริมวัฒนธรรม"),
    "ยธ": ("กรมราชทัณฑ์", "กรมคุมประพฤติ", "กรมบังคับคดี", "กรมคุ้มครองสิทธิและเสรีภาพ"),
    "พณ": ("กรมการค้าภายใน", "กรมพัฒนาธุรกิจการค้า", "กรมการค้าต่างประเทศ"),
    "อก": ("กรมโรงงานอุตสาหกรรม", "กรมส่งเสริมอุตสาหกรรม"),
    "นร": ("สำนักงาน ก.พ.ร.", "สำนักงาน ก.พ.", "สำนักงานคณะกรรมการพัฒนาระบบราชการ",
           "สำนักงานปลัดสำนักนายกรัฐมนตรี", "สำนักเลขาธิการคณะรัฐมนตรี", "สำนักงบประมาณ"),
}


@functools.lru_cache(maxsize=1)
def agency_codes() -> frozenset[str]:
    """The letter codes document numbers open with: ministries' and provinces'."""
    return frozenset(MINISTRIES) | frozenset(PROVINCES.values())


def agency_of_office(name: str) -> str | None:
    """The letter code that heads the numbers of the office `name` (as OCR read it, marks
    may be lost): its province's for a provincial office, its ministry's for a ministry or
    one of its departments; None when `name` names neither.

    >>> agency_of_office("ศาลากลางจังหวัดนครราชสีมา"), agency_of_office("กรมอนามย")
    ('นม', 'สธ')
    >>> agency_of_office("สำนักงานปลัดกระทรวงศึกษาธิการ"), agency_of_office("บริษัท ก")
    ('ศธ', None)

    An office's head, as a fax's `จาก` names the sender, names it too: the secretary-general
    (เลขาธิการ) heads the office (สำนักงาน) of that name.

    >>> agency_of_office("เลขาธิการ ก.พ."), agency_of_office("เลขาธิการ")
    ('นร', None)
    """
    flat = skeleton(name).replace(" ", "")
    head = skeleton("เลขาธิการ")
    for code, office in _offices():
        if office in flat or (head in flat and office in flat.replace(head, skeleton("สำนักงาน"))):
            return code
    if MILITARY_OFFICE.search(flat):
        return "กห"
    return None


#: An office of the armed forces, which numbers with กลาโหม's code whatever its name: a
#: directorate by its abbreviation (``กบ.ทหาร``, ``ยก.ทหาร``) or its full name
#: (``กรมส่งกำลังบำรุงทหาร``, ``มณฑลทหารบกที่ ๒๓``), read on a skeleton without spaces.
MILITARY_OFFICE = re.compile(r"[ก-ฮ]\.ทหาร|^(?:กรม|มณฑล|กองพัน|กองพล|โรงเรียน)\S*ทหาร")


@functools.lru_cache(maxsize=1)
def _offices() -> tuple[tuple[str, str], ...]:
    """(code, office skeleton without spaces), longest first so that กรมทางหลวงชนบท is
    not taken for กรมทางหลวง nor สำนักงาน ก.พ.ร. for สำนักงาน ก.พ."""
    pairs = [(code, "จังหวัด" + p) for p, code in PROVINCES.items()]
    pairs += [(code, name) for code, name in MINISTRIES.items()]
    pairs += [(code, d) for code, depts in DEPARTMENT_MINISTRY.items() for d in depts]
    pairs = [(code, skeleton(name).replace(" ", "")) for code, name in pairs]
    return tuple(sorted(pairs, key=lambda p: len(p[1]), reverse=True))


#: The stock words of a letter's body (ระเบียบงานสารบรรณ's formulas): official vocabulary for
#: OCR correction, so their lost upper vowels are put back (``พจารณา``, ``ดาเน้นการ``).
FORMULA_WORDS = (
    "ดำเนินการ", "ดำเนินงาน", "พิจารณา", "เกี่ยวข้อง", "ผู้เกี่ยวข้อง", "ทั้งนี้", "ดังนี้", "ดังกล่าว", "อนึ่ง",
    "ส่งเสริม", "ความร่วมมือ", "ขอความร่วมมือ", "รายละเอียด", "ประชาสัมพันธ์", "ถือปฏิบัติ", "ผู้รับผิดชอบ",
    "เป็นต้นไป", "เรียบร้อย", "ประสิทธิภาพ", "เพื่อให้", "ท้องถิ่น", "ประจำปี", "หน่วยงาน",
)

#: Words that make a line a position (ตำแหน่ง) line under a signature.
POSITION_WORDS = (
    "ผู้ว่าราชการจังหวัด", "รองผู้ว่าราชการจังหวัด", "ปลัดจังหวัด", "นายอำเภอ", "ปลัดอำเภอ", "อธิบดี", "รองอธิบดี",
    "ปลัดกระทรวง", "รองปลัดกระทรวง", "รัฐมนตรี", "เลขาธิการ", "รองเลขาธิการ", "ผู้อำนวยการ", "รองผู้อำนวยการ",
    "หัวหน้า", "ผู้บัญชาการ", "รองผู้บัญชาการ", "เสนาธิการ", "ผู้บังคับการ", "ผู้บังคับบัญชา", "นายกองค์การบริหาร",
    "นายกเทศมนตรี", "ปลัดเทศบาล", "ปลัดองค์การบริหาร", "ท้องถิ่นจังหวัด", "พัฒนาการจังหวัด", "ผู้ตรวจราชการ",
    "ปฏิบัติราชการแทน", "รักษาราชการแทน", "เจ้ากรม", "รองเจ้ากรม", "ผู้บังคับ", "ราชการแทน", "ผู้ช่วย", "เจ้าหน้าที่", "นักวิชาการ", "นักจัดการงานทั่วไป",
    "นักทรัพยากรบุคคล", "นักวิเคราะห์", "ผู้อำนวยการกอง", "ผู้อำนวยการสำนัก", "ประธาน", "คณบดี", "อธิการบดี",
)

#: Person title prefixes (คำนำหน้านาม) incl. ranks, for signature names.
TITLES = (
    "นาย", "นาง", "นางสาว", "น.ส.", "ว่าที่", "ดร.", "ศ.", "รศ.", "ผศ.", "พล", "พัน", "ร้อย", "จ่า", "สิบ",
    "พลตำรวจ", "พันตำรวจ", "ร้อยตำรวจ", "ดาบตำรวจ", "นาวา", "เรือ", "พลเรือ", "พลอากาศ", "นาวาอากาศ",
    "หม่อม", "คุณหญิง", "ท่านผู้หญิง", "พระ",
)


@functools.lru_cache(maxsize=1)
def official_words() -> frozenset[str]:
    """Vocabulary of official letters (keywords, agencies, provinces, positions, months),
    for OCR correction on top of PyThaiNLP's word list."""
    words: set[str] = set(KEYWORDS) | set(URGENCY) | set(SECRECY) | set(FORMULA_WORDS)
    words |= set(MINISTRIES.values()) | set(DEPARTMENTS) | set(POSITION_WORDS)
    for province in PROVINCES:
        words |= {province, "จังหวัด" + province, "ผู้ว่าราชการจังหวัด" + province}
    words |= {
        "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
        "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม", "วันจันทร์", "วันอังคาร", "วันพุธ", "วันพฤหัสบดี",
        "วันศุกร์", "วันเสาร์", "วันอาทิตย์",
    }
    return frozenset(w for w in words if w)


#: Keywords that open a line of a letter, repaired by `repair_keyword`.
LINE_KEYWORDS = (
    "สิ่งที่ส่งมาด้วย", "อ้างถึง", "อ้างอิง", "ขอแสดงความนับถือ", "บันทึกข้อความ", "ส่วนราชการ",
    "เรื่อง", "เรียน", "ลงวันที่", "ด่วนที่สุด", "ด่วนมาก", "ปฏิบัติราชการแทน", "ผู้ว่าราชการจังหวัด",
)
_MARKS_RE = re.compile(f"[{MARKS}]")


def skeleton(word: str) -> str:
    """The word without its combining marks (what survives Tesseract's `tha` model)."""
    return _MARKS_RE.sub("", word)


@functools.lru_cache(maxsize=1)
def _dictionary() -> frozenset[str]:
    try:
        from pythainlp.corpus import thai_words
    except ImportError:  # pragma: no cover - pythainlp is a dependency
        return frozenset()
    return frozenset(thai_words())


def is_dictionary_word(word: str) -> bool:
    """Is `word` in PyThaiNLP's word list?"""
    return word in _dictionary()


@functools.lru_cache(maxsize=4096)
def repair_keyword(head: str) -> str | None:
    """`head` (the Thai run opening a line) with a damaged keyword prefix restored, or None.

    >>> repair_keyword("เรอง"), repair_keyword("ลิ่งที่ส่งมาด้วย"), repair_keyword("เรียง")
    ('เรื่อง', 'สิ่งที่ส่งมาด้วย', None)
    """
    for kw in LINE_KEYWORDS:
        if head.startswith(kw):
            return None  # intact
    head_skel = skeleton(head)
    for kw in LINE_KEYWORDS:
        ks = skeleton(kw)
        if len(head_skel) < len(ks):
            continue
        # how many characters of `head` make up the keyword's skeleton
        n, count = 0, 0
        while n < len(head) and count < len(ks):
            if not _MARKS_RE.match(head[n]):
                count += 1
            n += 1
        while n < len(head) and _MARKS_RE.match(head[n]):
            n += 1
        word = head[:n]
        if word in _dictionary() and word != kw:
            continue
        diff = sum(a != b for a, b in zip(head_skel[: len(ks)], ks))
        # marks only for short keywords; one misread consonant from six skeleton letters up
        if diff == 0 or (diff == 1 and len(ks) >= 5):
            rest = head[n:]
            if diff == 1 and len(head_skel) > len(ks) and rest and rest[0] not in " ":
                # glued to the next word: only accept when the keyword is long (less risk)
                if len(ks) < 8:
                    continue
            return kw + rest
    return None
