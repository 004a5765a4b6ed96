// Show the message fields only for categories about an electronic message, and the
// "unexpected?" question only for very serious harm and death, and the AppRec error code only for a
// negative receipt. Without script, all are shown.
(function () {
  "use strict";
  var form = document.querySelector(".deviation-form");
  if (!form) return;
  var category = form.querySelector("[name=category]");
  var consequence = form.querySelector("[name=consequence]");
  var messageFields = form.querySelector("[data-message-fields]");
  var seriousQuestion = form.querySelector("[data-serious-question]");
  var apprec = form.querySelector("[name=apprec]");
  var apprecError = form.querySelector("[data-apprec-error]");
  var messageCategories = (messageFields && messageFields.dataset.messageCategories || "").split(",");

  function update() {
    if (category && messageFields) {
      messageFields.hidden = messageCategories.indexOf(category.value) === -1;
    }
    if (consequence && seriousQuestion) {
      seriousQuestion.hidden = ["very_serious", "death"].indexOf(consequence.value) === -1;
    }
    if (apprec && apprecError) {
      // Kept in sight while it holds a code, so a refused code is never out of view.
      apprecError.hidden = apprec.value !== "negative" && !apprecError.querySelector("input").value;
    }
  }
  if (category) category.addEventListener("change", update);
  if (apprec) apprec.addEventListener("change", update);
  if (consequence) consequence.addEventListener("change", update);
  update();
})();
