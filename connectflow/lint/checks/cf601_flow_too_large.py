from connectflow.lint.registry import rule

MAX_BYTES = 10 * 1024 * 1024


@rule("CF601", "flow-too-large", "error")
def check(ctx):
    """The flow file is larger than the platform's 10 MB flow size limit.

    "The maximum flow size is 10 MB; we recommend keeping your flow size below
    this limit to avoid issues with saving or publishing flows" (Webex Connect
    docs; imports and exports are limited to 10 MB too). Measured as the file's
    UTF-8 text, against 10 MiB (10,485,760 bytes). Move parts of the flow into
    sub-flows (Call Workflow), as Cisco advises for flows with several Queue Task
    nodes, or remove unused nodes.
    """
    text = ctx.source.text
    size = len(text) if text.isascii() else len(text.encode("utf-8"))  # no 10 MB copy for the usual file
    if size > MAX_BYTES:
        yield ctx.issue("", f"the flow is {size / 1024 / 1024:.1f} MB ({size} bytes), over the 10 MB limit",
                        fix="move parts of the flow into sub-flows (Call Workflow)")
