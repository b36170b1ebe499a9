// msckg's self-contained graph view: a force-directed layout drawn in SVG, no libraries.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var NS = "http://www.w3.org/2000/svg";
  var W = 1200, H = 800;
  var svg = document.getElementById("view");
  var tip = document.getElementById("tip");
  var count = Math.max(data.nodes.length, 1);
  var nodes = data.nodes.map(function (n, i) {
    var angle = 2 * Math.PI * i / count;
    return {data: n, x: W / 2 + 300 * Math.cos(angle), y: H / 2 + 300 * Math.sin(angle), dx: 0, dy: 0};
  });
  var index = {};
  nodes.forEach(function (n, i) { index[n.data.id] = i; });
  var edges = data.edges.filter(function (e) { return e.source in index && e.target in index; });

  // Fruchterman & Reingold (1991) with a weak pull to the centre so components stay in view.
  var k = Math.sqrt(W * H / count), heat = W / 10;
  for (var step = 0; step < 300; step++) {
    nodes.forEach(function (v) { v.dx = 0; v.dy = 0; });
    for (var i = 0; i < nodes.length; i++) {
      for (var j = i + 1; j < nodes.length; j++) {
        var a = nodes[i], b = nodes[j], dx = a.x - b.x, dy = a.y - b.y;
        var d = Math.max(Math.sqrt(dx * dx + dy * dy), 0.01), f = k * k / d / d;
        a.dx += dx * f; a.dy += dy * f; b.dx -= dx * f; b.dy -= dy * f;
      }
    }
    edges.forEach(function (e) {
      var a = nodes[index[e.source]], b = nodes[index[e.target]], dx = a.x - b.x, dy = a.y - b.y;
      var d = Math.max(Math.sqrt(dx * dx + dy * dy), 0.01), f = d / k;
      a.dx -= dx * f; a.dy -= dy * f; b.dx += dx * f; b.dy += dy * f;
    });
    nodes.forEach(function (v) {
      v.dx += (W / 2 - v.x) * 0.05;
      v.dy += (H / 2 - v.y) * 0.05;
      var d = Math.max(Math.sqrt(v.dx * v.dx + v.dy * v.dy), 0.01), move = Math.min(d, heat) / d;
      v.x += v.dx * move;
      v.y += v.dy * move;
    });
    heat *= 0.98;
  }

  var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  nodes.forEach(function (v) {
    minX = Math.min(minX, v.x); maxX = Math.max(maxX, v.x); minY = Math.min(minY, v.y); maxY = Math.max(maxY, v.y);
  });
  var spanX = Math.max(maxX - minX, 500), spanY = Math.max(maxY - minY, 350);
  var box = {x: (minX + maxX - spanX) / 2 - 60, y: (minY + maxY - spanY) / 2 - 40, w: spanX + 260, h: spanY + 80};
  function applyBox() { svg.setAttribute("viewBox", [box.x, box.y, box.w, box.h].join(" ")); }
  applyBox();

  function make(name, attrs, parent) {
    var element = document.createElementNS(NS, name);
    Object.keys(attrs).forEach(function (key) { element.setAttribute(key, attrs[key]); });
    parent.appendChild(element);
    return element;
  }
  function line(text, strong) {
    var p = document.createElement(strong ? "strong" : "div");
    p.textContent = text;
    tip.appendChild(p);
  }
  function show(event, fill) {
    tip.textContent = "";
    fill();
    tip.hidden = false;
    tip.style.left = (event.pageX + 12) + "px";
    tip.style.top = (event.pageY + 12) + "px";
  }
  function hide() { tip.hidden = true; }

  var defs = make("defs", {}, svg);
  var marker = make("marker", {id: "arrow", viewBox: "0 0 10 10", refX: "10", refY: "5", markerWidth: "9",
                               markerHeight: "9", markerUnits: "userSpaceOnUse", orient: "auto"}, defs);
  make("path", {d: "M 0 0 L 10 5 L 0 10 z", fill: "#777"}, marker);
  var edgeLayer = make("g", {"class": "edges"}, svg);
  var nodeLayer = make("g", {"class": "nodes"}, svg);

  edges.forEach(function (e) {
    var a = nodes[index[e.source]], b = nodes[index[e.target]];
    var length = Math.max(Math.sqrt((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)), 0.01);
    var endX = b.x - (b.x - a.x) * 10 / length, endY = b.y - (b.y - a.y) * 10 / length;
    var drawn = make("line", {"class": "edge", x1: a.x, y1: a.y, x2: endX, y2: endY,
                              "stroke-width": 1 + (e.evidence_rank || 0) * 0.6, "marker-end": "url(#arrow)"}, edgeLayer);
    drawn.addEventListener("mousemove", function (event) {
      show(event, function () {
        line(a.data.label + " \u2014 " + e.label + " \u2192 " + b.data.label, true);
        (e.statements || []).forEach(function (s) {
          var refs = (s.references || []).map(function (r) { return r.label + " (doi:" + r.doi + ")"; }).join("; ");
          line(s.id + ": " + s.evidence.replace(/_/g, " ") + ", " + s.hedging + ", " + s.polarity +
               (s.locator ? " [" + s.locator + "]" : ""));
          if (s.comment) { line("  " + s.comment); }
          if (refs) { line("  " + refs); }
        });
      });
    });
    drawn.addEventListener("mouseleave", hide);
  });

  nodes.forEach(function (v) {
    var group = make("g", {"class": "node", "data-id": v.data.id, transform: "translate(" + v.x + "," + v.y + ")"}, nodeLayer);
    make("circle", {r: 9, fill: v.data.colour}, group);
    var label = make("text", {x: 12, y: 4}, group);
    label.textContent = v.data.label;
    group.addEventListener("mousemove", function (event) {
      show(event, function () {
        line(v.data.label, true);
        line(v.data.type_label + " \u00b7 " + v.data.id);
        if (v.data.synonyms) { line("also: " + v.data.synonyms.split("|").join(", ")); }
      });
    });
    group.addEventListener("mouseleave", hide);
  });

  var legend = document.getElementById("legend-items");
  data.legend.forEach(function (entry) {
    var item = document.createElement("li");
    var swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.background = entry.colour;
    item.appendChild(swatch);
    item.appendChild(document.createTextNode(entry.label));
    legend.appendChild(item);
  });

  svg.addEventListener("wheel", function (event) {
    event.preventDefault();
    var scale = event.deltaY > 0 ? 1.1 : 1 / 1.1, rect = svg.getBoundingClientRect();
    var fx = (event.clientX - rect.left) / rect.width, fy = (event.clientY - rect.top) / rect.height;
    box.x += box.w * fx * (1 - scale); box.y += box.h * fy * (1 - scale);
    box.w *= scale; box.h *= scale;
    applyBox();
  }, {passive: false});
  var drag = null;
  svg.addEventListener("mousedown", function (event) { drag = {x: event.clientX, y: event.clientY}; });
  window.addEventListener("mouseup", function () { drag = null; });
  svg.addEventListener("mousemove", function (event) {
    if (!drag) { return; }
    var rect = svg.getBoundingClientRect();
    box.x -= (event.clientX - drag.x) * box.w / rect.width;
    box.y -= (event.clientY - drag.y) * box.h / rect.height;
    drag = {x: event.clientX, y: event.clientY};
    applyBox();
  });
  document.body.setAttribute("data-rendered", String(nodes.length));
}());
