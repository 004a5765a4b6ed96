// Follow an export being made: rows written of the total, and the page again (with its download link) when it is done.
(function () {
  "use strict";
  var box = document.querySelector(".export-progress");
  if (!box) return;
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-status-text]");
  function check() {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        bar.value = data.percent;
        bar.textContent = data.percent + " %";
        text.textContent = data.text;
        if (data.status === "done" || data.status === "failed") {
          window.location.reload();
        } else {
          window.setTimeout(check, 1500);
        }
      })
      .catch(function () { window.setTimeout(check, 5000); });
  }
  window.setTimeout(check, 1500);
})();
