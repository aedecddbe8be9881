// Type-ahead for the search box: an ARIA 1.2 combobox with a listbox of suggestions from
// /search/suggest. Without scripts the form is a plain search form; with them, typing shows
// suggestions, the arrow keys move through them (aria-activedescendant), Enter opens the one
// chosen (or submits the search when none is), Escape closes the list, and a polite live
// region says how many there are.
(function () {
  "use strict";
  var DELAY_MS = 120;
  var MIN_CHARS = 2;
  var counter = 0;

  function setup(form) {
    if (form.getAttribute("data-typeahead-ready")) return;
    form.setAttribute("data-typeahead-ready", "1");
    var input = form.querySelector("input[name=q]");
    var box = form.querySelector(".typeahead");
    if (!input || !box || !window.fetch) return;
    counter += 1;
    var listId = "typeahead-list-" + counter;
    var hintId = "typeahead-hint-" + counter;
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "typeahead-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", form.querySelector("label").textContent);
    list.hidden = true;
    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    var hint = document.createElement("span");
    hint.id = hintId;
    hint.className = "visually-hidden";
    hint.textContent = form.getAttribute("data-msg-hint");
    box.appendChild(list);
    box.appendChild(status);
    box.appendChild(hint);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("aria-describedby", hintId);
    input.setAttribute("autocomplete", "off");

    var items = [];
    var active = -1;
    var timer = null;
    var pending = null;
    var lastQuery = null;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      Array.prototype.forEach.call(options, function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function go(item) {
      if (item.url) {
        window.location.assign(item.url);
      } else {
        input.value = item.label;
        form.submit();
      }
    }

    function show(results) {
      items = results;
      list.textContent = "";
      results.forEach(function (item, i) {
        var option = document.createElement("li");
        option.id = listId + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.className = "typeahead-option";
        var label = document.createElement("span");
        label.textContent = item.label;
        option.appendChild(label);
        if (item.kind_label) {
          var kind = document.createElement("span");
          kind.className = "badge";
          kind.textContent = item.kind_label;
          option.appendChild(document.createTextNode(" "));
          option.appendChild(kind);
        }
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the box
        });
        option.addEventListener("click", function () {
          go(item);
        });
        list.appendChild(option);
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (results.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        status.textContent = form.getAttribute("data-msg-count").replace("{count}", results.length);
      } else {
        close();
        status.textContent = form.getAttribute("data-msg-none");
      }
    }

    function ask() {
      var query = input.value.trim();
      if (query.length < MIN_CHARS) {
        lastQuery = null;
        close();
        return;
      }
      if (query === lastQuery) return;
      lastQuery = query;
      if (pending) pending.abort();
      pending = new AbortController();
      var url = form.getAttribute("data-suggest") + "?q=" + encodeURIComponent(query) +
        "&lang=" + encodeURIComponent(document.documentElement.lang || "en");
      fetch(url, { headers: { Accept: "application/json" }, signal: pending.signal })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (body) {
          if (input.value.trim() === query) show(body.results || []);
        })
        .catch(function () { /* aborted or offline: the plain form still works */ });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DELAY_MS);
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden && items.length;
      if (event.key === "ArrowDown") {
        if (!open) { lastQuery = null; ask(); return; }
        event.preventDefault();
        highlight((active + 1) % items.length);
      } else if (event.key === "ArrowUp") {
        if (!open) return;
        event.preventDefault();
        highlight(active <= 0 ? items.length - 1 : active - 1);
      } else if (event.key === "Enter") {
        if (open && active >= 0) {
          event.preventDefault();
          go(items[active]);
        }
      } else if (event.key === "Escape") {
        if (open) {
          event.preventDefault();
          close();
        }
      }
    });
    input.addEventListener("blur", function () {
      window.setTimeout(close, 150);
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form.search[data-suggest]"), setup);
})();
