/* Record uploads: recordings (templates/meetings/records/recording_upload.html) and
   documents (the document form of templates/meetings/records/section.html), every
   `form[data-chunked-upload]` of the page.

   Choose a file → create the upload (API) → send its parts → complete. A document in S3
   mode is one part: a single PUT whose signature pins its size and type (the headers the
   sign answer gives are sent with it); after completing, the page asks the upload until
   the task worker has verified the document (completed) or refused it (failed, why).
   S3 mode: part URLs are signed in batches and each part is PUT straight to object
   storage (the bucket's CORS rules expose ETag, the part's receipt). App mode: parts
   are PUT to the application. Three parts travel at a time; a failed part is tried
   again up to 5 times with a growing pause. The upload id is remembered per file
   (name, size, last modified) in localStorage: choosing the same file after a reload
   asks the API which parts arrived and sends only the others (all of them listed: the
   store assembled the file already, complete it; 409: the store forgot the upload,
   start again). The Cancel button is hidden while the parts are being completed:
   the server refuses to abort an upload it is completing. */
(function () {
  "use strict";

  var CONCURRENCY = 3;
  var RETRIES = 5;
  var SIGN_BATCH = 30;
  var VERIFY_POLL_MS = 1000;
  var VERIFY_POLLS = 120;
  if (!window.fetch || !window.XMLHttpRequest) {
    return;
  }
  Array.prototype.forEach.call(document.querySelectorAll("form[data-chunked-upload]"), setup);

  function setup(form) {
    var texts = form.dataset;
    var kind = texts.chunkedUpload; // "recording" or "document"
    function role(name) {
      return form.querySelector("[data-upload-role=" + name + "]");
    }
    var fileInput = role("file");
    var submit = role("submit");
    var cancelButton = role("cancel");
    var bar = role("progress");
    var statusLine = role("status");
    var csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;
    var current = null; // the running upload: {state, file, key, requests, cancelled}

    function text(name, values) {
      var value = texts["text" + name] || "";
      Object.keys(values || {}).forEach(function (key) {
        value = value.split("{" + key + "}").join(values[key]);
      });
      return value;
    }

    function say(message) {
      statusLine.textContent = message;
    }

    function uploadUrl(id, suffix) {
      return texts.uploadUrl.replace(/\/0\/$/, "/" + id + "/") + (suffix || "");
    }

    function storageKey(file) {
      return ["giaoban-" + kind, texts.meeting, file.name, file.size, file.lastModified].join(":");
    }

    function problem(data, status) {
      var error = new Error(text("Http", { status: status }));
      error.status = status;
      if (data && data.detail) {
        error.message = data.detail;
        error.code = data.code;
      } else if (data && typeof data === "object") {
        var first = Object.keys(data)[0];
        if (first) {
          error.message = [].concat(data[first])[0];
        }
      }
      return error;
    }

    function api(method, url, body) {
      return fetch(url, {
        method: method,
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf },
        credentials: "same-origin",
        cache: "no-store",
        body: body === undefined ? undefined : JSON.stringify(body),
      }).then(
        function (response) {
          if (response.status === 204) {
            return null;
          }
          return response.json().then(
            function (data) {
              if (!response.ok) {
                throw problem(data, response.status);
              }
              return data;
            },
            function () {
              throw problem(null, response.status);
            }
          );
        },
        function () {
          throw problem({ detail: text("Network") }, 0);
        }
      );
    }

    function pause(ms) {
      return new Promise(function (resolve) {
        window.setTimeout(resolve, ms);
      });
    }

    // -- Progress --------------------------------------------------------------------------

    function partSize(state, number) {
      return number < state.part_count ? state.part_size : state.size - state.part_size * (state.part_count - 1);
    }

    function showProgress(upload) {
      var sent = 0;
      Object.keys(upload.etags).forEach(function (number) {
        sent += partSize(upload.state, Number(number));
      });
      Object.keys(upload.loading).forEach(function (number) {
        sent += upload.loading[number];
      });
      var percent = Math.min(100, Math.floor((sent * 100) / upload.state.size));
      bar.value = percent;
      bar.textContent = percent + "%";
      say(
        text("Progress", {
          percent: percent,
          done: Object.keys(upload.etags).length,
          total: upload.state.part_count,
        })
      );
    }

    // -- Sending one part ------------------------------------------------------------------

    function signedUrl(upload, number) {
      if (upload.urls[number]) {
        return Promise.resolve(upload.urls[number]);
      }
      var batch = [number].concat(
        upload.queue.filter(function (n) {
          return !upload.urls[n];
        })
      );
      batch = batch.slice(0, SIGN_BATCH);
      return api("POST", uploadUrl(upload.state.id, "sign/"), { parts: batch }).then(function (data) {
        upload.headers = data.headers || {}; // a document's PUT: its signed Content-Type
        Object.keys(data.urls).forEach(function (n) {
          upload.urls[n] = data.urls[n];
        });
        return upload.urls[number];
      });
    }

    function put(upload, number, url, appMode) {
      return new Promise(function (resolve, reject) {
        var start = (number - 1) * upload.state.part_size;
        var body = upload.file.slice(start, start + partSize(upload.state, number));
        var request = new XMLHttpRequest();
        upload.requests[number] = request;
        request.open("PUT", url);
        if (appMode) {
          request.setRequestHeader("X-CSRFToken", csrf);
          request.setRequestHeader("Content-Type", "application/octet-stream");
        } else {
          Object.keys(upload.headers).forEach(function (name) {
            request.setRequestHeader(name, upload.headers[name]);
          });
        }
        request.upload.onprogress = function (event) {
          upload.loading[number] = event.loaded;
          showProgress(upload);
        };
        request.onload = function () {
          delete upload.requests[number];
          delete upload.loading[number];
          if (request.status >= 200 && request.status < 300) {
            var etag = request.getResponseHeader("ETag");
            if (!etag) {
              var failure = problem({ detail: text("NoEtag") }, request.status);
              failure.fatal = true;
              reject(failure);
              return;
            }
            resolve(etag.replace(/"/g, ""));
          } else {
            var data = null;
            try {
              data = JSON.parse(request.responseText);
            } catch (ignored) {
              data = null;
            }
            reject(problem(data, request.status));
          }
        };
        request.onerror = request.onabort = function () {
          delete upload.requests[number];
          delete upload.loading[number];
          reject(problem({ detail: text("Network") }, 0));
        };
        request.send(body);
      });
    }

    function sendPart(upload, number) {
      var appMode = upload.state.mode === "app";
      var attempt = 0;
      function tryOnce() {
        var url = appMode ? Promise.resolve(uploadUrl(upload.state.id, "parts/" + number + "/")) : signedUrl(upload, number);
        return url
          .then(function (target) {
            return put(upload, number, target, appMode);
          })
          .catch(function (error) {
            if (upload.cancelled || error.fatal || (error.status >= 400 && error.status < 500 && error.status !== 403 && error.status !== 408 && error.status !== 429)) {
              throw error;
            }
            if (error.status === 403) {
              delete upload.urls[number]; // expired URL: sign it again
            }
            attempt += 1;
            if (attempt > RETRIES) {
              throw error;
            }
            say(text("Retrying", { part: number }));
            return pause(1000 * Math.pow(2, attempt - 1)).then(tryOnce);
          });
      }
      return tryOnce().then(function (etag) {
        upload.etags[number] = etag;
        showProgress(upload);
      });
    }

    function worker(upload) {
      if (upload.cancelled || upload.queue.length === 0) {
        return Promise.resolve();
      }
      var number = upload.queue.shift();
      return sendPart(upload, number).then(function () {
        return worker(upload);
      });
    }

    // -- The whole upload -------------------------------------------------------------------

    function resumeOrCreate(file) {
      var key = storageKey(file);
      var known = window.localStorage.getItem(key);
      var create = function () {
        say(text("Preparing"));
        var body = {
          title: form.elements.title.value,
          file_name: file.name,
          size: file.size,
          content_type: file.type,
          record: form.elements.record.value ? Number(form.elements.record.value) : null,
          reason: form.elements.reason.value,
        };
        if (form.elements.kind) {
          body.kind = form.elements.kind.value;
        }
        return api("POST", texts.createUrl, body).then(function (state) {
          window.localStorage.setItem(key, String(state.id));
          return state;
        });
      };
      if (!known) {
        return create();
      }
      say(text("Resuming"));
      return api("GET", uploadUrl(known)).then(
        function (state) {
          if (state.status === "open" && state.size === file.size) {
            return state;
          }
          window.localStorage.removeItem(key);
          return create();
        },
        function (error) {
          if (error.status === 404 || error.status === 409) {
            // 404: gone; 409 (upload_missing): the store forgot the parts. Start again.
            window.localStorage.removeItem(key);
            if (error.status === 409) {
              api("DELETE", uploadUrl(known)).catch(function () {});
            }
            return create();
          }
          throw error;
        }
      );
    }

    function complete(upload, attempt) {
      say(text("Completing"));
      var parts = [];
      for (var number = 1; number <= upload.state.part_count; number += 1) {
        parts.push({ number: number, etag: upload.etags[number] });
      }
      return api("POST", uploadUrl(upload.state.id, "complete/"), { parts: parts }).catch(function (error) {
        if ((error.status === 503 || error.status === 0) && attempt < RETRIES) {
          return pause(1000 * Math.pow(2, attempt)).then(function () {
            return complete(upload, attempt + 1);
          });
        }
        throw error;
      });
    }

    // A document becomes a version once the task worker verified it: ask until it did.
    function verified(state, polls) {
      if (kind !== "document") {
        return Promise.resolve(state.record_version);
      }
      if (state.status === "completed") {
        return Promise.resolve(state.record_version);
      }
      if (state.status === "failed") {
        var failure = new Error(state.failure);
        failure.final = true;
        return Promise.reject(failure);
      }
      if (polls >= VERIFY_POLLS) {
        say(text("StillVerifying"));
        return Promise.resolve(null);
      }
      say(text("Verifying"));
      return pause(VERIFY_POLL_MS)
        .then(function () {
          return api("GET", uploadUrl(state.id));
        })
        .then(function (next) {
          return verified(next, polls + 1);
        });
    }

    function start(file) {
      submit.disabled = true;
      cancelButton.hidden = false;
      cancelButton.disabled = false;
      bar.hidden = false;
      bar.value = 0;
      var upload = { file: file, key: storageKey(file), urls: {}, headers: {}, etags: {}, loading: {}, requests: {}, queue: [], cancelled: false };
      current = upload;
      resumeOrCreate(file)
        .then(function (state) {
          upload.state = state;
          state.parts.forEach(function (part) {
            if (part.size === partSize(state, part.number)) {
              upload.etags[part.number] = part.etag;
            }
          });
          for (var number = 1; number <= state.part_count; number += 1) {
            if (!upload.etags[number]) {
              upload.queue.push(number);
            }
          }
          showProgress(upload);
          var workers = [];
          for (var i = 0; i < CONCURRENCY; i += 1) {
            workers.push(worker(upload));
          }
          return Promise.all(workers);
        })
        .then(function () {
          if (upload.cancelled) {
            return null;
          }
          cancelButton.hidden = true; // the server completes it now: too late to cancel
          cancelButton.disabled = true;
          return complete(upload, 0)
            .then(function (done) {
              window.localStorage.removeItem(upload.key);
              bar.value = 100;
              return verified(done, 0);
            })
            .then(function (version) {
              if (!version) {
                return; // still being verified: the status line says so
              }
              say(text("Done"));
              form.dataset.uploadedVersion = String(version.id);
              window.setTimeout(function () {
                window.location.reload();
              }, 1500);
            });
        })
        .catch(function (error) {
          if (upload.cancelled) {
            return;
          }
          upload.cancelled = true; // stop the other workers
          Object.keys(upload.requests).forEach(function (number) {
            upload.requests[number].abort();
          });
          var refused = error.final || error.code === "unsupported_type";
          say(text(refused ? "Refused" : "Failed", { reason: error.message || "" }));
        })
        .then(function () {
          if (current === upload) {
            current = null;
            submit.disabled = false;
            cancelButton.hidden = true;
          }
        });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (current) {
        return;
      }
      var file = fileInput.files[0];
      if (!file) {
        say(text("Choose"));
        return;
      }
      start(file);
    });

    cancelButton.addEventListener("click", function () {
      var upload = current;
      if (!upload || cancelButton.disabled) {
        return;
      }
      upload.cancelled = true;
      upload.queue.length = 0;
      Object.keys(upload.requests).forEach(function (number) {
        upload.requests[number].abort();
      });
      window.localStorage.removeItem(upload.key);
      var done = function () {
        bar.hidden = true;
        say(text("Cancelled"));
      };
      if (upload.state) {
        api("DELETE", uploadUrl(upload.state.id)).then(done, done);
      } else {
        done();
      }
    });
  }
})();
