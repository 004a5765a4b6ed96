// Narrow a unit list to the units of the organisation chosen in another list of the same form:
// <select data-units-of="counterpart"> follows <select name="counterpart">. Each unit option names
// its organisation in data-organisation. Without script the list shows every unit, grouped by
// organisation, and the server refuses a unit of another organisation.
(function () {
  "use strict";

  function narrow(units, organisation, all) {
    var chosen = units.value;
    while (units.firstChild) units.removeChild(units.firstChild);
    if (!organisation) {
      all.forEach(function (node) { units.appendChild(node.cloneNode(true)); });
    } else {
      all.forEach(function (node) {
        if (node.tagName === "OPTION" && !node.dataset.organisation) {
          units.appendChild(node.cloneNode(true)); // "Unknown or not relevant"
        } else if (node.tagName === "OPTGROUP") {
          Array.prototype.forEach.call(node.children, function (option) {
            if (option.dataset.organisation === organisation) units.appendChild(option.cloneNode(true));
          });
        } else if (node.dataset.organisation === organisation) {
          units.appendChild(node.cloneNode(true));
        }
      });
    }
    var kept = Array.prototype.some.call(units.options, function (option) { return option.value === chosen; });
    units.value = kept ? chosen : "";
  }

  Array.prototype.forEach.call(document.querySelectorAll("select[data-units-of]"), function (units) {
    var form = units.form;
    var organisation = form && form.elements.namedItem(units.dataset.unitsOf);
    if (!(organisation instanceof HTMLSelectElement)) return;
    var all = Array.prototype.map.call(units.children, function (node) { return node.cloneNode(true); });
    function update() { narrow(units, organisation.value, all); }
    organisation.addEventListener("change", update);
    update();
  });
})();
