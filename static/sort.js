// dossier default theme: sorting an index page (people, organisations,
// topics, places) by name, by number of briefs or by latest brief. Optional:
// without it the page lists its entries by name, as written by the build.
(function () {
  "use strict";
  var box = document.querySelector(".sort");
  var list = document.querySelector(".entity-list");
  if (!box || !list) return;
  var items = Array.prototype.slice.call(list.children);
  items.forEach(function (li, i) { li.setAttribute("data-order", String(i)); });
  var order = function (li) { return Number(li.getAttribute("data-order")); };
  var compare = {
    name: function (a, b) { return order(a) - order(b); },
    count: function (a, b) {
      return Number(b.getAttribute("data-count")) - Number(a.getAttribute("data-count")) || order(a) - order(b);
    },
    latest: function (a, b) {
      var x = a.getAttribute("data-latest"), y = b.getAttribute("data-latest");
      return (x < y ? 1 : x > y ? -1 : 0) || order(a) - order(b);
    }
  };
  var buttons = box.querySelectorAll("button[data-sort]");
  box.hidden = false;
  box.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-sort]");
    if (!button) return;
    items.sort(compare[button.getAttribute("data-sort")]);
    items.forEach(function (li) { list.appendChild(li); });
    Array.prototype.forEach.call(buttons, function (b) {
      b.setAttribute("aria-pressed", b === button ? "true" : "false");
    });
  });
})();
