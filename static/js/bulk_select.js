/*
 * "Select all on this page" in the lists' bulk bar ticks and unticks every row's box, and unticking a
 * row unticks it. Without JavaScript the box still works: the server then takes every case of the page.
 */
(function () {
  "use strict";

  const all = document.querySelector("[data-bulk-all]");
  if (!all) {
    return;
  }
  const form = all.form;
  function boxes() {
    return Array.prototype.filter.call(document.querySelectorAll("[data-row-select]"), function (box) {
      return box.form === form;
    });
  }
  all.addEventListener("change", function () {
    boxes().forEach(function (box) {
      box.checked = all.checked;
    });
  });
  document.addEventListener("change", function (event) {
    const box = event.target;
    if (box instanceof HTMLInputElement && box.hasAttribute("data-row-select") && !box.checked) {
      all.checked = false;
    }
  });
})();
