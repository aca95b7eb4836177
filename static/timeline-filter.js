// dossier default theme: filtering the timeline's events by actor, topic
// and dates. Optional: without it the page lists every event, and each
// entity's page has its own timeline.
(function () {
  "use strict";
  var form = document.querySelector("form.timeline-filter");
  if (!form) return;
  var events = Array.prototype.slice.call(document.querySelectorAll("li.event[data-date]"));
  var status = form.querySelector(".filter-status");
  var words = form.getAttribute("data-status");

  // The first and last day a date covers: `2023-09` runs from 2023-09-01
  // to 2023-09-31 (compared as text, which is enough to order days).
  function period(date) {
    var parts = date.slice(0, 10).split("-");
    return [
      parts[0] + "-" + (parts[1] || "01") + "-" + (parts[2] || "01"),
      parts[0] + "-" + (parts[1] || "12") + "-" + (parts[2] || "31")
    ];
  }
  function has(list, key) {
    return !key || (" " + list + " ").indexOf(" " + key + " ") !== -1;
  }
  // A month's heading and list go when none of its events is shown.
  function hideEmptyLists() {
    Array.prototype.forEach.call(document.querySelectorAll("ol.events"), function (ol) {
      var empty = !ol.querySelector("li.event:not([hidden])");
      ol.hidden = empty;
      var heading = ol.previousElementSibling;
      if (heading && /^H[23]$/.test(heading.tagName)) heading.hidden = empty;
    });
  }
  function apply() {
    var actor = form.elements.actor.value;
    var topic = form.elements.topic.value;
    var from = form.elements.from.value;
    var until = form.elements.until.value;
    var shown = 0;
    events.forEach(function (li) {
      var days = period(li.getAttribute("data-date"));
      var keep = has(li.getAttribute("data-actors"), actor) &&
        has(li.getAttribute("data-topics"), topic) &&
        (!from || days[1] >= from) && (!until || days[0] <= until);
      li.hidden = !keep;
      if (keep) shown += 1;
    });
    hideEmptyLists();
    status.textContent = words.replace("{shown}", String(shown)).replace("{total}", String(events.length));
  }
  form.hidden = false;
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("reset", function () { setTimeout(apply, 0); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  apply();
})();
