// Administration pages, progressive enhancement only: without this file the pages show the
// same content on each load and the plain upload form works.
(function () {
  "use strict";

  // Live progress: the page polls the runs' JSON twin; when anything changed (a file settled,
  // a run started or ended), the page is fetched again as HTML and its parts that follow the
  // runs (marked data-refresh: the runs, the index's counts, the failed files, the manifest's
  // problems) are swapped in. A form being typed elsewhere on the page is never touched.
  var runs = document.getElementById("runs");
  if (runs && window.fetch && window.DOMParser) {
    var api = runs.getAttribute("data-runs-api");
    var seen = null;
    var live = runs.getAttribute("data-live") === "1";
    var signature = function (d) {
      var r = d.shown || {};
      var last = d.outcomes && d.outcomes.length ? d.outcomes[0].seq : 0;
      return [r.id, r.phase, r.done, r.total, r.running, last, d.queued, d.watching].join("|");
    };
    var swap = function () {
      return fetch(window.location.pathname + window.location.search, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (!html) return;
          var fresh = new DOMParser().parseFromString(html, "text/html");
          document.querySelectorAll("[data-refresh]").forEach(function (current) {
            var part = current.id && fresh.getElementById(current.id);
            if (!part) return;
            var details = current.querySelector("details.past-runs");
            var open = details && details.open;
            current.replaceWith(part);
            var again = part.querySelector("details.past-runs");
            if (again && open) again.open = true;
          });
        });
    };
    var poll = function () {
      fetch(api, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data) return;
          var now = signature(data);
          live = !!data.live;
          if (now !== seen) { seen = now; return swap(); }
        })
        .catch(function () {})
        .then(function () {
          // Every second while a run is live; every few seconds otherwise (a run may start
          // from a terminal or the folder watcher at any time).
          setTimeout(poll, live ? 1000 : 3000);
        });
    };
    poll();
  }

  // Files dropped anywhere on the page go into the upload form's file field (the browser
  // would otherwise open a file dropped beside the box, and the page would be gone).
  var zone = document.querySelector("[data-dropzone]");
  if (!zone || !window.DataTransfer) return;
  var input = zone.querySelector("input[type=file]");
  var list = zone.querySelector(".chosen-files");
  var hint = zone.querySelector(".drop-hint");
  if (hint) hint.hidden = false;
  zone.classList.add("dropzone-on");
  function show() {
    list.textContent = "";
    for (var i = 0; i < input.files.length; i++) {
      var li = document.createElement("li");
      li.textContent = input.files[i].name;
      list.appendChild(li);
    }
  }
  function carriesFiles(e) {
    var types = e.dataTransfer && e.dataTransfer.types;
    return !!types && Array.prototype.indexOf.call(types, "Files") >= 0;
  }
  input.addEventListener("change", show);
  ["dragenter", "dragover"].forEach(function (type) {
    document.addEventListener(type, function (e) {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = "copy";
      zone.classList.add("dragging");
    });
  });
  document.addEventListener("dragleave", function (e) {
    if (!e.relatedTarget) zone.classList.remove("dragging");  // left the window
  });
  document.addEventListener("drop", function (e) {
    zone.classList.remove("dragging");
    if (!carriesFiles(e)) return;
    e.preventDefault();
    if (!e.dataTransfer.files.length) return;
    var all = new DataTransfer();
    for (var i = 0; i < input.files.length; i++) all.items.add(input.files[i]);
    for (var j = 0; j < e.dataTransfer.files.length; j++) all.items.add(e.dataTransfer.files[j]);
    input.files = all.files;
    show();
    zone.scrollIntoView({ block: "nearest" });
  });
})();
