// When a form comes back with errors, move focus to its summary, so that a screen reader reads it
// and a keyboard user starts from the list of links to the fields.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
