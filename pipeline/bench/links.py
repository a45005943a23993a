"""Suite `links`: time and memory of `pipeline.link.link_records` on generated archives.

Each size runs in its own process (``python -m pipeline.bench.links --child N``), so
that its peak RSS is its own: the archive is generated (``tests/linkcorpus.py``,
not timed), then linked (timed). Targets: 100,000 records in ≤ 60 s and ≤ 2 GB on
one core, and 100k time ≤ 12 × the 10k time (near-linear: blocking, not all pairs).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

from ..evaluation.common import SkipSuite, import_optional, markdown_table, project_root

SIZES = (10_000, 100_000)
QUICK_SIZES = (1_000, 2_000)
TARGET_SECONDS_100K = 60.0
TARGET_RSS_MB = 2048.0
TARGET_RATIO = 12.0


def add_arguments(parser) -> None:
    parser.add_argument("--links-sizes", type=int, nargs="+", help=f"archive sizes (default {SIZES})")


def measure(n_letters: int, seed: int = 0, repeats: int = 3) -> dict:
    """Generate an archive of `n_letters`, link it, return the figures (this process)."""
    linkcorpus = import_optional("tests.linkcorpus")
    if linkcorpus is None:
        raise SkipSuite("tests/linkcorpus.py not importable (run from the project root)")
    from ..link import link_records

    started = time.perf_counter()
    corpus = linkcorpus.generate(n_letters, seed=seed)
    generated = time.perf_counter() - started
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # The machine is shared: CPU time is what one core spent on us, wall time what we
    # waited. Every size runs `repeats` times and keeps the fastest, to damp the noise
    # of neighbours; the first run is reported too.
    walls, cpus, resolved = [], [], 0
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        linked = link_records(corpus.records)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        resolved = sum(ref.status == "resolved" for r in linked for ref in r.references)
        del linked  # not alive during the next run: the peak RSS stays one run's
    return {
        "records": len(corpus.records), "citations": corpus.citations, "resolved": resolved,
        "generate_s": round(generated, 2), "link_s": round(min(walls), 2), "link_cpu_s": round(min(cpus), 2),
        "first_cpu_s": round(cpus[0], 2), "repeats": repeats,
        "rss_before_link_mb": round(rss_before, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def _child(n_letters: int, repeats: int) -> dict:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    proc = subprocess.run([sys.executable, "-m", "pipeline.bench.links", "--child", str(n_letters),
                           "--repeats", str(repeats)],
                          cwd=project_root(), env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark child for {n_letters} failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run(args) -> str:
    if import_optional("tests.linkcorpus") is None:
        raise SkipSuite("tests/linkcorpus.py not importable (run from the project root)")
    sizes = getattr(args, "links_sizes", None) or (QUICK_SIZES if getattr(args, "quick", False) else SIZES)
    repeats = 1 if getattr(args, "quick", False) else 3
    results = {n: _child(n, repeats) for n in sizes}
    rows = [[n, r["records"], r["citations"], r["resolved"], f"{r['generate_s']:.2f}", f"{r['link_s']:.2f}",
             f"{r['link_cpu_s']:.2f}", f"{r['first_cpu_s']:.2f}", f"{r['records'] / max(r['link_cpu_s'], 1e-9):,.0f}",
             f"{r['rss_before_link_mb']:.0f}", f"{r['peak_rss_mb']:.0f}"]
            for n, r in results.items()]
    lines = [markdown_table(["size", "records", "citations", "resolved", "generate s", "link wall s", "link CPU s",
                             "first run CPU s", "records/CPU s", "RSS before link MB", "peak RSS MB"], rows,
                            align="rrrrrrrrrrr"),
             "", f"Link times: fastest of {next(iter(results.values()))['repeats']} runs in one process per size."]
    if 10_000 in results and 100_000 in results:
        small, big = results[10_000], results[100_000]
        ratio = big["link_cpu_s"] / max(small["link_cpu_s"], 1e-9)
        ok = big["link_cpu_s"] <= TARGET_SECONDS_100K and big["peak_rss_mb"] <= TARGET_RSS_MB and ratio <= TARGET_RATIO
        lines += ["", f"100k: {big['link_cpu_s']:.1f} CPU s, {big['link_s']:.1f} wall s (target ≤ "
                      f"{TARGET_SECONDS_100K:.0f} on one core), peak RSS {big['peak_rss_mb']:.0f} MB (target ≤ "
                      f"{TARGET_RSS_MB:.0f}; includes the generated archive, {big['rss_before_link_mb']:.0f} MB before "
                      f"linking), 100k/10k CPU time ratio {ratio:.1f} (target ≤ {TARGET_RATIO:.0f}): "
                      + ("targets met." if ok else "**targets NOT met.**")]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.bench.links")
    parser.add_argument("--child", type=int, metavar="N", help="measure one size in this process, print JSON")
    parser.add_argument("--repeats", type=int, default=3, help="link runs per size (the fastest is kept)")
    add_arguments(parser)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure(args.child, repeats=args.repeats)))
    else:
        print(run(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
