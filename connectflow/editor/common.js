/* connectflow editor bridge, shared part: which cells a flow export holds, and how a cell
   value becomes JSON. Prepended to export.js and apply.js by connectflow/editor/__init__.py.
   Block comments only, so the snippet still runs if something joins its lines. */
var CF_PREFIX = "connectflow: ";

function cfEditor() {
  /* The Flow Builder's mxGraph editor, or null when this page has none. */
  var ui = window.ui;
  var editor = ui && ui.editor;
  if (!editor || !editor.graph || typeof editor.graph.getModel !== "function") {
    return null;
  }
  return editor;
}

var CF_NO_EDITOR = "no flow editor on this page (window.ui.editor is missing). Open the flow in the " +
  "Webex Connect Flow Builder, then run this again.";

function cfIsElement(value) {
  return value !== null && typeof value === "object" && value.nodeType === 1;
}

function cfElementChildren(element) {
  var out = [];
  for (var node = element.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === 1) {
      out.push(node);
    }
  }
  return out;
}

function cfSelect(model) {
  /* The cells a capture holds: every cell with a value, in the model's id order. The root and
     the value-less container cells (every End cell's parent) are left out, as the captures
     leave them out. */
  var cells = [];
  var all = model.cells || {};
  Object.keys(all).forEach(function (id) {
    var cell = all[id];
    if (cell && cell.value !== null && cell.value !== undefined && cell.value !== "") {
      cells.push(cell);
    }
  });
  return cells;
}

function cfKind(cell) {
  return cfIsElement(cell.value) ? "element:" + cell.value.tagName : typeof cell.value;
}

function cfElementJSON(element) {
  /* {tag, attributes, children} for an element with child elements, {tag, attributes, text}
     for a leaf; attribute values and text exactly as the editor stores them (strings). */
  var out = {tag: element.tagName, attributes: {}};
  for (var i = 0; i < element.attributes.length; i++) {
    out.attributes[element.attributes[i].name] = element.attributes[i].value;
  }
  var children = cfElementChildren(element);
  if (children.length) {
    out.children = children.map(cfElementJSON);
  } else {
    out.text = element.textContent;
  }
  return out;
}

function cfPlainJSON(value, seen) {
  /* A JSON copy of a plain value (End cells and edges hold objects); functions and cycles
     are left out, elements inside are converted like node values. */
  if (value === null || typeof value !== "object") {
    return typeof value === "function" ? undefined : value;
  }
  if (cfIsElement(value)) {
    return cfElementJSON(value);
  }
  if (seen.indexOf(value) >= 0) {
    return undefined;
  }
  seen.push(value);
  var out;
  if (Array.isArray(value)) {
    out = value.map(function (item) {
      var copy = cfPlainJSON(item, seen);
      return copy === undefined ? null : copy;
    });
  } else {
    out = {};
    Object.keys(value).forEach(function (key) {
      var copy = cfPlainJSON(value[key], seen);
      if (copy !== undefined) {
        out[key] = copy;
      }
    });
  }
  seen.pop();
  return out;
}

function cfCellJSON(cell) {
  var out = {
    id: cell.id,
    parent: cell.parent ? cell.parent.id : null,
    vertex: !!cell.vertex,
    edge: !!cell.edge
  };
  if (out.edge) {
    out.source = cell.source ? cell.source.id : null;
    out.target = cell.target ? cell.target.id : null;
  }
  out.value = cfIsElement(cell.value) ? cfElementJSON(cell.value) : cfPlainJSON(cell.value, []);
  return out;
}

function cfCanon(value) {
  /* Key-order-independent JSON text, to compare values that are not strings. */
  if (Array.isArray(value)) {
    return "[" + value.map(cfCanon).join(",") + "]";
  }
  if (value !== null && typeof value === "object") {
    return "{" + Object.keys(value).sort().map(function (key) {
      return JSON.stringify(key) + ":" + cfCanon(value[key]);
    }).join(",") + "}";
  }
  return String(JSON.stringify(value));
}
