// Progressive enhancement only: every feature works without this file.
(function () {
  "use strict";

  // Filters: a sidebar on wide screens (open), a "Filters" button on phones (closed). Browsers
  // that cannot show closed content with CSS get the sidebar opened here.
  var filters = document.querySelector("details[data-filters]");
  if (filters && window.matchMedia && window.matchMedia("(min-width: 52.01rem)").matches) {
    filters.open = true;
  }

  // From hit to hit inside a document: "Next hit" and "Previous hit" step through the marks of
  // the page shown (the focus stays on the link, so Enter moves on; the status says where),
  // and at either end follow their link to the next or previous page with hits.
  var hitnav = document.querySelector("[data-hitnav]");
  if (hitnav) {
    var marks = Array.prototype.slice.call(document.querySelectorAll(".pagetext .text mark"));
    var status = hitnav.querySelector(".hit-status");
    var at = -1;
    if (/^#hit-last$/.test(location.hash)) { at = marks.length - 1; }
    else {
      var m = /^#hit-(\d+)$/.exec(location.hash);
      if (m) { at = Math.min(parseInt(m[1], 10), marks.length) - 1; }
    }
    var show = function (i) {
      if (marks[at]) marks[at].classList.remove("current");
      at = i;
      var mark = marks[at];
      mark.classList.add("current");
      mark.scrollIntoView({ block: "center" });
      status.textContent = hitnav.getAttribute("data-at")
        .replace("{n}", String(at + 1)).replace("{total}", String(marks.length));
      if (history.replaceState) history.replaceState(null, "", "#" + mark.id);
    };
    // Opened at a hit (#hit-N): shown once the browser has made its own jump to the anchor.
    if (at >= 0 && marks[at]) {
      var first = at;
      var opened = function () { setTimeout(function () { show(first); }, 0); };
      if (document.readyState === "complete") opened(); else window.addEventListener("load", opened);
    }
    hitnav.querySelector(".hit-next").addEventListener("click", function (e) {
      if (at + 1 < marks.length) { e.preventDefault(); show(at + 1); }
    });
    hitnav.querySelector(".hit-prev").addEventListener("click", function (e) {
      if (at > 0) { e.preventDefault(); show(at - 1); }
      else if (at === -1 && marks.length) { e.preventDefault(); show(0); }
    });
  }

  // Addresses to copy (the follow page): a button that copies, and the whole address
  // selected when the field is focused. Without a script the field can be selected by hand.
  document.querySelectorAll("input[data-select-all]").forEach(function (field) {
    field.addEventListener("focus", function () { field.select(); });
  });
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    var status = document.querySelector(".copied");
    if (!field) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var said = function () { if (status) status.textContent = button.getAttribute("data-copied"); };
      field.select();
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(field.value).then(said, function () {
          if (document.execCommand("copy")) said();
        });
      } else if (document.execCommand("copy")) { said(); }
    });
  });

  // Menus (the phone's Sort and More): one open at a time, closed by a click elsewhere or Escape.
  var menus = Array.prototype.slice.call(document.querySelectorAll("details.menu"));
  menus.forEach(function (menu) {
    menu.addEventListener("toggle", function () {
      if (menu.open) menus.forEach(function (other) { if (other !== menu) other.open = false; });
    });
  });
  if (menus.length) {
    document.addEventListener("click", function (e) {
      menus.forEach(function (menu) { if (menu.open && !menu.contains(e.target)) menu.open = false; });
    });
    document.addEventListener("keydown", function (e) {
      if (e.key !== "Escape") return;
      menus.forEach(function (menu) {
        if (menu.open) { menu.open = false; menu.querySelector("summary").focus(); }
      });
    });
  }

  // Autocomplete of index words and titles under the search box.
  var input = document.querySelector("input[data-suggest]");
  if (!input || !window.fetch) return;
  var list = document.createElement("ul");
  list.className = "suggest-list";
  list.id = "suggest-list";
  list.setAttribute("role", "listbox");
  list.hidden = true;
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");
  input.parentNode.style.position = "relative";
  input.parentNode.appendChild(list);
  var timer = null, active = -1, items = [];

  function close() {
    list.hidden = true; active = -1; input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }
  // A completion is the query as typed with its last word completed: choosing it puts the
  // word in place (Tab: and go on typing; Enter or a click: and search).
  function insert(item) {
    input.value = item.text; close(); input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
  }
  function choose(item) {
    if (item.kind === "title" && item.id) { window.location = "/documents/" + encodeURIComponent(item.id); return; }
    insert(item); input.form.submit();
  }
  function render() {
    list.innerHTML = "";
    items.forEach(function (item, i) {
      var li = document.createElement("li");
      li.id = "suggest-" + i;
      li.setAttribute("role", "option");
      li.textContent = item.text;
      if (item.kind === "title") { li.className = "title"; }
      li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(item); });
      list.appendChild(li);
    });
    list.style.top = input.offsetHeight + "px";
    list.style.left = "0";
    list.style.width = input.offsetWidth + "px";
    list.hidden = items.length === 0;
    input.setAttribute("aria-expanded", items.length ? "true" : "false");
  }
  function highlight(i) {
    var options = list.querySelectorAll("li");
    options.forEach(function (li, n) { li.setAttribute("aria-selected", n === i ? "true" : "false"); });
    if (options[i]) input.setAttribute("aria-activedescendant", options[i].id);
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    var q = input.value;
    if (q.trim().length < 2) { close(); return; }
    timer = setTimeout(function () {
      fetch(input.dataset.suggest + "?q=" + encodeURIComponent(q))
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (data) { if (input.value === q) { items = data.suggestions || []; active = -1; render(); } })
        .catch(function () { close(); });
    }, 120);
  });
  input.addEventListener("keydown", function (e) {
    if (list.hidden) return;
    if (e.key === "ArrowDown") { active = Math.min(active + 1, items.length - 1); highlight(active); e.preventDefault(); }
    else if (e.key === "ArrowUp") { active = Math.max(active - 1, 0); highlight(active); e.preventDefault(); }
    else if (e.key === "Enter" && active >= 0) { choose(items[active]); e.preventDefault(); }
    else if (e.key === "Tab" && active >= 0 && items[active].kind === "term" && !e.shiftKey) {
      var item = items[active]; item.text += " "; insert(item); e.preventDefault();
    }
    else if (e.key === "Escape") { close(); }
  });
  input.addEventListener("blur", function () { setTimeout(close, 100); });

  // Admin page: refresh the status while an indexing run is going on.
  var job = document.querySelector("[data-job=running]");
  if (job) { setTimeout(function () { window.location.reload(); }, 3000); }
})();
