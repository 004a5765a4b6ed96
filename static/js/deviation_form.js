// Show the message fields only for categories about an electronic message, and the
// "unexpected?" question only for serious consequences. Without script, all are shown.
(function () {
  "use strict";
  var form = document.querySelector(".deviation-form");
  if (!form) return;
  var category = form.querySelector("[name=category]");
  var consequence = form.querySelector("[name=consequence]");
  var messageFields = form.querySelector("[data-message-fields]");
  var seriousQuestion = form.querySelector("[data-serious-question]");
  var messageCategories = (messageFields && messageFields.dataset.messageCategories || "").split(",");

  function update() {
    if (category && messageFields) {
      messageFields.hidden = messageCategories.indexOf(category.value) === -1;
    }
    if (consequence && seriousQuestion) {
      seriousQuestion.hidden = ["serious", "critical"].indexOf(consequence.value) === -1;
    }
  }
  if (category) category.addEventListener("change", update);
  if (consequence) consequence.addEventListener("change", update);
  update();
})();
