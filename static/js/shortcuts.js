/*
 * Keyboard shortcuts (hurtigtaster), listed on the page /hurtigtaster/ and in the "?" dialog.
 *
 * WCAG 2.1.4: the single-key shortcuts act only when <body data-shortcuts="on">, which a person turns
 * off in their settings, and never while they type in a field or hold Ctrl, Alt or Cmd.
 *
 * Lists: j / k next and previous row, Enter or o open it, x choose it, / search.
 * Case: c write a message, a write the answer. Everywhere: ? this list, g then a letter to go to a queue
 * (the letters and their pages come from the help page, which shows only the person's own queues).
 */
(function () {
  "use strict";

  const body = document.body;
  if (!body || body.dataset.shortcuts !== "on") {
    return;
  }
  const helpUrl = body.dataset.shortcutsHelp;
  const TEXT_INPUTS_EXCEPT = ["checkbox", "radio", "button", "submit", "reset", "image", "hidden", "range", "color", "file"];
  const G_WAIT_MS = 1500;
  let current = -1;
  let awaitingGo = false;
  let goTimer = null;
  let reference = null;

  function typing(target) {
    if (!(target instanceof Element)) {
      return false;
    }
    if (target.isContentEditable) {
      return true;
    }
    const tag = target.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT") {
      return true;
    }
    if (tag === "INPUT") {
      return !TEXT_INPUTS_EXCEPT.includes((target.getAttribute("type") || "text").toLowerCase());
    }
    return false;
  }

  // The help page's list, from this page if it is the help page, otherwise fetched once.
  function loadReference() {
    if (reference) {
      return reference;
    }
    const here = document.getElementById("shortcuts-reference");
    if (here) {
      reference = Promise.resolve(document);
    } else {
      reference = fetch(helpUrl, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("help page " + response.status);
          }
          return response.text();
        })
        .then(function (html) {
          return new DOMParser().parseFromString(html, "text/html");
        })
        .catch(function (error) {
          reference = null;
          throw error;
        });
    }
    return reference;
  }

  // ---- the "?" dialog ----

  function buildDialog(source) {
    const original = source.getElementById("shortcuts-reference");
    const heading = source.querySelector("main h1");
    const dialog = document.createElement("dialog");
    dialog.id = "shortcuts-dialog";
    dialog.className = "shortcuts-dialog border rounded p-4";
    dialog.setAttribute("aria-labelledby", "shortcuts-dialog-title");
    dialog.style.maxWidth = "44rem"; // through the CSSOM: allowed by the strict CSP, unlike a style attribute
    const title = document.createElement("h2");
    title.id = "shortcuts-dialog-title";
    title.className = "h3";
    title.tabIndex = -1; // focus starts on the title, not on the first link of the list
    title.textContent = heading ? heading.textContent.trim() : "";
    dialog.appendChild(title);
    const content = document.importNode(original, true);
    // The copy must not repeat the page's ids: give every id a prefix, and the references to them.
    content.removeAttribute("id");
    content.querySelectorAll("[id]").forEach(function (element) {
      element.id = "dialog-" + element.id;
    });
    content.querySelectorAll("[aria-labelledby]").forEach(function (element) {
      element.setAttribute("aria-labelledby", "dialog-" + element.getAttribute("aria-labelledby"));
    });
    dialog.appendChild(content);
    const form = document.createElement("form");
    form.method = "dialog";
    const close = document.createElement("button");
    close.type = "submit";
    close.className = "btn btn-primary";
    close.textContent = original.dataset.closeLabel || "OK";
    form.appendChild(close);
    dialog.appendChild(form);
    // A click on the backdrop (outside the dialog's box) closes it too.
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog) {
        const box = dialog.getBoundingClientRect();
        const inside = event.clientX >= box.left && event.clientX <= box.right && event.clientY >= box.top && event.clientY <= box.bottom;
        if (!inside) {
          dialog.close();
        }
      }
    });
    document.body.appendChild(dialog);
    return dialog;
  }

  function showHelp() {
    loadReference().then(function (source) {
      const dialog = document.getElementById("shortcuts-dialog") || buildDialog(source);
      if (!dialog.open) {
        dialog.showModal();
        document.getElementById("shortcuts-dialog-title").focus();
      }
    }, function () {
      window.location.href = helpUrl;
    });
  }

  function go(letter) {
    loadReference().then(function (source) {
      const link = source.querySelector('[data-shortcut-go="' + letter + '"]');
      if (link) {
        window.location.href = link.getAttribute("href");
      }
    }, function () {});
  }

  // ---- the list ----

  function rows() {
    return Array.prototype.filter.call(document.querySelectorAll("main table tbody tr"), function (row) {
      return row.querySelector("a[href]") !== null;
    });
  }

  function currentIndex(all) {
    const focused = document.activeElement && document.activeElement.closest ? document.activeElement.closest("tr") : null;
    const index = focused ? all.indexOf(focused) : -1;
    return index >= 0 ? index : current;
  }

  function mark(all, index) {
    all.forEach(function (row, i) {
      row.classList.toggle("table-active", i === index);
      if (i === index) {
        row.setAttribute("aria-current", "true");
      } else {
        row.removeAttribute("aria-current");
      }
    });
    current = index;
    const link = all[index].querySelector("a[href]");
    link.focus();
    all[index].scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    const all = rows();
    if (!all.length) {
      return false;
    }
    const from = currentIndex(all);
    const to = from < 0 ? 0 : Math.min(Math.max(from + step, 0), all.length - 1);
    mark(all, to);
    return true;
  }

  function currentRow() {
    const all = rows();
    const index = currentIndex(all);
    return index >= 0 && index < all.length ? all[index] : null;
  }

  function open() {
    const row = currentRow();
    if (!row) {
      return false;
    }
    window.location.href = row.querySelector("a[href]").getAttribute("href");
    return true;
  }

  function choose() {
    const row = currentRow();
    const box = row ? row.querySelector("[data-row-select]") : null;
    if (!box) {
      return false;
    }
    box.click();
    return true;
  }

  function focusField(id) {
    const field = document.getElementById(id);
    if (!field) {
      return false;
    }
    const details = field.closest("details");
    if (details) {
      details.open = true;
    }
    field.focus();
    field.scrollIntoView({ block: "center" });
    return true;
  }

  // ---- the keys ----

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.isComposing || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    if (typing(event.target) || document.querySelector("dialog[open]")) {
      return;
    }
    const key = event.key;
    if (awaitingGo) {
      awaitingGo = false;
      window.clearTimeout(goTimer);
      if (/^[a-z]$/.test(key)) {
        event.preventDefault();
        go(key);
      }
      return;
    }
    let handled = false;
    switch (key) {
      case "?":
        showHelp();
        handled = true;
        break;
      case "g":
        awaitingGo = true;
        goTimer = window.setTimeout(function () {
          awaitingGo = false;
        }, G_WAIT_MS);
        loadReference().catch(function () {});
        handled = true;
        break;
      case "j":
        handled = move(1);
        break;
      case "k":
        handled = move(-1);
        break;
      case "o":
        handled = open();
        break;
      case "Enter": {
        // On a focused link or button, Enter does what it always does.
        const active = document.activeElement;
        if (!active || active === document.body || active.tagName === "TR" || active.tagName === "MAIN") {
          handled = current >= 0 && open();
        }
        break;
      }
      case "x":
        handled = choose();
        break;
      case "/":
        handled = focusField("id_q");
        break;
      case "c":
        handled = focusField("id_body");
        break;
      case "a":
        handled = focusField("id_answer-cause");
        break;
      default:
        break;
    }
    if (handled) {
      event.preventDefault();
    }
  });
})();
