// Keep what is typed into a form (form[data-draft]) in this tab's sessionStorage, so that a form the
// server refuses or fails on loses nothing. Never the patient section: the patient fields by name,
// and every field inside or marked [data-no-draft]; never hidden fields, files or passwords.
//
// - saved as the person types, with who typed it (body[data-person]);
// - offered back, with the form's notice ([data-draft-notice]) and its button, when the form is shown
//   again without those values;
// - cleared when the form was sent and the next page says it succeeded (a success message), and at
//   logout (a form posting to body[data-logout-url], or marked data-drafts-clear), since wards
//   share computers; drafts of another person who
//   used this tab are removed as soon as someone else is signed in.
(function () {
  "use strict";
  var PREFIX = "samhandling.draft:";
  var PENDING = "samhandling.draft-sent";
  var NEVER = ["patient_name", "patient_identity_number", "csrfmiddlewaretoken"];
  var SKIPPED_TYPES = ["hidden", "file", "password", "submit", "button", "reset", "image"];

  var storage;
  try {
    storage = window.sessionStorage;
    storage.setItem(PREFIX + "test", "1");
    storage.removeItem(PREFIX + "test");
  } catch (error) {
    return; // storage off (private mode, policy): forms work as before, without drafts
  }

  function draftKeys() {
    var keys = [];
    for (var i = 0; i < storage.length; i++) {
      var key = storage.key(i);
      if (key && key.indexOf(PREFIX) === 0) keys.push(key);
    }
    return keys;
  }

  function clearAll() {
    draftKeys().forEach(function (key) { storage.removeItem(key); });
    storage.removeItem(PENDING);
  }

  function read(key) {
    try {
      var draft = JSON.parse(storage.getItem(key));
      return draft && typeof draft.values === "object" ? draft : null;
    } catch (error) {
      return null;
    }
  }

  // At logout (every form that posts to the logout address): nothing stays behind for the next
  // person at this computer.
  var logout = document.body.getAttribute("data-logout-url");
  document.querySelectorAll("form").forEach(function (form) {
    var action = new URL(form.getAttribute("action") || "", window.location.href).pathname;
    if (form.hasAttribute("data-drafts-clear") || (logout && action === logout)) {
      form.addEventListener("submit", clearAll);
    }
  });

  // Someone else is signed in in this tab: the drafts of the one before are not theirs.
  var person = document.body.getAttribute("data-person") || "";
  if (person) {
    draftKeys().forEach(function (key) {
      var draft = read(key);
      if (!draft || draft.person !== person) storage.removeItem(key);
    });
  }

  // A form was sent from the page before this one: a success message here means it was saved.
  var sent = storage.getItem(PENDING);
  storage.removeItem(PENDING);
  if (sent && document.querySelector("[data-message-level=success]")) storage.removeItem(sent);

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (element) {
      var type = (element.type || "").toLowerCase();
      return element.name && !element.disabled && NEVER.indexOf(element.name) === -1 &&
        SKIPPED_TYPES.indexOf(type) === -1 && !element.closest("[data-no-draft]");
    });
  }

  function collect(form) {
    var values = {};
    fields(form).forEach(function (element) {
      if (element.type === "checkbox" || element.type === "radio") {
        values[element.name] = values[element.name] || [];
        if (element.checked) values[element.name].push(element.value);
      } else if (element.multiple) {
        values[element.name] = Array.prototype.map.call(element.selectedOptions, function (option) {
          return option.value;
        });
      } else {
        values[element.name] = element.value;
      }
    });
    return values;
  }

  function isEmpty(value) {
    return Array.isArray(value) ? value.length === 0 : !value;
  }

  function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  // What the draft holds that the form, as shown, does not.
  function missing(form, draft) {
    var current = collect(form);
    return Object.keys(draft.values).filter(function (name) {
      return name in current && !isEmpty(draft.values[name]) && !same(current[name], draft.values[name]);
    });
  }

  function restore(form, values) {
    fields(form).forEach(function (element) {
      if (!(element.name in values)) return;
      var value = values[element.name];
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = value.indexOf(element.value) !== -1;
      } else if (element.multiple) {
        Array.prototype.forEach.call(element.options, function (option) {
          option.selected = value.indexOf(option.value) !== -1;
        });
      } else {
        element.value = value;
      }
      // Let the form's own script (e.g. which sections to show) follow the restored values.
      element.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  document.querySelectorAll("form[data-draft]").forEach(function (form) {
    var key = PREFIX + new URL(form.getAttribute("action") || "", window.location.href).pathname;
    var notice = form.querySelector("[data-draft-notice]");
    var offered = null; // the draft on offer, until it is taken back or thrown away
    var touched = {};

    function save() {
      var values = collect(form);
      if (offered) {
        // Keep the draft on offer; only what was typed since replaces its fields.
        var merged = {};
        Object.keys(offered.values).forEach(function (name) { merged[name] = offered.values[name]; });
        Object.keys(touched).forEach(function (name) { merged[name] = values[name]; });
        values = merged;
      }
      try {
        storage.setItem(key, JSON.stringify({ person: person, saved: Date.now(), values: values }));
      } catch (error) {
        // Over the tab's storage quota: the form still works, the last draft that fitted stays.
      }
    }

    function close() {
      offered = null;
      if (notice) {
        notice.querySelector("[data-draft-offer]").hidden = true;
      }
    }

    var draft = read(key);
    if (draft && notice && missing(form, draft).length) {
      offered = draft;
      notice.hidden = false;
      notice.querySelector("[data-draft-restore]").addEventListener("click", function () {
        restore(form, offered.values);
        close();
        save();
        var done = notice.querySelector("[data-draft-restored]");
        done.hidden = false;
        done.focus();
      });
      notice.querySelector("[data-draft-discard]").addEventListener("click", function () {
        close();
        notice.hidden = true;
        storage.removeItem(key);
        touched = {};
        var first = fields(form)[0];
        if (first) first.focus();
      });
    }

    function changed(event) {
      if (event.target && event.target.name) touched[event.target.name] = true;
      save();
    }
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", function () {
      if (!offered) save();
      try {
        storage.setItem(PENDING, key);
      } catch (error) {
        // Over quota: the draft then stays until it is thrown away or the tab is closed.
      }
    });
  });
})();
