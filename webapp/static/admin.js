// Administration pages, progressive enhancement only: without this file the pages show the
// same content on each load and the plain upload form works.
(function () {
  "use strict";

  // Live progress: while a run is under way, the runs block is fetched again (as HTML of the
  // same template, through the runs page) and swapped in. Only that block changes: a form
  // being typed elsewhere on the page is never touched.
  var runs = document.getElementById("runs");
  if (runs && window.fetch && window.DOMParser) {
    var url = runs.getAttribute("data-runs-url");
    var idle = 0;
    var poll = function () {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (!html) return;
          var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("runs");
          if (!fresh) return;
          var current = document.getElementById("runs");
          var details = current.querySelector("details.past-runs");
          var open = details && details.open;
          current.replaceWith(fresh);
          var again = fresh.querySelector("details.past-runs");
          if (again && open) again.open = true;
          localTimes(fresh);
          idle = fresh.getAttribute("data-live") === "1" ? 0 : idle + 1;
        })
        .catch(function () {})
        .then(function () {
          // Fast while a run is live; slowly otherwise (a run may start from a terminal).
          setTimeout(poll, idle === 0 ? 1000 : 4000);
        });
    };
    setTimeout(poll, 1000);
  }

  // Times written as seconds since 1970 are shown in the reader's own time.
  function localTimes(root) {
    var nodes = (root || document).querySelectorAll("time[data-at]");
    for (var i = 0; i < nodes.length; i++) {
      var d = new Date(parseFloat(nodes[i].getAttribute("data-at")) * 1000);
      nodes[i].setAttribute("datetime", d.toISOString());
      nodes[i].textContent = d.toLocaleString(document.documentElement.lang || undefined);
    }
  }
  localTimes(document);

  // Dropping files anywhere on the upload area puts them in the form's file field.
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
  input.addEventListener("change", show);
  ["dragenter", "dragover"].forEach(function (type) {
    zone.addEventListener(type, function (e) {
      e.preventDefault();
      zone.classList.add("dragging");
    });
  });
  ["dragleave", "drop"].forEach(function (type) {
    zone.addEventListener(type, function () { zone.classList.remove("dragging"); });
  });
  zone.addEventListener("drop", function (e) {
    e.preventDefault();
    if (!e.dataTransfer || !e.dataTransfer.files.length) return;
    var all = new DataTransfer();
    for (var i = 0; i < input.files.length; i++) all.items.add(input.files[i]);
    for (var j = 0; j < e.dataTransfer.files.length; j++) all.items.add(e.dataTransfer.files[j]);
    input.files = all.files;
    show();
  });
})();
