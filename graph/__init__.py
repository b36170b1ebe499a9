"""The knowledge graph: curation files -> validated statements -> RDF dataset -> store."""
