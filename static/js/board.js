/* Readiness board: every site of one session, live over the board socket
   (docs/readiness-protocol.md).

   The server sends a snapshot, then deltas. The grid is drawn once from the snapshot;
   a delta repaints only the cells it names (a Map from leg id to its element) and moves
   the counts of their state, level and province group by one, so a national session of
   3,356 sites costs no more per report than a province's. A delta that does not follow
   the sequence held here (a gap) asks for a fresh snapshot; so does a reconnect, which
   comes back with backoff. */
(function () {
  "use strict";

  const BACKOFF_FIRST_MS = 1000;
  const BACKOFF_MAX_MS = 30000;
  const AGE_TICK_MS = 30000;
  const CLOSE_UNAUTHORISED = 4403;
  // A ping now and then; a socket silent for longer than that is dead (a laptop that
  // slept, a proxy that dropped it quietly) and is replaced.
  const HEARTBEAT_MS = 25000;
  const SILENCE_MS = HEARTBEAT_MS + 10000;
  const LEVEL_ORDER = ["central", "province", "district", "commune"];
  // Levels whose sites are grouped by province; the others are one group each.
  const BY_PROVINCE = ["district", "commune"];
  const READY_STATES = ["ready", "connected"];

  const root = document.getElementById("board");
  if (!root || !("WebSocket" in window) || !window.Map) {
    return;
  }
  const texts = JSON.parse(root.dataset.texts);
  const grid = document.getElementById("board-grid");
  const indicator = document.getElementById("board-connection");
  const updated = document.getElementById("board-updated");
  const levelTable = document.querySelector("#level-counts tbody");
  const filter = document.getElementById("filter-not-ready");
  const lang = document.documentElement.lang || undefined;
  const STATES = Array.from(document.querySelectorAll("#state-counts [data-count-state]"), function (item) {
    return item.dataset.countState;
  });

  let socket = null;
  let failures = 0;
  let retryTimer = null;
  let refused = false;
  let seq = null;
  let awaitingSnapshot = false;
  let lastHeard = 0;

  // leg id -> {data, el, name, age, level, group}
  const cells = new Map();
  // group key -> {el, counts, total, readyEl, chips}
  const groups = new Map();
  // level slug -> {el, row, counts, total, readyEl}
  const levels = new Map();
  const totals = {};
  const totalEls = {};
  document.querySelectorAll("#state-counts [data-count-state]").forEach(function (item) {
    totalEls[item.dataset.countState] = item.querySelector("[data-role=count]");
  });

  function formatter(options) {
    try {
      return new Intl.DateTimeFormat(lang, { timeZone: root.dataset.timeZone, ...options });
    } catch (error) {
      return new Intl.DateTimeFormat(lang, options);
    }
  }
  const clock = formatter({ hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, key) {
      return key in values ? values[key] : match;
    });
  }

  function newId() {
    return window.crypto && typeof window.crypto.randomUUID === "function"
      ? window.crypto.randomUUID()
      : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  }

  function zeroCounts() {
    const counts = {};
    STATES.forEach(function (state) {
      counts[state] = 0;
    });
    return counts;
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function readyOf(counts) {
    return READY_STATES.reduce(function (sum, state) {
      return sum + (counts[state] || 0);
    }, 0);
  }

  // --- time since the last report ------------------------------------------------------------

  function age(at, now) {
    if (!at) {
      return texts.never;
    }
    const minutes = Math.floor((now - Date.parse(at)) / 60000);
    if (minutes < 1) {
      return texts.just_now;
    }
    if (minutes < 60) {
      return fill(texts.minutes_ago, { n: minutes });
    }
    return fill(texts.hours_ago, { n: Math.floor(minutes / 60) });
  }

  // --- one cell ------------------------------------------------------------------------------

  function describe(cell, now) {
    const data = cell.data;
    const state = texts.states[data.state] || data.state;
    const when = age(data.at, now);
    const lines = [`${data.name} (${data.site})${data.host ? ` · ${texts.host}` : ""}`];
    lines.push(data.at ? `${state} · ${texts.last_report} ${clock.format(new Date(data.at))} (${when})` : `${state} · ${when}`);
    if (data.people !== null && data.people !== undefined) {
      lines.push(`${texts.people}: ${data.people}`);
    }
    const checklist = data.checklist || {};
    const checks = Object.keys(texts.checks)
      .filter(function (item) {
        return item in checklist;
      })
      .map(function (item) {
        return `${texts.checks[item]} ${checklist[item] ? "✓" : "✗"}`;
      });
    if (checks.length) {
      lines.push(checks.join(" · "));
    }
    if (data.note) {
      lines.push(`${texts.note}: ${data.note}`);
    }
    return { title: lines.join("\n"), label: `${data.name}, ${state}, ${when}`, when: when };
  }

  function paint(cell, now) {
    const data = cell.data;
    cell.el.className = `cell state-${data.state}${data.host ? " cell-host" : ""}`;
    cell.el.dataset.state = data.state;
    paintAge(cell, now);
  }

  function paintAge(cell, now) {
    const text = describe(cell, now);
    if (cell.age.textContent !== text.when) {
      cell.age.textContent = text.when;
    }
    cell.el.title = text.title;
    cell.el.setAttribute("aria-label", text.label);
  }

  function makeCell(data) {
    const node = el("li");
    node.dataset.leg = data.leg;
    node.dataset.site = data.site;
    node.tabIndex = 0;
    const name = el("span", "cell-name", data.name);
    const meta = el("span", "cell-age");
    const when = el("span");
    if (data.host) {
      meta.append(el("span", "cell-tag", texts.host_short), " · ");
    }
    meta.append(when);
    node.append(name, meta);
    return { data: data, el: node, age: when };
  }

  // --- groups and counts ---------------------------------------------------------------------

  function groupKey(data) {
    return BY_PROVINCE.indexOf(data.level) === -1 ? data.level : `${data.level}:${data.province || ""}`;
  }

  function makeGroup(key, data) {
    const node = el("div", "board-group");
    node.dataset.group = key;
    const group = { el: node, counts: zeroCounts(), total: 0, chips: {}, readyEl: null };
    if (BY_PROVINCE.indexOf(data.level) !== -1) {
      const head = el("h3", "board-group-head");
      head.append(el("span", "board-group-name", data.province_name || texts.no_province));
      group.readyEl = el("span", "board-group-ready");
      head.append(group.readyEl);
      const chips = el("span", "board-chips");
      STATES.forEach(function (state) {
        if (READY_STATES.indexOf(state) !== -1) {
          return;
        }
        const chip = el("span", `board-chip state-${state}`);
        chip.title = texts.states[state];
        chip.hidden = true;
        group.chips[state] = chip;
        chips.append(chip);
      });
      head.append(chips);
      node.append(head);
    }
    group.list = el("ul", "board-cells");
    node.append(group.list);
    return group;
  }

  function makeLevel(slug) {
    const node = el("section", BY_PROVINCE.indexOf(slug) === -1 ? "board-level" : "board-level board-level-wide");
    node.dataset.level = slug;
    const head = el("h2", "board-level-head");
    head.append(el("span", "board-level-name", texts.levels[slug] || slug));
    const ready = el("span", "board-level-ready");
    head.append(ready);
    node.append(head);
    const row = el("tr");
    row.dataset.level = slug;
    const th = el("th", "", texts.levels[slug] || slug);
    th.scope = "row";
    row.append(th);
    const countEls = {};
    STATES.forEach(function (state) {
      const td = el("td", "col-number");
      td.dataset.state = state;
      countEls[state] = td;
      row.append(td);
    });
    const totalEl = el("td", "col-number board-level-total");
    row.append(totalEl);
    return { el: node, row: row, counts: zeroCounts(), total: 0, readyEl: ready, countEls: countEls, totalEl: totalEl };
  }

  function drawGroup(group) {
    const ready = readyOf(group.counts);
    if (group.readyEl) {
      group.readyEl.textContent = fill(texts.ready_of, { ready: ready, total: group.total });
      Object.keys(group.chips).forEach(function (state) {
        const chip = group.chips[state];
        const count = group.counts[state];
        chip.hidden = count === 0;
        chip.textContent = `${count} ${texts.states[state]}`;
      });
    }
    group.el.toggleAttribute("data-all-ready", ready === group.total);
  }

  function drawLevel(level) {
    level.readyEl.textContent = fill(texts.ready_of, { ready: readyOf(level.counts), total: level.total });
    STATES.forEach(function (state) {
      level.countEls[state].textContent = level.counts[state];
    });
    level.totalEl.textContent = level.total;
    level.el.toggleAttribute("data-all-ready", readyOf(level.counts) === level.total);
  }

  function drawTotals() {
    let all = 0;
    STATES.forEach(function (state) {
      totalEls[state].textContent = totals[state];
      all += totals[state];
    });
    document.getElementById("count-total").textContent = all;
  }

  /* Move one site's count from one state to another everywhere it is counted. */
  function recount(cell, from, to) {
    const group = groups.get(cell.group);
    const level = levels.get(cell.level);
    [totals, group.counts, level.counts].forEach(function (counts) {
      counts[from] -= 1;
      counts[to] += 1;
    });
    totalEls[from].textContent = totals[from];
    totalEls[to].textContent = totals[to];
    drawGroup(group);
    drawLevel(level);
  }

  // --- snapshot and deltas -------------------------------------------------------------------

  function build(list) {
    const now = Date.now();
    cells.clear();
    groups.clear();
    levels.clear();
    STATES.forEach(function (state) {
      totals[state] = 0;
    });
    const byLevel = {};
    list.forEach(function (data) {
      const key = groupKey(data);
      if (!levels.has(data.level)) {
        levels.set(data.level, makeLevel(data.level));
        byLevel[data.level] = [];
      }
      if (!groups.has(key)) {
        groups.set(key, makeGroup(key, data));
        byLevel[data.level].push(key);
      }
      const group = groups.get(key);
      const level = levels.get(data.level);
      const cell = makeCell(data);
      cell.group = key;
      cell.level = data.level;
      paint(cell, now);
      group.list.append(cell.el);
      group.total += 1;
      group.counts[data.state] += 1;
      level.total += 1;
      level.counts[data.state] += 1;
      totals[data.state] += 1;
      cells.set(data.leg, cell);
    });
    const fragment = document.createDocumentFragment();
    levelTable.textContent = "";
    const order = LEVEL_ORDER.concat(Object.keys(byLevel).filter(function (slug) {
      return LEVEL_ORDER.indexOf(slug) === -1;
    }));
    order.forEach(function (slug) {
      const level = levels.get(slug);
      if (!level) {
        return;
      }
      byLevel[slug].forEach(function (key) {
        const group = groups.get(key);
        drawGroup(group);
        level.el.append(group.el);
      });
      drawLevel(level);
      fragment.append(level.el);
      levelTable.append(level.row);
    });
    if (!list.length) {
      fragment.append(el("p", "empty", texts.no_sites));
    }
    grid.textContent = "";
    grid.append(fragment);
    grid.setAttribute("aria-busy", "false");
    drawTotals();
  }

  function update(data, now) {
    const cell = cells.get(data.leg);
    if (!cell) {
      return false;
    }
    if (data.seq < cell.data.seq) {
      return true;
    }
    const from = cell.data.state;
    Object.assign(cell.data, data);
    if (from !== data.state) {
      recount(cell, from, data.state);
    }
    paint(cell, now);
    return true;
  }

  function sameSites(list) {
    return list.length === cells.size && list.every(function (data) {
      const cell = cells.get(data.leg);
      return cell && groupKey(data) === cell.group && data.host === cell.data.host;
    });
  }

  // A snapshot comes in parts (at most a few hundred cells each): drawn once whole.
  let snapshotCells = [];

  function onSnapshotPart(content) {
    if (!content.part || content.part === 1) {
      snapshotCells = [];
    }
    snapshotCells = snapshotCells.concat(content.cells || []);
    if (content.part && content.part < content.parts) {
      return false;
    }
    const cells = snapshotCells;
    snapshotCells = [];
    onSnapshot({ seq: content.seq, cells: cells });
    return true;
  }

  function onSnapshot(content) {
    // A snapshot is the sign of a healthy socket: only then is the backoff reset.
    failures = 0;
    awaitingSnapshot = false;
    const list = content.cells || [];
    if (seq !== null && sameSites(list)) {
      const now = Date.now();
      list.forEach(function (data) {
        update(data, now);
      });
    } else {
      build(list);
    }
    seq = content.seq;
    root.dataset.seq = seq;
  }

  function onDelta(content) {
    if (awaitingSnapshot) {
      return;
    }
    if (seq === null || content.since !== seq) {
      requestSnapshot();
      return;
    }
    const now = Date.now();
    const known = (content.cells || []).every(function (data) {
      return update(data, now);
    });
    seq = content.seq;
    root.dataset.seq = seq;
    if (!known) {
      // A site this board does not have: the session's sites changed.
      requestSnapshot();
    }
  }

  function requestSnapshot() {
    awaitingSnapshot = true;
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ type: "snapshot", id: newId(), content: {} }));
    }
  }

  function tickAges() {
    const now = Date.now();
    cells.forEach(function (cell) {
      paintAge(cell, now);
    });
  }

  // --- the socket ----------------------------------------------------------------------------

  function setIndicator(state) {
    indicator.dataset.connection = state;
    indicator.textContent = texts[state];
  }

  function onMessage(event) {
    let message;
    try {
      message = JSON.parse(event.data);
    } catch (error) {
      return;
    }
    lastHeard = Date.now();
    const content = message.content || {};
    if (message.type === "snapshot") {
      if (!onSnapshotPart(content)) {
        return;
      }
    } else if (message.type === "delta") {
      onDelta(content);
    } else if (message.type === "pong") {
      // The server has sent deltas up to its seq: one ahead of ours was lost.
      if (!awaitingSnapshot && seq !== null && content.seq > seq) {
        requestSnapshot();
      }
      return;
    } else {
      return;
    }
    updated.textContent = fill(texts.updated, { time: clock.format(new Date()) });
  }

  function scheduleReconnect() {
    const base = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** Math.max(0, failures - 1));
    clearTimeout(retryTimer);
    retryTimer = setTimeout(connect, base / 2 + Math.random() * (base / 2));
  }

  function connect() {
    clearTimeout(retryTimer);
    if (socket || refused) {
      return;
    }
    let ws;
    try {
      ws = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${root.dataset.wsPath}`);
    } catch (error) {
      failures += 1;
      setIndicator("reconnecting");
      scheduleReconnect();
      return;
    }
    socket = ws;
    ws.addEventListener("open", function () {
      lastHeard = Date.now();
      // The server's first message on a new socket is a snapshot: deltas wait for it.
      awaitingSnapshot = true;
      setIndicator("live");
    });
    ws.addEventListener("message", onMessage);
    ws.addEventListener("close", function (event) {
      lost(ws, event.code);
    });
  }

  function lost(ws, code) {
    if (socket !== ws) {
      return;
    }
    socket = null;
    if (code === CLOSE_UNAUTHORISED) {
      refused = true;
      setIndicator("refused");
      return;
    }
    failures += 1;
    setIndicator("reconnecting");
    scheduleReconnect();
  }

  function heartbeat() {
    const ws = socket;
    if (!ws || ws.readyState !== WebSocket.OPEN) {
      return;
    }
    if (Date.now() - lastHeard > SILENCE_MS) {
      lost(ws, null);
      ws.close();
      return;
    }
    ws.send(JSON.stringify({ type: "ping", id: newId(), content: {} }));
  }

  filter.addEventListener("change", function () {
    root.classList.toggle("only-not-ready", filter.checked);
  });
  root.classList.toggle("only-not-ready", filter.checked);

  window.addEventListener("online", function () {
    if (!socket) {
      connect();
    }
  });

  setInterval(tickAges, AGE_TICK_MS);
  setInterval(heartbeat, HEARTBEAT_MS);
  connect();
})();
