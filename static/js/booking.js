/* Booking and site forms: the live conflict check, the live count of the chosen sites, the site
   pickers' helpers, the series fields.

   Everything here is an enhancement: without JavaScript the form still posts, the server
   still reports conflicts on submit, and codes can be typed into the text areas. */
(function () {
  "use strict";

  var DEBOUNCE_MS = 400;
  var CODE_SEPARATORS = /[\s,;]+/;

  function splitCodes(text) {
    return text.split(CODE_SEPARATORS).filter(Boolean);
  }

  /* Add codes to a comma-separated text area, each once, and tell the form it changed. */
  function appendCodes(textarea, codes) {
    var present = splitCodes(textarea.value);
    codes.forEach(function (code) {
      if (present.indexOf(code) === -1) {
        present.push(code);
      }
    });
    textarea.value = present.join(", ");
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  /* Lower case without Vietnamese diacritics: "Hà Nội" is found by "ha noi". */
  function fold(text) {
    return text
      .toLowerCase()
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d");
  }

  function setUpCodeAdders() {
    document.querySelectorAll(".code-adder").forEach(function (adder) {
      var target = document.getElementById(adder.dataset.target);
      var input = adder.querySelector("input");
      var button = adder.querySelector("button");
      if (!target || !input || !button) {
        return;
      }
      function add() {
        var codes = splitCodes(input.value.trim());
        if (codes.length) {
          appendCodes(target, codes);
          input.value = "";
        }
      }
      button.addEventListener("click", add);
      input.addEventListener("keydown", function (event) {
        // An Enter the combobox took (picking a suggestion) adds nothing typed.
        if (event.key === "Enter" && !event.defaultPrevented) {
          event.preventDefault();
          add();
        }
      });
      // A site picked from the suggestions is added at once.
      input.addEventListener("site-picked", function (event) {
        appendCodes(target, [event.detail.code]);
        input.value = "";
      });
      adder.hidden = false;
    });
  }

  function setUpProvinceFilter() {
    var filter = document.getElementById("province-filter");
    var list = filter && document.getElementById(filter.dataset.filter);
    if (!list) {
      return;
    }
    var choices = Array.prototype.slice.call(list.querySelectorAll("[data-search]"));
    choices.forEach(function (choice) {
      choice.dataset.folded = fold(choice.dataset.search);
    });
    filter.addEventListener("input", function () {
      var wanted = fold(filter.value.trim());
      choices.forEach(function (choice) {
        var input = choice.querySelector("input");
        // A ticked province stays visible, so the filter never hides a choice made.
        choice.hidden = wanted !== "" && !input.checked && choice.dataset.folded.indexOf(wanted) === -1;
      });
    });
    filter.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
      }
    });
    filter.hidden = false;
  }

  function setUpSeriesFields() {
    var repeat = document.getElementById("id_repeat");
    var details = document.getElementById("series-details");
    if (!repeat || !details) {
      return;
    }
    function sync() {
      details.hidden = !repeat.value;
    }
    repeat.addEventListener("change", sync);
    sync();
  }

  /* "Leave the busy sites out": the button comes with the conflicts, in any panel. */
  function setUpExcludeBusy() {
    document.addEventListener("click", function (event) {
      var button = event.target.closest(".exclude-busy");
      var target = document.getElementById("id_exclude_sites");
      if (!button || !target) {
        return;
      }
      var exclusions = document.getElementById("exclusions");
      if (exclusions) {
        exclusions.open = true;
      }
      appendCodes(target, button.dataset.codes.split(","));
    });
    revealExcludeBusy(document);
  }

  function revealExcludeBusy(root) {
    if (!document.getElementById("id_exclude_sites")) {
      return;
    }
    root.querySelectorAll(".exclude-busy").forEach(function (button) {
      button.hidden = false;
    });
  }

  /* POST the whole form to `url` for a dry run; the promise fails on an error status and on
     a redirect, which means the session expired (the login page is no answer to show). */
  function postForm(form, url, accept, signal) {
    var token = form.querySelector("[name=csrfmiddlewaretoken]");
    return fetch(url, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-CSRFToken": token ? token.value : "", Accept: accept },
      credentials: "same-origin",
      cache: "no-store",
      signal: signal,
    }).then(function (response) {
      if (!response.ok || response.redirected) {
        throw new Error("HTTP " + response.status);
      }
      return response;
    });
  }

  /* The dry run: post the whole form to data-check-url a moment after the last change
     and show the fragment it answers. Only the answer to the latest request is shown. */
  function setUpLiveCheck() {
    var form = document.querySelector("form[data-check-url]");
    var panel = document.getElementById("conflicts");
    if (!form || !panel) {
      return;
    }
    var timer = null;
    var controller = null;
    var latest = 0;

    function run() {
      if (controller) {
        controller.abort();
      }
      controller = new AbortController();
      var request = ++latest;
      panel.classList.add("is-checking");
      panel.setAttribute("aria-busy", "true");
      postForm(form, form.dataset.checkUrl, "text/html", controller.signal)
        .then(function (response) {
          return response.text();
        })
        .then(function (html) {
          if (request !== latest) {
            return;
          }
          panel.innerHTML = html;
          revealExcludeBusy(panel);
          done();
        })
        .catch(function (error) {
          if (error.name === "AbortError" || request !== latest) {
            return;
          }
          var message = document.createElement("p");
          message.className = "conflicts-status conflicts-problem";
          message.textContent = panel.dataset.unavailableText || "";
          panel.replaceChildren(message);
          done();
        });
    }

    function done() {
      panel.classList.remove("is-checking");
      panel.removeAttribute("aria-busy");
    }

    function schedule(event) {
      // The helper inputs (code adders, province filter) have no name: not part of the booking.
      if (!event.target.name || event.target.name === "csrfmiddlewaretoken") {
        return;
      }
      window.clearTimeout(timer);
      timer = window.setTimeout(run, DEBOUNCE_MS);
    }

    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);
  }

  /* The live count of the chosen sites: the selection (not the host) posted to
     data-count-url a moment after the last change; the answer is {count, text}. */
  var SELECTION_FIELDS = ["levels", "subtrees", "sites", "exclude_sites", "exclude_subtrees"];

  function setUpLiveCount() {
    var form = document.querySelector("form[data-count-url]");
    var output = document.getElementById("site-count");
    if (!form || !output) {
      return;
    }
    var timer = null;
    var controller = null;
    var latest = 0;

    function show(text, problem) {
      output.textContent = text;
      output.classList.toggle("site-count-problem", problem);
      output.classList.remove("is-checking");
    }

    function run() {
      if (controller) {
        controller.abort();
      }
      controller = new AbortController();
      var request = ++latest;
      output.classList.add("is-checking");
      postForm(form, form.dataset.countUrl, "application/json", controller.signal)
        .then(function (response) {
          return response.json();
        })
        .then(function (answer) {
          if (request === latest) {
            show(answer.text, answer.count === null);
          }
        })
        .catch(function (error) {
          if (error.name !== "AbortError" && request === latest) {
            show(output.dataset.unavailableText || "", true);
          }
        });
    }

    function schedule(event) {
      if (SELECTION_FIELDS.indexOf(event.target.name) === -1) {
        return;
      }
      window.clearTimeout(timer);
      timer = window.setTimeout(run, DEBOUNCE_MS);
    }

    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);
  }

  /* The site comboboxes (WAI-ARIA combobox with a list popup): an input marked
     data-site-combobox in the picker suggests up to 20 sites of the office's jurisdiction
     matching what is typed, however it is written ("hoan kiem" finds "Hoàn Kiếm"), asked
     of the picker's data-site-search-url. Arrow keys move through them, Enter or a click
     picks one, Escape closes the list. The host field ("host") then holds the picked code,
     what the form posts; a code adder ("add") receives a "site-picked" event. Without
     JavaScript these stay plain text fields of codes. */
  var SEARCH_DEBOUNCE_MS = 200;

  function setUpSiteComboboxes() {
    var picker = document.querySelector("[data-site-search-url]");
    if (!picker) {
      return;
    }
    picker.querySelectorAll("input[data-site-combobox]").forEach(function (input, number) {
      siteCombobox(input, picker.dataset.siteSearchUrl, "site-combobox-" + number);
    });
  }

  function siteCombobox(input, url, id) {
    var wrapper = document.createElement("div");
    var listbox = document.createElement("ul");
    var status = document.createElement("p");
    wrapper.className = "combobox";
    listbox.id = id + "-listbox";
    listbox.className = "combobox-listbox";
    listbox.setAttribute("role", "listbox");
    listbox.hidden = true;
    // The list is named by the field's label.
    var label = input.labels && input.labels[0];
    if (label) {
      label.id = label.id || id + "-label";
      listbox.setAttribute("aria-labelledby", label.id);
    }
    status.id = id + "-status";
    status.className = "combobox-status";
    status.setAttribute("role", "status");
    input.parentNode.insertBefore(wrapper, input);
    wrapper.append(input, listbox);
    // Below the input and its list, not between them.
    wrapper.after(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);
    var described = input.getAttribute("aria-describedby");
    input.setAttribute("aria-describedby", (described ? described + " " : "") + status.id);

    var sites = [];
    var active = -1;
    var timer = null;
    var controller = null;
    var latest = 0;

    function option(site, index) {
      var item = document.createElement("li");
      var name = document.createElement("span");
      var code = document.createElement("code");
      var level = document.createElement("span");
      item.id = listbox.id + "-" + index;
      item.className = "combobox-option";
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.dataset.index = String(index);
      name.className = "combobox-name";
      name.textContent = site.name;
      code.textContent = site.code;
      level.className = "combobox-level";
      level.textContent = site.level;
      item.append(name, " ", code, " ", level);
      return item;
    }

    function show(found) {
      sites = found;
      active = -1;
      input.removeAttribute("aria-activedescendant");
      listbox.replaceChildren.apply(listbox, sites.map(option));
      setOpen(sites.length > 0);
    }

    function setOpen(open) {
      listbox.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      if (!open) {
        active = -1;
        input.removeAttribute("aria-activedescendant");
      }
    }

    function setActive(index) {
      var items = listbox.children;
      if (active >= 0 && items[active]) {
        items[active].setAttribute("aria-selected", "false");
      }
      active = index;
      items[active].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }

    function pick(index) {
      var site = sites[index];
      setOpen(false);
      if (input.dataset.siteCombobox === "host") {
        input.value = site.code;
        status.textContent = site.name + " (" + site.code + ")";
        // The live check listens for changes of named fields.
        input.dispatchEvent(new Event("change", { bubbles: true }));
      } else {
        status.textContent = "";
        input.dispatchEvent(new CustomEvent("site-picked", { detail: site }));
      }
    }

    function search() {
      var typed = input.value.trim();
      if (controller) {
        controller.abort();
      }
      if (!typed) {
        show([]);
        status.textContent = "";
        return;
      }
      controller = new AbortController();
      var request = ++latest;
      fetch(url + "?q=" + encodeURIComponent(typed), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: controller.signal,
      })
        .then(function (response) {
          if (!response.ok || response.redirected) {
            throw new Error("HTTP " + response.status);
          }
          return response.json();
        })
        .then(function (answer) {
          if (request === latest) {
            show(answer.sites);
            status.textContent = answer.text;
          }
        })
        .catch(function (error) {
          if (error.name !== "AbortError" && request === latest) {
            show([]);
            status.textContent = picker().dataset.unavailableText || "";
          }
        });
    }

    function picker() {
      return wrapper.closest("[data-site-search-url]");
    }

    input.addEventListener("input", function () {
      // "Name (CODE)" of a picked host no longer holds once the code is edited.
      status.textContent = "";
      window.clearTimeout(timer);
      timer = window.setTimeout(search, SEARCH_DEBOUNCE_MS);
    });
    input.addEventListener("keydown", function (event) {
      var open = !listbox.hidden;
      if (event.key === "ArrowDown" && sites.length) {
        event.preventDefault();
        setOpen(true);
        setActive(Math.min(active + 1, sites.length - 1));
      } else if (event.key === "ArrowUp" && open) {
        event.preventDefault();
        setActive(Math.max(active - 1, 0));
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault();
        pick(active);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        setOpen(false);
      }
    });
    // Keep the focus in the input while an option is clicked.
    listbox.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });
    listbox.addEventListener("click", function (event) {
      var item = event.target.closest("[role=option]");
      if (item) {
        pick(Number(item.dataset.index));
      }
    });
    input.addEventListener("blur", function () {
      setOpen(false);
    });
  }

  // Before the code adders: an Enter that picks a suggestion is not read as typed codes.
  setUpSiteComboboxes();
  setUpCodeAdders();
  setUpProvinceFilter();
  setUpSeriesFields();
  setUpExcludeBusy();
  setUpLiveCheck();
  setUpLiveCount();
})();
