// Entente query UI: Yasgui when installed (served by this app), else a plain editor.
// Configuration comes from the JSON block #entente-config (no inline scripts: CSP 'self').
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("entente-config").textContent);
  var endpoint = new URL(config.endpoint, window.location.href).href;
  var ontologyNs = "https://entente.example.org/ontology#";

  // Our IRIs dereference on this server, whatever host it runs on: link to the local path.
  function localHref(iri) {
    if (iri.indexOf(ontologyNs) === 0) return "/ontology#" + iri.slice(ontologyNs.length);
    if (iri.indexOf(config.base) === 0) {
      var rest = iri.slice(config.base.length);
      if (rest.indexOf("id/") === 0 || rest.indexOf("graph/") === 0) return "/" + rest;
    }
    return null;
  }

  function compact(iri) {
    var best = null;
    Object.keys(config.prefixes).forEach(function (p) {
      var ns = config.prefixes[p];
      if (iri.indexOf(ns) === 0 && iri.length > ns.length &&
          (best === null || ns.length > config.prefixes[best].length)) best = p;
    });
    return best === null ? iri : best + ":" + iri.slice(config.prefixes[best].length);
  }

  function rewriteLinks(root) {
    root.querySelectorAll("a[href]").forEach(function (a) {
      var local = localHref(a.getAttribute("href"));
      if (local !== null) {
        a.setAttribute("href", local);
        a.removeAttribute("target");
      }
    });
  }

  function exampleQuery(name) {
    for (var i = 0; i < config.examples.length; i++) {
      if (config.examples[i].name === name) return config.examples[i];
    }
    return null;
  }

  // --- downloads: every format the current query can be answered in ----------------------
  var getQuery = function () { return ""; };
  var downloadForm = document.getElementById("download");
  var formatSelect = document.getElementById("download-format");
  function queryForm(text) {
    var body = text.replace(/#[^\n]*/g, " ").replace(/PREFIX\s+\S*\s*<[^>]*>/gi, " ")
      .replace(/BASE\s*<[^>]*>/gi, " ");
    var m = /\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b/i.exec(body);
    return m ? m[1].toUpperCase() : "SELECT";
  }
  function refreshFormats() {
    var form = queryForm(getQuery());
    var list = (form === "CONSTRUCT" || form === "DESCRIBE")
      ? config.downloads.graph : config.downloads.results;
    var current = Array.prototype.map.call(formatSelect.options, function (o) { return o.value; });
    if (current.join() === list.join()) return;
    formatSelect.textContent = "";
    list.forEach(function (fmt) {
      var option = document.createElement("option");
      option.value = fmt;
      option.textContent = fmt;
      formatSelect.appendChild(option);
    });
  }
  downloadForm.addEventListener("submit", function () {
    document.getElementById("download-query").value = getQuery();
  });
  formatSelect.addEventListener("focus", refreshFormats);

  // --- Yasgui ----------------------------------------------------------------------------
  var holder = document.getElementById("yasgui");
  if (holder && window.Yasgui) {
    var yasgui = new window.Yasgui(holder, {
      requestConfig: { endpoint: endpoint, method: "POST" },
      endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
      copyEndpointOnNewTab: true,
      persistenceId: null,
      populateFromUrl: true,
      yasqe: {
        value: config.examples.length ? config.examples[0].query : "SELECT * WHERE { ?s ?p ?o } LIMIT 10",
        prefixCcApi: new URL(config.prefixesUrl, window.location.href).href,
        autocompleters: ["prefixes", "variables"]
      },
      yasr: { prefixes: config.prefixes }
    });
    var tab = function () { return yasgui.getTab(); };
    getQuery = function () { return tab().getYasqe().getValue(); };
    new MutationObserver(function () { rewriteLinks(holder); })
      .observe(holder, { childList: true, subtree: true });
    document.querySelectorAll("button.example").forEach(function (button) {
      button.addEventListener("click", function () {
        var example = exampleQuery(button.dataset.name);
        if (!example) return;
        tab().setQuery(example.query);
        tab().getYasqe().query();
        refreshFormats();
      });
    });
    refreshFormats();
    return;
  }

  // --- fallback: a textarea that posts to /sparql and renders a table -----------------------
  var form = document.getElementById("fallback");
  var textarea = document.getElementById("query");
  var results = document.getElementById("fallback-results");
  if (!form) return;
  getQuery = function () { return textarea.value; };

  function cell(term) {
    var td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") {
      var a = document.createElement("a");
      var local = localHref(term.value);
      a.href = local === null ? term.value : local;
      a.textContent = compact(term.value);
      a.title = term.value;
      td.appendChild(a);
    } else {
      td.textContent = term.value;
    }
    return td;
  }

  function render(data) {
    results.textContent = "";
    if (typeof data.boolean === "boolean") {
      results.textContent = data.boolean ? "true" : "false";
      return;
    }
    var table = document.createElement("table");
    table.className = "results";
    var head = table.createTHead().insertRow();
    data.head.vars.forEach(function (v) {
      var th = document.createElement("th");
      th.textContent = v;
      head.appendChild(th);
    });
    var body = table.createTBody();
    data.results.bindings.forEach(function (binding) {
      var tr = body.insertRow();
      data.head.vars.forEach(function (v) { tr.appendChild(cell(binding[v])); });
    });
    results.appendChild(table);
    var count = document.createElement("p");
    count.className = "count";
    count.textContent = data.results.bindings.length + " rows";
    results.appendChild(count);
  }

  function run() {
    var text = textarea.value;
    var graph = /^(CONSTRUCT|DESCRIBE)$/.test(queryForm(text));
    results.textContent = "Running…";
    fetch(endpoint, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": graph ? "text/turtle" : "application/sparql-results+json"
      },
      body: new URLSearchParams({ query: text }).toString()
    }).then(function (response) {
      return (graph ? response.text() : response.json()).then(function (data) {
        if (!response.ok) throw new Error(data.error || response.statusText);
        return data;
      });
    }).then(function (data) {
      if (graph) {
        var pre = document.createElement("pre");
        pre.textContent = data;
        results.textContent = "";
        results.appendChild(pre);
      } else {
        render(data);
      }
    }).catch(function (error) {
      results.textContent = "";
      var p = document.createElement("p");
      p.className = "error";
      p.textContent = String(error.message || error);
      results.appendChild(p);
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    run();
  });
  document.querySelectorAll("button.example").forEach(function (button) {
    button.addEventListener("click", function () {
      var example = exampleQuery(button.dataset.name);
      if (!example) return;
      textarea.value = example.query;
      refreshFormats();
      run();
    });
  });
  refreshFormats();
})();
