// Load a Cytoscape.js JSON export with cytoscape itself and print its node and edge counts.
"use strict";
const fs = require("fs");
const cytoscape = require("cytoscape");

const document = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const cy = cytoscape({ headless: true, elements: document.elements });
const missing = cy.edges().filter((edge) => edge.source().empty() || edge.target().empty()).length;
process.stdout.write(JSON.stringify({ nodes: cy.nodes().length, edges: cy.edges().length, dangling: missing }));
