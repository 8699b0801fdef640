/* connectflow editor export: run on an open flow in the Webex Connect Flow Builder (browser
   console or bookmarklet). Serializes the canvas model into the JSON that connectflow lints
   and patches, downloads it as <flow name>.json, and returns the same JSON text. It reads the
   model and changes nothing. Where each part comes from:
     flowId          window.ui.editor.flowId
     temporary_name  window.ui.editor.filename (the flow's name in the editor)
     cells           window.ui.editor.graph.getModel().cells: node cells (XML element values),
                     End cells and edges (plain objects); root and container cells left out
     customVariables window.ui.editor.sessionData (Settings > Custom Variables)
     outcomes        window.ui.editor.flowResultData (Settings > Flow Outcomes) */
var OPTIONS = /*CONNECTFLOW:OPTIONS*/null;
var REDACT_KEY = /header|authorization|api[-_]?key|access.?token|auth.?token|password|secret|bot.access.token/i;
var URL_HOST = /(https?:\/\/)[^\/\s"'?#]+/g;

function redactString(text) {
  var first = text.charAt(0);
  if (first === "{" || first === "[") {
    try {
      var inner = JSON.parse(text);
      var again = JSON.stringify(redact(inner, ""));
      return again === JSON.stringify(inner) ? text : again;
    } catch (err) {
      /* not JSON: redact it as text */
    }
  }
  return text.replace(URL_HOST, "$1example.invalid");
}

function redact(value, key) {
  if (key && REDACT_KEY.test(key) && value !== "" && value !== null) {
    return "[redacted]";
  }
  if (typeof value === "string") {
    return redactString(value);
  }
  if (Array.isArray(value)) {
    return value.map(function (item) { return redact(item, ""); });
  }
  if (value !== null && typeof value === "object") {
    var named = value.tag && value.attributes && "text" in value ? String(value.attributes.name || "") : "";
    var out = {};
    Object.keys(value).forEach(function (k) {
      out[k] = redact(value[k], k === "text" ? named : k);
    });
    return out;
  }
  return value;
}

function fileName(editor) {
  var name = String(editor.filename || ("flow-" + editor.flowId)).replace(/\.workflow$/i, "");
  return name.replace(/[\\\/:*?"<>|\u0000-\u001f]+/g, "_") + ".json";
}

function download(name, text) {
  var blob = new Blob([text], {type: "application/json"});
  var link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = name;
  link.style.display = "none";
  document.body.appendChild(link);
  link.click();
  setTimeout(function () {
    URL.revokeObjectURL(link.href);
    link.remove();
  }, 1000);
}

try {
  var editor = cfEditor();
  if (!editor) {
    console.warn(CF_PREFIX + CF_NO_EDITOR);
    if (OPTIONS.alert) {
      window.alert(CF_PREFIX + CF_NO_EDITOR);
    }
    return null;
  }
  var record = {
    flowId: editor.flowId === undefined ? null : editor.flowId,
    temporary_name: editor.filename === undefined ? null : editor.filename,
    cells: cfSelect(editor.graph.getModel()).map(cfCellJSON),
    customVariables: cfPlainJSON(editor.sessionData || [], []),
    outcomes: cfPlainJSON(editor.flowResultData || [], [])
  };
  if (OPTIONS.redact) {
    record = redact(record, "");
    record.redactions = "connectflow editor export --redact: credentials and URL hosts replaced; " +
      "for sharing only, do not patch or apply from this file";
  }
  var text = JSON.stringify(record, null, 2) + "\n";
  var name = fileName(editor);
  if (OPTIONS.download) {
    download(name, text);
  }
  console.log(CF_PREFIX + "exported flow " + record.flowId + " (" + record.cells.length + " cells, " +
    record.customVariables.length + " custom variables)" + (OPTIONS.download ? " as " + name : ""));
  return text;
} catch (err) {
  console.error(CF_PREFIX + "export failed, nothing was changed: " + err);
  return null;
}
