// msckg page: entity search with autocomplete, entity view with evidence, graph view of
// neighborhoods and paths (drawn by graph-view.js, the renderer the HTML export inlines).
// The SPARQL editor is YASGUI, driven by editor.js.
// Every piece of data reaches the page through textContent or attribute setters, never as HTML.
"use strict";

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value !== null && value !== undefined) node.setAttribute(name, value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function safeUrl(url) {
  return /^https?:\/\//i.test(url || "") ? url : null;
}

// A suggestion is an entity, {id, label}; a plain string (a label, as older servers send) stands
// for both, since every name field and /api/paths resolve labels too.
function asEntity(suggestion) {
  return typeof suggestion === "string" ? { id: suggestion, label: suggestion } : suggestion;
}

function entityLink(term) {
  return el("a", { href: "#/entity/" + encodeURIComponent(term.id), class: "entity-link" }, term.label);
}

async function getJson(url, options) {
  const response = await fetch(url, options);
  const body = await response.json().catch(() => ({ error: "bad_response", detail: response.statusText }));
  return { ok: response.ok, status: response.status, body };
}

// ---- autocomplete: the search box and the graph view's entity fields ----
// How many suggestions a name field shows; one more found adds an "All matches" option.
const SUGGESTIONS_SHOWN = 8;

function autocomplete(input, list, onChoose, onMore) {
  const state = { timer: null, items: [], active: -1 };
  const close = () => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    state.active = -1;
  };
  const choose = (entity) => { close(); if (entity.more) onMore(entity.label); else onChoose(entity); };
  const render = (results, labels, text) => {
    list.replaceChildren();
    const more = results.length > SUGGESTIONS_SHOWN;
    state.items = results.slice(0, SUGGESTIONS_SHOWN);
    state.active = -1;
    state.items.forEach((entity, position) => {
      const item = el("li", { role: "option", id: list.id + "-" + position, "data-id": entity.id },
        el("span", { class: "label" }, entity.label),
        el("span", { class: "types" }, entity.types.map((type) => typeLabel(labels, type)).join(", ")));
      item.addEventListener("mousedown", (event) => { event.preventDefault(); choose(entity); });
      list.append(item);
    });
    if (more && onMore) {
      // The last option opens every match; Enter on it (or a click) goes there.
      const all = { id: null, label: text, more: true };
      state.items.push(all);
      const item = el("li", { role: "option", id: list.id + "-more", class: "more" },
        el("span", { class: "label" }, `All matches for “${text}”…`));
      item.addEventListener("mousedown", (event) => { event.preventDefault(); close(); onMore(text); });
      list.append(item);
    }
    if (results.length === 0) list.append(el("li", { class: "empty" }, "no match"));
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  };
  const suggest = async () => {
    const text = input.value.trim();
    if (!text) { close(); return; }
    const [{ ok, body }, labels] = await Promise.all([
      getJson(`/api/entities?limit=${SUGGESTIONS_SHOWN + 1}&q=` + encodeURIComponent(text)), typeLabels()]);
    if (ok && input.value.trim() === text && document.activeElement === input) render(body.results, labels, text);
  };
  const move = (step) => {
    const options = list.querySelectorAll("li[role=option]");
    if (options.length === 0) return;
    // Up from the field itself goes to the last option, as in a native list.
    state.active = state.active < 0 && step < 0 ? options.length - 1 : (state.active + step + options.length) % options.length;
    options.forEach((option, position) => option.classList.toggle("active", position === state.active));
    input.setAttribute("aria-activedescendant", options[state.active].id);
  };
  input.addEventListener("input", () => { clearTimeout(state.timer); state.timer = setTimeout(suggest, 120); });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown") { move(1); event.preventDefault(); }
    else if (event.key === "ArrowUp") { move(-1); event.preventDefault(); }
    // Escape only closes the list: a search field's own Escape would also erase what was typed.
    else if (event.key === "Escape") { close(); event.preventDefault(); }
    else if (event.key === "Enter" && !list.hidden) {
      // Enter takes the highlighted (or first) suggestion; with the list closed it submits the form.
      const chosen = state.items[Math.max(state.active, 0)];
      if (chosen) choose(chosen);
      event.preventDefault();
    }
  });
  input.addEventListener("blur", () => setTimeout(close, 150));
}

function openEntity(id) {
  location.hash = "#/entity/" + encodeURIComponent(id);
}

// ---- graph view: neighborhoods and paths ----
const graph = { types: null, view: null, paths: [] };
const EVIDENCE_WORDS = (code) => String(code || "").replace(/_/g, " ");

function graphHash(kind, params) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== "") query.set(name, value);
  }
  return "#/graph/" + kind + "?" + query.toString();
}

async function nodeTypes() {
  if (graph.types === null) {
    const { ok, body } = await getJson("/assets/node-types.json");
    graph.types = new Map(ok ? body.types.map((t) => [t.type, t]) : []);
  }
  return graph.types;
}

function graphStatus(text, className, ...extra) {
  const status = $("graph-status");
  status.replaceChildren(text, ...extra);
  status.className = className || "";
}

// Which end of a path search the server could not find: the one its message quotes.
function unknownEnd(body, params) {
  const detail = body.detail || "";
  return ["source", "target"].find((name) => {
    const value = params.get(name) || "";
    return value && (detail.includes(`'${value}'`) || detail.includes(`"${value}"`));
  });
}

function suggestionHref(entity, kind, body, params) {
  if (kind === "neighborhood") return graphHash("neighborhood", { id: entity.id, radius: $("graph-radius").value });
  const end = params && unknownEnd(body, params);
  // A suggestion for a path's end searches again with it in that end's place.
  if (end) return graphHash("paths", { ...Object.fromEntries(params), [end]: entity.id });
  return "#/entity/" + encodeURIComponent(entity.id);
}

function graphError(body, kind, params) {
  const links = [];
  (body.suggestions || []).map(asEntity).forEach((entity, position) => {
    links.push(position ? ", " : " Did you mean: ");
    links.push(el("a", { href: suggestionHref(entity, kind, body, params) }, entity.label));
  });
  graphStatus(body.detail || body.error || "error", "error", ...links);
}

// Remember which entity an input names, so its text can be sent as an id once chosen.
function setChosen(input, entity) {
  input.value = entity.label;
  input.dataset.id = entity.id;
  input.dataset.label = entity.label;
}

function chosenKey(input) {
  return input.dataset.id && input.dataset.label === input.value ? input.dataset.id : input.value.trim();
}

function statementBlock(statement) {
  const references = el("span", { class: "references" });
  (statement.references || []).forEach((reference, position) => {
    if (position > 0) references.append("; ");
    references.append(reference.doi
      ? el("a", { href: "https://doi.org/" + encodeURI(reference.doi), rel: "noopener noreferrer", target: "_blank", title: "doi:" + reference.doi }, reference.label)
      : reference.label);
  });
  return el("li", { class: "statement" },
    el("span", { class: "evidence" }, EVIDENCE_WORDS(statement.evidence)), ", ",
    el("span", { class: "hedging" }, statement.hedging), ", ",
    el("span", { class: "polarity" }, statement.polarity),
    statement.locator ? el("span", { class: "locator" }, " [" + statement.locator + "]") : null,
    statement.comment ? el("span", { class: "comment" }, " \u201c" + statement.comment + "\u201d") : null,
    (statement.references || []).length ? el("span", {}, " \u2014 ", references) : null);
}

function showEdgeDetail(edge, from, to) {
  $("graph-detail").replaceChildren(
    el("h4", {}, el("a", { href: "#/entity/" + encodeURIComponent(from.id) }, from.label), " \u2014 ", edge.label, " \u2192 ",
      el("a", { href: "#/entity/" + encodeURIComponent(to.id) }, to.label)),
    el("ul", { class: "statements" }, ...(edge.statements || []).map(statementBlock)));
}

function drawGraph(data, focus, ends) {
  const svg = $("graph-view");
  const box = svg.getBoundingClientRect();
  const types = graph.types || new Map();
  const seen = new Map();
  for (const node of data.nodes) {
    const known = types.get(node.type);
    if (!node.colour) node.colour = known ? known.colour : "#bbbbbb";
    if (!node.type_label) node.type_label = known ? known.label : node.type;
    seen.set(node.type, { label: node.type_label, colour: node.colour });
  }
  $("graph-detail").replaceChildren();
  graph.view = msckgGraphView.draw(svg, data, {
    width: Math.max(box.width - 200, Math.min(box.width, 400)), height: Math.max(box.height - 60, 300),
    tip: $("graph-tip"), focus, left: ends && ends[0], right: ends && ends[1],
    onNode: (node) => openEntity(node.id),
    onEdge: showEdgeDetail,
  });
  msckgGraphView.drawLegend($("graph-legend"), [...seen.values()].sort((a, b) => a.label.localeCompare(b.label)));
}

async function showNeighborhood(params) {
  const id = params.get("id") || "";
  const radius = params.get("radius") || "1";
  $("graph-radius").value = radius;
  $("path-list").replaceChildren();
  $("path-notes-box").replaceChildren();
  if (!id) { graphStatus("Choose an entity to see its neighborhood, or two entities to see the paths between them."); return; }
  graphStatus("loading\u2026");
  const [{ ok, body }] = await Promise.all([
    getJson("/api/neighborhood/" + encodeURIComponent(id) + "?radius=" + encodeURIComponent(radius)), nodeTypes()]);
  if (!ok) { graphError(body, "neighborhood"); return; }
  setChosen($("graph-entity"), body.center);
  drawGraph({ nodes: body.elements.nodes.map((n) => n.data), edges: body.elements.edges.map((e) => e.data) }, body.center.id);
  graphStatus(`${body.center.label}: ${body.nodes.length} entities and ${body.edges.length} relations within ${body.radius} hop(s).`, "ok");
  // Keyboard users land on the drawing they asked for, not on the page's body.
  $("graph-view").focus({ preventScroll: true });
}

function edgeId(edge) {
  return edge.source + "|" + edge.predicate + "|" + edge.target;
}

function selectPath(position) {
  const path = graph.paths[position];
  if (!path || !graph.view) return;
  graph.view.highlight(path.nodes.map((n) => n.id), path.edges.map(edgeId));
  $("path-list").querySelectorAll("li.path").forEach((item, index) => {
    item.classList.toggle("selected", index === position);
    item.querySelector(".show-path").setAttribute("aria-pressed", String(index === position));
  });
}

// "0.281 = 3/4 × 3/4 × 2/4": a path's combined score as the product of its edges' best ranks.
function scoreWords(path, maxRank) {
  const factors = path.edges.map((edge) => `${edge.evidence_rank}/${maxRank}`).join(" \u00d7 ");
  return `score ${path.score.combined.toFixed(3)} = ${factors}`;
}

function pathItem(path, position, maxRank) {
  const chain = el("p", { class: "chain" });
  path.nodes.forEach((node, index) => {
    chain.append(entityLink(node));
    const edge = path.edges[index];
    if (!edge) return;
    // The arrow follows the relation's own direction, whichever way the path walks it.
    chain.append(el("span", { class: "hop", "data-direction": edge.source === node.id ? "forward" : "backward" },
      edge.source === node.id ? ` \u2014 ${edge.label} \u2192 ` : ` \u2190 ${edge.label} \u2014 `));
  });
  const hops = el("ol", { class: "hops" });
  for (const edge of path.edges) {
    const from = path.nodes.find((n) => n.id === edge.source) || { id: edge.source, label: edge.source };
    const to = path.nodes.find((n) => n.id === edge.target) || { id: edge.target, label: edge.target };
    hops.append(el("li", {}, el("span", { class: "hop-title" }, `${from.label} \u2014 ${edge.label} \u2192 ${to.label}`), " ",
      el("a", { href: statementsHash(from.id, edge.label, to.id), class: "hop-statements" }, `its statement${edge.statements.length === 1 ? "" : "s"}`),
      el("ul", { class: "statements" }, ...edge.statements.map(statementBlock))));
  }
  const score = path.score;
  const button = el("button", { type: "button", class: "show-path", "aria-pressed": "false" }, `Path ${position + 1}`);
  button.addEventListener("click", () => selectPath(position));
  const pdp = score.pdp !== undefined ? ` \u00b7 path-degree product ${score.pdp.toFixed(3)}` : "";
  return el("li", { class: "path", "data-index": String(position) },
    el("div", { class: "path-head" }, button,
      el("span", { class: "score", title: "each factor: the best evidence rank among an edge's statements, out of the highest rank" },
        `${scoreWords(path, maxRank)} \u00b7 weakest link: ${EVIDENCE_WORDS(score.weakest_evidence)} (rank ${score.weakest_link}) \u00b7 ${path.length} edge(s)${pdp}`)),
    chain, hops);
}

// What a list of paths can and cannot say, above the list: a path chains separate statements,
// and a path through a general entity (MSCs) says nothing of its kinds (menstrual-blood MSCs).
async function pathNotes(paths, maxRank) {
  const general = new Map((await namedRows("general_entities")).map((row) => [curie(row.general), row]));
  const start = paths[0].nodes[0], end = paths[0].nodes[paths[0].nodes.length - 1];
  const notes = [el("p", {}, "Each hop is a separate statement of the editorial; a path chains them and is not itself a claim. ",
    `The score multiplies, hop by hop, the best evidence rank of the hop's statements divided by the highest rank (${maxRank}, a clinical trial): it is 1 only for a path of clinical-trial hops, and falls with every weaker or extra hop. The weakest link is the lowest of those ranks.`)];
  const through = new Map();
  for (const path of paths) {
    for (const node of path.nodes.slice(1, -1)) {
      if (general.has(node.id)) through.set(node.id, (through.get(node.id) || 0) + 1);
    }
  }
  for (const [id, count] of through) {
    const row = general.get(id);
    notes.push(el("p", { class: "general-note", "data-id": id },
      el("strong", {}, `${count === paths.length ? "All" : count} of ${paths.length} path(s) pass through \u201c${row.generalLabel}\u201d`),
      `, a general entity with ${row.kinds} narrower kind(s) (${row.kindLabels}). What the editorial says of ${row.generalLabel} in general is not said of each kind: `,
      `such a path is no evidence that, for example, a kind of ${row.generalLabel} was itself tried for ${end.label}, nor that ${start.label} leads there.`));
  }
  return el("div", { class: "path-notes", id: "path-notes" }, ...notes);
}

// The filters of the paths form as they travel in the URL (and to /api/paths and /api/metapaths).
const PATH_PARAMS = ["source", "target", "k", "max_length", "min_evidence", "predicates", "types", "directed", "pattern"];

function selectedValues(select) {
  return [...select.selectedOptions].map((option) => option.value).join(",");
}

function selectValues(select, joined) {
  const wanted = new Set((joined || "").split(",").filter(Boolean));
  for (const option of select.options) option.selected = wanted.has(option.value);
}

async function pathFilterChoices() {
  if ($("path-predicates").options.length) return;
  const [{ ok, body }, types] = await Promise.all([getJson("/api/stats"), nodeTypes()]);
  if (ok) {
    const predicates = body.predicates.filter((p) => p.id.startsWith("msckg:")).sort((a, b) => a.label.localeCompare(b.label));
    $("path-predicates").replaceChildren(...predicates.map((p) => el("option", { value: p.id }, p.label)));
  }
  $("path-types").replaceChildren(...[...types.values()].map((t) => el("option", { value: t.type }, t.label)));
}

async function showPaths(params) {
  const fields = { source: $("path-source"), target: $("path-target") };
  for (const [name, input] of Object.entries(fields)) {
    if (chosenKey(input) !== (params.get(name) || "")) { input.value = params.get(name) || ""; delete input.dataset.id; }
  }
  await pathFilterChoices();
  $("path-k").value = params.get("k") || "5";
  if (params.get("max_length")) $("path-max-length").value = params.get("max_length");
  $("path-min-evidence").value = params.get("min_evidence") || "";
  selectValues($("path-predicates"), params.get("predicates"));
  selectValues($("path-types"), params.get("types"));
  $("path-directed").checked = params.get("directed") === "true";
  $("path-pattern").value = params.get("pattern") || "";
  if (params.get("predicates") || params.get("types") || params.get("directed") || params.get("pattern")) $("path-filters").open = true;
  $("path-list").replaceChildren();
  $("path-notes-box").replaceChildren();
  if (!params.get("source") || !params.get("target")) {
    graphStatus("Choose the entity to start from and the one to reach.");
    if (params.get("source")) fields.target.focus();
    return;
  }
  graphStatus("searching\u2026");
  const metapath = Boolean(params.get("pattern"));
  const query = new URLSearchParams();
  const allowed = metapath ? ["source", "target", "min_evidence", "directed", "pattern"] : PATH_PARAMS.filter((n) => n !== "pattern");
  for (const name of allowed) {
    if (params.get(name)) query.set(name, params.get(name));
  }
  const [{ ok, body }, , scale] = await Promise.all([
    getJson((metapath ? "/api/metapaths?" : "/api/paths?") + query.toString()), nodeTypes(), evidenceScale()]);
  if (!ok) { graphError(body, "paths", params); return; }
  graph.paths = body.paths;
  if (body.paths.length === 0) {
    graph.view = null;
    $("graph-view").replaceChildren();
    $("graph-legend").replaceChildren();
    graphStatus(body.reason || `no path follows ${(body.pattern || []).join(", ")}`, "error");
    return;
  }
  const maxRank = Math.max(...[...scale.values()].filter((row) => row.scale === "evidence").map((row) => Number(row.rank)));
  const first = body.paths[0].nodes;
  setChosen(fields.source, first[0]);
  setChosen(fields.target, first[first.length - 1]);
  const nodes = new Map(), edges = new Map();
  for (const path of body.paths) {
    for (const node of path.nodes) nodes.set(node.id, { ...node });
    for (const edge of path.edges) edges.set(edgeId(edge), { ...edge, id: edgeId(edge) });
  }
  drawGraph({ nodes: [...nodes.values()], edges: [...edges.values()] }, null, [first[0].id, first[first.length - 1].id]);
  $("path-notes-box").replaceChildren(await pathNotes(body.paths, maxRank));
  $("path-list").replaceChildren(...body.paths.map((path, i) => pathItem(path, i, maxRank)));
  selectPath(0);
  const summary = metapath
    ? `${body.count} path(s) from ${first[0].label} to ${first[first.length - 1].label} follow ${body.pattern.join(" \u2192 ")}; DWPC ${body.dwpc.toFixed(3)} (damping ${body.damping}).`
    : `${body.paths.length} path(s) from ${first[0].label} to ${first[first.length - 1].label}, best first; choose one to highlight it.`;
  graphStatus(summary, "ok");
}

function showGraph(rest) {
  $("graph").hidden = false;
  $("graph").scrollIntoView({ block: "start" });
  const match = rest.match(/^\/(neighborhood|paths)(?:\?(.*))?$/);
  const params = new URLSearchParams(match ? match[2] || "" : "");
  if (match && match[1] === "paths") showPaths(params); else showNeighborhood(params);
}

function route() {
  const entity = location.hash.match(/^#\/entity\/(.+)$/);
  const graphView = location.hash.match(/^#\/graph(.*)$/);
  const search = location.hash.match(/^#\/search\?(.*)$/);
  const answer = location.hash.match(/^#\/ask\/([a-z0-9_]+)(?:\?(.*))?$/);
  const behind = location.hash.match(/^#\/statements\?(.*)$/);
  for (const id of ["overview", "answer", "entity", "graph"]) $(id).hidden = true;
  if (entity) showEntity(decodeURIComponent(entity[1]));
  else if (search) showSearch(new URLSearchParams(search[1]).get("q") || "");
  else if (graphView) showGraph(graphView[1]);
  else if (answer) showAnswer(answer[1], new URLSearchParams(answer[2] || ""));
  else if (behind) showStatements(new URLSearchParams(behind[1]));
  else if (location.hash === "#/" || location.hash === "") showOverview();
}

function goTo(hash) {
  if (location.hash === hash) route(); else location.hash = hash;
}

document.addEventListener("DOMContentLoaded", () => {
  autocomplete($("search"), $("suggestions"), (entity) => openEntity(entity.id),
    (text) => goTo("#/search?" + new URLSearchParams({ q: text }).toString()));
  autocomplete($("graph-entity"), $("graph-entity-suggestions"), (entity) => {
    setChosen($("graph-entity"), entity);
    goTo(graphHash("neighborhood", { id: entity.id, radius: $("graph-radius").value }));
  });
  autocomplete($("path-source"), $("path-source-suggestions"), (entity) => setChosen($("path-source"), entity));
  autocomplete($("path-target"), $("path-target-suggestions"), (entity) => setChosen($("path-target"), entity));
  $("neighborhood-form").addEventListener("submit", (event) => {
    event.preventDefault();
    goTo(graphHash("neighborhood", { id: chosenKey($("graph-entity")), radius: $("graph-radius").value }));
  });
  $("graph-radius").addEventListener("change", () => {
    if (chosenKey($("graph-entity"))) $("neighborhood-form").requestSubmit();
  });
  $("paths-form").addEventListener("submit", (event) => {
    event.preventDefault();
    goTo(graphHash("paths", {
      source: chosenKey($("path-source")), target: chosenKey($("path-target")), k: $("path-k").value,
      max_length: $("path-max-length").value, min_evidence: $("path-min-evidence").value,
      predicates: selectedValues($("path-predicates")), types: selectedValues($("path-types")),
      directed: $("path-directed").checked ? "true" : "", pattern: $("path-pattern").value.trim(),
    }));
  });
  $("graph-zoom-in").addEventListener("click", () => graph.view && graph.view.zoom(1 / 1.25));
  $("graph-zoom-out").addEventListener("click", () => graph.view && graph.view.zoom(1.25));
  $("graph-fit").addEventListener("click", () => graph.view && graph.view.fit());
  $("graph-png").addEventListener("click", () => msckgGraphView.toPng($("graph-view"), (url) => {
    const link = el("a", { href: url, download: "msckg-graph.png" });
    document.body.append(link);
    link.click();
    link.remove();
  }));
  window.addEventListener("hashchange", route);
  route();
});
