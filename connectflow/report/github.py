"""GitHub Actions workflow commands: findings become annotations on the pull request."""

from __future__ import annotations

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def _escape(text: str, property_: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_ else text


def render(result, registry, *, statistics: bool = False, color=None) -> str:
    lines = []
    for f in sorted(result.findings, key=lambda f: f.sort_key):
        props = [f"file={_escape(f.path, True)}"]
        if f.line:
            props += [f"line={f.line}", f"col={f.column}"]
        props.append(f"title={_escape(f'{f.rule} {f.name}', True)}")
        node = f" [{f.node_label} ({f.node_id})]" if f.node_id else ""
        lines.append(f"::{LEVELS[f.severity.value]} {','.join(props)}::{_escape(f.message + node)}")
    return "\n".join(lines)
