// Turns the plain query form of /sparql into YASGUI; without JavaScript the form still works.
(function () {
  "use strict";
  var form = document.getElementById("sparql-form");
  var holder = document.getElementById("yasgui");
  var configElement = document.getElementById("sparql-config");
  if (!window.Yasgui || !form || !holder || !configElement) {
    return;
  }
  var config = JSON.parse(configElement.textContent);
  // Complete only from what the page ships: no request to Linked Open Vocabularies or prefix.cc.
  Yasgui.Yasqe.defaults.autocompleters = ["prefixes", "variables"];
  var yasgui = new Yasgui(holder, {
    requestConfig: { endpoint: config.endpoint, method: "POST" },
    endpointCatalogueOptions: {
      getData: function () {
        return [{ endpoint: config.endpoint }];
      },
    },
    copyEndpointOnNewTab: false,
    populateFromUrl: false,
    persistenceId: null,
    yasqe: { autocompleters: ["prefixes", "variables"] },
  });
  var tab = yasgui.getTab();
  tab.setQuery(form.elements.query.value);
  form.hidden = true;
  holder.hidden = false;
  var serverResults = document.getElementById("results");
  if (serverResults) {
    // The same query runs in the editor, whose table replaces the server-rendered one.
    serverResults.hidden = true;
    tab.query();
  }
  window.commonsGraphEditor = yasgui;

  var links = document.querySelectorAll("a.example[data-example]");
  Array.prototype.forEach.call(links, function (link) {
    link.addEventListener("click", function (event) {
      var query = config.examples[link.getAttribute("data-example")];
      if (!query) {
        return;
      }
      event.preventDefault();
      var current = yasgui.getTab();
      current.setQuery(query);
      current.query();
      holder.scrollIntoView();
    });
  });
})();
