/* connectflow apply script, written by `connectflow patch ... --editor-script`. Run it on the
   open flow in the Webex Connect Flow Builder (browser console). It first checks that this is
   the flow that was exported (flow id, cell ids) and that every value it will change still
   holds the value connectflow saw; if anything differs it changes nothing and lists what
   differs. Otherwise it writes every new value in one model update (undo and the editor's
   unsaved-changes state see it) and returns {"applied": N, "refused": []}. Then click Save. */
var PLANS = /*CONNECTFLOW:PLANS*/null;

function describe(change) {
  var where = change.cell !== null ? "cell " + change.cell + (change.label ? " (" + change.label + ")" : "") : "";
  if (change.where === "text" || change.where === "attribute") {
    where += " " + change.tag + (change.name ? " " + change.name : "");
    if (change.where === "attribute") {
      where += " attribute " + change.attribute;
    }
  } else if (change.where === "sessionData") {
    where = "custom variable " + change.label + " " + change.path.slice(1).join(".");
  } else {
    where += " " + change.where + " " + change.path.join(".");
  }
  return where;
}

function shown(value) {
  var text = typeof value === "string" ? value : String(JSON.stringify(value));
  return JSON.stringify(text.length > 120 ? text.slice(0, 117) + "..." : text);
}

function matches(current, expected) {
  if (typeof expected === "string") {
    return current === expected;
  }
  if (cfCanon(current) === cfCanon(expected)) {
    return true;
  }
  if (typeof current === "string") {
    try {
      return cfCanon(JSON.parse(current)) === cfCanon(expected);
    } catch (err) {
      return false;
    }
  }
  return false;
}

function written(current, value) {
  return typeof value !== "string" && typeof current === "string" ? JSON.stringify(value) : value;
}

function at(root, path) {
  var value = root;
  for (var i = 0; i < path.length; i++) {
    if (value === null || typeof value !== "object" || !(path[i] in value)) {
      return {found: false};
    }
    value = value[path[i]];
  }
  return {found: true, value: value};
}

function replaced(root, path, value) {
  /* root with the value at path replaced; the objects along the path are copied (keeping their
     prototypes), everything else is shared, so mxGraph sees a new value for the cell. */
  if (!path.length) {
    return value;
  }
  var copy = Array.isArray(root) ? root.slice() : Object.assign(Object.create(Object.getPrototypeOf(root)), root);
  copy[path[0]] = replaced(root[path[0]], path.slice(1), value);
  return copy;
}

function elementAt(root, steps) {
  var element = root;
  for (var i = 0; i < steps.length; i++) {
    element = element ? cfElementChildren(element)[steps[i]] : undefined;
  }
  return element || null;
}

function reading(change, value) {
  /* The current value of the leaf change names in a cell value or list; {found, value}. */
  if (change.where === "text" || change.where === "attribute") {
    var element = cfIsElement(value) ? elementAt(value, change.element) : null;
    if (!element || element.tagName !== change.tag ||
        (change.name !== null && element.getAttribute("name") !== change.name)) {
      return {found: false};
    }
    if (change.where === "text") {
      return {found: true, value: element.textContent};
    }
    return element.hasAttribute(change.attribute) ? {found: true, value: element.getAttribute(change.attribute)}
      : {found: false};
  }
  return at(value, change.path);
}

function finish(applied, refused, plan) {
  if (refused.length) {
    console.error(CF_PREFIX + "nothing was changed, because the flow differs from what connectflow patched:\n  " +
      refused.join("\n  ") + "\nExport the flow again and re-run connectflow patch.");
  } else if (applied) {
    console.log(CF_PREFIX + "applied " + applied + " change" + (applied === 1 ? "" : "s") + " to flow " +
      plan.flowId + " (" + plan.file + "). Now click Save.");
  } else {
    console.log(CF_PREFIX + "nothing to change: the flow already holds every value. Save it if it is not saved.");
  }
  return {applied: applied, refused: refused};
}

try {
  var editor = cfEditor();
  if (!editor) {
    console.warn(CF_PREFIX + CF_NO_EDITOR);
    return {applied: 0, refused: [CF_NO_EDITOR]};
  }
  var plan = null;
  PLANS.forEach(function (candidate) {
    if (String(candidate.flowId) === String(editor.flowId)) {
      plan = candidate;
    }
  });
  if (!plan) {
    return finish(0, ["this is flow " + editor.flowId + " (" + editor.filename + "); the script was written for " +
      PLANS.map(function (p) { return "flow " + p.flowId + " (" + p.file + ")"; }).join(", ")]);
  }
  var model = editor.graph.getModel();
  var refused = [];
  var inEditor = {};
  cfSelect(model).forEach(function (cell) {
    inEditor[cell.id] = cell;
    if (!(cell.id in plan.cells)) {
      refused.push("cell " + cell.id + " is in the editor but was not in the exported flow");
    }
  });
  Object.keys(plan.cells).forEach(function (id) {
    if (!(id in inEditor)) {
      refused.push("cell " + id + " (" + plan.cells[id] + ") was in the exported flow but is not in the editor");
    } else if (cfKind(inEditor[id]) !== plan.cells[id]) {
      refused.push("cell " + id + " was " + plan.cells[id] + " and is now " + cfKind(inEditor[id]));
    }
  });
  var lists = {sessionData: editor.sessionData, flowResultData: editor.flowResultData};
  var pending = [];
  plan.changes.forEach(function (change) {
    if (refused.length && change.cell !== null && !(change.cell in inEditor)) {
      return;
    }
    var holder = change.cell !== null ? inEditor[change.cell].value : lists[change.where];
    var now = reading(change, holder);
    if (!now.found) {
      refused.push(describe(change) + ": not found");
    } else if (matches(now.value, change.new)) {
      return; /* already holds the new value */
    } else if (!matches(now.value, change.old)) {
      refused.push(describe(change) + ": expected " + shown(change.old) + ", found " + shown(now.value));
    } else {
      pending.push({change: change, current: now.value});
    }
  });
  if (refused.length) {
    return finish(0, refused, plan);
  }
  /* Every new value is computed before the model is touched, so the update cannot stop half way. */
  var values = {};
  var listWrites = [];
  pending.forEach(function (item) {
    var change = item.change;
    var value = written(item.current, change.new);
    if (change.cell === null) {
      listWrites.push({list: lists[change.where], path: change.path, value: value});
      return;
    }
    var cell = inEditor[change.cell];
    if (!(change.cell in values)) {
      values[change.cell] = cfIsElement(cell.value) ? cell.value.cloneNode(true) : cell.value;
    }
    if (change.where === "text") {
      elementAt(values[change.cell], change.element).textContent = value;
    } else if (change.where === "attribute") {
      elementAt(values[change.cell], change.element).setAttribute(change.attribute, value);
    } else {
      values[change.cell] = replaced(values[change.cell], change.path, value);
    }
  });
  model.beginUpdate();
  try {
    Object.keys(values).forEach(function (id) {
      model.setValue(inEditor[id], values[id]);
    });
    listWrites.forEach(function (item) {
      var parent = at(item.list, item.path.slice(0, -1)).value;
      parent[item.path[item.path.length - 1]] = item.value;
    });
  } finally {
    model.endUpdate();
  }
  pending.forEach(function (item) {
    console.log(CF_PREFIX + "  " + describe(item.change) + ": " + shown(item.current) + " -> " +
      shown(written(item.current, item.change.new)));
  });
  return finish(pending.length, [], plan);
} catch (err) {
  console.error(CF_PREFIX + "the apply script failed: " + err);
  return {applied: 0, refused: ["the apply script failed: " + err]};
}
