"""The knowledge graph as networkx, and its exports (node-link, GraphML, KGX, Mermaid)."""
