// msckg page: the SPARQL editor. YASGUI's query editor (Yasqe) and result viewer (Yasr) come from
// npm @zazuko/yasgui, vendored by `make editor`; this file ties them to this server only:
// - autocompletion of prefixes, classes, properties and entities from /sparql and /api/entities
//   (YASGUI's own completers ask prefix.cc and LOV, which the page never contacts);
// - the named queries of /api/queries as examples, with a field per parameter, run through
//   /api/queries/<name> so the server binds the values as terms;
// - permalinks (#/sparql?query=... or #/sparql?named=...&param=value) that run when opened;
// - result cells: entities open their page, DOIs link to doi.org, other IRIs are shortened;
// - two more result views: a bar chart where a column counts things, a graph where rows are triples.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const section = $("sparql");
  const PREFIXES = JSON.parse(section.dataset.prefixes);
  // One Accept for every form: the server picks JSON results for SELECT/ASK, N-Triples for
  // CONSTRUCT/DESCRIBE (which Yasr parses into subject/predicate/object rows).
  const ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, application/ld+json;q=0.8";
  // The same header line as the server's parser reads (queries/__init__.py, _HEADER and _PARAM).
  const PARAM_LINE = /^#\s*param:\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:=\s*([^|]*?))?\s*\|\s*(.*)$/;
  const DOI = /^(?:https?:\/\/(?:dx\.)?doi\.org\/|doi:)?(10\.\d{4,9}\/\S+)$/i;
  const PERMALINK = /^#\/sparql(?:\?(.*))?$/;
  const RDFS_LABEL = PREFIXES.rdfs + "label";
  const DEFAULT_QUERY = "SELECT ?entity ?label WHERE {\n  ?entity a msckg:GrowthFactor ; rdfs:label ?label .\n}\nORDER BY ?label\n";

  const state = { queries: new Map(), named: null, syncing: false, vocabulary: null };
  const labels = new Map(); // CURIE -> label: shown next to suggestions, on chart bars, graph nodes

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value !== null && value !== undefined) node.setAttribute(name, value);
    }
    for (const child of children) if (child !== null && child !== undefined) node.append(child);
    return node;
  }

  // Yasr's table renders cells from HTML strings; every value goes through this first.
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  }

  function status(text, className) {
    $("status").textContent = text;
    $("status").className = className || "";
  }

  // ---- terms: CURIEs from the predeclared prefixes ----
  function curie(iri) {
    let best = null;
    for (const [prefix, namespace] of Object.entries(PREFIXES)) {
      if (iri.startsWith(namespace) && (!best || namespace.length > best[1].length)) best = [prefix, namespace];
    }
    const local = best && iri.slice(best[1].length);
    return best && /^[A-Za-z0-9_.-]*$/.test(local) ? best[0] + ":" + local : null;
  }

  function expand(text) {
    const colon = text.indexOf(":");
    const namespace = colon > 0 ? PREFIXES[text.slice(0, colon)] : undefined;
    return namespace === undefined ? null : namespace + text.slice(colon + 1);
  }

  function doiOf(value) {
    const match = DOI.exec(String(value).trim());
    return match ? match[1] : null;
  }

  function doiLink(doi) {
    return `<a class="doi" href="https://doi.org/${escapeHtml(encodeURI(doi))}" target="_blank" rel="noopener noreferrer">doi:${escapeHtml(doi)}</a>`;
  }

  // A result cell: an entity opens its page here; a DOI links to doi.org; other IRIs are shown
  // as CURIEs (the full IRI as their title) and never break mid-word; literals are text.
  function cellHtml(term) {
    if (term.type === "uri") {
      const short = curie(term.value);
      const doi = doiOf(term.value);
      if (doi) return doiLink(doi);
      if (short && short.startsWith("ent:")) {
        return `<a class="entity" href="#/entity/${escapeHtml(encodeURIComponent(short))}" title="${escapeHtml(term.value)}">${escapeHtml(short)}</a>`;
      }
      const shown = short || "<" + term.value + ">";
      return `<a class="iri" href="${escapeHtml(term.value)}" title="${escapeHtml(term.value)}" target="_blank" rel="noopener noreferrer">${escapeHtml(shown)}</a>`;
    }
    const doi = doiOf(term.value);
    if (doi) return doiLink(doi);
    return `<span class="literal">${escapeHtml(term.value)}</span>`;
  }

  // ---- Yasr: the table (our cells) plus the views YASGUI ships (raw response) ----
  class Table extends Yasr.plugins.table {
    getCellContent(term) {
      return `<div>${cellHtml(term)}</div>`;
    }

    // Searching and sorting read the plain value: the library would run it through an HTML
    // sanitizer, which parses it as markup (and trips the Content Security Policy on any
    // onerror= inside a literal, though nothing runs).
    getColumns() {
      const columns = super.getColumns();
      for (const column of columns.slice(1)) {
        column.render = (term, kind) => {
          if (term === "") return term;
          return kind === "filter" || kind === "sort" || !kind ? term.value : this.getCellContent(term);
        };
      }
      return columns;
    }
  }
  Yasr.registerPlugin("table", Table);

  // ---- Yasr views of our own: a chart where a result counts things, a graph where it is triples ----
  const SVG_NS = "http://www.w3.org/2000/svg";
  const NUMERIC = /#(integer|decimal|double|float|long|int|short|nonNegativeInteger|positiveInteger)$/;

  function svgEl(tag, attrs, parent) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, String(value));
    if (parent) parent.append(node);
    return node;
  }

  function icon(letter) {
    const svg = svgEl("svg", { viewBox: "0 0 16 16", width: 15, height: 15, "aria-hidden": "true" });
    svgEl("text", { x: 8, y: 12.5, "text-anchor": "middle", "font-size": 13, "font-weight": 700 }, svg).textContent = letter;
    return svg;
  }

  function shown(term) {
    if (!term) return "";
    if (term.type === "uri") return labels.get(curie(term.value)) || curie(term.value) || term.value;
    return term.value;
  }

  // A bar per row: the first column whose every value is a number, labelled by the first column
  // of names, else of IRIs (e.g. count_by_class, evidence_profile).
  class ChartView {
    constructor(yasr) {
      this.yasr = yasr;
      this.label = "Chart";
      this.priority = 3;
    }

    columns() {
      const results = this.yasr.results;
      const rows = results && results.getBindings();
      if (!rows || rows.length === 0 || rows.length > 60) return null;
      const numeric = (v) => rows.every((row) => row[v] && row[v].type !== "uri" && (NUMERIC.test(row[v].datatype || "") || row[v].datatype === undefined && row[v].value !== "" && !Number.isNaN(Number(row[v].value))));
      const variables = results.getVariables();
      const value = variables.find(numeric);
      const text = (v) => v !== value && !numeric(v);
      // a column of names (?label) reads better than one of IRIs (?class)
      const label = variables.find((v) => text(v) && rows.every((row) => row[v] && row[v].type !== "uri")) || variables.find(text);
      return value && label ? { rows, value, label } : null;
    }

    canHandleResults() {
      return this.columns() !== null;
    }

    getIcon() {
      return icon("\u2261");
    }

    draw() {
      const { rows, value, label } = this.columns();
      const max = Math.max(...rows.map((row) => Number(row[value].value)), 1);
      const barHeight = 22, labelWidth = 300, barWidth = 520;
      const svg = svgEl("svg", {
        class: "chart", role: "img", width: labelWidth + barWidth + 60, height: rows.length * barHeight + 30,
        "aria-label": `${value} by ${label}`,
      });
      svgEl("text", { x: labelWidth, y: 14, class: "axis" }, svg).textContent = `${value} (0 to ${max})`;
      rows.forEach((row, index) => {
        const y = 22 + index * barHeight;
        const amount = Number(row[value].value);
        const bar = svgEl("g", { class: "bar" }, svg);
        svgEl("text", { x: labelWidth - 8, y: y + 15, "text-anchor": "end" }, bar).textContent = shown(row[label]).slice(0, 48);
        svgEl("rect", { x: labelWidth, y: y + 3, height: barHeight - 6, width: Math.max((amount / max) * barWidth, 1) }, bar);
        svgEl("text", { x: labelWidth + (amount / max) * barWidth + 6, y: y + 15, class: "amount" }, bar).textContent = row[value].value;
        svgEl("title", {}, bar).textContent = `${shown(row[label])}: ${row[value].value}`;
      });
      this.yasr.resultsEl.append(svg);
    }
  }

  // Subject-predicate-object rows (a CONSTRUCT or DESCRIBE, or a SELECT of ?subject ?predicate
  // ?object) drawn by the page's graph renderer; rdfs:label triples name the nodes.
  class GraphView {
    constructor(yasr) {
      this.yasr = yasr;
      this.label = "Graph";
      this.priority = 2;
    }

    graph() {
      const results = this.yasr.results;
      const rows = results && results.getBindings();
      if (!rows || !window.msckgGraphView) return null;
      const variables = results.getVariables();
      const names = ["subject", "predicate", "object"].every((v) => variables.includes(v)) ? ["subject", "predicate", "object"]
        : ["s", "p", "o"].every((v) => variables.includes(v)) ? ["s", "p", "o"] : null;
      if (!names) return null;
      const [s, p, o] = names;
      const nodes = new Map(), edges = new Map();
      const node = (term) => {
        if (!nodes.has(term.value)) {
          const short = curie(term.value) || term.value;
          nodes.set(term.value, { id: short, label: labels.get(short) || short, type: "", type_label: "", colour: "#9ab8d8" });
        }
        return nodes.get(term.value);
      };
      for (const row of rows) {
        if (!row[s] || !row[p] || !row[o] || row[s].type === "literal") continue;
        if (row[p].value === RDFS_LABEL && row[o].type === "literal") { node(row[s]).label = row[o].value; continue; }
        if (row[o].type !== "uri") continue;
        const from = node(row[s]), to = node(row[o]);
        const predicate = curie(row[p].value) || row[p].value;
        const id = `${from.id}|${predicate}|${to.id}`;
        edges.set(id, { id, source: from.id, target: to.id, predicate, label: predicate.replace(/^[^:]*:/, ""), statements: [] });
      }
      if (edges.size === 0 || nodes.size > 300) return null;
      return { nodes: [...nodes.values()].filter((n) => [...edges.values()].some((e) => e.source === n.id || e.target === n.id)), edges: [...edges.values()] };
    }

    canHandleResults() {
      return this.graph() !== null;
    }

    getIcon() {
      return icon("\u25cb");
    }

    draw() {
      const data = this.graph();
      const svg = svgEl("svg", { class: "result-graph", role: "group", "aria-label": `graph of ${data.nodes.length} nodes` });
      this.yasr.resultsEl.append(svg);
      window.msckgGraphView.draw(svg, data, {
        width: 900, height: 480, edgeLabels: data.edges.length <= 24,
        onNode: (node) => { if (node.id.startsWith("ent:")) location.hash = "#/entity/" + encodeURIComponent(node.id); },
      });
    }
  }
  Yasr.registerPlugin("chart", ChartView);
  Yasr.registerPlugin("graph", GraphView);

  // ---- autocompletion, from this server only ----
  const VOCABULARY_QUERY = `SELECT DISTINCT ?term ?kind (SAMPLE(?name) AS ?label) WHERE {
  { ?term a owl:Class . BIND("class" AS ?kind) }
  UNION { ?x a ?term . BIND("class" AS ?kind) }
  UNION { GRAPH ?g { ?s ?term ?o } BIND("property" AS ?kind) }
  UNION { ?term a ?propertyType . VALUES ?propertyType { owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty rdf:Property } BIND("property" AS ?kind) }
  UNION { GRAPH graph:asserted { ?term rdfs:label ?any } FILTER(STRSTARTS(STR(?term), STR(ent:))) BIND("entity" AS ?kind) }
  FILTER(isIRI(?term))
  OPTIONAL { ?term rdfs:label ?name }
} GROUP BY ?term ?kind`;

  // Every class, property and entity the graph uses, asked once of /sparql and kept.
  async function vocabulary() {
    if (!state.vocabulary) {
      state.vocabulary = fetch("/sparql", {
        method: "POST",
        headers: { Accept: "application/sparql-results+json" },
        body: new URLSearchParams({ query: VOCABULARY_QUERY }),
      }).then((response) => (response.ok ? response.json() : { results: { bindings: [] } }))
        .then((body) => {
          const terms = { class: new Map(), property: new Map(), entity: new Map() };
          for (const row of body.results.bindings) {
            const short = curie(row.term.value);
            if (short) terms[row.kind.value].set(short, row.label ? row.label.value : "");
          }
          return terms;
        });
    }
    return state.vocabulary;
  }


  // Terms whose CURIE starts with what was typed, then those with a label word that does
  // (ent:tnf finds ent:TNF_alpha; ent:asherman finds ent:asherman_syndrome, "Asherman's syndrome").
  function matching(terms, typed) {
    const text = typed.toLowerCase();
    const prefix = text.slice(0, text.indexOf(":") + 1);
    const words = text.slice(prefix.length).replace(/_/g, " ").trim();
    const byId = [], byLabel = [];
    for (const [term, label] of terms) {
      const lower = term.toLowerCase();
      if (lower.startsWith(text)) byId.push(term);
      else if (words && lower.startsWith(prefix) && (" " + label.toLowerCase()).includes(" " + words)) byLabel.push(term);
      else continue;
      labels.set(term, label);
    }
    return [...byId.sort(), ...byLabel.sort()];
  }

  function withLabels(_yasqe, hints) {
    for (const hint of hints) {
      const label = labels.get(hint.text);
      if (label && label !== hint.text) hint.displayText = `${hint.text}  \u2014 ${label}`;
    }
    return hints;
  }

  function termCompleter(name, kind, base) {
    Yasqe.forkAutocompleter(base, {
      name,
      get: async (_yasqe, token) => matching((await vocabulary())[kind], token.string),
      preProcessToken: (_yasqe, token) => token,
      postProcessSuggestion: (_yasqe, _token, suggestion) => suggestion,
      postprocessHints: withLabels,
      bulk: false,
      autoShow: true,
    });
  }

  function registerCompleters() {
    // Prefixes: the server's predeclared ones, never prefix.cc; no automatic PREFIX lines either.
    Yasqe.forkAutocompleter("prefixes", {
      name: "msckg-prefixes",
      onInitialize: undefined,
      persistenceId: null,
      get: () => Object.entries(PREFIXES).map(([prefix, iri]) => `${prefix}: <${iri}>`).sort(),
    });
    termCompleter("msckg-properties", "property", "property");
    termCompleter("msckg-classes", "class", "class");
    // Entities: a CURIE starting with ent: anywhere but in the predicate position.
    Yasqe.registerAutocompleter({
      name: "msckg-entities",
      isValidCompletionPosition: (yasqe) => {
        const token = yasqe.getCompleteToken();
        return /^ent:/i.test(token.string) && token.state.possibleCurrent.indexOf("a") < 0;
      },
      get: async (_yasqe, token) => {
        const typed = token.string;
        const known = matching((await vocabulary()).entity, typed);
        // The REST search also matches synonyms (TNF-alpha for TNF-\u03b1).
        const words = typed.slice(4).replace(/_/g, " ").trim();
        if (words.length >= 2) {
          const response = await fetch("/api/entities?limit=20&q=" + encodeURIComponent(words));
          if (response.ok) {
            for (const found of (await response.json()).results) {
              if (found.id.startsWith("ent:") && !known.includes(found.id)) {
                known.push(found.id);
                labels.set(found.id, found.label);
              }
            }
          }
        }
        return known;
      },
      postprocessHints: withLabels,
      bulk: false,
      autoShow: true,
    }, false);
  }

  // ---- named queries and their parameters ----
  function paramLines(text) {
    const found = new Map();
    for (const line of text.split("\n")) {
      const match = PARAM_LINE.exec(line);
      if (match) found.set(match[1], (match[2] || "").trim());
    }
    return found;
  }

  // The text without its "# param:" lines: a named query whose body is unchanged can still be
  // run by name with new values; one whose body was edited cannot.
  function body(text) {
    return text.split("\n").filter((line) => !PARAM_LINE.test(line)).join("\n").trim();
  }

  function paramField(param) {
    const id = "param-" + param.name;
    const input = el("input", {
      id, type: "search", spellcheck: "false", autocomplete: "off", "data-param": param.name,
      placeholder: param.default || "", list: id + "-options",
    });
    input.value = param.default || "";
    const options = el("datalist", { id: id + "-options" });
    let timer = null;
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => suggestFor(input, options), 120);
      writeParamLine(param.name, input.value.trim());
      $("permalink").href = permalink();
    });
    return el("div", { class: "param" },
      el("label", { for: id }, "?" + param.name, el("span", { class: "hint" }, " \u2014 " + param.description)),
      input, options);
  }

  // Entity suggestions for a parameter field: the REST search, offered as CURIEs with labels.
  async function suggestFor(input, options) {
    const text = input.value.trim();
    if (text.length < 2 || /^ent:\S+$/.test(text) && labels.has(text)) return;
    const response = await fetch("/api/entities?limit=12&q=" + encodeURIComponent(text.replace(/^ent:/, "").replace(/_/g, " ")));
    if (!response.ok || input.value.trim() !== text) return;
    options.replaceChildren(...(await response.json()).results.map((found) => {
      labels.set(found.id, found.label);
      return el("option", { value: found.id }, found.label);
    }));
  }

  // Keep the "# param:" line in the editor saying what the field says (and the other way round
  // in syncFieldsFromText), so neither can silently disagree with what runs.
  function writeParamLine(name, value) {
    const doc = yasqe.getDoc();
    for (let line = 0; line < doc.lineCount(); line++) {
      const text = doc.getLine(line);
      const match = PARAM_LINE.exec(text);
      if (!match || match[1] !== name) continue;
      const rewritten = `# param: ${name} = ${value} | ${match[3]}`;
      if (rewritten === text) return;
      state.syncing = true;
      doc.replaceRange(rewritten, { line, ch: 0 }, { line, ch: text.length });
      state.syncing = false;
      return;
    }
  }

  function syncFieldsFromText() {
    if (state.syncing || !state.named) return;
    for (const [name, value] of paramLines(yasqe.getValue())) {
      const input = $("param-" + name);
      if (input && value && input.value.trim() !== value) input.value = value;
    }
  }

  function showNamed(query) {
    state.named = query;
    $("example-question").textContent = query ? query.question : "";
    const fieldset = $("query-params");
    fieldset.replaceChildren(el("legend", {}, "Parameters"));
    fieldset.hidden = !query || query.params.length === 0;
    if (query) for (const param of query.params) fieldset.append(paramField(param));
  }

  function chooseNamed(name, values) {
    const query = state.queries.get(name) || null;
    $("examples").value = query ? name : "";
    showNamed(query);
    if (!query) return;
    yasqe.setValue(query.sparql);
    for (const [param, value] of Object.entries(values || {})) {
      const input = $("param-" + param);
      if (input) { input.value = value; writeParamLine(param, value); }
    }
  }

  async function loadNamed() {
    const response = await fetch("/api/queries");
    if (!response.ok) return;
    for (const query of (await response.json()).queries) {
      state.queries.set(query.name, query);
      $("examples").append(el("option", { value: query.name }, query.title));
    }
  }

  // ---- running: what a run sends, decided in one place ----
  function plan() {
    const text = yasqe.getValue();
    const named = state.named;
    if (!named || named.params.length === 0 && body(text) !== body(named.sparql)) {
      return { url: "/sparql", init: { method: "POST", body: new URLSearchParams({ query: text }) } };
    }
    if (body(text) !== body(named.sparql)) {
      const declared = [...paramLines(text).keys()];
      if (declared.length === 0) {
        return { url: "/sparql", init: { method: "POST", body: new URLSearchParams({ query: text }) } };
      }
      return {
        error: `The text of the named query "${named.name}" was edited, so its parameter(s) ` +
          declared.map((name) => "?" + name).join(", ") + " can no longer be bound by name. Choose the query " +
          "again to undo the edit, or bind the variable in the text yourself (for example VALUES ?" +
          declared[0] + " { ent:VEGF }) and delete its # param line.",
      };
    }
    const args = new URLSearchParams();
    for (const param of named.params) {
      const value = ($("param-" + param.name) || { value: "" }).value.trim();
      if (value) args.set(param.name, value);
    }
    const query = args.toString();
    return { url: "/api/queries/" + encodeURIComponent(named.name) + (query ? "?" + query : ""), init: { method: "GET" }, named: named.name, args };
  }

  function permalink() {
    const chosen = plan();
    const link = new URLSearchParams();
    if (chosen.named) {
      link.set("named", chosen.named);
      for (const [name, value] of chosen.args) link.set(name, value);
    } else {
      link.set("query", yasqe.getValue());
    }
    return location.origin + location.pathname + "#/sparql?" + link.toString();
  }

  function summary(response, text, seconds) {
    const type = response.headers.get("Content-Type") || "";
    const truncated = response.headers.get("X-Msckg-Truncated") ? " (cut at the row limit)" : "";
    if (type.includes("sparql-results+json")) {
      const parsed = JSON.parse(text);
      if (typeof parsed.boolean === "boolean") return `answer: ${parsed.boolean} in ${seconds} s`;
      return `${parsed.results.bindings.length} row(s) in ${seconds} s${truncated}`;
    }
    if (type.includes("n-triples")) {
      const triples = text.split("\n").filter((line) => line.trim() && !line.startsWith("#")).length;
      return `${triples} triple(s) in ${seconds} s${truncated}`;
    }
    return `graph in ${seconds} s${truncated}`;
  }

  // An entity parameter must name an entity: a name typed instead of picked becomes the id it
  // names, an unknown one is an error with suggestions (the server would bind it as given and
  // answer nothing, which reads like "no statements").
  async function resolveEntityParams() {
    if (!state.named) return null;
    for (const param of state.named.params) {
      const input = $("param-" + param.name);
      const value = input ? input.value.trim() : "";
      if (!value || !(param.default || "").startsWith("ent:")) continue;
      if (value.startsWith("ent:")) {
        const response = await fetch("/api/entities/" + encodeURIComponent(value));
        if (response.ok) continue;
        const body = await response.json().catch(() => ({}));
        const offered = (body.suggestions || []).map((found) => `${found.id} (${found.label})`);
        return `?${param.name}: no entity ${value}` + (offered.length ? `; did you mean ${offered.join(", ")}?` : "");
      }
      if (value.includes(":")) continue; // a full IRI: the server checks it
      const response = await fetch("/api/entities?limit=5&q=" + encodeURIComponent(value));
      const results = response.ok ? (await response.json()).results : [];
      const named = results.find((found) => found.label.toLowerCase() === value.toLowerCase()) || (results.length === 1 ? results[0] : null);
      if (!named) {
        const offered = results.map((found) => `${found.id} (${found.label})`);
        return `?${param.name}: no entity is named "${value}"` + (offered.length ? `; did you mean ${offered.join(", ")}?` : "");
      }
      input.value = named.id;
      writeParamLine(param.name, named.id);
    }
    return null;
  }

  async function run() {
    let chosen = plan();
    if (chosen.named) {
      const unresolved = await resolveEntityParams();
      if (unresolved) { status(unresolved, "error"); return; }
      chosen = plan(); // with the ids the names were resolved to
    }
    if (chosen.error) { status(chosen.error, "error"); return; }
    status("running\u2026");
    $("permalink").href = permalink();
    const started = performance.now();
    const response = await fetch(chosen.url, { ...chosen.init, headers: { Accept: ACCEPT } });
    const text = await response.text();
    const elapsed = performance.now() - started;
    if (!response.ok) {
      let detail = response.statusText;
      try { const parsed = JSON.parse(text); detail = parsed.detail || parsed.error || detail; } catch (_) { /* not JSON */ }
      status(`error ${response.status}: ${detail}`, "error");
      yasr.setResponse({ ok: false, status: response.status, statusText: detail, headers: response.headers, content: text }, Math.round(elapsed));
      return;
    }
    status(summary(response, text, (elapsed / 1000).toFixed(2)), "ok");
    yasr.setResponse({ ok: true, status: response.status, statusText: response.statusText, headers: response.headers, type: response.type, content: text }, Math.round(elapsed));
  }

  // ---- permalinks: opening one loads its query and runs it ----
  async function openPermalink() {
    const match = PERMALINK.exec(location.hash);
    if (!match || !match[1]) return false;
    const params = new URLSearchParams(match[1]);
    if (params.get("named")) {
      const values = Object.fromEntries([...params].filter(([name]) => name !== "named"));
      chooseNamed(params.get("named"), values);
      if (!state.named) { status(`no named query "${params.get("named")}"`, "error"); return true; }
    } else if (params.has("query")) {
      chooseNamed("");
      yasqe.setValue(params.get("query"));
    } else {
      return false;
    }
    section.scrollIntoView({ block: "start" });
    await run();
    return true;
  }

  // The page's prefixes are predeclared by the server: Yasqe's syntax check must know them too,
  // or it marks every ent: and msckg: as undefined. Its SPARQL mode, starting with them declared.
  Yasqe.defineMode("msckg-sparql", (config) => {
    const sparql = Yasqe.getMode(config, "sparql11");
    return { ...sparql, startState: () => ({ ...sparql.startState(), prefixes: { ...PREFIXES } }) };
  });

  let yasqe = null;
  let yasr = null;

  document.addEventListener("DOMContentLoaded", async () => {
    registerCompleters();
    yasqe = new Yasqe($("yasqe"), {
      value: DEFAULT_QUERY,
      mode: "msckg-sparql",
      persistenceId: null,
      consumeShareLink: null,
      createShareableLink: permalink,
      resizeable: true,
      editorHeight: "18rem",
      autocompleters: ["variables", "msckg-prefixes", "msckg-properties", "msckg-classes", "msckg-entities"],
      requestConfig: { endpoint: location.origin + "/sparql", method: "POST", acceptHeaderSelect: ACCEPT, acceptHeaderGraph: ACCEPT },
      // Ctrl+Enter and Cmd+Enter run our way (named queries by name, errors in the status line).
      extraKeys: { "Ctrl-Enter": () => { run(); }, "Cmd-Enter": () => { run(); } },
    });
    // So does the editor's own run button, which calls yasqe.query().
    yasqe.query = () => run().then(() => undefined);
    yasqe.getInputField().setAttribute("aria-label", "SPARQL query");
    yasqe.on("change", () => {
      syncFieldsFromText();
      $("permalink").href = permalink();
    });
    yasr = new Yasr($("yasr"), {
      persistenceId: null,
      prefixes: PREFIXES,
      pluginOrder: ["table", "chart", "graph", "response"],
      defaultPlugin: "table",
      getDownloadFileName: () => (state.named ? state.named.name : "query-results"),
    });
    // Yasr's page-size menu has a caption but no label of its own.
    yasr.on("drawn", () => {
      for (const menu of $("yasr").querySelectorAll("select.tableSizer")) menu.setAttribute("aria-label", "rows per page");
    });
    $("examples").addEventListener("change", () => chooseNamed($("examples").value));
    $("run").addEventListener("click", run);
    window.addEventListener("hashchange", openPermalink);
    await loadNamed();
    await openPermalink();
  });
})();
