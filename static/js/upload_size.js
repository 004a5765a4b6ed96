// Tell a person that the files they chose are too large before the form is sent, instead of after
// a long upload ends in the server's 413 page. The limits and the messages (in the page's language)
// come from #upload-limits (templates/partials/upload_limits.html); the server still checks all.
(function () {
  "use strict";
  var limits = document.getElementById("upload-limits");
  if (!limits) return;
  var FILE_MAX = Number(limits.dataset.fileMax);
  var TOTAL_MAX = Number(limits.dataset.totalMax);
  var MOST_FILES = Number(limits.dataset.mostFiles);

  function megabytes(size) {
    // The server's page and messages write sizes the same way: "12,3 MB".
    return (size / (1024 * 1024)).toFixed(1).replace(".", ",").replace(",0", "") + " MB";
  }

  function fileInputs(form) {
    return Array.prototype.slice.call(form.querySelectorAll("input[type=file]"));
  }

  function problems(form) {
    var found = [];
    var total = 0;
    var count = 0;
    fileInputs(form).forEach(function (input) {
      Array.prototype.forEach.call(input.files || [], function (file) {
        count += 1;
        total += file.size;
        if (file.size > FILE_MAX) {
          found.push({ input: input, text: limits.dataset.tooLarge.replace("{name}", file.name).replace("{size}", megabytes(file.size)) });
        }
      });
    });
    var last = fileInputs(form).filter(function (input) { return input.files && input.files.length; }).pop();
    if (last && count > MOST_FILES) found.push({ input: last, text: limits.dataset.tooMany });
    if (last && total > TOTAL_MAX) found.push({ input: last, text: limits.dataset.tooMuch.replace("{size}", megabytes(total)) });
    return found;
  }

  function messageFor(input) {
    var id = input.id ? input.id + "-size" : "";
    var box = id ? document.getElementById(id) : null;
    if (!box) {
      box = document.createElement("div");
      box.className = "invalid-feedback d-block";
      box.setAttribute("aria-live", "polite");
      if (id) box.id = id;
      input.insertAdjacentElement("afterend", box);
      if (id) {
        var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
        if (described.indexOf(id) === -1) described.push(id);
        input.setAttribute("aria-describedby", described.join(" "));
      }
    }
    return box;
  }

  function check(form) {
    var found = problems(form);
    fileInputs(form).forEach(function (input) {
      var texts = found.filter(function (p) { return p.input === input; }).map(function (p) { return p.text; });
      var box = document.getElementById(input.id + "-size");
      if (texts.length) {
        messageFor(input).textContent = texts.join(" ");
        input.setAttribute("aria-invalid", "true");
        input.setCustomValidity(texts.join(" "));
      } else {
        if (box) box.textContent = "";
        input.removeAttribute("aria-invalid");
        input.setCustomValidity("");
      }
    });
    return found;
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input instanceof HTMLInputElement && input.type === "file" && input.form) check(input.form);
  });

  // Forms marked novalidate skip the browser's own check, so stop the sending here.
  document.addEventListener(
    "submit",
    function (event) {
      var found = check(event.target);
      if (found.length) {
        event.preventDefault();
        event.stopImmediatePropagation();
        found[0].input.focus();
      }
    },
    true
  );
})();
