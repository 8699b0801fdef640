/* Builds an mxGraph model the way the Flow Builder holds a flow, from the flow's JSON in the
   editor's form (tests/flowkit.dom_form): node values as DOM XML elements made with
   mxUtils.createXmlDocument, End cells and edges with plain-object values, plus what a real
   model has and the captures leave out: the root cell "0" and the value-less container cells
   that End cells name as parent. Exposes window.ui.editor {graph, flowId, filename,
   sessionData, flowResultData}, an mxUndoManager (window.cfUndo) and a count of model
   change events (window.cfChanges). */
function cfLoadFlow(flow) {
  var doc = mxUtils.createXmlDocument();

  function element(value) {
    var node = doc.createElement(value.tag);
    Object.keys(value.attributes || {}).forEach(function (name) {
      node.setAttribute(name, value.attributes[name]);
    });
    if (value.children) {
      value.children.forEach(function (child) { node.appendChild(element(child)); });
    } else if (value.text !== undefined) {
      node.textContent = value.text;
    }
    return node;
  }

  var root = new mxCell();
  root.setId("0");
  var byId = {"0": root};
  var position = 0;
  flow.cells.forEach(function (data) {
    var isElement = data.value && typeof data.value === "object" && typeof data.value.tag === "string" &&
      data.value.attributes;
    var value = isElement ? element(data.value) : JSON.parse(JSON.stringify(data.value));
    var geometry = data.edge ? new mxGeometry() : new mxGeometry(40 * (position % 10), 40 * Math.floor(position / 10), 30, 30);
    position += 1;
    var cell = new mxCell(value, geometry);
    cell.setId(data.id);
    cell.setVertex(!!data.vertex);
    cell.setEdge(!!data.edge);
    if (data.edge) {
      geometry.relative = true;
    }
    byId[data.id] = cell;
  });
  flow.cells.forEach(function (data) {
    var cell = byId[data.id];
    var parentId = data.parent === null || data.parent === undefined ? "0" : data.parent;
    if (!byId[parentId]) {
      var container = new mxCell(null, new mxGeometry(0, 0, 10, 10));
      container.setId(parentId);
      container.setVertex(true);
      byId["1"].insert(container);
      byId[parentId] = container;
    }
    byId[parentId].insert(cell);
    if (data.edge) {
      if (byId[data.source]) { byId[data.source].insertEdge(cell, true); }
      if (byId[data.target]) { byId[data.target].insertEdge(cell, false); }
    }
  });

  var container = document.getElementById("graph");
  container.innerHTML = "";
  var graph = new mxGraph(container);
  var model = graph.getModel();
  model.setRoot(root);
  window.cfChanges = 0;
  model.addListener(mxEvent.CHANGE, function () { window.cfChanges += 1; });
  window.cfUndo = new mxUndoManager();
  model.addListener(mxEvent.UNDO, function (sender, event) {
    window.cfUndo.undoableEditHappened(event.getProperty("edit"));
  });
  window.ui = {editor: {
    graph: graph,
    flowId: flow.flowId,
    filename: flow.temporary_name,
    sessionData: JSON.parse(JSON.stringify(flow.customVariables || [])),
    flowResultData: JSON.parse(JSON.stringify(flow.outcomes || []))
  }};
  return Object.keys(model.cells).length;
}
