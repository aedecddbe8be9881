// The maps of the site, drawn by the vendored Leaflet (and Leaflet.markercluster on /map).
// Everything comes from data- attributes of the page (no inline script: the CSP forbids it):
//   data-map="collection": data-geojson (URL of a FeatureCollection), clustered points;
//   data-map="point": data-lat, data-lon, data-label, one marker.
// Both read data-tiles (a URL template, empty for no tiles), data-attribution(-url).
(function () {
  "use strict";
  if (!window.L) {
    return;
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function addTiles(map, element) {
    var url = element.getAttribute("data-tiles");
    if (!url) {
      return; // No tile server: the points on the plain background of map.css.
    }
    var credit = escapeHtml(element.getAttribute("data-attribution") || "");
    var link = element.getAttribute("data-attribution-url") || "";
    if (/^https?:\/\//i.test(link)) {
      credit = '<a href="' + escapeHtml(link) + '">' + credit + "</a>";
    }
    L.tileLayer(url, { maxZoom: 19, attribution: credit }).addTo(map);
  }

  function pageOf(properties, iriBase) {
    // The page's URL when the file gives it, else the rule pages link by (templating.href):
    // a minted IRI is the path after the base on this server; another http(s) IRI is itself.
    var iri = properties.iri || "";
    if (properties.url) {
      return properties.url;
    }
    if (iriBase && iri.indexOf(iriBase) === 0) {
      return "/" + iri.slice(iriBase.length);
    }
    return iri;
  }

  function popupFor(properties, iriBase) {
    // Built as DOM nodes: a label is text, never HTML.
    var box = document.createElement("div");
    var page = pageOf(properties, iriBase);
    var linkable = /^(https?:\/\/|\/[^\/])/i.test(page);
    var name = document.createElement(linkable ? "a" : "span");
    name.textContent = properties.label || properties.iri || "";
    if (linkable) {
      name.href = page;
    }
    box.appendChild(name);
    return box;
  }

  function collectionMap(element) {
    var map = L.map(element).setView([30, 0], 2);
    addTiles(map, element);
    var url = element.getAttribute("data-geojson");
    var iriBase = element.getAttribute("data-iri-base") || "";
    fetch(url, { headers: { Accept: "application/geo+json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("GeoJSON: " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        var layer = L.geoJSON(data, {
          onEachFeature: function (feature, marker) {
            marker.bindPopup(function () {
              return popupFor(feature.properties || {}, iriBase);
            });
          },
        });
        var markers = layer.getLayers();
        var clusters = L.markerClusterGroup({ chunkedLoading: true });
        clusters.addLayers(markers);
        map.addLayer(clusters);
        if (markers.length) {
          // The GeoJSON layer's bounds: the clusters fill in by chunks, after this returns.
          map.fitBounds(layer.getBounds(), { maxZoom: 13, padding: [20, 20] });
        }
        element.setAttribute("data-loaded", String(markers.length));
      })
      .catch(function (error) {
        element.setAttribute("data-loaded", "error");
        element.setAttribute("data-error", String(error));
      });
  }

  function pointMap(element) {
    var lat = parseFloat(element.getAttribute("data-lat"));
    var lon = parseFloat(element.getAttribute("data-lon"));
    if (!isFinite(lat) || !isFinite(lon)) {
      return;
    }
    var map = L.map(element, { scrollWheelZoom: false }).setView([lat, lon], 13);
    addTiles(map, element);
    var marker = L.marker([lat, lon], { title: element.getAttribute("data-label") || "" });
    marker.addTo(map);
    element.setAttribute("data-loaded", "1");
  }

  var elements = document.querySelectorAll("[data-map]");
  for (var i = 0; i < elements.length; i++) {
    var kind = elements[i].getAttribute("data-map");
    if (kind === "collection" && L.markerClusterGroup) {
      collectionMap(elements[i]);
    } else if (kind === "point") {
      pointMap(elements[i]);
    }
  }
})();
