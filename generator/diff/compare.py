"""Running every rule over two sides: operations matched by operationId, inputs and outputs walked."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from generator.diff.model import Change, Side
from generator.diff.pairs import DocPair, NodePair, OpPair
from generator.diff.registry import RULES, Rule
from generator.diff.walk import Node, effective_path, inputs_node, operations, output_nodes, resolve
from generator.problems import Finding, Level, Problem, ProblemError

__all__ = ["compare", "load_rules"]

_MAX_DEPTH = 16


def load_rules() -> Mapping[str, Rule]:
    import generator.diff.rules  # noqa: F401  (registers the rules)

    return RULES


def _related(doc: DocPair) -> bool:
    old, new = doc.old.definition, doc.new.definition
    if set(doc.old_ops) & set(doc.new_ops) or not doc.old_ops or not doc.new_ops:
        return True
    old_paths = {(i.method, effective_path(old, i.path)) for i in doc.old_ops.values()}
    new_paths = {(i.method, effective_path(new, i.path)) for i in doc.new_ops.values()}
    if old_paths & new_paths:
        return True
    return bool(old.get("host") and old.get("host") == new.get("host")) or bool(_title(old) and _title(old) == _title(new))


def _title(definition: dict[str, Any]) -> str:
    return str((definition.get("info") or {}).get("title", "")).strip().lower()


def _unrelated(doc: DocPair) -> ProblemError:
    def title(side: Side) -> str:
        return str((side.definition.get("info") or {}).get("title", "?"))

    message = (
        f"these are two unrelated connectors ({title(doc.old)!r}, host {doc.old.definition.get('host')!r} and "
        f"{title(doc.new)!r}, host {doc.new.definition.get('host')!r}): no operationId, request path, host or title "
        "in common, so every operation would read as deleted; compare two versions of one connector"
    )
    file, line, col = doc.new.locate("definition", "/info/title")
    return ProblemError([Problem(Level.ERROR, "diff_unrelated_connectors", message, file, line, col, "/info/title")])


def compare(old: Side, new: Side) -> list[Change]:
    """Every change from OLD to NEW, sorted (breaking first), each once. Raises `ProblemError`
    when the two are unrelated connectors."""
    rules = load_rules()
    doc = DocPair(old, new, operations(old.definition), operations(new.definition))
    if not _related(doc):
        raise _unrelated(doc)
    found: dict[tuple[str, str, str], Change] = {}

    at = {i.pointer: k for k, i in doc.old_ops.items()}
    at.update({"new:" + i.pointer: k for k, i in doc.new_ops.items()})

    def emit(rule: Rule, operation: str, items: Iterable[Finding]) -> None:
        for item in items:
            message, old_pointer, new_pointer, hint = item.message, item.pointer, item.new_pointer, item.hint
            key = (rule.code, old_pointer, new_pointer)
            if not operation and rule.level == "document":
                operation = at.get(old_pointer) or at.get("new:" + new_pointer, "")
            if key not in found:
                anchor = new_pointer if rule.anchor == "new" else old_pointer
                found[key] = Change(rule.code, rule.kind, message, old_pointer, new_pointer, operation, rule.file, hint, anchor)
            if rule.level == "document":
                operation = ""

    by_level: dict[str, list[Rule]] = {"document": [], "operation": [], "schema": []}
    for r in rules.values():
        by_level[r.level].append(r)
    for r in by_level["document"]:
        emit(r, "", r.check(doc))
    schema_rules = by_level["schema"]
    for key, old_info in doc.old_ops.items():
        new_info = doc.new_ops.get(key)
        if new_info is None:
            continue
        pair = OpPair(doc, old_info, new_info)
        for r in by_level["operation"]:
            emit(r, key, r.check(pair))

        def run(node_pair: NodePair, _key: str = key) -> None:
            for r in schema_rules:
                if node_pair.mode in r.modes:
                    emit(r, _key, r.check(node_pair))

        _walk(NodePair(doc, key, "input", "", inputs_node(old.definition, old_info), inputs_node(new.definition, new_info)), run, set(), 0)
        mode = "trigger" if old_info.op.get("x-ms-trigger") else "output"
        new_outputs = dict(output_nodes(new.definition, new_info))
        for label, old_node in output_nodes(old.definition, old_info):
            if old_node is None:
                continue
            new_node = new_outputs.get(label) or Node({}, new_info.pointer + "/responses")
            _walk(NodePair(doc, key, mode, "", old_node, new_node), run, set(), 0)
    return sorted(found.values(), key=Change.sort_key)


def _walk(pair: NodePair, run: Callable[[NodePair], None], seen: set[tuple[str, str]], depth: int) -> None:
    run(pair)
    if depth >= _MAX_DEPTH:
        return
    old_props, new_props = pair.old.properties(), pair.new.properties()
    children: list[tuple[str, object, str, object, str]] = [
        (pair.member(name), old_props[name], pair.old.member_pointer(name), new_props[name], pair.new.member_pointer(name))
        for name in old_props
        if name in new_props
    ]
    old_items, new_items = pair.old.schema.get("items"), pair.new.schema.get("items")
    if isinstance(old_items, dict) and isinstance(new_items, dict):
        children.append(((pair.label or "body") + "[]", old_items, pair.old.pointer + "/items", new_items, pair.new.pointer + "/items"))
    for label, old_raw, old_ptr, new_raw, new_ptr in children:
        old_value, old_where, old_ref = resolve(pair.doc.old.definition, old_raw, old_ptr)
        new_value, new_where, new_ref = resolve(pair.doc.new.definition, new_raw, new_ptr)
        if not isinstance(old_value, dict) or not isinstance(new_value, dict):
            continue
        mark = (old_ref, new_ref)
        if (old_ref or new_ref) and mark in seen:
            continue
        _walk(
            NodePair(pair.doc, pair.operation, pair.mode, label, Node(old_value, old_where, None, old_ref), Node(new_value, new_where, None, new_ref)),
            run,
            seen | {mark} if (old_ref or new_ref) else seen,
            depth + 1,
        )
