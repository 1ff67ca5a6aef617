// sphinxcontrib-mermaid imports mermaid as an ES module; the bundled mermaid.min.js (11.12.1, loaded
// first as a classic script, from the npm package "mermaid") sets globalThis.mermaid. This module
// hands it over, so that the docs draw their diagrams without reaching a CDN.
export default globalThis.mermaid;
