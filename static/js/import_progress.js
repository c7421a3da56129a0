/* Import job page: poll the job's status once a second and move the progress bar;
   when the job has finished, reload so the server renders the counts and row errors. */
(function () {
  "use strict";

  var POLL_MS = 1000;
  var RETRY_MS = 5000;
  var bar = document.getElementById("import-progress");
  if (!bar || !bar.dataset.statusUrl) {
    return;
  }
  var text = document.getElementById("import-progress-text");
  var status = document.getElementById("import-status");

  function show(state) {
    if (state.total_rows > 0) {
      bar.max = state.total_rows;
      bar.value = state.processed_rows;
      bar.textContent = state.percent + "%";
      text.textContent = bar.dataset.rowsText
        .replace("{processed}", state.processed_rows)
        .replace("{total}", state.total_rows);
    } else if (state.status === "running") {
      text.textContent = bar.dataset.readingText;
    }
    status.textContent = state.status_label;
    status.className = "badge badge-" + state.status;
  }

  function poll() {
    fetch(bar.dataset.statusUrl, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      cache: "no-store",
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (state) {
        show(state);
        if (state.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, POLL_MS);
        }
      })
      .catch(function () {
        window.setTimeout(poll, RETRY_MS);
      });
  }

  window.setTimeout(poll, POLL_MS);
})();
