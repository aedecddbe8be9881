/* The network view: draws each [data-network] element's graph with Cytoscape.js from the JSON
   the page carries in <script type="application/json" id="..."> (no inline script: CSP). The
   same links are listed in the page for readers without JavaScript or a screen. */
(function () {
  "use strict";

  // One colour per kind of resource; network.css gives the legend the same ones.
  var COLOURS = {
    organisations: "#1f6fb4",
    commons: "#2a9d3c",
    projects: "#8a56c2",
    events: "#e07b00",
    values: "#c8323c",
    themes: "#8c5a3c",
    topics: "#d4569e",
    persons: "#138a9c",
    places: "#8f9a12",
    codesocial: "#5f5f5f",
    concepts: "#6c8ebf",
    other: "#9a9a9a"
  };
  // Past these sizes the force-directed layout and the labels of every element cost too much.
  var FORCE_LAYOUT_MAX_NODES = 300;
  var EDGE_LABELS_MAX_EDGES = 60;
  var NODE_LABELS_MAX_NODES = 400;

  function elements(data) {
    var items = [];
    data.nodes.forEach(function (node) {
      items.push({
        group: "nodes",
        data: {
          id: node.iri,
          label: node.label,
          kind: node.kind,
          url: node.url || "",
          depth: node.depth,
          colour: COLOURS[node.kind] || COLOURS.other,
          centre: node.iri === data.iri ? 1 : 0
        }
      });
    });
    data.edges.forEach(function (edge, index) {
      items.push({
        group: "edges",
        data: {
          id: "e" + index,
          source: edge.source,
          target: edge.target,
          label: edge.label,
          derived: edge.derived ? 1 : 0
        }
      });
    });
    return items;
  }

  // Rings of at most this many resources: a level of thousands becomes several rings.
  var RING_SIZE = 150;

  function layout(data) {
    if (data.nodes.length <= FORCE_LAYOUT_MAX_NODES) {
      return { name: "cose", animate: false, randomize: false, nodeDimensionsIncludeLabels: true };
    }
    // Rings by distance from the resource shown (linear in the number of nodes).
    var ring = {};
    var seen = {};
    data.nodes.forEach(function (node) {
      var index = seen[node.depth] || 0;
      seen[node.depth] = index + 1;
      ring[node.iri] = (10 - node.depth) * 1000 - Math.floor(index / RING_SIZE);
    });
    return {
      name: "concentric",
      animate: false,
      concentric: function (node) { return ring[node.id()]; },
      levelWidth: function () { return 1; },
      minNodeSpacing: 4
    };
  }

  function draw(container) {
    var source = document.getElementById(container.getAttribute("data-network"));
    if (!source || typeof window.cytoscape !== "function") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var nodeLabels = data.nodes.length <= NODE_LABELS_MAX_NODES ? "data(label)" : "";
    var edgeLabels = data.edges.length <= EDGE_LABELS_MAX_EDGES ? "data(label)" : "";
    var many = data.nodes.length > FORCE_LAYOUT_MAX_NODES;
    var cy = window.cytoscape({
      container: container,
      elements: elements(data),
      layout: layout(data),
      minZoom: 0.01,
      maxZoom: 4,
      style: [
        {
          selector: "node",
          style: {
            "background-color": "data(colour)",
            label: nodeLabels,
            "font-size": 10,
            "text-valign": "bottom",
            "text-margin-y": 3,
            "text-wrap": "ellipsis",
            "text-max-width": 140,
            width: 14,
            height: 14
          }
        },
        {
          selector: "node[centre = 1]",
          style: { width: 26, height: 26, "border-width": 3, "border-color": "#111", label: "data(label)", "font-weight": "bold" }
        },
        {
          selector: "edge",
          style: {
            width: 1.5,
            "line-color": "#7a7a7a",
            "target-arrow-color": "#7a7a7a",
            "target-arrow-shape": "triangle",
            "curve-style": "bezier",
            label: edgeLabels,
            "font-size": 8,
            color: "#444",
            "text-rotation": "autorotate",
            "text-background-color": "#fff",
            "text-background-opacity": 0.8
          }
        },
        {
          // Hundreds of resources: links straight, thin and light, the quickest Cytoscape draws.
          selector: many ? "edge" : "edge[drawnThin = 1]",
          style: { "curve-style": "haystack", width: 0.6, opacity: 0.45, "target-arrow-shape": "none" }
        },
        {
          // Derived relations hold both ways and are no one's statement: dashed, no arrow.
          selector: "edge[derived = 1]",
          style: { "line-style": "dashed", "line-color": "#b03a2e", "target-arrow-shape": "none", color: "#b03a2e" }
        }
      ]
    });
    cy.on("tap", "node", function (event) {
      var url = event.target.data("url");
      if (url) {
        window.location.assign(url);
      }
    });
    container.classList.add("network-ready");
    // Tests and curious readers reach the graphs from the console.
    (window.commonsGraphNetworks = window.commonsGraphNetworks || []).push(cy);
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-network]"), draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
