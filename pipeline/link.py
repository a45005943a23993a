"""Link every reference to the letter it means, across all files of an archive.

``link_records(records) -> records`` gives each `Reference` a status, CourtListener
style: ``resolved`` (``resolved_id`` set), ``ambiguous`` (several scored candidates,
none chosen) or ``unresolved`` (the cited letter is not in the corpus).

How a reference finds its letter
--------------------------------
1. **Blocking** (never all pairs). Each record is indexed under (agency, unit code,
   serial variant), where the variants of a serial are the serial itself and every
   string with one digit deleted (the SymSpell "deletion neighbourhood"): two serials
   one substitution, insertion or deletion apart always share a variant, so an OCR
   slip of one digit still lands in the right block. Of a block, only letters dated
   within a year of the cited date are kept (either date may be misread by a year).
   Side doors: (agency, serial, code variant) for a misread unit code, (unit code,
   serial) for misread agency letters, and physical enclosure — the letters after a
   cover letter in the same file. Blocks stay small as the archive grows.
2. **Scoring** (Fellegi–Sunter). Each comparison (serial, unit code, agency, date,
   subject, enclosure, chronology) falls into a level; each level adds the weight
   ``ln(m/u)``, where m is how often a true match shows that level and u how often a
   blocked non-match does. The table `MU` gives m and u with their source.
3. **Deciding.** Candidates of the same letter (copies in several files) count as
   one. With λᵢ = exp(Σ weights) per letter, the posterior of letter i is
   λᵢ / (K + Σ λⱼ) where K is the prior odds of "none of these" (`PRIOR_NONE`).
   A letter with posterior ≥ `T_RESOLVE` is the answer; otherwise every letter with
   posterior ≥ `T_KEEP` is kept as a candidate, and two or more make the reference
   ambiguous.

After linking, `consensus warnings` compare a letter's own header with how the
letters resolved to it cite it, and its date with its receipt stamps.

The same letter scanned in several files (a department circular forwarded by many
provinces) is one *node*: `letter_key` names it, `nodes` groups records by it; the
graph and the store use that grouping.
"""

from __future__ import annotations

import gc
import logging
import math
import re
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date as Date
from typing import Iterable, Optional

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from .normalise import thai_to_arabic
from .types import Candidate, DocNumber, Record, Reference

log = logging.getLogger(__name__)

# --------------------------------------------------------------------------- weights

#: (m, u) per comparison level. m = P(level | the candidate is the cited letter),
#: u = P(level | a candidate that passed blocking but is another letter).
#: Where the numbers come from: ``python -m pipeline.evaluation --suite links
#: --links-measure`` counts both on the generated archive (``tests/linkcorpus.py``,
#: seed 0, 5,000 letters, 30 % of citations damaged along the OCR notes' confusions
#: ๔→๕ ๖→๒ ๗→๓ ๘→๐ ๙→๑/๕) and prints them beside these constants. serial, code
#: (exact, different), agency, date (exact) and chronology are those measurements,
#: rounded. Set by hand, and why:
#: - m of the damaged levels is kept ≥ 0.005 so one unseen slip never vetoes a match;
#: - date "near": measured u is 0.15 because blocked non-matches are mostly adjacent
#:   serials of the same unit, issued days apart — a dependence on the serial level that
#:   independent weights would count twice. The seeds' genuine cases (๑๙๖๕ of 25 Jan for
#:   the fax of 22 Jan, ๒๙๗๖ cited 29 Jan for 27 Jan) set it positive;
#: - code "one_edit" u: measured 0.016 in the generator, where unit codes are sparse;
#:   real units are dense (0305.1, 0305.2 …), so u is set to 0.2;
#: - subject: the generator copies subjects verbatim (measured m(same) = 1.0); the
#:   seeds' two OCR readings of one subject score 97, unrelated subjects < 60;
#: - enclosure: measured u(next) counts the *other* references of a cover letter
#:   (what it cites is not what follows it). For an ``encloses`` reference the letter
#:   right after the cover is its enclosure in every seed file (4 of 4), hence u ≈ 0.
#: Levels absent for a pair (no date on one side …) add nothing.
MU: dict[str, dict[str, tuple[float, float]]] = {
    "serial": {
        "exact": (0.86, 0.05),
        "confusable": (0.05, 0.10),  # one substitution along a known Thai-digit confusion
        "one_edit": (0.08, 0.55),  # any other single substitution / insertion / deletion
        "two_edit": (0.005, 0.50),
        "different": (0.002, 0.17),  # reached through the enclosure door only
    },
    "code": {
        "exact": (0.97, 0.38),
        "one_edit": (0.025, 0.20),
        "different": (0.005, 0.60),
    },
    "agency": {
        "exact": (0.99, 0.95),
        "different": (0.01, 0.05),
    },
    "date": {
        "exact": (0.90, 0.007),
        "near": (0.09, 0.02),  # within 7 days either way: a misread day, a fax vs its copy
        "misread": (0.09, 0.01),  # one field off: year ±1, one digit of the day, month ±1
        "far": (0.02, 0.966),
    },
    "subject": {
        "same": (0.90, 0.02),  # prefix ratio ≥ 85
        "similar": (0.08, 0.08),  # 60–85
        "different": (0.02, 0.90),
    },
    "enclosure": {
        "next": (0.60, 0.0005),  # the letter right after a cover letter that encloses
        "later": (0.20, 0.0005),  # a later letter of the same file
        "none": (0.20, 0.999),
    },
    "chronology": {
        "ok": (0.995, 0.66),
        "after": (0.005, 0.34),  # the candidate is dated > 7 days after the citing letter
    },
}

WEIGHTS: dict[str, dict[str, float]] = {
    feature: {level: math.log(m / u) for level, (m, u) in levels.items()}
    for feature, levels in MU.items()
}

#: Prior odds that a reference with blocked candidates cites none of them, K in
#: λᵢ / (K + Σλ). Chosen so that the posterior reads as a probability: the reliability
#: table of ``python -m pipeline.evaluation --suite links --links-letters 20000``
#: (generated archive, seed 0) gives, with K = 3, mean posterior 0.82 / share right
#: 0.84 in [0.5, 0.9) and 0.96 / 0.98 in [0.9, 0.99); with K = 1 it was over-confident
#: (0.63 / 0.48, 0.96 / 0.91), with K = 2 in between.
PRIOR_NONE = 3.0
#: Posterior needed to resolve: 3 to 1 that it is this letter. Same run: at 0.75
#: precision 0.995, recall 0.989 (targets 0.98 / 0.95); 0.6 gives the same; 0.9 drops
#: the recall of damaged citations from 0.965 to 0.894.
T_RESOLVE = 0.75
#: Posterior needed to be kept as a candidate (ambiguous when two or more remain).
T_KEEP = 0.1

# Days within which a cited date counts as "near", and after which a cited letter
# is implausibly younger than the letter citing it. Seeds: ว ๑๙๖๕ of 25 Jan cites
# the fax of 22 Jan, ว ๒๙๗๖ cited as 29 Jan is dated 27 Jan: 2–3 days.
NEAR_DAYS = 7

#: One-digit confusions, as Arabic pairs: the stock Thai OCR model's
#: (../shared/design/ocr-notes.md: ๔ ๖ ๗ ๘ ๙ come out as ๕ ๒ ๓ ๐ ๑), the seeds'
#: (๔↔๕ in ว ๑๙๖๕ / ๑๙๖๔ and ว ๗๔๑๖ / ๗๕๑๖, ๐→๑ in มท ๑๓๑๔) and ๙→๕.
CONFUSABLE = frozenset(
    frozenset(p) for p in ("45", "62", "73", "80", "91", "95", "01")
)

# --------------------------------------------------------------------------- keys


_NON_DIGIT = re.compile(r"\D+")


def serial_digits(number: Optional[DocNumber]) -> Optional[str]:
    """The serial as digits only: ``'3057)7'`` → ``'30577'``; None when there are none."""
    if number is None:
        return None
    serial = number.serial
    if serial is None and "/" in number.text:
        serial = number.text.rsplit("/", 1)[1]
    if not serial:
        return None
    digits = _NON_DIGIT.sub("", thai_to_arabic(serial))
    return digits or None


def _code(number: Optional[DocNumber]) -> Optional[str]:
    if number is None or not number.code:
        return None
    return thai_to_arabic(number.code).strip() or None


def _agency(number: Optional[DocNumber]) -> Optional[str]:
    if number is None or not number.agency:
        return None
    return number.agency.replace(" ", "").replace(".", "") or None


def number_key(number: Optional[DocNumber]) -> Optional[str]:
    """A number in a form that survives spacing and digit script: ``'มท|0305.1|ว|1964'``."""
    serial = serial_digits(number)
    if number is None or serial is None:
        return None
    return "|".join((_agency(number) or "", _code(number) or "", "ว" if number.circular else "", serial))


def letter_key(record: Record) -> Optional[str]:
    """What names a letter across files: its number and date, ``'มท 0305.1/ว 1964@2021-01-22'``.

    None when the record lacks either (it is then a node of its own). Copies of one
    letter in several files share the key; `nodes` also checks their subjects.
    """
    key = number_key(record.number)
    if key is None or not record.date:
        return None
    agency, code, circ, serial = key.split("|")
    head = f"{agency} {code}".strip()
    return f"{head}/{circ + ' ' if circ else ''}{serial}@{record.date}"


#: Subjects of copies of one letter differ by OCR damage only; below this
#: ratio two records with the same number and date are taken as different letters
#: (a number reused by mistake). Seeds: the two readings of the 30577 subject score 97.
SAME_LETTER_SUBJECT = 60


def nodes(records: Iterable[Record]) -> dict[str, list[str]]:
    """Group record ids by the letter they are: node id → sorted record ids.

    The node id is the `letter_key` (``'…@date'``, with ``'~2'`` … for a different
    subject under the same key) or, for a record without number or date, its own id.
    Sorted by node id.
    """
    return dict(sorted(_groups(records).items()))


def _groups(records: Iterable[Record]) -> dict[str, list[str]]:
    """`nodes`, in no set order. Only the records that share a key are sorted (by id: a
    cluster's first subject decides which copies join it). Node ids took a tenth of the
    linking at 100k records, and sorting the whole archive twice for them grew faster
    than the rest (0.07 s at 10k records, 1.1 s at 100k; 0.66 s at 100k without them)."""
    groups: dict[str, list[Record]] = defaultdict(list)
    out: dict[str, list[str]] = {}
    for record in records:
        key = letter_key(record)
        if key is None:
            out[record.id] = [record.id]
        else:
            groups[key].append(record)
    for key, members in groups.items():
        clusters: list[list[Record]] = []
        for record in sorted(members, key=lambda r: r.id) if len(members) > 1 else members:
            for cluster in clusters:
                head = cluster[0].subject
                if not head or not record.subject or fuzz.ratio(head, record.subject) >= SAME_LETTER_SUBJECT:
                    cluster.append(record)
                    break
            else:
                clusters.append([record])
        for i, cluster in enumerate(clusters):
            out[key if i == 0 else f"{key}~{i + 1}"] = [r.id for r in cluster]
    return out


def node_of(records: Iterable[Record]) -> dict[str, str]:
    """Record id → node id (see `nodes`)."""
    return {rid: node for node, ids in _groups(records).items() for rid in ids}


def external_node(reference: Reference) -> str:
    """Node id of a letter cited but not in the archive: ``'ext:มท 0305.1/ว 30203@2021-11-12'``."""
    what = reference.number.text if reference.number is not None else reference.text[:80]
    return f"ext:{what}@{reference.date or '?'}"


def ambiguous_node(record_id: str, index: int) -> str:
    """Node id of reference `index` of record `record_id` while it is ambiguous."""
    return f"amb:{record_id}/{index}"


# --------------------------------------------------------------------------- comparisons


@dataclass(slots=True)
class _Facts:
    """What the comparisons need of one letter or one citation, computed once."""

    agency: Optional[str]
    code: Optional[str]
    circular: bool
    serial: Optional[str]
    day: Optional[Date]
    subject: Optional[str]


def _parse_day(text: Optional[str]) -> Optional[Date]:
    if not text:
        return None
    try:
        return Date.fromisoformat(text)
    except ValueError:
        return None


def _facts(number: Optional[DocNumber], day: Optional[str], subject: Optional[str]) -> _Facts:
    return _Facts(
        _agency(number), _code(number), bool(number and number.circular),
        serial_digits(number), _parse_day(day), subject or None,
    )


def compare_serial(cited: Optional[str], actual: Optional[str]) -> Optional[str]:
    """Level of two serials: exact / confusable / one_edit / two_edit / different.

    >>> compare_serial("1965", "1964"), compare_serial("30577", "3057"), compare_serial("7416", "7516")
    ('confusable', 'one_edit', 'confusable')
    """
    if not cited or not actual:
        return None
    if cited == actual:
        return "exact"
    distance = Levenshtein.distance(cited, actual, score_cutoff=2)
    if distance == 1:
        if len(cited) == len(actual):
            pair = next(frozenset((a, b)) for a, b in zip(cited, actual) if a != b)
            if pair in CONFUSABLE:
                return "confusable"
        return "one_edit"
    return "two_edit" if distance == 2 else "different"


def compare_code(cited: Optional[str], actual: Optional[str]) -> Optional[str]:
    """``'1314'`` vs ``'0314'`` → one_edit."""
    if not cited or not actual:
        return None
    if cited == actual:
        return "exact"
    return "one_edit" if Levenshtein.distance(cited, actual, score_cutoff=1) <= 1 else "different"


def compare_date(cited: Optional[Date], actual: Optional[Date]) -> Optional[str]:
    """exact / near (≤ 7 days) / misread (one field off: year ±1, a day digit, month ±1) / far."""
    if cited is None or actual is None:
        return None
    if cited == actual:
        return "exact"
    if abs((cited - actual).days) <= NEAR_DAYS:
        return "near"
    y, m, d = cited.year == actual.year, cited.month == actual.month, cited.day == actual.day
    if m and d and abs(cited.year - actual.year) == 1:
        return "misread"
    if y and m and Levenshtein.distance(f"{cited.day:02d}", f"{actual.day:02d}") == 1:
        return "misread"
    if y and d and abs(cited.month - actual.month) == 1:
        return "misread"
    return "far"


_SUBJECT_IN_REF = re.compile(r"เรื่อง\s*(.+)$", re.S)


def cited_subject(reference: Reference) -> Optional[str]:
    """The subject a reference quotes after ``เรื่อง``, if it does."""
    found = _SUBJECT_IN_REF.search(reference.text or "")
    return found.group(1).strip() if found else None


def compare_subject(cited: Optional[str], actual: Optional[str]) -> Optional[str]:
    """same (ratio ≥ 85) / similar (≥ 60) / different, over the common prefix length.

    A citation quotes the subject's beginning, often cut short; comparing prefixes of
    equal length (at most 120 characters) is as good as a partial ratio there, and
    linear instead of quadratic.
    """
    if not cited or not actual:
        return None
    length = min(len(cited), len(actual), 120)
    score = fuzz.ratio(cited[:length], actual[:length])
    return "same" if score >= 85 else "similar" if score >= 60 else "different"


# --------------------------------------------------------------------------- index


def _variants(text: str) -> set[str]:
    """The text and its one-deletion neighbours of length ≥ 2 (shorter ones match too much).

    Two strings one substitution, insertion or deletion apart share a variant.

    >>> sorted(_variants("1964"))
    ['164', '194', '196', '1964', '964']
    """
    out = {text}
    if len(text) >= 3:
        out.update(text[:i] + text[i + 1:] for i in range(len(text)))
    return out


class _Index:
    """Blocking index over a list of records.

    Three doors, each keyed so that blocks stay small as the archive grows:
    (agency, code, serial variant) for a slip in the serial; (agency, serial, code
    variant) for a slip in the unit code; (code, serial) for a slip in the agency
    letters — a variant being the string or one of its one-deletion neighbours
    (`_variants`). Then the year: only letters dated within a year of the cited date
    (or undated, or cited without a date) pass. A slip in two of agency / code / serial
    at once is found only through the file door (enclosures).
    """

    def __init__(self, records: list[Record], node_ids: list[str]):
        self.node_ids = node_ids
        # what scoring reads of every candidate, in lists of their own: at 100k records
        # reaching into each candidate's Record for its id and file cost more per record
        # than at 10k (the records are scattered over a gigabyte of memory)
        self.ids = [r.id for r in records]
        self.files = [(r.source.sha256, r.source.letter_index) for r in records]
        self.facts = [_facts(r.number, r.date, r.subject) for r in records]
        self.years = [f.day.year if f.day else None for f in self.facts]
        self.by_serial: dict[tuple, list[int]] = defaultdict(list)
        self.by_code: dict[tuple, list[int]] = defaultdict(list)
        self.by_agency: dict[tuple, list[int]] = defaultdict(list)
        self.by_file: dict[str, list[tuple[int, int]]] = defaultdict(list)  # sha -> (letter_index, i)
        for i, ((sha256, letter_index), f) in enumerate(zip(self.files, self.facts)):
            self.by_file[sha256].append((letter_index, i))
            if f.serial is None:
                continue
            for variant in _variants(f.serial):
                self.by_serial[(f.agency, f.code, variant)].append(i)
            for variant in _variants(f.code) if f.code else (None,):
                self.by_code[(f.agency, f.serial, variant)].append(i)
            if f.code:
                self.by_agency[(f.code, f.serial)].append(i)
        for members in self.by_file.values():
            members.sort()

    def candidates(self, citing: int, cited: _Facts) -> set[int]:
        found: set[int] = set()
        if cited.serial is not None:
            for variant in _variants(cited.serial):
                found.update(self.by_serial.get((cited.agency, cited.code, variant), ()))
            for variant in _variants(cited.code) if cited.code else (None,):
                found.update(self.by_code.get((cited.agency, cited.serial, variant), ()))
            if cited.code:
                found.update(self.by_agency.get((cited.code, cited.serial), ()))
            if cited.day is not None:
                # Either date may be misread by a year (๒๕๖๓ read as ๒๕๖๔ in a seed).
                y = cited.day.year
                found = {j for j in found if self.years[j] is None or abs(self.years[j] - y) <= 1}
        sha256, citing_index = self.files[citing]
        for letter_index, i in self.by_file[sha256]:
            if letter_index > citing_index:
                found.add(i)
        return found


def build_index(records: list[Record]) -> _Index:
    """The blocking index of `records` (in the order given), with their letter nodes."""
    node_by_id = node_of(records)
    return _Index(records, [node_by_id[r.id] for r in records])


def reference_facts(reference: Reference) -> _Facts:
    """What the comparisons read of a reference: its number, date and quoted subject."""
    return _facts(reference.number, reference.date, cited_subject(reference))


def comparison_levels(index: "_Index", citing: int, cited: _Facts, relation: str, j: int) -> dict[str, Optional[str]]:
    """The level of each comparison of citation `cited` (in record `citing`) against record `j`."""
    f = index.facts[j]
    levels = {
        "serial": compare_serial(cited.serial, f.serial),
        "code": compare_code(cited.code, f.code),
        "agency": None if not (cited.agency and f.agency) else ("exact" if cited.agency == f.agency else "different"),
        "date": compare_date(cited.day, f.day),
        "subject": compare_subject(cited.subject, f.subject),
        "chronology": None,
    }
    (a_file, a_index), (b_file, b_index) = index.files[citing], index.files[j]
    if a_file == b_file and b_index > a_index:
        # A cover letter's enclosure is the letter right after it; a cited (not
        # enclosed) letter that follows in the file is weaker evidence.
        levels["enclosure"] = "next" if relation == "encloses" and b_index == a_index + 1 else "later"
    else:
        levels["enclosure"] = "none"
    citing_day = index.facts[citing].day
    if citing_day and f.day:
        levels["chronology"] = "after" if (f.day - citing_day).days > NEAR_DAYS else "ok"
    return levels


def _score(index: "_Index", citing: int, cited: _Facts, relation: str, j: int) -> float:
    """Σ ln(m/u) over the comparison levels (see `MU`)."""
    levels = comparison_levels(index, citing, cited, relation, j)
    return sum(WEIGHTS[name][level] for name, level in levels.items() if level is not None)


def posterior(index: _Index, citing: int, reference: Reference) -> list[tuple[float, str]]:
    """(posterior, record id) of each candidate letter of `reference`, best first.

    One entry per letter (node): its best-scoring copy. Posteriors sum to less than 1;
    the rest is the chance that the cited letter is none of them.
    """
    cited = reference_facts(reference)
    own_node = index.node_ids[citing]
    best: dict[str, tuple[float, str]] = {}  # node -> (weight, record id)
    for j in index.candidates(citing, cited):
        node = index.node_ids[j]
        if j == citing or node == own_node:
            continue  # a letter never cites itself
        weight = _score(index, citing, cited, reference.relation, j)
        rid = index.ids[j]
        held = best.get(node)
        if held is None or weight > held[0] or (weight == held[0] and rid < held[1]):
            best[node] = (weight, rid)
    if not best:
        return []
    top = max(w for w, _ in best.values())
    # Shift by the top weight before exp() so that large sums never overflow.
    shifted = {node: math.exp(w - top) for node, (w, _) in best.items()}
    denominator = PRIOR_NONE * math.exp(min(-top, 700.0)) + sum(shifted.values())
    return sorted(((shifted[node] / denominator, best[node][1]) for node in best), key=lambda p: (-p[0], p[1]))


def _resolve(index: _Index, citing: int, reference: Reference) -> Reference:
    """The reference with status, resolved_id and candidates set from `posterior`.

    A single candidate between `T_KEEP` and `T_RESOLVE` leaves the reference
    unresolved but listed in ``candidates``, for a reviewer.
    """
    scored = posterior(index, citing, reference)
    if scored and scored[0][0] >= T_RESOLVE:
        update = {"resolved_id": scored[0][1], "status": "resolved", "candidates": []}
    else:
        kept = [Candidate.model_construct(id=rid, score=round(p, 4)) for p, rid in scored if p >= T_KEEP]
        update = {"resolved_id": None, "status": "ambiguous" if len(kept) >= 2 else "unresolved", "candidates": kept}
    return reference.model_copy(update=update)


# --------------------------------------------------------------------------- consensus

_OWN_WARNING = re.compile(r"^(number|date) reads .+ but (.+ cites it as|its receipt stamp reads) ")


def _name(record: Record) -> str:
    return f"{record.number.text} ({record.id})" if record.number else record.id


def _consensus(records: list[Record], by_id: dict[str, int]) -> dict[int, list[str]]:
    """Warnings per record index, sorted: header vs citations, date vs receipt stamps."""
    out: dict[int, list[str]] = defaultdict(list)
    for record in records:
        for reference in record.references:
            if reference.status != "resolved":
                continue
            j = by_id[reference.resolved_id]
            target = records[j]
            if reference.number and target.number and number_key(reference.number) != number_key(target.number):
                out[j].append(
                    f"number reads {target.number.text} but {_name(record)} cites it as {reference.number.text}"
                )
            if reference.date and target.date and reference.date != target.date:
                out[j].append(f"date reads {target.date} but {_name(record)} cites it as {reference.date}")
    for j, record in enumerate(records):
        if not record.date:
            continue
        others = [w for w in record.warnings if not _OWN_WARNING.match(w)]
        for stamp in record.stamps:
            # Extraction may have said so already, in its words: a warning naming both
            # dates is enough.
            said = any(record.date in w and stamp.date in w for w in others) if stamp.date else True
            if stamp.date and stamp.date < record.date and not said:
                out[j].append(
                    f"date reads {record.date} but its receipt stamp reads {stamp.date}: "
                    "received before it was written, one of the two is misread"
                )
    return {j: sorted(warnings) for j, warnings in out.items()}


# --------------------------------------------------------------------------- filling in


def _filled_from_citations(records: list[Record], by_id: dict[str, int]) -> dict[int, dict]:
    """A letter's number or date that its own page did not give (OCR lost it), taken from
    the letters that cite or enclose it, where every such citation that gives it agrees:
    a covering letter names the letter it forwards by number and date
    (``สำเนาหนังสือกรมการปกครอง ที่ มท 0309.1/ว 2615 ลงวันที่ 3 กุมภาพันธ์ 2569``).
    A number read without its agency letters takes them from a citation with the same
    code and serial. Values the letter shows are never replaced: disagreements are
    `_consensus` warnings. Returns per record index the update and its warnings."""
    cited: dict[int, list[tuple[Record, Reference]]] = defaultdict(list)
    for record in records:
        for reference in record.references:
            if reference.status == "resolved":
                cited[by_id[reference.resolved_id]].append((record, reference))
    out: dict[int, dict] = {}
    for j, citations in cited.items():
        target = records[j]
        # a citation that contradicts what the letter shows names another letter: a
        # cover letter citing an earlier letter resolved to the one it encloses
        citations = sorted((c for c in citations if not _contradicts(c[1], target)), key=lambda c: c[0].id)
        update: dict = {}
        warnings: list[str] = []
        if not target.date:
            dates = {ref.date for _, ref in citations if ref.date}
            if len(dates) == 1:
                update["date"] = dates.pop()
                by = next(r for r, ref in citations if ref.date == update["date"])
                warnings.append(f"date unreadable in the letter; taken as {update['date']} from {_name(by)}, which cites it")
        number = _number_from(target.number, [(r, ref.number) for r, ref in citations if ref.number])
        if number is not None:
            update["number"], by = number
            warnings.append(f"number {'unreadable' if target.number is None else 'read without its agency letters'} "
                            f"in the letter; taken as {update['number'].text} from {_name(by)}, which cites it")
        if update:
            out[j] = {"update": update, "warnings": warnings}
    return out


def _contradicts(reference: Reference, target: Record) -> bool:
    """Does the citation give a date far from the letter's, or another code?"""
    return compare_date(_parse_day(reference.date), _parse_day(target.date)) == "far" \
        or compare_code(_code(reference.number), _code(target.number)) == "different"


def _number_from(own: Optional[DocNumber], cited: list[tuple[Record, DocNumber]]) -> Optional[tuple[DocNumber, Record]]:
    keys = {number_key(n) for _, n in cited if number_key(n)}
    # citations without a serial still name the code: all must agree on it
    if len(keys) != 1 or len({_code(n) for _, n in cited if _code(n)}) > 1:
        return None
    by, number = next((r, n) for r, n in cited if number_key(n))
    if own is None:
        return number, by
    if own.agency is None and _code(own) == _code(number) and serial_digits(own) == serial_digits(number) \
            and own.circular == number.circular:
        return number, by
    return None


# --------------------------------------------------------------------------- entry point


@contextmanager
def _gc_paused():
    """Pause the cyclic garbage collector: linking allocates millions of acyclic objects,
    and each full collection walks all of them (at 100k records about 15 % of the time,
    growing with the archive). Reference counting still frees everything."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def link_records(records: list[Record]) -> list[Record]:
    """Resolve every reference of `records` against the others; the records, sorted by id
    (new ones where anything changed; a record with nothing to resolve or warn of is the
    input's own object).

    The input is not modified. Running it again over its own output gives the same
    output (statuses are recomputed, consensus warnings replaced, never duplicated).
    A record id given twice is kept once (the first in input order).
    """
    with _gc_paused():
        return _link(records)


def _link(records: list[Record]) -> list[Record]:
    unique: dict[str, Record] = {}
    for record in records:
        if record.id in unique:
            log.warning("record %s given twice; keeping the first", record.id)
            continue
        unique[record.id] = record
    # Work in input order (usually the order the records were made, hence laid out in
    # memory: at 100k records that locality is worth ~15 %); the result does not depend
    # on it — ties break by record id, warnings are sorted — and is sorted at the end.
    ordered = list(unique.values())
    index = build_index(ordered)
    linked: list[Record] = []
    for i, record in enumerate(ordered):
        if not record.references:  # nothing to resolve: the record as it is (never modified in place)
            linked.append(record)
            continue
        references = [_resolve(index, i, reference) for reference in record.references]
        linked.append(record.model_copy(update={"references": references}))
    by_id = {r.id: i for i, r in enumerate(linked)}
    for j, filled in _filled_from_citations(linked, by_id).items():
        record = linked[j]
        linked[j] = record.model_copy(update={**filled["update"], "warnings": record.warnings + filled["warnings"]})
    warnings = _consensus(linked, by_id)
    out = []
    for i, record in enumerate(linked):
        kept = [w for w in record.warnings if not _OWN_WARNING.match(w)]
        for w in warnings.get(i, ()):
            if w not in kept:
                kept.append(w)
        out.append(record if kept == record.warnings else record.model_copy(update={"warnings": kept}))
    out.sort(key=lambda r: r.id)
    return out
