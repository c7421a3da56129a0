/* Technician console: readiness reports over the technician socket
   (docs/readiness-protocol.md), with the page's plain forms as the fallback.

   Every leg's form really posts to the server. This script takes a submit over only
   while the socket is open: it sends a `report` envelope with a fresh id, shows
   "sending…", then the server's acknowledgement or its error. A report not
   acknowledged when the socket drops is sent again, with the same id, once it is back:
   the server applies an id once. If the socket cannot open within a few seconds, or
   keeps closing, the forms post as they would without JavaScript. */
(function () {
  "use strict";

  const OPEN_TIMEOUT_MS = 3000;
  const FAILURES_BEFORE_FALLBACK = 2;
  const BACKOFF_FIRST_MS = 1000;
  const BACKOFF_MAX_MS = 30000;
  const PHASE_TICK_MS = 30000;
  const CLOSE_UNAUTHORISED = 4403;
  // A socket must stay open this long before its earlier failures are forgiven: one
  // that a proxy accepts and drops at once still ends in the fallback.
  const STABLE_MS = 5000;
  const RATE_LIMIT_RETRY_MS = 2000;
  // A report the server has not answered by then means a dead socket (a phone that
  // changed networks keeps it "open"): drop it, reconnect, send again with the same id.
  const ACK_TIMEOUT_MS = 10000;

  const root = document.getElementById("console");
  if (!root || !("WebSocket" in window) || !window.JSON || !window.Map) {
    return;
  }
  const texts = JSON.parse(root.dataset.texts);
  const transitions = JSON.parse(root.dataset.transitions);
  const indicator = document.getElementById("console-connection");
  const lang = document.documentElement.lang || undefined;

  let socket = null;
  let live = false;
  let failures = 0;
  let openTimer = null;
  let stableTimer = null;
  let retryTimer = null;
  let refused = false;
  let lastClicked = null;
  // Reports sent and not yet answered: id -> {id, form, state, envelope}.
  const pending = new Map();

  function formatter(options) {
    try {
      return new Intl.DateTimeFormat(lang, { timeZone: root.dataset.timeZone, ...options });
    } catch (error) {
      return new Intl.DateTimeFormat(lang, options);
    }
  }
  const seconds = formatter({ hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
  const minutes = formatter({ hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, key) {
      return key in values ? values[key] : match;
    });
  }

  /* A random (version 4) UUID; crypto.randomUUID exists only on HTTPS and localhost. */
  function newId() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    const bytes = window.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, function (byte) {
      return byte.toString(16).padStart(2, "0");
    }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function wsUrl() {
    return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${root.dataset.wsPath}`;
  }

  function setIndicator(state) {
    if (!indicator) {
      return;
    }
    indicator.dataset.connection = state;
    indicator.textContent = texts[state];
  }

  // --- phases and buttons --------------------------------------------------------------------

  function phaseOf(session, now) {
    if (now < Date.parse(session.dataset.opens)) {
      return "upcoming";
    }
    if (now < Date.parse(session.dataset.start)) {
      return "setup";
    }
    if (now < Date.parse(session.dataset.end)) {
      return "running";
    }
    return "ended";
  }

  function phaseMoment(session, phase) {
    return { upcoming: session.dataset.opens, setup: session.dataset.start }[phase] || session.dataset.end;
  }

  function pendingFor(form) {
    for (const entry of pending.values()) {
      if (entry.form === form) {
        return entry;
      }
    }
    return null;
  }

  /* Show the buttons of the states this leg may report next, as the server would allow. */
  function drawButtons(form) {
    const session = form.closest(".console-session");
    const table = transitions[session.dataset.phase] || {};
    const allowed = table[form.dataset.state] || [];
    const busy = live && pendingFor(form) !== null;
    form.querySelectorAll("button[name=state]").forEach(function (button) {
      button.hidden = allowed.indexOf(button.value) === -1;
      button.disabled = busy;
    });
  }

  function tick() {
    const now = Date.now();
    root.querySelectorAll(".console-session").forEach(function (session) {
      const phase = phaseOf(session, now);
      if (phase === session.dataset.phase) {
        return;
      }
      session.dataset.phase = phase;
      const note = session.querySelector("[data-role=phase]");
      if (note) {
        note.className = `console-phase console-phase-${phase}`;
        note.textContent = fill(texts.phases[phase], {
          time: minutes.format(new Date(phaseMoment(session, phase))),
        });
      }
      session.querySelectorAll("form.report-form").forEach(drawButtons);
    });
  }

  // --- status of each leg --------------------------------------------------------------------

  function setStatus(form, kind, text) {
    const status = form.querySelector("[data-role=status]");
    status.dataset.status = kind;
    status.textContent = text;
  }

  function setState(form, state, at) {
    const leg = form.closest(".console-leg");
    const badge = leg.querySelector("[data-role=state]");
    form.dataset.state = state;
    badge.dataset.state = state;
    badge.className = `state-badge state-${state}`;
    badge.textContent = texts.states[state] || state;
    leg.querySelector("[data-role=last]").textContent = fill(texts.last_report, {
      time: seconds.format(at),
    });
  }

  function acknowledged(entry, content) {
    pending.delete(entry.id);
    clearTimeout(entry.timer);
    const at = new Date(content.at);
    setState(entry.form, content.state, at);
    // The next report of this leg is a new one: a new id for the fallback form too.
    entry.form.elements.client_id.value = newId();
    setStatus(entry.form, "ok", fill(texts.received, { time: seconds.format(at) }));
    if (content.state !== "ready") {
      // The server keeps a reason only with ready: the next ready needs its own.
      closeOverride(entry.form);
    }
    drawButtons(entry.form);
  }

  function refusedReport(entry, content) {
    pending.delete(entry.id);
    setStatus(entry.form, "error", content.message || content.code);
    if (content.code === "unchecked") {
      openOverride(entry.form);
    }
    drawButtons(entry.form);
  }

  // --- ready despite a failed check -----------------------------------------------------------

  /* Ready was refused for a check not ok: the reason field opens, ready for the reason. */
  function openOverride(form) {
    const details = form.querySelector("[data-role=override]");
    if (!details) {
      return;
    }
    details.open = true;
    form.elements.override.focus();
  }

  function closeOverride(form) {
    const details = form.querySelector("[data-role=override]");
    if (!details) {
      return;
    }
    details.open = false;
    form.elements.override.value = "";
  }

  // --- the socket ----------------------------------------------------------------------------

  function send(entry) {
    const ws = socket;
    if (!live || !ws || ws.readyState !== WebSocket.OPEN) {
      return;
    }
    ws.send(JSON.stringify(entry.envelope));
    clearTimeout(entry.timer);
    entry.timer = setTimeout(function () {
      if (pending.has(entry.id) && socket === ws) {
        lost(ws, null);
        ws.close();
      }
    }, ACK_TIMEOUT_MS);
  }

  function onMessage(event) {
    let message;
    try {
      message = JSON.parse(event.data);
    } catch (error) {
      return;
    }
    const entry = message.in_response ? pending.get(message.in_response) : null;
    if (!entry) {
      return;
    }
    clearTimeout(entry.timer);
    const content = message.content || {};
    if (message.type === "ack") {
      acknowledged(entry, content);
    } else if (message.type === "error" && content.code === "rate_limited") {
      // Not refused, only early: the same report, with the same id, a little later.
      setStatus(entry.form, "retry", content.message || texts.retrying);
      setTimeout(function () {
        if (pending.has(entry.id)) {
          send(entry);
        }
      }, RATE_LIMIT_RETRY_MS);
    } else if (message.type === "error") {
      refusedReport(entry, content);
    }
  }

  /* Reports still unanswered are not lost: they wait for the socket, buttons free for a form post. */
  function enterFallback() {
    setIndicator("fallback");
    pending.forEach(function (entry) {
      setStatus(entry.form, "retry", texts.resend);
      drawButtons(entry.form);
    });
  }

  function scheduleReconnect() {
    if (refused) {
      return;
    }
    const base = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** Math.max(0, failures - 1));
    clearTimeout(retryTimer);
    retryTimer = setTimeout(connect, base / 2 + Math.random() * (base / 2));
  }

  function connect() {
    clearTimeout(retryTimer);
    if (socket || refused) {
      return;
    }
    if (failures < FAILURES_BEFORE_FALLBACK) {
      setIndicator("connecting");
    }
    let ws;
    try {
      ws = new WebSocket(wsUrl());
    } catch (error) {
      failures += 1;
      enterFallback();
      scheduleReconnect();
      return;
    }
    socket = ws;
    clearTimeout(openTimer);
    openTimer = setTimeout(function () {
      if (socket === ws && ws.readyState !== WebSocket.OPEN) {
        enterFallback();
      }
    }, OPEN_TIMEOUT_MS);

    ws.addEventListener("open", function () {
      if (socket !== ws) {
        return;
      }
      clearTimeout(openTimer);
      live = true;
      stableTimer = setTimeout(function () {
        failures = 0;
      }, STABLE_MS);
      setIndicator("live");
      pending.forEach(function (entry) {
        setStatus(entry.form, "sending", texts.sending);
        drawButtons(entry.form);
        send(entry);
      });
    });
    ws.addEventListener("message", onMessage);
    ws.addEventListener("close", function (event) {
      lost(ws, event.code);
    });
  }

  /* The socket is gone (closed, or silent too long): reconnect later, forms meanwhile. */
  function lost(ws, code) {
    if (socket !== ws) {
      return;
    }
    clearTimeout(openTimer);
    clearTimeout(stableTimer);
    socket = null;
    live = false;
    failures += 1;
    if (code === CLOSE_UNAUTHORISED) {
      refused = true;
    }
    if (refused || failures >= FAILURES_BEFORE_FALLBACK) {
      enterFallback();
    } else {
      setIndicator("connecting");
      pending.forEach(function (entry) {
        setStatus(entry.form, "retry", texts.retrying);
        drawButtons(entry.form);
      });
    }
    scheduleReconnect();
  }

  // --- the forms -----------------------------------------------------------------------------

  function report(form, state) {
    const checklist = {};
    form.querySelectorAll("input[name^=checklist_]").forEach(function (input) {
      checklist[input.name.slice("checklist_".length)] = input.checked;
    });
    const people = form.elements.people.value.trim();
    return {
      leg: Number(form.dataset.leg),
      state: state,
      checklist: checklist,
      people: people === "" ? null : Number(people),
      note: form.elements.note.value.trim(),
      override: form.elements.override ? form.elements.override.value.trim() : "",
    };
  }

  root.addEventListener("click", function (event) {
    const button = event.target.closest("button[name=state]");
    if (button) {
      lastClicked = button;
    }
  });

  root.addEventListener("submit", function (event) {
    const form = event.target.closest("form.report-form");
    const button = event.submitter || lastClicked;
    if (!form || !button || button.name !== "state" || button.form !== form) {
      return;
    }
    const waiting = pendingFor(form);
    if (!live) {
      // The plain post goes; the same report keeps its id, so it is applied once.
      if (waiting && waiting.state === button.value) {
        form.elements.client_id.value = waiting.id;
      }
      return;
    }
    event.preventDefault();
    if (waiting) {
      return;
    }
    const id = newId();
    const entry = {
      id: id,
      form: form,
      state: button.value,
      envelope: { type: "report", id: id, content: report(form, button.value) },
      timer: null,
    };
    pending.set(id, entry);
    setStatus(form, "sending", texts.sending);
    drawButtons(form);
    send(entry);
  });

  window.addEventListener("online", function () {
    if (!socket) {
      failures = Math.min(failures, 1);
      connect();
    }
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && !socket) {
      connect();
    }
  });

  tick();
  setInterval(tick, PHASE_TICK_MS);
  connect();
})();
