// msckg page: entity search with autocomplete, entity view with evidence, SPARQL editor.
// Every piece of data reaches the page through textContent or attribute setters, never as HTML.
"use strict";

const ENTITY_NS = "https://w3id.org/msckg/id/";
const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value !== null && value !== undefined) node.setAttribute(name, value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function safeUrl(url) {
  return /^https?:\/\//i.test(url || "") ? url : null;
}

function entityLink(term) {
  return el("a", { href: "#/entity/" + encodeURIComponent(term.id), class: "entity-link" }, term.label);
}

async function getJson(url, options) {
  const response = await fetch(url, options);
  const body = await response.json().catch(() => ({ error: "bad_response", detail: response.statusText }));
  return { ok: response.ok, status: response.status, body };
}

// ---- search with autocomplete ----
const search = { timer: null, items: [], active: -1 };

function closeSuggestions() {
  $("suggestions").hidden = true;
  $("search").setAttribute("aria-expanded", "false");
  search.active = -1;
}

function renderSuggestions(results) {
  const list = $("suggestions");
  list.replaceChildren();
  search.items = results;
  search.active = -1;
  results.forEach((entity, position) => {
    const item = el("li", { role: "option", id: "suggestion-" + position, "data-id": entity.id },
      el("span", { class: "label" }, entity.label),
      el("span", { class: "types" }, entity.types.join(", ")));
    item.addEventListener("mousedown", (event) => { event.preventDefault(); openEntity(entity.id); });
    list.append(item);
  });
  if (results.length === 0) list.append(el("li", { class: "empty" }, "no match"));
  list.hidden = false;
  $("search").setAttribute("aria-expanded", "true");
}

async function suggest() {
  const text = $("search").value.trim();
  if (!text) { closeSuggestions(); return; }
  const { ok, body } = await getJson("/api/entities?limit=8&q=" + encodeURIComponent(text));
  if (ok && $("search").value.trim() === text) renderSuggestions(body.results);
}

function moveActive(step) {
  const options = $("suggestions").querySelectorAll("li[role=option]");
  if (options.length === 0) return;
  search.active = (search.active + step + options.length) % options.length;
  options.forEach((option, position) => option.classList.toggle("active", position === search.active));
  $("search").setAttribute("aria-activedescendant", options[search.active].id);
}

function openEntity(id) {
  closeSuggestions();
  location.hash = "#/entity/" + encodeURIComponent(id);
}

// ---- entity view ----
function statementRow(relation, statement) {
  const references = el("td", { class: "references" });
  statement.references.forEach((reference, position) => {
    if (position > 0) references.append(", ");
    const url = safeUrl(reference.url);
    references.append(url ? el("a", { href: url, rel: "noopener noreferrer", target: "_blank" }, reference.label)
                           : reference.label);
  });
  const arrow = relation.direction === "out" ? "\u2192" : "\u2190";
  return el("tr", { class: "relation", "data-direction": relation.direction },
    el("td", { class: "direction", title: relation.direction === "out" ? "this entity is the subject" : "this entity is the object" }, arrow),
    el("td", { class: "predicate" }, relation.predicate.label),
    el("td", { class: "other" }, entityLink(relation.other)),
    el("td", { class: "evidence" }, statement.evidence ? statement.evidence.label : ""),
    el("td", { class: "hedging" }, statement.hedging ? statement.hedging.label : ""),
    el("td", { class: "polarity" }, statement.polarity ? statement.polarity.label : ""),
    references,
    el("td", { class: "locator" }, statement.locator || ""),
    el("td", { class: "paraphrase" }, statement.paraphrase || ""));
}

function renderEntity(entity) {
  const section = $("entity");
  const header = el("header", {},
    el("h2", { id: "entity-label" }, entity.label),
    el("p", { class: "entity-id" }, entity.id, " \u00b7 ", entity.types.map((t) => t.label).join(", ")));
  const facts = el("dl", {});
  if (entity.definition) facts.append(el("dt", {}, "Definition"), el("dd", { class: "definition" }, entity.definition));
  if (entity.synonyms.length) facts.append(el("dt", {}, "Synonyms"), el("dd", { class: "synonyms" }, entity.synonyms.join("; ")));
  if (entity.xrefs.length) {
    const xrefs = el("dd", { class: "xrefs" });
    entity.xrefs.forEach((xref, position) => {
      if (position > 0) xrefs.append(", ");
      const url = safeUrl(xref.iri);
      xrefs.append(url ? el("a", { href: url, rel: "noopener noreferrer", target: "_blank" }, xref.id) : xref.id);
    });
    facts.append(el("dt", {}, "Cross-references"), xrefs);
  }
  if (entity.doi) {
    facts.append(el("dt", {}, "DOI"), el("dd", {},
      el("a", { href: "https://doi.org/" + encodeURI(entity.doi), rel: "noopener noreferrer", target: "_blank" }, entity.doi)));
  }
  const table = el("table", { id: "relations" },
    el("thead", {}, el("tr", {}, ...["", "relation", "entity", "evidence", "hedging", "polarity", "references", "where in the editorial", "statement"].map((h) => el("th", { scope: "col" }, h)))));
  const rows = el("tbody", {});
  for (const relation of entity.relations) {
    for (const statement of relation.statements) rows.append(statementRow(relation, statement));
  }
  table.append(rows);
  const count = entity.relations.reduce((n, r) => n + r.statements.length, 0);
  section.replaceChildren(header, facts, el("h3", {}, `Relations (${count} statements)`),
    count ? table : el("p", {}, "The editorial states no relation about this entity."));
  section.hidden = false;
}

function renderMissing(body) {
  const section = $("entity");
  const list = el("ul", { class: "suggestions-list" });
  for (const entity of body.suggestions || []) list.append(el("li", {}, entityLink(entity)));
  section.replaceChildren(el("h2", {}, "Not found"), el("p", { class: "error" }, body.detail || body.error),
    (body.suggestions || []).length ? el("p", {}, "Did you mean:") : "", list);
  section.hidden = false;
}

async function showEntity(id) {
  const { ok, body } = await getJson("/api/entities/" + encodeURIComponent(id));
  if (ok) renderEntity(body); else renderMissing(body);
  $("entity").scrollIntoView({ block: "start" });
}

function route() {
  const match = location.hash.match(/^#\/entity\/(.+)$/);
  if (match) showEntity(decodeURIComponent(match[1]));
  else if (location.hash === "#/" || location.hash === "") $("entity").hidden = true;
}

// ---- SPARQL editor ----
const editor = { queries: new Map(), loadedText: null };

async function loadExamples() {
  const { ok, body } = await getJson("/api/queries");
  if (!ok) return;
  for (const query of body.queries) {
    editor.queries.set(query.name, query);
    $("examples").append(el("option", { value: query.name }, query.title));
  }
}

function chooseExample() {
  const query = editor.queries.get($("examples").value);
  $("example-question").textContent = query ? query.question : "";
  if (query) {
    $("query").value = query.sparql;
    editor.loadedText = query.sparql;
  }
}

function cell(term) {
  if (!term) return el("td", {});
  if (term.type === "uri") {
    if (term.value.startsWith(ENTITY_NS)) {
      const id = "ent:" + term.value.slice(ENTITY_NS.length);
      return el("td", {}, el("a", { href: "#/entity/" + encodeURIComponent(id) }, id));
    }
    return el("td", { class: "iri" }, term.value);
  }
  return el("td", {}, term.value);
}

function renderResults(body, contentType) {
  const target = $("results");
  if (contentType.includes("ld+json")) {
    target.replaceChildren(el("pre", {}, JSON.stringify(body, null, 2)));
    return 0;
  }
  if (typeof body.boolean === "boolean") {
    target.replaceChildren(el("p", { class: "boolean" }, String(body.boolean)));
    return 1;
  }
  const variables = body.head.vars;
  const table = el("table", { id: "results-table" },
    el("thead", {}, el("tr", {}, ...variables.map((v) => el("th", { scope: "col" }, v)))));
  const rows = el("tbody", {});
  for (const binding of body.results.bindings) {
    rows.append(el("tr", {}, ...variables.map((v) => cell(binding[v]))));
  }
  table.append(rows);
  target.replaceChildren(table);
  return body.results.bindings.length;
}

async function runQuery() {
  const text = $("query").value;
  const name = $("examples").value;
  const accept = "application/sparql-results+json, application/ld+json;q=0.9";
  $("status").textContent = "running\u2026";
  const started = performance.now();
  const response = name && text === editor.loadedText
    ? await fetch("/api/queries/" + encodeURIComponent(name), { headers: { Accept: accept } })
    : await fetch("/sparql", { method: "POST", headers: { Accept: accept }, body: new URLSearchParams({ query: text }) });
  const body = await response.json().catch(() => null);
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  if (!response.ok || body === null) {
    $("results").replaceChildren();
    $("status").textContent = `error ${response.status}: ${body ? body.detail || body.error : response.statusText}`;
    $("status").className = "error";
    return;
  }
  const rows = renderResults(body, response.headers.get("Content-Type") || "");
  const truncated = response.headers.get("X-Msckg-Truncated") ? " (cut at the row limit)" : "";
  $("status").textContent = `${rows} row(s) in ${seconds} s${truncated}`;
  $("status").className = "ok";
}

document.addEventListener("DOMContentLoaded", () => {
  const input = $("search");
  input.addEventListener("input", () => { clearTimeout(search.timer); search.timer = setTimeout(suggest, 120); });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown") { moveActive(1); event.preventDefault(); }
    else if (event.key === "ArrowUp") { moveActive(-1); event.preventDefault(); }
    else if (event.key === "Escape") closeSuggestions();
    else if (event.key === "Enter") {
      const chosen = search.items[Math.max(search.active, 0)];
      if (chosen) openEntity(chosen.id);
      event.preventDefault();
    }
  });
  input.addEventListener("blur", () => setTimeout(closeSuggestions, 150));
  $("examples").addEventListener("change", chooseExample);
  $("run").addEventListener("click", runQuery);
  window.addEventListener("hashchange", route);
  loadExamples();
  route();
});
