// Follow a people import: rows done of the total, and the page again (with the result) when it is done.
(function () {
  "use strict";
  var box = document.querySelector(".import-progress");
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
        if (data.status === "done") {
          window.location.reload();
        } else {
          // Waiting for the hourly limit: no need to ask as often.
          window.setTimeout(check, data.status === "waiting" ? 30000 : 2000);
        }
      })
      .catch(function () { window.setTimeout(check, 5000); });
  }
  window.setTimeout(check, 2000);
})();
