from connectflow.lint.registry import rule
from connectflow.load.locate import child


@rule("CF603", "duplicate-variable", "error")
def check(ctx):
    """The same custom variable is defined twice.

    Two entries of ``customVariables`` with the same name (names are
    case-sensitive): the editor does not allow it, so the file was edited or
    merged by hand, and which default value applies is undefined. Keep one entry
    and delete the others. Reported at each repeat.
    """
    first: dict[str, str] = {}
    for variable in ctx.flow.custom_variables:
        if variable.name in first:
            yield ctx.issue(child(variable.pointer, "name"),
                            f"custom variable {variable.name} is defined again (first at {first[variable.name]})",
                            fix="keep one definition and delete the others")
        else:
            first[variable.name] = variable.pointer
