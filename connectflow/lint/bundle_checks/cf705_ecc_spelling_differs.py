from connectflow.lint.bundle import related
from connectflow.lint.finding import BundleIssue
from connectflow.lint.registry import bundle_rule


@bundle_rule("CF705", "ecc-spelling-differs", "warning")
def check(bundle):
    """Flows of the set pass the same ECC variable under different spellings.

    CCE matches ECC names exactly, and the Digital Routing payload carries them as
    written (``user_DR_MediaResourceID``). When one flow passes ``user_DR_CustomerName``
    and another ``user_DR_Customername``, one of them sends a variable CCE does not
    define; the CCE script and the webhook flows then see the value for some channels
    only. Reported on each spelling after the first, with the first as related location.
    Use the spelling of CCE's ECC list (the tenant profile's ``[ecc]``) everywhere.
    """
    first: dict[str, object] = {}
    for flow in bundle.flows:
        for value in flow.ecc:
            key = value.value.lower()
            seen = first.setdefault(key, value)
            if seen.value != value.value and seen.at.path != value.at.path:
                yield BundleIssue(value.at, f"ECC variable {value.value} is spelled {seen.value} in "
                                  f"{seen.at.path}", fix=f"use one spelling (CCE's ECC list) in every flow",
                                  related=(related(seen.at, f"spelled {seen.value} here"),))
