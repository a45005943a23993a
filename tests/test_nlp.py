from pipeline.nlp import make_nlp

LETTER = """ด่วนที่สุด
ที่ มท ๐๓๐๕.๑/ว ๓๐๕๗๗
กรมการปกครอง
ถนนอัษฎางค์ กทม. ๑๐๒๐๐
๑๗ พฤศจิกายน ๒๕๖๒
เรื่อง การขับเคลื่อนโครงการสำคัญ
เรียน ผู้ว่าราชการจังหวัด ทุกจังหวัด
ด้วยกรมการปกครองขอให้จังหวัดรายงานผลให้กรมการปกครองทราบ ภายในวันที่ ๒๙ พฤศจิกายน ๒๕๖๒
ขอแสดงความนับถือ
(นายณาศักดิ์ จงจิระ)
อธิบดีกรมการปกครอง
"""


def test_spacy_doc_has_entities_and_records():
    nlp = make_nlp()
    doc = nlp(LETTER)
    ents = {(e.label_, e.text) for e in doc.ents}
    assert ("DOC_NUMBER", "มท ๐๓๐๕.๑/ว ๓๐๕๗๗") in ents
    assert ("DATE", "๑๗ พฤศจิกายน ๒๕๖๒") in ents
    assert ("PERSON", "นายณาศักดิ์ จงจิระ") in ents
    assert any(label == "DEADLINE" and "๒๙ พฤศจิกายน ๒๕๖๒" in text for label, text in ents)
    assert any(label == "ORG" and "กรมการปกครอง" in text for label, text in ents)
    # the spaCy view and the record builder share one implementation
    [record] = doc._.records
    assert record.number.text == "มท 0305.1/ว 30577"
    assert record.deadlines[0].date == "2019-11-29"


def test_make_nlp_twice():
    assert make_nlp()("ข้อความธรรมดา").ents == ()
