"""The citation graph: letters as nodes, citations and enclosures as edges.

``build_graph(records)`` makes a networkx ``MultiDiGraph``. A node is a *letter*
(`pipeline.link.nodes`: copies of one letter in several files are one node, with
their record ids in ``records``), an *external* letter (cited, not in the archive:
``ext:<number>@<date>``) or an *ambiguous* reference (``amb:<record id>/<k>``, its
candidates listed). An edge goes from the citing letter to the cited one, keyed by
its relation (``cites`` / ``encloses``), so copies of a cover letter that cite the
same letter add their record id to one edge instead of repeating it.

Writers, by format name (`WRITERS`): ``graphml``, ``json`` (networkx node-link),
``dot`` (Graphviz) and ``html`` (one self-contained page, inline SVG and JS, no
network). Every attribute is a string or a number, as GraphML requires.
"""

from __future__ import annotations

import html
import json
from typing import Callable, Iterable

import networkx as nx

from .link import ambiguous_node, external_node, nodes
from .types import Record, Reference


def _short(text: str | None, limit: int = 60) -> str:
    if not text:
        return ""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _letter_attrs(group: list[Record]) -> dict:
    head = group[0]
    number = head.number.text if head.number else ""
    attrs = {
        "kind": "letter",
        "number": number,
        "date": head.date or "",
        "subject": head.subject or "",
        "sender": head.sender.organization or "",
        "records": " ".join(r.id for r in group),
        "copies": len(group),
        "paths": " | ".join(r.source.path for r in group),
    }
    attrs["label"] = " · ".join(x for x in (number or head.id, head.date, _short(head.subject)) if x)
    return attrs


def _add_edge(graph: nx.MultiDiGraph, src: str, dst: str, record: Record, reference: Reference) -> None:
    key = reference.relation
    if graph.has_edge(src, dst, key):
        data = graph.edges[src, dst, key]
        if record.id not in data["records"].split():
            data["records"] += " " + record.id
        return
    graph.add_edge(src, dst, key=key, relation=reference.relation, status=reference.status,
                   records=record.id, text=reference.text)


def build_graph(records: Iterable[Record]) -> nx.MultiDiGraph:
    """The citation graph of linked records (see the module docstring)."""
    records = sorted(records, key=lambda r: r.id)
    by_id = {r.id: r for r in records}
    grouping = nodes(records)
    node_of = {rid: node for node, ids in grouping.items() for rid in ids}
    graph = nx.MultiDiGraph(name="citations")
    for node, ids in grouping.items():
        graph.add_node(node, **_letter_attrs([by_id[i] for i in ids]))
    for record in records:
        src = node_of[record.id]
        for k, reference in enumerate(record.references):
            if reference.status == "resolved" and reference.resolved_id in node_of:
                dst = node_of[reference.resolved_id]
            elif reference.status == "ambiguous":
                dst = ambiguous_node(record.id, k)
                graph.add_node(dst, kind="ambiguous", number=reference.number.text if reference.number else "",
                               date=reference.date or "", label="? " + _short(reference.text),
                               candidates=" ".join(f"{c.id}:{c.score:.3f}" for c in reference.candidates))
            else:
                dst = external_node(reference)
                if dst not in graph:
                    number = reference.number.text if reference.number else ""
                    graph.add_node(dst, kind="external", number=number, date=reference.date or "",
                                   issuer=reference.issuer or "",
                                   label=" · ".join(x for x in (number or _short(reference.text), reference.date) if x))
            _add_edge(graph, src, dst, record, reference)
    return graph


def find_node(graph: nx.MultiDiGraph, ident: str) -> str | None:
    """The node named `ident`: a node id, a record id, or a letter number (as printed)."""
    if ident in graph:
        return ident
    for node, data in graph.nodes(data=True):
        if ident in data.get("records", "").split() or (data.get("number") and data["number"] == ident):
            return node
    return None


def neighbourhood(graph: nx.MultiDiGraph, node: str, depth: int = 1) -> nx.MultiDiGraph:
    """The letters within `depth` citations of `node`, either direction."""
    return graph.subgraph(nx.ego_graph(graph, node, radius=depth, undirected=True).nodes).copy()


# --------------------------------------------------------------------------- writers


def to_graphml(graph: nx.MultiDiGraph) -> str:
    return "\n".join(nx.generate_graphml(graph)) + "\n"


def to_node_link(graph: nx.MultiDiGraph) -> dict:
    return nx.node_link_data(graph, edges="edges")


def from_node_link(data: dict) -> nx.MultiDiGraph:
    return nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")


def to_json(graph: nx.MultiDiGraph) -> str:
    return json.dumps(to_node_link(graph), ensure_ascii=False, indent=1) + "\n"


def _dot_quote(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


_DOT_NODE_STYLE = {"letter": "shape=box", "external": "shape=box, style=dashed, color=gray40",
                   "ambiguous": "shape=diamond, color=orange"}
_DOT_EDGE_STYLE = {"cites": "style=solid", "encloses": "style=dashed, color=blue"}


def to_dot(graph: nx.MultiDiGraph) -> str:
    lines = ["digraph citations {", "  rankdir=LR;", '  node [fontname="Sarabun"];']
    for node, data in graph.nodes(data=True):
        lines.append(f"  {_dot_quote(node)} [label={_dot_quote(data.get('label', node))}, "
                     f"{_DOT_NODE_STYLE.get(data.get('kind'), 'shape=box')}];")
    for src, dst, data in graph.edges(data=True):
        lines.append(f"  {_dot_quote(src)} -> {_dot_quote(dst)} [label={_dot_quote(data['relation'])}, "
                     f"{_DOT_EDGE_STYLE[data['relation']]}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_html(graph: nx.MultiDiGraph) -> str:
    """One page that draws the graph offline: our own force layout in inline JS, SVG output."""
    data = {
        "nodes": [{"id": n, "kind": d.get("kind", "letter"), "label": d.get("label", n),
                   "title": "\n".join(f"{k}: {v}" for k, v in d.items() if k != "label" and v != "")}
                  for n, d in graph.nodes(data=True)],
        "edges": [{"source": s, "target": t, "relation": d["relation"], "status": d.get("status", "")}
                  for s, t, d in graph.edges(data=True)],
    }
    payload = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return _HTML.replace("%TITLE%", html.escape(graph.graph.get("name", "citations"))).replace("%DATA%", payload)


WRITERS: dict[str, Callable[[nx.MultiDiGraph], str]] = {
    "graphml": to_graphml,
    "json": to_json,
    "dot": to_dot,
    "html": to_html,
}


def render(graph: nx.MultiDiGraph, fmt: str) -> str:
    """The graph in format `fmt` (a key of `WRITERS`)."""
    try:
        return WRITERS[fmt](graph)
    except KeyError:
        raise ValueError(f"unknown graph format {fmt!r}; valid: {', '.join(WRITERS)}") from None


_HTML = """<!DOCTYPE html>
<html lang="th">
<head>
<meta charset="utf-8">
<title>%TITLE%</title>
<style>
 body { margin: 0; font-family: "Sarabun", "TH Sarabun New", "Garuda", sans-serif; background: #fafafa; }
 header { padding: 6px 12px; background: #233; color: #eee; font-size: 14px; }
 header span { margin-right: 18px; }
 svg { width: 100vw; height: calc(100vh - 32px); display: block; cursor: grab; }
 .edge { stroke: #555; stroke-width: 1.2; fill: none; }
 .edge.encloses { stroke: #2563eb; stroke-dasharray: 6 4; }
 .node rect { fill: #fff; stroke: #233; stroke-width: 1.2; rx: 4; }
 .node.external rect { fill: #eee; stroke: #888; stroke-dasharray: 4 3; }
 .node.ambiguous rect { fill: #fff4e0; stroke: #e69500; }
 .node text { font-size: 11px; fill: #111; }
 .legend line { stroke-width: 2; }
</style>
</head>
<body>
<header><span>Citation graph</span><span>— cites</span><span style="color:#8ab4ff">- - encloses</span>
<span style="color:#bbb">▭ dashed: not in archive</span><span style="color:#e69500">▭ orange: ambiguous</span>
<span id="count"></span></header>
<svg id="view" xmlns="http://www.w3.org/2000/svg">
 <defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
  <path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>
 <g id="world"></g>
</svg>
<script type="application/json" id="graph-data">%DATA%</script>
<script>
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var NS = "http://www.w3.org/2000/svg";
  var nodes = data.nodes, edges = data.edges, byId = {};
  document.getElementById("count").textContent = nodes.length + " nodes, " + edges.length + " edges";
  nodes.forEach(function (n, i) {
    var a = 2 * Math.PI * i / Math.max(1, nodes.length), r = 40 * Math.sqrt(nodes.length);
    n.x = r * Math.cos(a); n.y = r * Math.sin(a); n.vx = 0; n.vy = 0; byId[n.id] = n;
  });
  edges = edges.filter(function (e) { return byId[e.source] && byId[e.target]; });
  // Force layout (Fruchterman-Reingold style): springs along edges, repulsion between
  // all pairs within reach (grid-bucketed beyond 400 nodes), a pull to the centre, a falling cap on
  // each step. Fixed number of steps.
  var REACH2 = 300 * 300;  // repulsion acts within 300 px only, so the layout stays compact
  function step(alpha) {
    var i, j, a, b, dx, dy, d2, f;
    if (nodes.length <= 400) {
      for (i = 0; i < nodes.length; i++) for (j = i + 1; j < nodes.length; j++) {
        a = nodes[i]; b = nodes[j]; dx = b.x - a.x; dy = b.y - a.y; d2 = dx * dx + dy * dy + 0.01;
        if (d2 > REACH2) continue;
        f = 1500 * alpha / d2; a.vx -= dx * f; a.vy -= dy * f; b.vx += dx * f; b.vy += dy * f;
      }
    } else {
      var cell = 200, grid = {};
      nodes.forEach(function (n) { var k = Math.floor(n.x / cell) + ":" + Math.floor(n.y / cell); (grid[k] = grid[k] || []).push(n); });
      Object.keys(grid).forEach(function (k) {
        var g = grid[k];
        for (i = 0; i < g.length; i++) for (j = i + 1; j < g.length; j++) {
          a = g[i]; b = g[j]; dx = b.x - a.x; dy = b.y - a.y; d2 = dx * dx + dy * dy + 0.01;
          f = 1500 * alpha / d2; a.vx -= dx * f; a.vy -= dy * f; b.vx += dx * f; b.vy += dy * f;
        }
      });
    }
    edges.forEach(function (e) {
      a = byId[e.source]; b = byId[e.target]; dx = b.x - a.x; dy = b.y - a.y;
      var d = Math.sqrt(dx * dx + dy * dy) + 0.01; f = (d - 160) * 0.02 * alpha / d;
      a.vx += dx * f; a.vy += dy * f; b.vx -= dx * f; b.vy -= dy * f;
    });
    var cap = 2 + 40 * alpha;  // the "temperature": no node jumps further than this per step
    nodes.forEach(function (n) {
      n.vx -= n.x * 0.01 * alpha; n.vy -= n.y * 0.01 * alpha;
      var v = Math.sqrt(n.vx * n.vx + n.vy * n.vy);
      if (v > cap) { n.vx *= cap / v; n.vy *= cap / v; }
      n.x += n.vx; n.y += n.vy; n.vx *= 0.6; n.vy *= 0.6;
    });
  }
  for (var t = 0; t < 300; t++) step(1 - t / 300);

  var world = document.getElementById("world");
  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    parent.appendChild(e); return e;
  }
  var lines = edges.map(function (e) {
    var line = el("line", {"class": "edge " + e.relation, "marker-end": "url(#arrow)"}, world);
    el("title", {}, line).textContent = e.relation + " (" + e.status + ")";
    return line;
  });
  var boxes = nodes.map(function (n) {
    var g = el("g", {"class": "node " + n.kind}, world);
    el("title", {}, g).textContent = n.title || n.id;
    var rect = el("rect", {}, g);
    var text = el("text", {x: 6, y: 15}, g);
    text.textContent = n.label;
    n.w = Math.min(420, 12 + 6.2 * n.label.length); n.h = 22;
    rect.setAttribute("width", n.w); rect.setAttribute("height", n.h);
    return g;
  });
  function clip(a, b) {  // where the segment a→b leaves box b
    var dx = a.x - b.x, dy = a.y - b.y, sx = (b.w / 2) / Math.abs(dx || 1e-9), sy = (b.h / 2) / Math.abs(dy || 1e-9);
    var s = Math.min(1, Math.min(sx, sy)); return {x: b.x + dx * s, y: b.y + dy * s};
  }
  function draw() {
    nodes.forEach(function (n, i) { boxes[i].setAttribute("transform", "translate(" + (n.x - n.w / 2) + "," + (n.y - n.h / 2) + ")"); });
    edges.forEach(function (e, i) {
      var a = byId[e.source], b = byId[e.target], p = clip(a, b), q = clip(b, a);
      lines[i].setAttribute("x1", q.x); lines[i].setAttribute("y1", q.y);
      lines[i].setAttribute("x2", p.x); lines[i].setAttribute("y2", p.y);
    });
  }
  draw();
  // Pan with the mouse, zoom with the wheel.
  var svg = document.getElementById("view"), view = {x: 0, y: 0, k: 1}, drag = null;
  function apply() { world.setAttribute("transform", "translate(" + view.x + "," + view.y + ") scale(" + view.k + ")"); }
  var box = svg.getBoundingClientRect(); view.x = box.width / 2; view.y = box.height / 2; apply();
  svg.addEventListener("mousedown", function (ev) { drag = {x: ev.clientX - view.x, y: ev.clientY - view.y}; });
  window.addEventListener("mouseup", function () { drag = null; });
  window.addEventListener("mousemove", function (ev) { if (drag) { view.x = ev.clientX - drag.x; view.y = ev.clientY - drag.y; apply(); } });
  svg.addEventListener("wheel", function (ev) {
    ev.preventDefault(); var k = ev.deltaY < 0 ? 1.15 : 1 / 1.15;
    view.x = ev.clientX - (ev.clientX - view.x) * k; view.y = ev.clientY - (ev.clientY - view.y) * k; view.k *= k; apply();
  }, {passive: false});
})();
</script>
</body>
</html>
"""
