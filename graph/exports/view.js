// msckg's graph view: a force-directed layout drawn in SVG, no libraries.
// One source for two users: the self-contained HTML export inlines this file and draws the JSON in
// #graph-data; the web page serves it as a static script and calls msckgGraphView.draw().
// Data reaches the document only through textContent and setAttribute, never as markup.
var msckgGraphView = (function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var RADIUS = 9, FOCUS_RADIUS = 13, EDGE_COLOUR = "#888", HOVER_COLOUR = "#d00", PATH_COLOUR = "#d35400";
  var states = new WeakMap();
  // The pull to the centre: strong enough that separate components stay a few edge lengths apart
  // (weaker, they drift so far apart that each is drawn as a clump), weak enough to leave a
  // connected graph its shape.
  var GRAVITY = 0.6;

  // Fruchterman & Reingold (1991), doi:10.1002/spe.4380211102, with a weak pull to the centre so
  // components stay in view. Deterministic: nodes start on a circle in the order given. Pinned
  // nodes (a path's two ends) stay at the left and right edges so paths read left to right.
  function layout(nodes, edges, width, height, pins) {
    var count = Math.max(nodes.length, 1), ring = Math.min(width, height) * 0.375;
    nodes.forEach(function (v, i) {
      var angle = 2 * Math.PI * i / count;
      v.x = width / 2 + ring * Math.cos(angle);
      v.y = height / 2 + ring * Math.sin(angle);
    });
    var k = Math.sqrt(width * height / count), heat = width / 10;
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
        var a = e.from, b = e.to, dx = a.x - b.x, dy = a.y - b.y;
        var d = Math.max(Math.sqrt(dx * dx + dy * dy), 0.01), f = d / k;
        a.dx -= dx * f; a.dy -= dy * f; b.dx += dx * f; b.dy += dy * f;
      });
      nodes.forEach(function (v) {
        v.dx += (width / 2 - v.x) * GRAVITY;
        v.dy += (height / 2 - v.y) * GRAVITY;
        var d = Math.max(Math.sqrt(v.dx * v.dx + v.dy * v.dy), 0.01), move = Math.min(d, heat) / d;
        v.x += v.dx * move;
        v.y += v.dy * move;
        if (v.data.id in pins) { v.x = pins[v.data.id] * width; v.y = height / 2; }
      });
      heat *= 0.98;
    }
  }

  // Edges between the same two nodes (either direction) bend apart so each stays visible.
  function bendEdges(edges, unit) {
    var groups = {};
    edges.forEach(function (e) {
      var key = e.from.data.id < e.to.data.id ? e.from.data.id + "\n" + e.to.data.id : e.to.data.id + "\n" + e.from.data.id;
      (groups[key] = groups[key] || []).push(e);
    });
    Object.keys(groups).forEach(function (key) {
      var group = groups[key];
      group.forEach(function (e, i) {
        var bend = (i - (group.length - 1) / 2) * 28 * unit;
        e.bend = e.from.data.id < e.to.data.id ? bend : -bend;
      });
    });
  }

  function geometry(e, targetRadius) {
    var a = e.from, b = e.to, dx = b.x - a.x, dy = b.y - a.y;
    var length = Math.max(Math.sqrt(dx * dx + dy * dy), 0.01);
    var cx = (a.x + b.x) / 2 - dy / length * e.bend * 2, cy = (a.y + b.y) / 2 + dx / length * e.bend * 2;
    var ex = b.x - cx, ey = b.y - cy, end = Math.max(Math.sqrt(ex * ex + ey * ey), 0.01);
    var tx = b.x - ex * (targetRadius + 1) / end, ty = b.y - ey * (targetRadius + 1) / end;
    return {
      d: "M " + a.x + " " + a.y + " Q " + cx + " " + cy + " " + tx + " " + ty,
      mx: 0.25 * a.x + 0.5 * cx + 0.25 * b.x, my: 0.25 * a.y + 0.5 * cy + 0.25 * b.y
    };
  }

  function make(name, attrs, parent) {
    var element = document.createElementNS(NS, name);
    Object.keys(attrs).forEach(function (key) { element.setAttribute(key, attrs[key]); });
    parent.appendChild(element);
    return element;
  }

  function words(code) { return String(code || "").replace(/_/g, " "); }

  // One line per statement: "S060: preclinical study, reported, positive [locator]", its comment, its references.
  function evidenceLines(edge, fromLabel, toLabel) {
    var lines = [{text: fromLabel + " \u2014 " + edge.label + " \u2192 " + toLabel, strong: true}];
    (edge.statements || []).forEach(function (s) {
      lines.push({text: s.id + ": " + words(s.evidence) + ", " + s.hedging + ", " + s.polarity +
                        (s.locator ? " [" + s.locator + "]" : "")});
      if (s.comment) { lines.push({text: "  " + s.comment}); }
      var refs = (s.references || []).map(function (r) { return r.label + " (doi:" + r.doi + ")"; }).join("; ");
      if (refs) { lines.push({text: "  " + refs}); }
    });
    return lines;
  }

  function nodeLines(node) {
    var lines = [{text: node.label, strong: true}, {text: (node.type_label || node.type || "") + " \u00b7 " + node.id}];
    if (node.synonyms) { lines.push({text: "also: " + node.synonyms.split("|").join(", ")}); }
    return lines;
  }

  function showTip(tip, event, lines) {
    if (!tip) { return; }
    tip.textContent = "";
    lines.forEach(function (line) {
      var p = document.createElement(line.strong ? "strong" : "div");
      p.textContent = line.text;
      tip.appendChild(p);
    });
    tip.hidden = false;
    tip.style.left = (event.pageX + 12) + "px";
    tip.style.top = (event.pageY + 12) + "px";
  }

  // The tip for a focused element: beside it, since the keyboard gives no pointer position.
  function tipBeside(tip, element, lines) {
    if (!tip) { return; }
    var rect = element.getBoundingClientRect();
    showTip(tip, {pageX: rect.right + window.scrollX, pageY: rect.top + window.scrollY}, lines);
  }

  // Does box b overlap any of boxes (each {x0, y0, x1, y1})?
  function collides(b, boxes) {
    for (var i = 0; i < boxes.length; i++) {
      var o = boxes[i];
      if (b.x0 < o.x1 && b.x1 > o.x0 && b.y0 < o.y1 && b.y1 > o.y0) { return true; }
    }
    return false;
  }

  // Pan (drag) and zoom (wheel) are wired once per <svg>; each draw only replaces the view box.
  function stateOf(svg) {
    var state = states.get(svg);
    if (state) { return state; }
    state = {box: {x: 0, y: 0, w: 1, h: 1}, drag: null, moved: false};
    state.apply = function () { svg.setAttribute("viewBox", [state.box.x, state.box.y, state.box.w, state.box.h].join(" ")); };
    // Zoom by scale about a point given as fractions of the view (0.5, 0.5 is its centre).
    state.zoom = function (scale, fx, fy) {
      var box = state.box;
      box.x += box.w * fx * (1 - scale); box.y += box.h * fy * (1 - scale);
      box.w *= scale; box.h *= scale;
      state.apply();
      if (state.onZoom) { state.onZoom(); }
    };
    svg.addEventListener("wheel", function (event) {
      event.preventDefault();
      var rect = svg.getBoundingClientRect();
      state.zoom(event.deltaY > 0 ? 1.1 : 1 / 1.1, (event.clientX - rect.left) / rect.width, (event.clientY - rect.top) / rect.height);
    }, {passive: false});
    // Keys on the focused view: + and - zoom, arrows pan, 0 fits it again.
    svg.addEventListener("keydown", function (event) {
      var box = state.box, step = {ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1]}[event.key];
      if (event.key === "+" || event.key === "=") { state.zoom(1 / 1.25, 0.5, 0.5); }
      else if (event.key === "-") { state.zoom(1.25, 0.5, 0.5); }
      else if (event.key === "0" && state.fit) { state.fit(); }
      else if (step && event.target === svg) { box.x += step[0] * box.w / 10; box.y += step[1] * box.h / 10; state.apply(); }
      else { return; }
      event.preventDefault();
    });
    // Pointer events: a mouse, a pen or a finger pans the same way (touch-action is none on the svg).
    svg.addEventListener("pointerdown", function (event) { state.drag = {x: event.clientX, y: event.clientY}; state.moved = false; });
    window.addEventListener("pointerup", function () { state.drag = null; });
    window.addEventListener("pointercancel", function () { state.drag = null; });
    svg.addEventListener("pointermove", function (event) {
      if (!state.drag) { return; }
      var rect = svg.getBoundingClientRect(), mx = event.clientX - state.drag.x, my = event.clientY - state.drag.y;
      if (Math.abs(mx) + Math.abs(my) > 2) { state.moved = true; }
      state.box.x -= mx * state.box.w / rect.width;
      state.box.y -= my * state.box.h / rect.height;
      state.drag = {x: event.clientX, y: event.clientY};
      state.apply();
    });
    states.set(svg, state);
    return state;
  }

  // Draw data = {nodes: [{id, label, type_label, colour, synonyms}], edges: [{id, source, target,
  // label, evidence_rank, statements}]} into svg. Options: width, height (layout area), tip (element),
  // focus (a node id drawn larger), left and right (node ids pinned there), onNode(node),
  // onEdge(edge, from, to).
  function draw(svg, data, options) {
    options = options || {};
    var width = options.width || 1200, height = options.height || 800, tip = options.tip;
    var state = stateOf(svg);
    var index = {};
    var nodes = data.nodes.map(function (n) { return (index[n.id] = {data: n, x: 0, y: 0}); });
    var edges = data.edges.filter(function (e) { return e.source in index && e.target in index; })
      .map(function (e) { return {data: e, from: index[e.source], to: index[e.target], bend: 0}; });
    var pins = {};
    if (options.left in index && options.right in index && options.left !== options.right) {
      pins[options.left] = 0;
      pins[options.right] = 1;
    }
    layout(nodes, edges, width, height, pins);

    // Fit the layout to the <svg> on screen, leaving room for labels on the right; "unit" is the
    // size of a screen pixel in layout coordinates, so circles, labels and strokes keep their pixel
    // size however large the layout came out (never magnified past 1.6x, so a few nodes stay close).
    var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    nodes.forEach(function (v) {
      minX = Math.min(minX, v.x); maxX = Math.max(maxX, v.x); minY = Math.min(minY, v.y); maxY = Math.max(maxY, v.y);
    });
    if (!nodes.length) { minX = maxX = width / 2; minY = maxY = height / 2; }
    var rect = svg.getBoundingClientRect();
    var pxW = rect.width > 0 ? rect.width : width + 260, pxH = rect.height > 0 ? rect.height : height + 80;
    var spanX = maxX - minX, spanY = maxY - minY;
    // Room for labels beside the nodes: 300 px on a wide screen, less on a phone, where the
    // labels that find no room wait for a zoom (see place).
    var room = Math.min(300, pxW * 0.3);
    var unit = Math.max(spanX / Math.max(pxW - room, 100), spanY / Math.max(pxH - 70, 100), 1 / 1.6);
    var pinned = Object.keys(pins).length > 0;
    var leftPx = pinned ? room / 2 : Math.max((pxW - spanX / unit - room * 0.8) / 2, 20), topPx = (pxH - spanY / unit) / 2;
    state.box = {x: minX - leftPx * unit, y: minY - topPx * unit, w: pxW * unit, h: pxH * unit};
    state.apply();
    bendEdges(edges, unit);
    var fitWidth = state.box.w;

    var degree = {};
    edges.forEach(function (e) {
      degree[e.from.data.id] = (degree[e.from.data.id] || 0) + 1;
      degree[e.to.data.id] = (degree[e.to.data.id] || 0) + 1;
    });

    function hide() { if (tip) { tip.hidden = true; } }
    svg.textContent = "";
    var defs = make("defs", {}, svg);
    var markers = [["arrow", EDGE_COLOUR], ["arrow-hover", HOVER_COLOUR], ["arrow-path", PATH_COLOUR]].map(function (kind) {
      var marker = make("marker", {id: kind[0], viewBox: "0 0 10 10", refX: "10", refY: "5",
                                   markerUnits: "userSpaceOnUse", orient: "auto"}, defs);
      make("path", {d: "M 0 0 L 10 5 L 0 10 z", fill: kind[1]}, marker);
      return marker;
    });
    var edgeLayer = make("g", {"class": "edges"}, svg);
    var labelLayer = make("g", {"class": "edge-labels"}, svg);
    var nodeLayer = make("g", {"class": "nodes"}, svg);
    var drawnNodes = {}, drawnEdges = {};

    edges.forEach(function (e) {
      var group = make("g", {"class": "edge", "data-id": e.data.id || ""}, edgeLayer);
      var line = make("path", {"class": "line", fill: "none", stroke: EDGE_COLOUR, "stroke-opacity": "0.7",
                               "marker-end": "url(#arrow)"}, group);
      var hit = make("path", {fill: "none", stroke: "transparent"}, group);
      // Every edge has a label; it shows where there is room (see place), and on hover and focus.
      var label = make("text", {"text-anchor": "middle", fill: "#444", stroke: "#fff", "paint-order": "stroke",
                                "pointer-events": "none", "class": "edge-label"}, labelLayer);
      label.textContent = e.data.label;
      var drawn = {edge: e, group: group, line: line, hit: hit, label: label, on: false, hover: false,
                   width: 1 + (e.data.evidence_rank || 0) * 0.6, colour: EDGE_COLOUR, marker: "url(#arrow)"};
      drawnEdges[e.data.id] = drawn;
      var count = (e.data.statements || []).length;
      var spoken = e.from.data.label + " " + e.data.label + " " + e.to.data.label +
        (count ? ", " + count + " statement" + (count === 1 ? "" : "s") : "");
      group.setAttribute("aria-label", spoken);
      function enter(event) {
        drawn.hover = true;
        line.setAttribute("stroke", HOVER_COLOUR); line.setAttribute("stroke-opacity", "1");
        line.setAttribute("marker-end", "url(#arrow-hover)");
        label.setAttribute("visibility", "visible");
        labelLayer.appendChild(label);
        if (event && event.type === "focus") { tipBeside(tip, line, evidenceLines(e.data, e.from.data.label, e.to.data.label)); }
      }
      function leave() {
        drawn.hover = false;
        line.setAttribute("stroke", drawn.colour); line.setAttribute("stroke-opacity", drawn.on ? "1" : "0.7");
        line.setAttribute("marker-end", drawn.marker);
        label.setAttribute("visibility", drawn.shown ? "visible" : "hidden");
        hide();
      }
      group.addEventListener("mouseenter", enter);
      group.addEventListener("focus", enter);
      group.addEventListener("mousemove", function (event) {
        showTip(tip, event, evidenceLines(e.data, e.from.data.label, e.to.data.label));
      });
      group.addEventListener("mouseleave", leave);
      group.addEventListener("blur", leave);
      // Every edge takes focus, so the keyboard reaches each edge's evidence as the mouse does.
      group.setAttribute("tabindex", "0");
      group.setAttribute("focusable", "true");
      if (options.onEdge) {
        group.setAttribute("cursor", "pointer");
        group.setAttribute("role", "button");
        group.addEventListener("click", function () { if (!state.moved) { options.onEdge(e.data, e.from.data, e.to.data); } });
        group.addEventListener("keydown", function (event) {
          if (event.key === "Enter" || event.key === " ") { event.preventDefault(); options.onEdge(e.data, e.from.data, e.to.data); }
        });
      } else {
        group.setAttribute("role", "img");
      }
    });

    nodes.forEach(function (v) {
      var focus = v.data.id === options.focus;
      var group = make("g", {"class": focus ? "node focus" : "node", "data-id": v.data.id,
                             transform: "translate(" + v.x + "," + v.y + ")"}, nodeLayer);
      var circle = make("circle", {fill: v.data.colour || "#bbb", stroke: "#333"}, group);
      // A path's start is pinned at the left edge: its label goes to the left, clear of the path.
      var leftLabel = pins[v.data.id] === 0;
      var label = make("text", {fill: "#1d2433", stroke: "#fff", "paint-order": "stroke",
                                "text-anchor": leftLabel ? "end" : "start",
                                "font-weight": focus ? "bold" : "normal", "pointer-events": "none"}, group);
      label.textContent = v.data.label;
      group.addEventListener("mouseenter", function () { label.setAttribute("visibility", "visible"); });
      group.addEventListener("mouseleave", function () { label.setAttribute("visibility", drawnNodes[v.data.id].shown ? "visible" : "hidden"); });
      drawnNodes[v.data.id] = {group: group, circle: circle, label: label, on: false, side: leftLabel ? -1 : 1,
                               radius: focus ? FOCUS_RADIUS : RADIUS, width: focus ? 2.5 : 1};
      group.addEventListener("mousemove", function (event) { showTip(tip, event, nodeLines(v.data)); });
      group.addEventListener("mouseleave", hide);
      group.addEventListener("focus", function () { tipBeside(tip, circle, nodeLines(v.data)); });
      group.addEventListener("blur", hide);
      if (options.onNode) {
        group.setAttribute("cursor", "pointer");
        group.setAttribute("tabindex", "0");
        group.setAttribute("role", "link");
        group.setAttribute("aria-label", v.data.label);
        group.addEventListener("click", function () { if (!state.moved) { hide(); options.onNode(v.data); } });
        group.addEventListener("keydown", function (event) { if (event.key === "Enter") { hide(); options.onNode(v.data); } });
      }
    });

    // Sizes in layout units for u layout units per screen pixel: what is drawn keeps its pixel size
    // as the reader zooms, so zooming in pulls crowded nodes and their labels apart.
    function resize(u) {
      markers.forEach(function (marker) { marker.setAttribute("markerWidth", 9 * u); marker.setAttribute("markerHeight", 9 * u); });
      Object.keys(drawnEdges).forEach(function (id) {
        var drawn = drawnEdges[id], target = drawnNodes[drawn.edge.to.data.id];
        var shape = geometry(drawn.edge, target.radius * u);
        drawn.line.setAttribute("d", shape.d);
        drawn.line.setAttribute("stroke-width", (drawn.width + (drawn.on ? 2 : 0)) * u);
        drawn.hit.setAttribute("d", shape.d);
        drawn.hit.setAttribute("stroke-width", 10 * u);
        if (drawn.label) {
          drawn.label.setAttribute("x", shape.mx); drawn.label.setAttribute("y", shape.my + 3 * u);
          drawn.label.setAttribute("font-size", 11 * u); drawn.label.setAttribute("stroke-width", 3 * u);
        }
      });
      Object.keys(drawnNodes).forEach(function (id) {
        var n = drawnNodes[id];
        n.circle.setAttribute("r", n.radius * u);
        n.circle.setAttribute("stroke-width", (n.on ? 3 : n.width) * u);
        n.label.setAttribute("font-size", 13 * u); n.label.setAttribute("stroke-width", 3 * u);
      });
      place(u);
    }

    // Labels never overlap: nodes are labelled in order of importance (focus, path, then degree),
    // each on the first side with room (right, left, above, below), or not until the reader zooms
    // in, hovers or focuses it; edge labels then take the room left at their midpoints.
    function place(u) {
      var boxes = nodes.map(function (v) {
        var r = drawnNodes[v.data.id].radius * u;
        return {x0: v.x - r, y0: v.y - r, x1: v.x + r, y1: v.y + r};
      });
      var order = nodes.slice().sort(function (a, b) {
        var na = drawnNodes[a.data.id], nb = drawnNodes[b.data.id];
        return (nb.on - na.on) || ((b.data.id === options.focus) - (a.data.id === options.focus)) ||
          ((b.data.id in pins) - (a.data.id in pins)) || ((degree[b.data.id] || 0) - (degree[a.data.id] || 0));
      });
      order.forEach(function (v) {
        var n = drawnNodes[v.data.id], r = (n.radius + 4) * u, w = n.label.textContent.length * 7.4 * u, h = 15 * u;
        var sides = n.side < 0 ? ["left", "right", "above", "below"] : ["right", "left", "above", "below"];
        var spots = {
          right: {x: r, y: 4.5 * u, anchor: "start", box: {x0: v.x + r, y0: v.y - h / 2, x1: v.x + r + w, y1: v.y + h / 2}},
          left: {x: -r, y: 4.5 * u, anchor: "end", box: {x0: v.x - r - w, y0: v.y - h / 2, x1: v.x - r, y1: v.y + h / 2}},
          above: {x: 0, y: -r - 2 * u, anchor: "middle", box: {x0: v.x - w / 2, y0: v.y - r - h, x1: v.x + w / 2, y1: v.y - r}},
          below: {x: 0, y: r + 11 * u, anchor: "middle", box: {x0: v.x - w / 2, y0: v.y + r, x1: v.x + w / 2, y1: v.y + r + h}}
        };
        var chosen = null, inView = null, view = state.box;
        for (var i = 0; i < sides.length && !chosen; i++) {
          var b = spots[sides[i]].box;
          var inside = b.x0 >= view.x && b.x1 <= view.x + view.w && b.y0 >= view.y && b.y1 <= view.y + view.h;
          if (inside && !inView) { inView = spots[sides[i]]; }
          if (inside && !collides(b, boxes)) { chosen = spots[sides[i]]; }
        }
        // A path's nodes and the focus are always labelled: on a free side, else inside the view.
        if (!chosen && (n.on || v.data.id === options.focus)) { chosen = inView || spots[sides[0]]; }
        n.shown = Boolean(chosen);
        if (chosen) {
          boxes.push(chosen.box);
          n.label.setAttribute("x", chosen.x); n.label.setAttribute("y", chosen.y);
          n.label.setAttribute("text-anchor", chosen.anchor);
        }
        n.label.setAttribute("visibility", chosen ? "visible" : "hidden");
        n.group.classList.toggle("unlabelled", !chosen);
      });
      var edgeOrder = Object.keys(drawnEdges).map(function (id) { return drawnEdges[id]; }).sort(function (a, b) {
        return (b.on - a.on) || ((b.edge.data.evidence_rank || 0) - (a.edge.data.evidence_rank || 0));
      });
      edgeOrder.forEach(function (d) {
        var x = Number(d.label.getAttribute("x")), y = Number(d.label.getAttribute("y"));
        var w = d.label.textContent.length * 6.3 * u, h = 13 * u;
        var box = {x0: x - w / 2, y0: y - h + 3 * u, x1: x + w / 2, y1: y + 3 * u};
        d.shown = !collides(box, boxes);
        if (d.shown) { boxes.push(box); }
        d.label.setAttribute("visibility", d.shown || d.hover ? "visible" : "hidden");
      });
    }
    var fitted = {x: state.box.x, y: state.box.y, w: state.box.w, h: state.box.h};
    state.fit = function () { state.box = {x: fitted.x, y: fitted.y, w: fitted.w, h: fitted.h}; state.apply(); state.onZoom(); };
    state.onZoom = function () { resize(unit * state.box.w / fitWidth); };
    state.onZoom();
    svg.setAttribute("data-rendered", String(nodes.length));

    // Emphasise some nodes and edges (a path) and fade the rest; null for none.
    function highlight(nodeIds, edgeIds) {
      var onNodes = {}, onEdges = {}, any = nodeIds !== null && nodeIds !== undefined;
      (nodeIds || []).forEach(function (id) { onNodes[id] = true; });
      (edgeIds || []).forEach(function (id) { onEdges[id] = true; });
      Object.keys(drawnNodes).forEach(function (id) {
        var n = drawnNodes[id];
        n.on = Boolean(any && onNodes[id]);
        n.group.setAttribute("opacity", !any || n.on ? "1" : "0.35");
        n.group.classList.toggle("on", n.on);
      });
      Object.keys(drawnEdges).forEach(function (id) {
        var e = drawnEdges[id];
        e.on = Boolean(any && onEdges[id]);
        e.colour = e.on ? PATH_COLOUR : EDGE_COLOUR;
        e.marker = e.on ? "url(#arrow-path)" : "url(#arrow)";
        e.group.setAttribute("opacity", !any || e.on ? "1" : "0.3");
        e.group.classList.toggle("on", e.on);
        e.line.setAttribute("stroke", e.colour);
        e.line.setAttribute("stroke-opacity", e.on ? "1" : "0.7");
        e.line.setAttribute("marker-end", e.marker);
        if (e.label) { e.label.setAttribute("opacity", !any || e.on ? "1" : "0.35"); }
        if (e.on) { edgeLayer.appendChild(e.group); }
      });
      state.onZoom();
    }
    return {count: nodes.length, highlight: highlight, fit: state.fit,
            zoom: function (scale) { state.zoom(scale, 0.5, 0.5); }};
  }

  // The legend: one swatch and label per node type, entries = [{label, colour}].
  function drawLegend(list, entries) {
    list.textContent = "";
    entries.forEach(function (entry) {
      var item = document.createElement("li");
      var swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = entry.colour;
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(entry.label));
      list.appendChild(item);
    });
  }

  // The view as a PNG (a data: URL) at twice its size on screen, for "Save as PNG": the SVG is
  // copied with its computed fonts and colours, drawn on a canvas, and read back.
  function toPng(svg, callback) {
    var rect = svg.getBoundingClientRect(), scale = 2;
    var copy = svg.cloneNode(true);
    copy.setAttribute("xmlns", NS);
    copy.setAttribute("width", rect.width);
    copy.setAttribute("height", rect.height);
    copy.setAttribute("font-family", "sans-serif");
    var image = new Image();
    image.onload = function () {
      var canvas = document.createElement("canvas");
      canvas.width = rect.width * scale; canvas.height = rect.height * scale;
      var context = canvas.getContext("2d");
      context.fillStyle = "#fff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(image, 0, 0, canvas.width, canvas.height);
      callback(canvas.toDataURL("image/png"));
    };
    image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(new XMLSerializer().serializeToString(copy));
  }

  // The HTML export: its data is inline JSON; draw it at once.
  var inline = document.getElementById("graph-data");
  if (inline) {
    var data = JSON.parse(inline.textContent);
    var view = draw(document.getElementById("view"), data, {tip: document.getElementById("tip")});
    drawLegend(document.getElementById("legend-items"), data.legend);
    document.body.setAttribute("data-rendered", String(view.count));
  }
  return {draw: draw, drawLegend: drawLegend, evidenceLines: evidenceLines, toPng: toPng};
}());
