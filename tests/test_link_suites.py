"""The links evaluation and benchmark suites run and report what they promise."""

from __future__ import annotations

import argparse

from pipeline.bench import links as bench_links
from pipeline.evaluation import links as eval_links


def test_evaluation_report_has_scores_reliability_and_measured_weights():
    text, scores = eval_links.corpus_report(600, seed=4, noise=0.3, measure=True)
    assert {"all", "clean", "damaged"} <= set(scores)
    assert scores["all"].gold > 0 and scores["damaged"].gold > 0
    assert "Reliability of the posterior" in text
    assert "| serial | confusable |" in text and "m measured" in text


def test_evaluation_arguments_and_run():
    parser = argparse.ArgumentParser()
    eval_links.add_arguments(parser)
    args = parser.parse_args(["--links-letters", "300", "--links-seed", "1"])
    report = eval_links.run(args)
    assert report.startswith("Generated archive:") and "Seeds:" in report


def test_benchmark_measure_reports_time_and_memory():
    figures = bench_links.measure(500, repeats=1)
    assert figures["records"] >= 500 and figures["citations"] > 0
    assert figures["peak_rss_mb"] >= figures["rss_before_link_mb"] > 0
    assert figures["link_cpu_s"] >= 0 and figures["repeats"] == 1
