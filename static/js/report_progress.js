// Follow a report being made: update the progress bar, and show the download when it is ready.
(function () {
  "use strict";
  var box = document.querySelector(".report-progress");
  if (!box) return;
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-status-text]");
  function check() {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        bar.value = data.progress;
        text.textContent = data.label + " – " + data.progress + " %";
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
