/* Date and time pickers in the page's language (meetings/date_entry.py).

   Fields marked data-picker="date" (dd/mm/yyyy) or data-picker="time" (HH:mm, 24 h) are
   plain text fields the server parses; typing always works. flatpickr and its Vietnamese
   locale (static/vendor/flatpickr/) are fetched on the first touch of such a field, so a
   page nobody picks a date on pays nothing for them. Their addresses come from this
   script's data- attributes (hashed static names). */
(function () {
  "use strict";

  var script = document.currentScript;
  var loading = null;

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      tag.src = src;
      tag.onload = resolve;
      tag.onerror = reject;
      document.head.appendChild(tag);
    });
  }

  function loadStyle(href) {
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    document.head.appendChild(link);
  }

  function loadFlatpickr() {
    if (!loading) {
      loadStyle(script.dataset.css);
      loading = loadScript(script.dataset.js).then(function () {
        return document.documentElement.lang === "vi" ? loadScript(script.dataset.vi) : null;
      });
    }
    return loading;
  }

  function pad(number) {
    return (number < 10 ? "0" : "") + number;
  }

  /* What people type and what the server accepts: 31/12/2026, 31-12-2026, 31.12.2026 or
     ISO 2026-12-31; 14:30, 14.30 or 14h30. flatpickr's own parser would read an ISO date
     through "d/m/Y" as nonsense. */
  function parse(text, kind) {
    var match;
    text = (text || "").trim();
    if (kind === "time") {
      match = /^(\d{1,2})[:.h](\d{2})(?::\d{2})?$/.exec(text);
      if (!match || +match[1] > 23 || +match[2] > 59) {
        return undefined;
      }
      var now = new Date();
      now.setHours(+match[1], +match[2], 0, 0);
      return now;
    }
    var day, month, year;
    if ((match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text))) {
      year = +match[1];
      month = +match[2];
      day = +match[3];
    } else if ((match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text))) {
      day = +match[1];
      month = +match[2];
      year = +match[3];
    } else {
      return undefined;
    }
    var date = new Date(year, month - 1, day);
    // 31/02 rolls over into March in JavaScript: refuse it, as the server does.
    return date.getDate() === day && date.getMonth() === month - 1 ? date : undefined;
  }

  function format(date, kind) {
    if (kind === "time") {
      return pad(date.getHours()) + ":" + pad(date.getMinutes());
    }
    return pad(date.getDate()) + "/" + pad(date.getMonth() + 1) + "/" + date.getFullYear();
  }

  function attach(input) {
    if (input._flatpickr) {
      return input._flatpickr;
    }
    var kind = input.dataset.picker;
    var options = {
      allowInput: true,
      // Phones would get the browser's own picker, in the browser's language.
      disableMobile: true,
      time_24hr: true,
      parseDate: function (text) {
        return parse(text, kind);
      },
      formatDate: function (date) {
        return format(date, kind);
      },
    };
    if (kind === "time") {
      options.enableTime = true;
      options.noCalendar = true;
      options.minuteIncrement = 5;
    }
    if (document.documentElement.lang === "vi" && window.flatpickr.l10ns.vn) {
      options.locale = window.flatpickr.l10ns.vn;
    }
    return window.flatpickr(input, options);
  }

  function onFirstTouch(event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.dataset.picker || input._flatpickr) {
      return;
    }
    loadFlatpickr().then(function () {
      var picker = attach(input);
      if (document.activeElement === input) {
        picker.open();
      }
    });
  }

  document.addEventListener("focusin", onFirstTouch);
})();
