"""The argument map's structure, built once: the HTML SVG, its text version and the PDF figure draw it.

The map is a tree of what supports each thesis, two levels deep, with every
argument that supports no thesis as a tree of its own (so a bank without a
thesis still has a map of its premises and evidence).  Anything already shown
in full is repeated as a one-line reminder, so the map stays a tree.
Counter-views stand beside what they argue against: the first of their
`counters` that is in the tree, else an argument naming them in its own
`counters`, else another counter-view they argue against.

Who holds an argument is printed by one rule (`holder_name`): a holder of
"the author" (any case, or "the author (Name)") is the reading's author, by name.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from studygen.model import Argument, Bank, Fact

# The label key a box is titled with, by argument role (facts are evidence).
ROLE_LABELS = {
    "thesis": "thesis",
    "premise": "premise",
    "evidence": "evidence",
    "counter": "counter_view",
    "contingent": "contingent",
    "recommendation": "recommendation",
}


def is_author(holder: str) -> bool:
    """True when a bank says the reading's author holds an argument.

    "the author" in any case, "author", or "the author (Name)" (banks often
    name the author in passing): all mean the reading's author.
    """
    h = holder.strip().casefold()
    return h in ("the author", "author") or h.startswith("the author (")


def holder_name(holder: str, bank: Bank) -> str:
    """The name to print for an argument's holder."""
    return bank.reading.author if is_author(holder) else holder


@dataclass(frozen=True)
class Node:
    """One box of the map."""

    id: str
    role: str  # label key of the box's title (ROLE_LABELS; supports two levels down are "evidence")
    claim: str  # bank text, inline markup allowed
    holder: str  # who holds it, by name ("" for facts)
    by_author: bool  # held by the reading's author (or a fact): the box does not repeat the name
    level: int  # 0 thesis; 1 supports a thesis; 2 supports a level-1 or off-spine node; -1 in no thesis's tree
    group: int  # boxes of one group are drawn together (the PDF cuts a tall map only between groups)
    parent: int | None = None  # index in Outline.nodes of what it supports
    repeat: bool = False  # shown in full further up: a one-line reminder
    against: int | None = None  # counter-views: index in Outline.nodes of what it argues against
    against_counter: int | None = None  # ... or index in Outline.counters of another counter-view

    @property
    def text(self) -> str:
        """The box's text: the claim, with its holder when that is not the reading's author."""
        return self.claim if self.by_author else f"{self.claim} ({self.holder})"


@dataclass(frozen=True)
class TextItem:
    """A node and the nodes under it, for the figure's text version."""

    node: Node
    children: tuple[TextItem, ...]


@dataclass(frozen=True)
class Outline:
    nodes: tuple[Node, ...]  # the support trees, group by group
    counters: tuple[Node, ...]

    def __bool__(self) -> bool:
        return bool(self.nodes or self.counters)

    def groups(self) -> Iterator[tuple[Node, ...]]:
        start = 0
        for i in range(1, len(self.nodes) + 1):
            if i == len(self.nodes) or self.nodes[i].group != self.nodes[start].group:
                yield self.nodes[start:i]
                start = i

    def target(self, counter: Node) -> Node | None:
        """What a counter-view argues against (a node of the tree or another counter-view)."""
        if counter.against is not None:
            return self.nodes[counter.against]
        if counter.against_counter is not None:
            return self.counters[counter.against_counter]
        return None

    def main_claims(self) -> Outline:
        """The argument at a glance: theses, what supports them directly, recommendations, counter-views.

        What a short handout draws.  The evidence under each claim (most of the
        full map's height) and the arguments outside a thesis's tree are in the
        full study guide; recommendations stay, being where a column ends up.  A
        map without a thesis keeps its top-level arguments instead.  A
        counter-view of a left-out box stands beside the nearest kept box above it.
        """
        thesis = any(n.level == 0 for n in self.nodes)

        def wanted(n: Node) -> bool:
            if n.level in (0, 1):
                return True
            if n.level == -1:
                return n.role == "recommendation" or (not thesis and n.role != "evidence")
            return False

        keep = [i for i, n in enumerate(self.nodes) if wanted(n)]
        new = {old: k for k, old in enumerate(keep)}

        def kept(i: int | None) -> int | None:
            while i is not None and i not in new:
                i = self.nodes[i].parent
            return None if i is None else new[i]

        nodes = tuple(replace(self.nodes[i], parent=kept(self.nodes[i].parent)) for i in keep)
        counters = tuple(replace(c, against=kept(c.against)) for c in self.counters)
        return Outline(nodes, counters)

    def tree(self) -> tuple[TextItem, ...]:
        """The support trees as nested items (roots are theses and arguments outside any thesis's tree)."""
        kids: dict[int | None, list[int]] = {}
        for i, n in enumerate(self.nodes):
            kids.setdefault(n.parent, []).append(i)

        def item(i: int) -> TextItem:
            return TextItem(self.nodes[i], tuple(item(k) for k in kids.get(i, ())))

        return tuple(item(i) for i in kids.get(None, ()))


def argument_outline(bank: Bank) -> Outline:
    nodes: list[Node] = []
    shown: set[str] = set()
    group = -1

    def add(item: Fact | Argument, level: int, parent: int | None) -> int:
        if isinstance(item, Fact):
            role, claim, holder, by_author = "evidence", item.statement, "", True
        else:
            role = "evidence" if level == 2 else ROLE_LABELS.get(item.role, "premise")
            claim, holder, by_author = item.claim, holder_name(item.holder, bank), is_author(item.holder)
        nodes.append(Node(item.id, role, claim, holder, by_author, level, group, parent, repeat=item.id in shown))
        shown.add(item.id)
        return len(nodes) - 1

    def with_support(item: Argument, level: int, parent: int | None) -> None:
        head = add(item, level, parent)
        if nodes[head].repeat:
            return
        for ref in item.supported_by:
            src = bank.source(ref)
            if src is not None and ref != item.id:
                add(src, 2, head)

    for thesis in (a for a in bank.arguments if a.role == "thesis"):
        group += 1
        top = add(thesis, 0, None)
        for ref in thesis.supported_by:
            src = bank.source(ref)
            if src is None:
                continue
            group += 1
            if isinstance(src, Argument):
                with_support(src, 1, top)
            else:
                add(src, 1, top)
    for a in bank.arguments:
        if a.role not in ("thesis", "counter") and a.id not in shown:
            group += 1
            with_support(a, -1, None)
    return Outline(tuple(nodes), _counters(bank, nodes))


def _counters(bank: Bank, nodes: list[Node]) -> tuple[Node, ...]:
    placed: dict[str, int] = {}
    for i, n in enumerate(nodes):
        if not n.repeat:
            placed.setdefault(n.id, i)
    counters = [a for a in bank.arguments if a.role == "counter"]
    ids = [c.id for c in counters]
    out = []
    for c in counters:
        against = next((placed[r] for r in c.counters if r in placed), None)
        if against is None:
            against = next((placed[a.id] for a in bank.arguments if c.id in a.counters and a.id in placed), None)
        other = None
        if against is None:
            other = next((ids.index(r) for r in c.counters if r in ids and r != c.id), None)
        holder = holder_name(c.holder, bank)
        out.append(
            Node(
                c.id,
                "counter_view",
                c.claim,
                holder,
                is_author(c.holder),
                0,
                -1,
                against=against,
                against_counter=other,
            )
        )
    return tuple(out)
