from connectflow.lint.bundle import related
from connectflow.lint.finding import BundleIssue
from connectflow.lint.registry import bundle_rule


@bundle_rule("CF703", "webcallback-companion", "error")
def check(bundle):
    """A Live Chat with WebCallback flow has no WebCallback CLOSED flow, or an ordinary CLOSED flow also fires.

    Cisco's README: the WebCallback CLOSED flow "is used in conjunction with the Live Chat
    with Web Callback flow" to handle the CLOSED event, because the task may have switched
    to a voice callback. For the Live Chat asset of a WebCallback flow (its ``appid``),
    the set needs a WebCallback CLOSED flow whose destination conditions name the asset,
    and no ordinary CLOSED flow that fires for it too (the customer would get both
    closing messages). Reported on the WebCallback flow, with the CLOSED flows involved as
    related locations. Import WebCallback CLOSED for the asset and take the asset out of
    the ordinary CLOSED flow's conditions.
    """
    from connectflow.lint.bundle import Index

    closed = Index((f for f in bundle.flows if f.cce_event == "CLOSED"),
                   keys=lambda f: None if f.destinations is None else {d.value.lower() for d in f.destinations})
    for flow in bundle.flows:
        if not flow.webcallback:
            continue
        ids = [v.value for v in flow.identity]
        shown = ", ".join(ids) or "its asset"
        firing = closed.matching({i.lower() for i in ids} if ids else None)
        companions = [f for f in firing if f.webcallback_closed]
        if not companions:
            yield BundleIssue(flow.trigger, f"Live Chat with WebCallback for {shown} has no WebCallback CLOSED "
                              "flow for that asset in the set",
                              fix="add the WebCallback CLOSED flow with a destination condition on the asset",
                              related=tuple(related(f.trigger, "a CLOSED flow of other assets")
                                            for f in closed.flows if f.webcallback_closed))
        for other in firing:
            if not other.webcallback_closed:
                yield BundleIssue(flow.trigger, f"the ordinary CLOSED flow {other.path} also fires for {shown}, "
                                  "beside WebCallback CLOSED",
                                  fix="remove the asset from the ordinary CLOSED flow's destination conditions",
                                  related=(related(other.trigger, "ordinary CLOSED flow that fires for the asset"),))
