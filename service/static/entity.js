// msckg page, entity view: who says it (the source), how to read evidence, hedging and locators,
// and an entity's relations read from its own side ("secreted by", not "<- secretes"), grouped,
// sortable and filterable, with the negative findings set apart. Data from the REST API only.
"use strict";

// ---- facts about the graph, read once from its named queries ----
const facts = { source: null, scale: null, typeLabels: null };

function bindingValues(body) {
  return body.results.bindings.map((row) =>
    Object.fromEntries(Object.entries(row).map(([name, term]) => [name, term.value])));
}

async function namedRows(name, params) {
  const query = params ? "?" + new URLSearchParams(params).toString() : "";
  const { ok, body } = await getJson("/api/queries/" + encodeURIComponent(name) + query,
    { headers: { Accept: "application/sparql-results+json" } });
  return ok ? bindingValues(body) : [];
}

// The work the statements come from (the one with most statements) and the graph's counts.
async function graphSource() {
  if (facts.source === null) facts.source = (await namedRows("source_summary"))[0] || {};
  return facts.source;
}

// Every evidence context, hedging level and polarity with its rank, definition and statements,
// keyed by the term's local name (the API gives CURIEs, SPARQL results give IRIs).
async function evidenceScale() {
  if (facts.scale === null) {
    facts.scale = new Map((await namedRows("evidence_scale")).map((row) => [localName(row.term), row]));
  }
  return facts.scale;
}

// Class CURIE -> label, for every class in the graph (publications included).
async function typeLabels() {
  if (facts.typeLabels === null) {
    const { ok, body } = await getJson("/api/stats");
    facts.typeLabels = new Map(ok ? body.classes.map((c) => [c.id, c.label || localName(c.id)]) : []);
  }
  return facts.typeLabels;
}

function localName(idOrIri) {
  return String(idOrIri || "").split(/[/#:]/).pop();
}

function typeLabel(labels, curie) {
  return labels.get(curie) || localName(curie).replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
}

function doiLink(doi, text, title) {
  return el("a", { href: "https://doi.org/" + encodeURI(doi), rel: "noopener noreferrer", target: "_blank", title }, text);
}

function sourceLine(source) {
  if (!source.label) return el("p", { class: "source-line" });
  return el("p", { class: "source-line" }, "Every statement here paraphrases the editorial ",
    source.doi ? doiLink(source.doi, source.label, source.title) : source.label,
    source.title ? el("cite", {}, ` \u201c${source.title}\u201d`) : "",
    source.journal ? ` (${source.journal}${source.year ? ", " + source.year : ""})` : "",
    `. The graph holds ${source.entities} entities and ${source.statements} statements, citing ${source.works} works.`);
}

// "introduction/p2/s3" -> "introduction, paragraph 2, sentence 3"
function readLocator(locator) {
  const match = /^([a-z]+)\/p(\d+)\/s(\d+)$/.exec(locator || "");
  return match ? `${match[1]}, paragraph ${match[2]}, sentence ${match[3]}` : locator;
}

function locatorLink(locator, source) {
  if (!locator) return "";
  const where = `${readLocator(locator)} of ${source.label || "the editorial"}`;
  return source.doi ? doiLink(source.doi, locator, where) : el("span", { title: where }, locator);
}

function readingGuide(scale, source) {
  const rows = (name) => [...scale.values()].filter((row) => row.scale === name);
  const list = (name, ranked) => el("dl", { class: "scale" }, ...rows(name).flatMap((row) => [
    el("dt", {}, row.label, ranked && row.rank ? el("span", { class: "rank" }, ` rank ${row.rank}`) : ""),
    el("dd", {}, row.definition, el("span", { class: "count" }, ` (${row.statements} statements)`))]));
  return el("details", { class: "reading-guide", id: "reading-guide" },
    el("summary", {}, "How to read evidence, hedging and locators"),
    el("h4", {}, "Evidence context: what a claim rests on, strongest first"),
    list("evidence", true),
    el("h4", {}, "Hedging: how firmly the editorial words it"),
    list("hedging", true),
    el("h4", {}, "Polarity"),
    list("polarity", false),
    el("h4", {}, "Where in the editorial"),
    el("p", {}, "A locator such as ", el("code", {}, "introduction/p2/s3"),
      " names the section, the paragraph and the sentence (counted from 1) the statement paraphrases. ",
      "Each locator links to the editorial",
      source.doi ? [" (", doiLink(source.doi, "doi:" + source.doi), ")"] : "",
      "; its text is not copied here."));
}

// ---- the relations table ----
const TABLE_COLUMNS = [
  { key: "relation", title: "relation" },
  { key: "other", title: "entity" },
  { key: "statement", title: "statement" },
  { key: "evidence", title: "evidence" },
  { key: "hedging", title: "hedging" },
  { key: "locator", title: "where in the editorial" },
  { key: "references", title: "references" },
];

// One flat row per statement, with what sorting, grouping and filtering need.
function relationRows(entity, scale) {
  const rows = [];
  for (const relation of entity.relations) {
    const reads = relation.direction === "out" ? relation.predicate.label
      : relation.predicate.inverse_label || `(is the object of) ${relation.predicate.label}`;
    for (const statement of relation.statements) {
      const evidence = scale.get(localName(statement.evidence && statement.evidence.id)) || {};
      const hedging = scale.get(localName(statement.hedging && statement.hedging.id)) || {};
      rows.push({
        relation, statement, reads,
        negative: localName(statement.polarity && statement.polarity.id) === "Negative",
        evidenceRank: Number(evidence.rank || 0), hedgingRank: Number(hedging.rank || 0),
        evidenceDefinition: evidence.definition, hedgingDefinition: hedging.definition,
      });
    }
  }
  return rows;
}

const SORTS = {
  relation: (a, b) => a.reads.localeCompare(b.reads) || a.relation.other.label.localeCompare(b.relation.other.label),
  other: (a, b) => a.relation.other.label.localeCompare(b.relation.other.label),
  statement: (a, b) => (a.statement.paraphrase || "").localeCompare(b.statement.paraphrase || ""),
  evidence: (a, b) => b.evidenceRank - a.evidenceRank || SORTS.relation(a, b),
  hedging: (a, b) => b.hedgingRank - a.hedgingRank || SORTS.relation(a, b),
  locator: (a, b) => (a.statement.locator || "").localeCompare(b.statement.locator || "", undefined, { numeric: true }),
  references: (a, b) => b.statement.references.length - a.statement.references.length,
};

const GROUPS = {
  relation: { label: "relation", key: (row) => row.reads },
  evidence: { label: "evidence", key: (row) => row.statement.evidence ? row.statement.evidence.label : "" },
  none: { label: "no grouping", key: () => "" },
};

function relationRow(row, source) {
  const { relation, statement } = row;
  const references = el("td", { class: "references" });
  statement.references.forEach((reference, position) => {
    if (position > 0) references.append(", ");
    const url = safeUrl(reference.url);
    references.append(url ? el("a", { href: url, rel: "noopener noreferrer", target: "_blank" }, reference.label)
                           : reference.label);
  });
  return el("tr", { class: row.negative ? "relation negative" : "relation", "data-direction": relation.direction,
                    "data-statement": statement.id },
    el("td", { class: "predicate" }, row.reads),
    el("td", { class: "other" }, entityLink(relation.other)),
    el("td", { class: "paraphrase" }, row.negative ? el("strong", { class: "not-badge" }, "does not hold (yet): ") : "",
      statement.paraphrase || ""),
    el("td", { class: "evidence", title: row.evidenceDefinition || "" }, statement.evidence ? statement.evidence.label : ""),
    el("td", { class: "hedging", title: row.hedgingDefinition || "" }, statement.hedging ? statement.hedging.label : ""),
    el("td", { class: "locator" }, locatorLink(statement.locator, source)),
    references);
}

function relationsTable(rows, source) {
  const state = { sort: "relation", group: rows.length > 12 ? "relation" : "none", filter: "", evidence: "" };
  const table = el("table", { id: "relations", class: "relations" });
  const count = el("span", { class: "shown", role: "status" });
  const head = el("tr", {});
  for (const column of TABLE_COLUMNS) {
    const button = el("button", { type: "button", class: "sort", "data-sort": column.key }, column.title);
    button.addEventListener("click", () => { state.sort = column.key; draw(); });
    head.append(el("th", { scope: "col", class: "col-" + column.key }, button));
  }
  table.append(el("thead", {}, head));
  const draw = () => {
    const words = state.filter.toLowerCase();
    const shown = rows.filter((row) => (!state.evidence || row.evidenceRank >= Number(state.evidence)) &&
      (!words || [row.reads, row.relation.other.label, row.statement.paraphrase || "",
                  row.statement.evidence ? row.statement.evidence.label : ""].join(" ").toLowerCase().includes(words)));
    shown.sort(SORTS[state.sort]);
    const groups = new Map();
    for (const row of shown) {
      const key = GROUPS[state.group].key(row);
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(row);
    }
    const keys = [...groups.keys()];
    if (state.group === "relation") keys.sort((a, b) => a.localeCompare(b));
    if (state.group === "evidence") keys.sort((a, b) => groups.get(b)[0].evidenceRank - groups.get(a)[0].evidenceRank);
    table.querySelectorAll("tbody").forEach((body) => body.remove());
    for (const key of keys) {
      const body = el("tbody", {});
      if (state.group !== "none") {
        body.append(el("tr", { class: "group" }, el("th", { colspan: String(TABLE_COLUMNS.length), scope: "rowgroup" },
          key || "(none)", el("span", { class: "count" }, ` (${groups.get(key).length})`))));
      }
      for (const row of groups.get(key)) body.append(relationRow(row, source));
      table.append(body);
    }
    head.querySelectorAll("th").forEach((th, index) =>
      th.setAttribute("aria-sort", TABLE_COLUMNS[index].key === state.sort ? "ascending" : "none"));
    count.textContent = `${shown.length} of ${rows.length} statements shown`;
  };
  const filter = el("input", { type: "search", id: "relations-filter", placeholder: "words in relation, entity or statement" });
  filter.addEventListener("input", () => { state.filter = filter.value.trim(); draw(); });
  const evidence = el("select", { id: "relations-evidence" }, el("option", { value: "" }, "any"),
    ...[4, 3, 2].map((rank) => el("option", { value: String(rank) }, `rank ${rank} or stronger`)));
  evidence.addEventListener("change", () => { state.evidence = evidence.value; draw(); });
  const group = el("select", { id: "relations-group" },
    ...Object.entries(GROUPS).map(([key, g]) => el("option", { value: key }, g.label)));
  group.value = state.group;
  group.addEventListener("change", () => { state.group = group.value; draw(); });
  const tools = el("div", { class: "table-tools" },
    el("div", {}, el("label", { for: "relations-filter" }, "Filter"), filter),
    el("div", {}, el("label", { for: "relations-evidence" }, "Evidence"), evidence),
    el("div", {}, el("label", { for: "relations-group" }, "Group by"), group),
    count);
  draw();
  return [tools, el("div", { class: "table-scroll" }, table)];
}

function negativeFindings(rows, entity) {
  const negatives = rows.filter((row) => row.negative);
  if (!negatives.length) return null;
  return el("aside", { class: "negative-findings", id: "negative-findings", "aria-labelledby": "negative-title" },
    el("h3", { id: "negative-title" }, "Said not to hold (yet)"),
    el("ul", {}, ...negatives.map((row) => el("li", { "data-statement": row.statement.id },
      // Read forwards (subject, relation, object), which is how the editorial denies it.
      ...(row.relation.direction === "out"
        ? [el("strong", {}, entity.label), ` ${row.relation.predicate.label} `, entityLink(row.relation.other)]
        : [entityLink(row.relation.other), ` ${row.relation.predicate.label} `, el("strong", {}, entity.label)]),
      el("span", { class: "not-badge" }, " — not (yet)"), ": ", row.statement.paraphrase || "",
      el("span", { class: "meta" }, ` (${row.statement.evidence ? row.statement.evidence.label : ""}, ${row.statement.hedging ? row.statement.hedging.label : ""})`)))));
}

function supportedTable(statements, source) {
  const table = el("table", { id: "supports" },
    el("thead", {}, el("tr", {}, ...["subject", "relation", "object", "statement", "evidence", "hedging", "polarity", "where in the editorial"].map((h) => el("th", { scope: "col" }, h)))));
  const rows = el("tbody", {});
  for (const statement of statements) {
    rows.append(el("tr", { class: "supported", "data-statement": statement.id },
      el("td", { class: "subject" }, entityLink(statement.subject)),
      el("td", { class: "predicate" }, statement.predicate.label),
      el("td", { class: "object" }, entityLink(statement.object)),
      el("td", { class: "paraphrase" }, statement.paraphrase || ""),
      el("td", { class: "evidence" }, statement.evidence ? statement.evidence.label : ""),
      el("td", { class: "hedging" }, statement.hedging ? statement.hedging.label : ""),
      el("td", { class: "polarity" }, statement.polarity ? statement.polarity.label : ""),
      el("td", { class: "locator" }, locatorLink(statement.locator, source))));
  }
  table.append(rows);
  return el("div", { class: "table-scroll" }, table);
}

function pathsFrom(entity) {
  const link = el("a", { href: graphHash("paths", { source: entity.id }) }, "Find paths from it");
  link.addEventListener("click", () => setChosen($("path-source"), entity));
  return link;
}

function entityFacts(entity) {
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
  if (entity.doi) facts.append(el("dt", {}, "DOI"), el("dd", {}, doiLink(entity.doi, entity.doi)));
  return facts;
}

async function renderEntity(entity) {
  const [source, scale] = await Promise.all([graphSource(), evidenceScale()]);
  const section = $("entity");
  const header = el("header", {},
    el("h2", { id: "entity-label" }, entity.label),
    el("p", { class: "entity-types" }, ...entity.types.map((t) => el("span", { class: "type-badge", "data-type": t.id }, t.label)),
      el("span", { class: "entity-id" }, entity.id)),
    el("p", { class: "entity-actions" },
      el("a", { href: graphHash("neighborhood", { id: entity.id, radius: 1 }), id: "entity-graph-link" }, "Show its neighborhood in the graph view"),
      " \u00b7 ",
      pathsFrom(entity)));
  const rows = relationRows(entity, scale);
  const parts = [header, entityFacts(entity), sourceLine(source)];
  // A work is rarely the subject of a claim; what it supports is what a reader wants to see.
  if (rows.length || !entity.supports.length) {
    const negatives = negativeFindings(rows, entity);
    if (negatives) parts.push(negatives);
    parts.push(el("h3", {}, `Relations (${rows.length} statements)`));
    if (rows.length) parts.push(...relationsTable(rows, source));
    else parts.push(el("p", {}, "The editorial states no relation about this entity."));
  }
  if (entity.supports.length) {
    parts.push(el("h3", {}, `Statements this work supports (${entity.supports.length})`), supportedTable(entity.supports, source));
  }
  parts.push(readingGuide(scale, source));
  section.replaceChildren(...parts);
  section.dataset.entity = entity.id;
  section.hidden = false;
}

function renderMissing(body) {
  const section = $("entity");
  const list = el("ul", { class: "suggestions-list" });
  for (const entity of (body.suggestions || []).map(asEntity)) list.append(el("li", {}, entityLink(entity)));
  section.replaceChildren(el("h2", {}, "Not found"), el("p", { class: "error" }, body.detail || body.error),
    (body.suggestions || []).length ? el("p", {}, "Did you mean:") : "", list);
  delete section.dataset.entity;
  section.hidden = false;
}

async function showEntity(id) {
  const { ok, body } = await getJson("/api/entities/" + encodeURIComponent(id));
  if (ok) await renderEntity(body); else renderMissing(body);
  $("entity").scrollIntoView({ block: "start" });
  const heading = $("entity").querySelector("h2");
  heading.setAttribute("tabindex", "-1");
  heading.focus({ preventScroll: true });
}

// ---- every match of a search, past the suggestions' first few ----
async function showSearch(text) {
  const [{ ok, body }, labels] = await Promise.all([
    getJson("/api/entities?limit=100&q=" + encodeURIComponent(text)), typeLabels()]);
  const section = $("entity");
  const results = ok ? body.results : [];
  section.replaceChildren(el("h2", { id: "search-title" }, `Entities matching \u201c${text}\u201d`),
    el("p", {}, ok ? `${results.length} match(es).` : body.detail || body.error),
    el("ul", { class: "search-results" }, ...results.map((entity) => el("li", {}, entityLink(entity),
      el("span", { class: "types" }, " \u00b7 " + entity.types.map((t) => typeLabel(labels, t)).join(", "))))));
  delete section.dataset.entity;
  section.hidden = false;
}
