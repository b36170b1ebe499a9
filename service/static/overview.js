// msckg page, overview at "#/": the source, the two disorders, the mechanism map, the evidence
// chart, the risks and open challenges, and the competency questions a person would ask. Every
// element links to its entity or to the statements behind it. Data from the REST API only.
"use strict";

const SVG_NS = "http://www.w3.org/2000/svg";
// The entity namespace, from the prefixes the server declares (the page carries them once).
const ENTITY_NS = JSON.parse(document.getElementById("sparql").dataset.prefixes).ent;

function svgEl(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value !== null && value !== undefined) node.setAttribute(name, value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function statementsHash(subject, relation, object) {
  return "#/statements?" + new URLSearchParams({ subject, relation, object }).toString();
}

function curie(iri) {
  return iri.startsWith(ENTITY_NS) ? "ent:" + iri.slice(ENTITY_NS.length) : iri;
}

// ---- the mechanism map: five layers, left to right ----
const MAP_LAYERS = ["where MSCs come from", "MSCs and MSC therapies", "factors they secrete",
  "what they act on", "outcomes"];

function mechanismMap(rows) {
  const nodes = new Map();
  const node = (iri, label, layer) => {
    if (!nodes.has(iri)) nodes.set(iri, { id: curie(iri), label, layer: Number(layer), links: [] });
    return nodes.get(iri);
  };
  const edges = rows.map((row) => {
    const from = node(row.subject, row.subjectLabel, row.subjectLayer);
    const to = node(row.object, row.objectLabel, row.objectLayer);
    from.links.push(to); to.links.push(from);
    return { from, to, relation: row.predicateLabel, statements: Number(row.statements), strongest: Number(row.strongest) };
  });
  const columns = MAP_LAYERS.map((_, index) => [...nodes.values()].filter((n) => n.layer === index + 1));
  // Order each column by where its neighbours sit in the columns already placed (barycentre).
  columns[0].sort((a, b) => a.label.localeCompare(b.label));
  columns[0].forEach((n, i) => { n.row = i; });
  for (const column of columns.slice(1)) {
    const at = (n) => {
      const placed = n.links.filter((m) => m.row !== undefined);
      return placed.length ? placed.reduce((sum, m) => sum + m.row, 0) / placed.length : 99;
    };
    column.sort((a, b) => at(a) - at(b) || a.label.localeCompare(b.label));
    column.forEach((n, i) => { n.row = i; });
  }
  const colWidth = 240, boxWidth = 200, boxHeight = 26, gap = 8, top = 40;
  const tallest = Math.max(...columns.map((c) => c.length));
  const height = top + tallest * (boxHeight + gap) + 10;
  const width = colWidth * MAP_LAYERS.length;
  for (const [index, column] of columns.entries()) {
    const offset = (tallest - column.length) * (boxHeight + gap) / 2;
    column.forEach((n, i) => { n.x = index * colWidth + 10; n.y = top + offset + i * (boxHeight + gap); });
  }
  const svg = svgEl("svg", { id: "mechanism-map", viewBox: `0 0 ${width} ${height}`, class: "mechanism-map",
                             role: "group", "aria-labelledby": "map-title" });
  MAP_LAYERS.forEach((title, index) => svg.append(svgEl("text", { x: index * colWidth + 10, y: 20, class: "layer-title" }, title)));
  const strength = ["", "weak", "weak", "moderate", "strong"];
  for (const edge of edges) {
    // The line runs between facing sides; its arrow follows the relation's own direction.
    const leftToRight = edge.from.layer < edge.to.layer;
    const [a, b] = leftToRight ? [edge.from, edge.to] : [edge.to, edge.from];
    const x1 = a.x + boxWidth, y1 = a.y + boxHeight / 2, x2 = b.x, y2 = b.y + boxHeight / 2, mid = (x1 + x2) / 2;
    const words = `${edge.from.label} ${edge.relation} ${edge.to.label}: ${edge.statements} statement(s), best evidence rank ${edge.strongest}`;
    svg.append(svgEl("a", { href: statementsHash(edge.from.id, edge.relation, edge.to.id), class: "map-edge rank-" + edge.strongest,
                            "aria-label": words, "data-relation": edge.relation },
      svgEl("title", {}, words),
      // A line that skips a layer is dashed, so it does not read as starting in the layer it crosses.
      svgEl("path", { d: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`,
                      class: "map-line " + strength[edge.strongest] + (Math.abs(edge.from.layer - edge.to.layer) > 1 ? " skip" : ""),
                      "marker-end": leftToRight ? "url(#map-arrow)" : null, "marker-start": leftToRight ? null : "url(#map-arrow-back)" })));
  }
  svg.prepend(svgEl("defs", {},
    svgEl("marker", { id: "map-arrow", viewBox: "0 0 10 10", refX: "10", refY: "5", markerWidth: "9", markerHeight: "9", markerUnits: "userSpaceOnUse", orient: "auto" },
      svgEl("path", { d: "M0,0 L10,5 L0,10 z", class: "map-arrowhead" })),
    svgEl("marker", { id: "map-arrow-back", viewBox: "0 0 10 10", refX: "0", refY: "5", markerWidth: "9", markerHeight: "9", markerUnits: "userSpaceOnUse", orient: "auto" },
      svgEl("path", { d: "M10,0 L0,5 L10,10 z", class: "map-arrowhead" }))));
  for (const n of nodes.values()) {
    // A long label is squeezed into its box rather than cut, so what shows is the whole name.
    const squeeze = n.label.length > 27 ? { textLength: String(boxWidth - 14), lengthAdjust: "spacingAndGlyphs" } : {};
    svg.append(svgEl("a", { href: "#/entity/" + encodeURIComponent(n.id), class: "map-node layer-" + n.layer, "data-id": n.id },
      svgEl("rect", { x: n.x, y: n.y, width: boxWidth, height: boxHeight, rx: 5 }),
      svgEl("text", { x: n.x + 7, y: n.y + 17, ...squeeze }, n.label)));
  }
  return svg;
}

// ---- the evidence chart: statements by evidence context, split by hedging ----
const HEDGING_ORDER = ["Established", "Reported", "Suggested", "Hypothesized"];

function evidenceChart(profile, scale) {
  const contexts = [...scale.values()].filter((row) => row.scale === "evidence");
  const count = (evidence, hedging) => {
    const row = profile.find((r) => localName(r.evidenceTerm) === evidence && localName(r.hedgingTerm) === hedging);
    return row ? Number(row.statements) : 0;
  };
  const totals = contexts.map((c) => HEDGING_ORDER.reduce((sum, h) => sum + count(localName(c.term), h), 0));
  const most = Math.max(...totals, 1);
  const labelWidth = 190, barWidth = 480, barHeight = 24, gap = 10;
  const height = contexts.length * (barHeight + gap) + 10;
  const svg = svgEl("svg", { id: "evidence-chart", class: "evidence-chart", viewBox: `0 0 ${labelWidth + barWidth + 60} ${height}`,
                             role: "group", "aria-labelledby": "chart-title" });
  contexts.forEach((context, index) => {
    const y = index * (barHeight + gap) + 5;
    const evidence = localName(context.term);
    svg.append(svgEl("text", { x: labelWidth - 8, y: y + 17, class: "bar-label", "text-anchor": "end" },
      `${context.label} (rank ${context.rank})`));
    let x = labelWidth;
    for (const hedging of HEDGING_ORDER) {
      const n = count(evidence, hedging);
      if (!n) continue;
      const w = barWidth * n / most;
      const words = `${n} statement(s): ${context.label}, ${scale.get(hedging).label}`;
      svg.append(svgEl("a", { href: "#/ask/statements_by_evidence?" + new URLSearchParams({ evidence: "msckg:" + evidence, hedging: "msckg:" + hedging }),
                              class: "bar hedging-" + hedging, "aria-label": words, "data-count": String(n), "data-evidence": evidence, "data-hedging": hedging },
        svgEl("title", {}, words), svgEl("rect", { x, y, width: Math.max(w, 2), height: barHeight })));
      x += w;
    }
    svg.append(svgEl("text", { x: x + 6, y: y + 17, class: "bar-total" }, String(totals[index])));
  });
  const legend = el("ul", { class: "chart-legend" }, ...HEDGING_ORDER.map((h) =>
    el("li", {}, el("span", { class: "swatch hedging-" + h }), scale.get(h).label)));
  const clinical = contexts.filter((c) => Number(c.rank) >= 3).reduce((sum, c) => sum + totals[contexts.indexOf(c)], 0);
  const animal = totals[contexts.findIndex((c) => localName(c.term) === "AnimalModel")] || 0;
  const all = totals.reduce((a, b) => a + b, 0);
  const summary = el("p", { class: "chart-summary" },
    `Of ${all} statements, ${clinical} rest on studies in patients (early clinical studies or trials) and ${animal} on animal models; the rest are laboratory work, clinical background or the author's opinion.`);
  return [summary, el("div", { class: "figure-scroll" }, svg), legend];
}

// ---- disorders, risks, challenges, questions ----
async function disorderCards() {
  const { ok, body } = await getJson("/api/entities?limit=20&type=msckg:Disorder&q=");
  if (!ok) return [];
  const details = await Promise.all(body.results.map((d) => getJson("/api/entities/" + encodeURIComponent(d.id))));
  return details.filter((d) => d.ok).map(({ body: d }) => {
    const statements = d.relations.reduce((n, r) => n + r.statements.length, 0);
    return el("article", { class: "disorder", "data-id": d.id },
      el("h3", {}, entityLink(d)),
      el("p", {}, d.definition || ""),
      el("p", { class: "meta" }, `${statements} statements \u00b7 `,
        el("a", { href: "#/ask/disorder_profile?" + new URLSearchParams({ disorder: d.id }) }, "signs and processes"), " \u00b7 ",
        el("a", { href: "#/ask/proposed_treatments?" + new URLSearchParams({ disorder: d.id }) }, "what is proposed for it")));
  });
}

function riskList(rows, source) {
  return el("ul", { class: "risks", id: "risks" }, ...rows.map((row) => el("li", {},
    entityLink({ id: curie(row.risk), label: row.riskLabel }),
    el("span", { class: "meta" }, ` \u2014 ${row.hedging}, `), locatorLink(row.locator, source))));
}

function challengeList(rows, source) {
  return el("ul", { class: "challenges", id: "challenges" }, ...rows.map((row) => el("li", {},
    entityLink({ id: curie(row.challenge), label: row.challengeLabel }),
    row.requiredFor ? el("span", { class: "meta" }, ` \u2014 needed first for ${row.requiredFor}`) : "",
    row.disciplines ? el("span", { class: "meta" }, ` \u2014 needs ${row.disciplines}`) : "",
    " ", locatorLink(row.firstLocator, source))));
}

async function questionList() {
  const { ok, body } = await getJson("/api/queries");
  if (!ok) return el("p", { class: "error" }, "The questions could not be loaded.");
  const asked = body.queries.filter((q) => q.ask);
  return el("ul", { class: "questions", id: "questions" }, ...asked.map((q) => el("li", {},
    el("a", { href: "#/ask/" + encodeURIComponent(q.name), "data-query": q.name, title: q.question }, q.ask))));
}

async function showOverview() {
  const section = $("overview");
  section.hidden = false;
  if (section.dataset.ready) return;
  const [source, scale, map, profile, risks, challenges, disorders, questions] = await Promise.all([
    graphSource(), evidenceScale(), namedRows("mechanism_map"), namedRows("evidence_profile"),
    namedRows("safety_risks"), namedRows("open_challenges"), disorderCards(), questionList()]);
  section.replaceChildren(
    sourceLine(source),
    el("section", { class: "panel", "aria-labelledby": "questions-title" },
      el("h2", { id: "questions-title" }, "Ask a question"),
      el("p", { class: "hint" }, "Each runs one of the graph's named queries and shows its answer as a table, and as a graph where the answer is a set of relations."),
      questions),
    el("section", { class: "panel", "aria-labelledby": "disorders-title" },
      el("h2", { id: "disorders-title" }, "The two disorders"),
      el("div", { class: "disorders" }, ...disorders)),
    el("section", { class: "panel", "aria-labelledby": "map-title" },
      el("h2", { id: "map-title" }, "How MSCs are thought to act"),
      el("p", { class: "hint" }, "Each box opens its entity; each line opens the statements behind it. Darker lines rest on stronger evidence. Select or tab to a line to read it."),
      el("div", { class: "figure-scroll" }, mechanismMap(map))),
    el("section", { class: "panel", "aria-labelledby": "chart-title" },
      el("h2", { id: "chart-title" }, "What the statements rest on"),
      ...evidenceChart(profile, scale)),
    el("div", { class: "pair-panels" },
      el("section", { class: "panel", "aria-labelledby": "risks-title" },
        el("h2", { id: "risks-title" }, "Safety risks"), riskList(risks, source)),
      el("section", { class: "panel", "aria-labelledby": "challenges-title" },
        el("h2", { id: "challenges-title" }, "Open challenges"), challengeList(challenges, source))),
    readingGuide(scale, source));
  section.dataset.ready = "true";
}

// ---- answers: a question's table, and its graph when the rows are relations ----
const DOI_PATTERN = /^10\.\d{4,9}\/\S+$/;

function answerCell(binding, name, row, source) {
  const term = binding[name];
  if (!term) return el("td", {});
  if (term.type === "uri" && term.value.startsWith(ENTITY_NS)) {
    const label = row[name + "Label"] ? row[name + "Label"].value : curie(term.value);
    return el("td", {}, entityLink({ id: curie(term.value), label }));
  }
  if (term.type === "uri") return el("td", { class: "iri" }, el("a", { href: safeUrl(term.value) || "#" }, localName(term.value)));
  if (DOI_PATTERN.test(term.value)) return el("td", {}, doiLink(term.value, term.value));
  if (name.toLowerCase().includes("locator")) return el("td", { class: "locator" }, locatorLink(term.value, source));
  return el("td", {}, term.value);
}

function answerTable(body, source) {
  // A column that only labels another column's entity is shown as that entity's link.
  // It takes the first place of the two, so subject, relation and object keep their order.
  const all = body.head.vars;
  const variables = [...new Set(all.map((v) => (v.endsWith("Label") && all.includes(v.slice(0, -5)) ? v.slice(0, -5) : v)))];
  const heading = (v) => v.replace(/Label$/, "").replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  const table = el("table", { id: "answer-table" },
    el("thead", {}, el("tr", {}, ...variables.map((v) => el("th", { scope: "col" }, heading(v))))));
  const rows = el("tbody", {});
  for (const binding of body.results.bindings) {
    rows.append(el("tr", {}, ...variables.map((v) => answerCell(binding, v, binding, source))));
  }
  table.append(rows);
  return el("div", { class: "table-scroll" }, table);
}

function answerGraph(body, edges) {
  const [fromColumn, relationColumn, toColumn] = edges;
  const nodes = new Map(), links = new Map();
  const value = (row, name) => (row[name] ? row[name].value : "");
  for (const row of body.results.bindings) {
    const from = curie(value(row, fromColumn)), to = curie(value(row, toColumn)), relation = value(row, relationColumn);
    if (!from || !to) continue;
    nodes.set(from, { id: from, label: value(row, fromColumn + "Label") || from });
    nodes.set(to, { id: to, label: value(row, toColumn + "Label") || to });
    const id = `${from}|${relation}|${to}`;
    links.set(id, { id, source: from, target: to, label: relation, predicate: relation, statements: [] });
  }
  return { nodes: [...nodes.values()], edges: [...links.values()] };
}

async function showAnswer(name, params) {
  const section = $("answer");
  section.hidden = false;
  const [{ ok: listed, body: list }, source] = await Promise.all([getJson("/api/queries"), graphSource()]);
  const query = listed ? list.queries.find((q) => q.name === name) : null;
  const title = el("h2", { id: "answer-title", tabindex: "-1" }, query ? query.ask || query.title : name);
  section.replaceChildren(title, el("p", { class: "hint" }, query ? query.question : ""), el("p", { role: "status" }, "running\u2026"));
  const started = performance.now();
  const { ok, status, body } = await getJson("/api/queries/" + encodeURIComponent(name) + (params.toString() ? "?" + params : ""),
    { headers: { Accept: "application/sparql-results+json" } });
  if (!ok) {
    section.replaceChildren(title, el("p", { class: "error", role: "status" }, `error ${status}: ${body.detail || body.error}`));
    return;
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const parts = [title, el("p", { class: "hint" }, query ? query.question : "")];
  if (query && query.params.length) {
    parts.push(el("p", { class: "params" }, ...query.params.map((p) => `${p.description}: ${params.get(p.name) || p.default}. `)));
  }
  parts.push(el("p", { role: "status", id: "answer-status" }, `${body.results.bindings.length} row(s) in ${seconds} s. `,
    el("a", { href: `/api/queries/${encodeURIComponent(name)}${params.toString() ? "?" + params : ""}` }, "as JSON")));
  if (query && query.edges && body.results.bindings.length) {
    const svg = svgEl("svg", { id: "answer-graph", class: "answer-graph", role: "group", "aria-label": "the answer as a graph" });
    parts.push(el("div", { class: "answer-graph-box" }, svg));
    section.replaceChildren(...parts, answerTable(body, source));
    const data = answerGraph(body, query.edges);
    data.nodes.forEach((n) => { n.colour = "#cfe0f5"; });
    const box = svg.getBoundingClientRect();
    msckgGraphView.draw(svg, data, {
      width: Math.max(box.width, 320), height: Math.max(box.height, 300), tip: $("graph-tip"),
      onNode: (node) => openEntity(node.id),
      onEdge: (edge, from, to) => { location.hash = statementsHash(from.id, edge.label, to.id); },
    });
  } else {
    section.replaceChildren(...parts, answerTable(body, source));
  }
  title.focus();
}

// ---- the statements behind one relation (a map line, an answer's edge) ----
async function showStatements(params) {
  const section = $("answer");
  section.hidden = false;
  const subject = params.get("subject") || "", relation = params.get("relation") || "", object = params.get("object") || "";
  const [{ ok, body }, source, scale] = await Promise.all([
    getJson("/api/entities/" + encodeURIComponent(subject)), graphSource(), evidenceScale()]);
  const title = el("h2", { id: "answer-title", tabindex: "-1" }, "Statements behind a relation");
  if (!ok) { section.replaceChildren(title, el("p", { class: "error" }, body.detail || body.error)); return; }
  const matching = { ...body, relations: body.relations.filter((r) => r.direction === "out" && r.other.id === object &&
    (r.predicate.label === relation || r.predicate.id === relation)) };
  const rows = relationRows(matching, scale);
  const other = matching.relations.length ? matching.relations[0].other : { id: object, label: object };
  section.replaceChildren(title,
    el("p", { class: "relation-read" }, entityLink(body), ` ${relation} `, entityLink(other)),
    ...(rows.length ? relationsTable(rows, source) : [el("p", { class: "error" }, "No statement makes this claim.")]));
  title.focus();
}
