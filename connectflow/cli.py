"""Command line: parse options, call the core, print, exit. No logic lives here.

Exit codes: 0 clean, 1 findings (or changes, for ``patch --check``), 2 bad
input, usage or configuration, 3 an internal error (a bug: please report it).
Heavy modules (networkx, deepdiff, rich, pydantic models) are imported inside
the commands so that ``connectflow --help`` starts fast.
"""

from __future__ import annotations

import os
import sys

import click

from connectflow.escape import visible

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


class InputError(click.ClickException):
    """A one-line problem with the user's input; exits 2."""

    exit_code = EXIT_INPUT

    def show(self, file=None) -> None:
        from connectflow import redact

        click.echo(f"connectflow: error: {redact.text(visible(self.format_message()))}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="connectflow")
def cli() -> None:
    """Lint and patch Cisco Webex Connect flow files before they are uploaded."""


@cli.command()
@click.argument("flows", nargs=-1, required=True, metavar="FLOW...")
@click.option("--format", "output_format", type=click.Choice(["text", "mermaid", "dot", "json"]), default="text",
              show_default=True, help="text for people; mermaid, dot or json (docs/graph-json.md) for tools.")
@click.option("--lint/--no-lint", default=True, show_default=True, help="Show lint's findings beside their nodes.")
@click.option("--profile", "profile_path", type=click.Path(dir_okay=False),
              help="Tenant profile lint judges against (default: discovered above each flow).")
@click.option("--show-secrets", is_flag=True, help="Print credential values (tokens, API keys) unmasked.")
def show(flows, output_format, lint, profile_path, show_secrets) -> None:
    """Explain FLOW files in the Flow Builder's words: trigger and start conditions, nodes in
    flow order from Start with every outcome and where it goes, and lint's findings.

    Several flows are shown one after another (mermaid: a Markdown page with one diagram each).
    """
    _secrets(show_secrets)
    views = _views(flows, profile_path, lint)
    if output_format == "text":
        from connectflow.show import render_show

        render_show(views)
        return
    from connectflow.graphformats import render

    click.echo(render(output_format, views), nl=False)


def _views(paths, profile_path, lint):
    from connectflow.flowview import build_views
    from connectflow.lint import PathError
    from connectflow.load import LoadError
    from connectflow.profile_lookup import ProfileError

    try:
        return build_views(paths, profile_path, lint)
    except (LoadError, ProfileError, PathError) as err:
        raise InputError(str(err)) from None


@cli.command()
@click.argument("paths", nargs=-1, required=True, metavar="FLOW|DIR...")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default="report.html", show_default=True,
              help="The HTML file to write.")
@click.option("--profile", "profile_path", type=click.Path(dir_okay=False),
              help="Tenant profile lint judges against (default: discovered above each flow).")
@click.option("--title", default="connectflow report", show_default=True, help="The page title.")
@click.option("--show-secrets", is_flag=True, help="Print credential values (tokens, API keys) unmasked.")
def report(paths, output, profile_path, title, show_secrets) -> None:
    """Write one self-contained HTML page for FLOW files and folders: a summary across flows,
    and each flow's graph with lint's findings marked on their nodes (it loads nothing when opened)."""
    from connectflow.report.html import write_report

    _secrets(show_secrets)
    path = write_report(_views(paths, profile_path, True), output, title)
    click.echo(f"report: {path}")


def _warn(message: str) -> None:
    click.echo(f"connectflow: warning: {visible(message)}", err=True)


def _secrets(show: bool) -> None:
    from connectflow import redact

    redact.SHOW_SECRETS = show


def _split(values: tuple[str, ...]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--select", multiple=True, metavar="IDS", help="Only these rules (ids, prefixes or names; comma-separated).")
@click.option("--ignore", multiple=True, metavar="IDS", help="Skip these rules (ids, prefixes or names).")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default="warning", show_default=True,
              help="Exit 1 when a finding is at least this severe.")
@click.option("--format", "formats", multiple=True, metavar="FORMAT[=FILE]",
              help="text (default), json, sarif, github, junit, gitlab, markdown; repeatable, "
                   "e.g. --format github --format sarif=report.sarif.")
@click.option("-o", "--output-file", type=click.Path(dir_okay=False), help="Write the report to FILE, not stdout.")
@click.option("--profile", "profile_path", type=click.Path(dir_okay=False),
              help="Tenant profile (default: connectflow.toml or pyproject.toml found above each flow).")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(file_okay=False),
              help="Also load the YAML rules in this directory (repeatable).")
@click.option("--baseline", type=click.Path(dir_okay=False), help="Report only findings not in this baseline file.")
@click.option("--write-baseline", type=click.Path(dir_okay=False),
              help="Write every current finding to this baseline file and exit 0.")
@click.option("--no-suppress", is_flag=True, help="Ignore [[lint.suppress]] and --baseline (audits).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even with findings (report-only roll-outs).")
@click.option("--stdin-filename", metavar="NAME", help="Name of the flow read from '-' (stdin).")
@click.option("--skip-non-flows", is_flag=True,
              help="Skip, silently, files that are not flows (other JSON, binaries); for pre-commit.")
@click.option("--statistics", is_flag=True, help="Count findings per rule.")
@click.option("--concise", is_flag=True, help="One line per finding.")
@click.option("--bundle/--no-bundle", default=None,
              help="Check the flows as one tenant's set (CF7xx); default: when more than one flow is given.")
@click.option("--color/--no-color", default=None, help="Force colours on or off (default: on a terminal).")
@click.option("--report", "report_path", type=click.Path(dir_okay=False), metavar="FILE.html",
              help="Also write the HTML report of these findings (as 'connectflow report' does).")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=None, metavar="N",
              help="Worker processes (0: one per core; default: one per core for 8 flows or more).")
@click.option("--show-secrets", is_flag=True, help="Quote credential values (tokens, API keys) unmasked in messages.")
def lint(paths, select, ignore, fail_on, formats, output_file, profile_path, rule_dirs, baseline, write_baseline,
         no_suppress, exit_zero, stdin_filename, skip_non_flows, statistics, concise, bundle, color, report_path,
         jobs, show_secrets) -> None:
    """Check flow files (files, folders, globs, or - for stdin) for configuration mistakes.

    Exit 0 when clean, 1 when a finding reaches --fail-on, 2 when a file cannot be read
    or the options or profile are wrong.
    """
    from connectflow.lint import Acceptance, PathError, Selection, Severity, exit_code, lint_paths
    from connectflow.lint.registry import builtin_registry
    from connectflow.lint.suppress import BaselineError
    from connectflow.lint.yaml_rules import RuleFileError
    from connectflow.profile_lookup import ProfileError, profile_resolver
    from connectflow.report import FINGERPRINTED, OutputError, emit, outputs

    _secrets(show_secrets)
    try:
        chosen = outputs(formats, output_file)
        registry = builtin_registry(rule_dirs)
        resolve = profile_resolver(profile_path, warn=_warn)
    except (OutputError, ProfileError, RuleFileError) as err:
        raise InputError(str(err)) from None
    selection = Selection(select=_split(select), ignore=_split(ignore))
    if selection.unknown(registry):
        raise InputError(f"no rule matches {selection.unknown(registry)[0]!r} (see 'connectflow rules')")
    if paths.count("-") > 1:
        raise InputError("'-' (stdin) can be given once")
    acceptance = Acceptance(suppress=not no_suppress, baseline=None if write_baseline else baseline,
                            stdin_name=stdin_filename, skip_non_flows=skip_non_flows,
                            stable_pointers=bool(write_baseline) or any(name in FINGERPRINTED for name, _ in chosen))
    try:
        result = lint_paths(paths, registry, selection, resolve, acceptance, jobs=jobs, bundle=bundle,
                            keep_parsed=bool(report_path))
        if write_baseline:
            from connectflow.lint.suppress import NOT_BASELINED, write_baseline as baseline_text
            from connectflow.patch.write import write_atomic

            write_atomic(write_baseline, baseline_text(write_baseline, result.findings).encode("utf-8"))
            kept = sum(1 for f in result.findings if f.rule not in NOT_BASELINED)
            click.echo(f"{write_baseline}: baseline of {kept} finding{'s' if kept != 1 else ''} "
                       f"in {result.files} flow{'s' if result.files != 1 else ''}", err=True)
            sys.exit(EXIT_INPUT if result.unreadable else EXIT_OK)  # an unreadable file is never "known"
        # click strips ANSI codes when stdout is not a terminal unless told that --color was asked for.
        emit(chosen, result, registry, statistics=statistics, color=color, concise=concise,
             echo=lambda text: click.echo(text, color=color))
    except (ProfileError, PathError, BaselineError, OutputError, RuleFileError) as err:
        raise InputError(str(err)) from None
    except OSError as err:
        raise InputError(f"{err.filename or write_baseline}: cannot write: {err.strerror or err}") from None
    if report_path:
        from connectflow.flowview import views_of_findings
        from connectflow.report.html import write_report

        address = write_report(views_of_findings(paths, result.findings, result.parsed), report_path)
        # The text output's last line; machine formats keep stdout to themselves.
        on_stdout = next((name for name, path in chosen if path is None), None)
        click.echo(f"report: {address}", err=on_stdout != "text")
    code = exit_code(result, Severity(fail_on))
    sys.exit(EXIT_OK if exit_zero and code == EXIT_FINDINGS else code)


def _catalogue_options(command):
    """One option per catalogue_value entry of the settings table (--sms-sender, --screen-pop-url, ...)."""
    from connectflow.settings import by_locator

    for entry in reversed(by_locator("catalogue_value")):
        command = click.option(entry.option, metavar=entry.metavar,
                               help=f"The {entry.what}, wherever a template's is.")(command)
    return command


@cli.command()
@click.argument("flows", nargs=-1, required=True, metavar="FLOW...")
@click.option("--asset-id", multiple=True, metavar="ID|OLD=NEW", help="Destination asset of the start conditions.")
@click.option("--fb-page-id", metavar="ID", help="Custom variable FBpageid.")
@click.option("--wa-number", metavar="DIGITS", help="Custom variable WANumber (country code, no '+').")
@click.option("--live-chat-domain", metavar="HOST", help="Custom variable liveChatDomain (no https://).")
@click.option("--biz-email", metavar="EMAIL", help="Custom variable bizemailid.")
@click.option("--app-id", metavar="ID", help="Custom variable appid / appId.")
@click.option("--set-var", multiple=True, metavar="NAME=VALUE", help="Any custom variable (repeatable).")
@click.option("--auth", multiple=True, metavar="INTEGRATION=AUTH_ID[:NAME]",
              help="Node runtime authorization, by integration id, group id, node label or method name.")
@click.option("--queue", metavar="ID", help="Queue Task queue id.")
@click.option("--flow-id", metavar="ID", help="Resolve Conversation flow id.")
@_catalogue_options
@click.option("--set", "set_", multiple=True, metavar="POINTER=JSON",
              help="Any value, by JSON pointer or JSONPath ($...).")
@click.option("--profile", "profile_path", type=click.Path(dir_okay=False),
              help="Take the values from this tenant profile.")
@click.option("-o", "--output", type=click.Path(), help="Output file, or folder for several flows (default: stdout).")
@click.option("--in-place", is_flag=True, help="Replace each flow file (atomically).")
@click.option("--diff", is_flag=True, help="Print a unified diff and a summary; write nothing.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if anything would change.")
@click.option("--editor-script", type=click.Path(dir_okay=False), metavar="FILE.js",
              help="Also (or, without -o/--in-place, instead) write a script that makes the same changes in "
                   "the open flow in the Flow Builder (docs/tenant-round-trip.md).")
@click.option("--per-asset", is_flag=True,
              help="With --profile and -o DIR: one copy per tenant asset, named FLOW--ASSET.json (docs/patch.md); "
                   "with --check, exit 1 if a copy in DIR is missing or differs; with --diff, each copy's diff.")
@click.option("--worksheet", type=click.Path(dir_okay=False), metavar="FILE.md|FILE.html",
              help="Also (or instead) write every change as a step to do by hand in the Flow Builder.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=None, metavar="N",
              help="Worker processes (0: one per core; default: one per core for 8 flows or more).")
@click.option("--force", is_flag=True, help="Replace read-only files, and files whose owner cannot be kept.")
@click.option("--show-secrets", is_flag=True,
              help="Print credential values in --diff, messages and --worksheet unmasked.")
def patch(flows, profile_path, output, in_place, diff, check, editor_script, worksheet, per_asset, jobs, force,
          show_secrets,
          **values) -> None:
    """Write tenant values into FLOW files, changing nothing else (docs/patch.md).

    With --editor-script/--worksheet the changes also go back into the tenant: run the script on
    the open flow (or follow the worksheet), then Save (docs/tenant-round-trip.md).
    """
    from connectflow.editor.outputs import BridgeError, bridge
    from connectflow.patch.options import OptionError, parse_settings
    from connectflow.patch.run import PatchError, run

    try:
        _secrets(show_secrets)
        before_write, write_flows = bridge(editor_script, worksheet, bool(output or in_place), diff or check)
        outcome = run(list(flows), parse_settings(**values), profile_path=profile_path, output=output,
                      in_place=in_place, diff=diff, check=check, before_write=before_write,
                      write_flows=write_flows, jobs=jobs, force=force, per_asset=per_asset)
    except (OptionError, PatchError, BridgeError) as err:
        raise InputError(str(err)) from None
    for message in outcome.messages:
        click.echo(visible(message), err=True)
    sys.stdout.buffer.write(outcome.stdout)  # the flow's exact bytes
    sys.exit(outcome.exit_code)


@cli.group()
def editor() -> None:
    """Take a flow out of the Webex Connect Flow Builder, and changes back in.

    \b
    The whole round trip (docs/tenant-round-trip.md):
      connectflow editor export > export.js   run it on the open flow: downloads FLOW.json
      connectflow lint FLOW.json
      connectflow patch --profile tenant.toml FLOW.json -o FLOW.patched.json --editor-script apply.js
      run apply.js on the same open flow, then click Save
    """


@editor.command("export")
@click.option("--bookmarklet", is_flag=True, help="Print a javascript: URL to save as a bookmark instead.")
@click.option("--redact", is_flag=True,
              help="Replace credentials and URL hosts, for sharing a flow (not for patching it).")
def editor_export(bookmarklet: bool, redact: bool) -> None:
    """Print a JavaScript snippet that exports the open flow as JSON.

    Open the flow in the Flow Builder, open the browser console (F12 > Console), paste the
    snippet and press Enter: it downloads <flow name>.json, exactly as the editor stores it,
    and changes nothing. Its completion value (what eval returns) is the same JSON text.
    """
    from connectflow.editor import bookmarklet as bookmarklet_url
    from connectflow.editor import export_snippet

    click.echo(bookmarklet_url(redact=redact) if bookmarklet else export_snippet(redact=redact), nl=bookmarklet)


@cli.command()
@click.argument("flows", nargs=-1, required=True, metavar="FLOW|DIR...")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the profile here (default: stdout).")
def init(flows, output) -> None:
    """Write a commented profile skeleton from FLOWs, with TODO placeholders (docs/profile.md)."""
    from connectflow.init import skeleton
    from connectflow.lint import expand_paths
    from connectflow.load import LoadError

    paths = expand_paths(flows)
    if not paths:
        raise InputError("no flow files to read")
    try:
        text = skeleton(paths)
    except LoadError as err:
        raise InputError(str(err)) from None
    if output is None:
        click.echo(text, nl=False)
        return
    from connectflow.patch.write import write_atomic

    if os.path.exists(output):
        raise InputError(f"{output}: exists already; init never overwrites a profile")
    write_atomic(output, text.encode("utf-8"))
    click.echo(f"wrote {output}: fill in every TODO", err=True)


@cli.command()
@click.argument("rule_id", required=False)
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(file_okay=False),
              help="Also load the YAML rules in this directory.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules(rule_id, rule_dirs, output_format) -> None:
    """List the rules, or explain RULE_ID (an id such as CF101, or a name)."""
    import json

    from connectflow.lint.registry import builtin_registry
    from connectflow.lint.ruledoc import all_rules, describe, plain_text, rule_record
    from connectflow.lint.yaml_rules import RuleFileError

    try:
        registry = builtin_registry(rule_dirs)
    except RuleFileError as err:
        raise InputError(str(err)) from None
    chosen = all_rules(registry)
    if rule_id is not None:
        item = describe(rule_id, registry)
        if item is None:
            raise InputError(f"no rule {rule_id!r} (see 'connectflow rules')")
        chosen = [item]
    if output_format == "json":
        records = [rule_record(r) for r in chosen]
        click.echo(json.dumps(records[0] if rule_id else records, indent=2, ensure_ascii=False))
        return
    if rule_id is None:
        for item in chosen:
            click.echo(f"{item.id}  {item.name:<34} {item.severity.value:<8} {plain_text(item.summary)}")
        return
    import shutil
    import textwrap

    width = min(100, shutil.get_terminal_size((80, 24)).columns) if sys.stdout.isatty() else 80
    click.echo(f"{item.id} {item.name} (default severity: {item.severity.value})\n\n{plain_text(item.summary)}\n")
    if item.explanation:
        click.echo("\n\n".join(textwrap.fill(p, width) for p in plain_text(item.explanation).split("\n\n")))


def main() -> None:
    try:
        cli.main(prog_name="connectflow", standalone_mode=True)
    except KeyboardInterrupt:
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as err:  # a bug: one line, not a traceback, unless asked for
        if os.environ.get("CONNECTFLOW_DEBUG"):
            raise
        click.echo(f"connectflow: internal error: {type(err).__name__}: {visible(err)} "
                   "(set CONNECTFLOW_DEBUG=1 for a traceback)", err=True)
        sys.exit(EXIT_INTERNAL)
    except BaseException as err:
        from connectflow.patch.write import Interrupted

        if not isinstance(err, Interrupted):
            raise
        click.echo(f"connectflow: interrupted by signal {err.signum}: nothing was written", err=True)
        sys.exit(128 + err.signum)
