// dossier serve: reloads the page after each successful rebuild, and shows
// the problems of a failed one over the page. Served only by `dossier
// serve`; never part of a built site.
(function () {
  "use strict";
  var OVERLAY = "dossier-overlay";

  function text(tag, className, content) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    el.textContent = content;
    return el;
  }

  function position(p) {
    var where = p.file || "";
    if (p.line) where += ":" + p.line + (p.column ? ":" + p.column : "");
    return where;
  }

  // `report` is {title, problems}, as the server sends it.
  function show(report) {
    var old = document.getElementById(OVERLAY);
    if (old) old.remove();
    var problems = report.problems;
    if (!problems.length) return;
    if (!document.getElementById(OVERLAY + "-style")) {
      var style = document.createElement("link");
      style.id = OVERLAY + "-style";
      style.rel = "stylesheet";
      style.href = "/__dossier/overlay.css";
      document.head.appendChild(style);
    }
    var box = document.createElement("div");
    box.id = OVERLAY;
    box.setAttribute("role", "alert");
    box.appendChild(text("p", "dossier-overlay-title", report.title));
    var list = document.createElement("ol");
    problems.forEach(function (p) {
      var item = document.createElement("li");
      item.appendChild(text("code", "dossier-overlay-where", position(p)));
      item.appendChild(text("span", "dossier-overlay-" + p.severity, " " + p.severity + ": "));
      item.appendChild(text("span", "dossier-overlay-message", p.message));
      if (p.help) item.appendChild(text("p", "dossier-overlay-help", "help: " + p.help));
      list.appendChild(item);
    });
    box.appendChild(list);
    document.body.appendChild(box);
  }

  var events = new EventSource("/__dossier/events");
  events.addEventListener("reload", function () { window.location.reload(); });
  events.addEventListener("problems", function (e) { show(JSON.parse(e.data)); });
})();
