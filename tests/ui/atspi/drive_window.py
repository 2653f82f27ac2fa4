#!/usr/bin/python3
"""Drives the real TuneDeck window through the accessibility tree (AT-SPI), as a screen reader or
an outside test tool would: finds the job form's controls by their names (their visible labels),
sets Nodes to 1 and sees Submit disabled with a GPU-memory error listed, sets it back to 4 and sees
Submit enabled again. Then, on the Runs page, finds the archived walkthrough run in the Runs table,
selects it and opens it, and sees its offline monitor tab appear. Run by tests/ui/atspi/run.sh, which
starts Xvfb, D-Bus and the AT-SPI bus and imports the walkthrough's run folder into the app's archive."""
import sys
import time

import pyatspi

FORM_ROLES = {"spin button", "text", "combo box", "check box"}


def find_app(name, timeout=30):
    end = time.time() + timeout
    while time.time() < end:
        for app in pyatspi.Registry.getDesktop(0):
            if app is not None and (app.name or "").lower() == name:
                return app
        time.sleep(0.5)
    sys.exit(f"FAIL: no application '{name}' on the accessibility bus")


def walk(node, depth=0):
    yield node
    if depth > 40:
        return
    for i in range(node.childCount):
        child = node.getChildAtIndex(i)
        if child is not None:
            yield from walk(child, depth + 1)


def named(app, role, name):
    for node in walk(app):
        if node.getRoleName() == role and node.name == name:
            return node
    sys.exit(f"FAIL: no {role} named '{name}'")


def sensitive(node):
    return node.getState().contains(pyatspi.STATE_SENSITIVE)


def wait_for(predicate, what, timeout=10):
    end = time.time() + timeout
    while time.time() < end:
        if predicate():
            return
        time.sleep(0.2)
    sys.exit(f"FAIL: {what}")


def press(node):
    """Runs the node's own action, the one a screen reader offers (Press, or a tab's switch)."""
    action = node.queryAction()
    names = [action.getName(i) for i in range(action.nActions)]
    for i, name in enumerate(names):
        if name.lower() in ("press", "click", "switch", "activate"):
            action.doAction(i)
            return
    sys.exit(f"FAIL: '{node.name}' offers no press action, only {names}")


def has(app, role, name):
    return any(n.getRoleName() == role and n.name == name for n in walk(app))


def open_archived_run(app, run_name):
    press(named(app, "page tab", "Runs"))
    table = named(app, "table", "Runs")
    wait_for(lambda: any(c is not None and c.name == run_name for c in walk(table)),
             f"the Runs table does not list '{run_name}'")
    for label in ("Import run folder…", "Open", "Compare", "New job from run", "Efficiency report", "Remove…"):
        named(app, "push button", label)
    named(app, "text", "Search:")
    open_button = named(app, "push button", "Open")
    table.queryTable().addRowSelection(0)
    wait_for(lambda: sensitive(open_button), "Open is not enabled with a run selected")
    press(open_button)
    wait_for(lambda: has(app, "page tab", f"Run {run_name}"), f"no 'Run {run_name}' tab after Open")


def diagnostics_text(app):
    view = named(app, "list", "Diagnostics")
    return [view.getChildAtIndex(i).name for i in range(view.childCount) if view.getChildAtIndex(i) is not None]


def main():
    app = find_app("tunedeck")
    failures = []
    # Every control of the form carries a name, and each label's text names a control.
    form_controls = [n for n in walk(app) if n.getRoleName() in FORM_ROLES]
    unnamed = [n.getRoleName() for n in form_controls if not n.name]
    if unnamed:
        failures.append(f"{len(unnamed)} form controls without a name: {unnamed[:5]}")
    names = {n.name for n in form_controls}
    for label in ("Account", "QoS", "Nodes", "GPU type", "GPUs per node", "Memory per node", "Time limit",
                  "Model", "Method", "Sharding strategy", "Cluster profile"):
        if label not in names:
            failures.append(f"no control named '{label}'")
    if failures:
        sys.exit("FAIL: " + "; ".join(failures))

    submit = named(app, "push button", "Submit…")
    wait_for(lambda: sensitive(submit), "Submit is not enabled for the walkthrough's job")
    nodes = named(app, "spin button", "Nodes")
    value = nodes.queryValue()
    value.currentValue = 1
    wait_for(lambda: not sensitive(submit), "Submit stayed enabled with 1 node")
    wait_for(lambda: any("does not fit in GPU memory" in t for t in diagnostics_text(app)),
             "no GPU-memory error listed with 1 node")
    value.currentValue = 4
    wait_for(lambda: sensitive(submit), "Submit not enabled again with 4 nodes")
    if len(sys.argv) > 1:
        open_archived_run(app, sys.argv[1])
    print(f"PASS: {len(form_controls)} named form controls; Nodes 1 disables Submit with a memory error, 4 enables it"
          + (f"; the archived run '{sys.argv[1]}' opened from the Runs page" if len(sys.argv) > 1 else ""))


if __name__ == "__main__":
    main()
