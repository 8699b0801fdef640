"""A layered drawing of a :class:`FlowView` for the HTML report, computed in Python.

``grandalf`` (pure Python, EPL-1.0/GPL-2.0 dual licence, used here under EPL) does the
Sugiyama layout: layers from Start downwards, crossings reduced, loops broken, edges
routed through the layers as polylines. Outcomes between the same two nodes are drawn as
one edge whose label lists them. Imported only by the report, never at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from connectflow.flowview import FlowView, ViewEdge

CHAR_WIDTH, LINE_HEIGHT, PAD = 6.6, 15, 10
LAYER_GAP, NODE_GAP, COMPONENT_GAP, MARGIN = 70, 30, 60, 20
ORDERING_ROUNDS = 4  # crossing-reduction sweeps at most (grandalf's draw(N))


@dataclass
class Box:
    id: str  # a node id, "end:<cell id>" or "nc:<node id>:<n>" (a not-connected marker)
    kind: str  # node | end | unconnected
    lines: list[str]
    width: float
    height: float
    x: float = 0.0  # centre
    y: float = 0.0


@dataclass
class Line:
    source: str
    target: str
    label: str
    dashed: bool
    points: list[tuple[float, float]] = field(default_factory=list)


@dataclass
class Drawing:
    boxes: dict[str, Box]
    lines: list[Line]
    width: float
    height: float


class _View:
    """What grandalf reads (w, h) and writes (xy, and the routed path of an edge)."""

    def __init__(self, w: float = 0.0, h: float = 0.0):
        self.w, self.h, self.xy, self.path = w, h, (0.0, 0.0), None

    def setpath(self, points):
        self.path = [tuple(p) for p in points]


def _box(box_id: str, kind: str, lines: list[str]) -> Box:
    width = max(len(line) for line in lines) * CHAR_WIDTH + 2 * PAD
    return Box(box_id, kind, lines, max(width, 40.0), len(lines) * LINE_HEIGHT + PAD)


def _order_and_place(layout) -> None:
    """grandalf's ``draw(ORDERING_ROUNDS)``, without the rounds that cannot change anything.

    A round whose downward sweep finds no crossing in any layer reorders nothing, so every
    later round would find the same (most flows are trees: their first round already
    does); stopping there gives the same drawing for less work."""
    for _ in range(ORDERING_ROUNDS):
        if sum(crossings for _layer, crossings in layout.ordering_step()) == 0:
            break
    layout.setxy()
    layout.draw_edges()


def draw(view: FlowView, node_lines) -> Drawing:
    """Boxes and routed lines for every node, End and not-connected outcome of ``view``;
    ``node_lines(ViewNode)`` gives a node's text (shared with the graph formats)."""
    from grandalf.graphs import Edge, Graph, Vertex
    from grandalf.layouts import SugiyamaLayout
    from grandalf.routing import route_with_lines

    boxes: dict[str, Box] = {n.id: _box(n.id, "node", node_lines(n)) for n in view.nodes}
    for end in view.ends:
        boxes[end.id] = Box(end.id, "end", ["End"], 36, 22)
    grouped: dict[tuple[str, str], list[ViewEdge]] = {}
    for node in view.nodes:
        for index, edge in enumerate(node.edges):
            if edge.optional:
                continue
            target = edge.target
            if target is None:
                target = f"nc:{edge.source}:{index}"
                boxes[target] = _box(target, "unconnected", ["not connected"])
            grouped.setdefault((edge.source, target), []).append(edge)
    lines = [Line(s, t, ", ".join(dict.fromkeys(e.label or e.event for e in edges)),
                  any(e.target is None for e in edges)) for (s, t), edges in grouped.items()]

    vertices = {box_id: Vertex(box_id) for box_id in boxes}
    for box_id, vertex in vertices.items():
        vertex.view = _View(boxes[box_id].width, boxes[box_id].height)
    edges = []
    for line in lines:
        if line.source != line.target:
            edge = Edge(vertices[line.source], vertices[line.target])
            edge.view = _View()
            edge.line = line
            edges.append(edge)
    graph = Graph(list(vertices.values()), edges)

    offset, height = MARGIN, 0.0
    components = sorted(graph.C, key=lambda c: min(view.node(v.data).order if view.node(v.data) else 1 << 30
                                                   for v in c.sV))
    for component in components:
        layout = SugiyamaLayout(component)
        layout.xspace, layout.yspace = NODE_GAP, LAYER_GAP
        layout.route_edge = route_with_lines
        roots = [v for v in component.sV if view.flow.start is not None and v.data == view.flow.start.id]
        layout.init_all(roots=roots or None)
        _order_and_place(layout)
        xs = [(v.view.xy[0] - v.view.w / 2, v.view.xy[0] + v.view.w / 2) for v in component.sV]
        left, right = min(x for x, _ in xs), max(x for _, x in xs)
        top = min(v.view.xy[1] - v.view.h / 2 for v in component.sV)
        dx, dy = offset - left, MARGIN - top
        for vertex in component.sV:
            box = boxes[vertex.data]
            box.x, box.y = vertex.view.xy[0] + dx, vertex.view.xy[1] + dy
            height = max(height, box.y + box.height / 2)
        for edge in component.sE:
            points = edge.view.path or [edge.v[0].view.xy, edge.v[1].view.xy]
            edge.line.points = [(x + dx, y + dy) for x, y in points]
        offset += right - left + COMPONENT_GAP
    for line in lines:
        if line.source == line.target:  # a self-loop: a small arc on the node's right side
            box = boxes[line.source]
            x, y = box.x + box.width / 2, box.y
            line.points = [(x, y - 6), (x + 24, y - 6), (x + 24, y + 6), (x, y + 6)]
    return Drawing(boxes, lines, offset - COMPONENT_GAP + MARGIN, height + MARGIN)
