/* Readiness board: every site of one session, live over the board socket
   (docs/readiness-protocol.md).

   The server sends a snapshot, then deltas. The snapshot's first part holds a compact map
   of every site (its state, level and group: enough for every count) and the full cells
   of the groups that start open. Other cells are asked for over the socket when shown: a
   group's when it is opened, those in the states a filter shows when it is pressed
   ("Loading…" meanwhile), a few sites' when a delta makes them match a filter, and a
   search's matches (the server folds diacritics). The counts (the session's, each level's and
   each province's) are kept here from the snapshot and moved by one per changed site, so
   a national session of 3,356 sites costs no more per report than a province's. A delta
   that does not follow the sequence held here (a gap) asks for a fresh snapshot; so does
   a reconnect, which comes back with backoff.

   At national scale the page is worked from the province summary: one row per province
   (a bar and its counts, in tree order or worst first) that opens its group. On a large
   board the groups start closed but those the snapshot says (the host's, a few with a
   problem), and a group's cells are only made when it is first shown: the summary and the first cells
   paint before the rest is built, a few hundred cells per animation frame. Filters by
   state and a search that ignores diacritics show only the matching cells. Each group is
   one tab stop (roving tabindex: arrows, Home and End move inside it, up from the first
   row reaches its head); Enter, a click or a tap on a cell opens its panel, whose
   detail is asked of the server then. */
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
  const READY_STATES = ["ready", "connected"];
  // The summary's four kinds of state, worst first, and the states each one counts.
  const KINDS = ["problem", "pending", "checking", "ready"];
  const KIND_OF = {
    pending: "pending",
    checking: "checking",
    ready: "ready",
    connected: "ready",
    problem: "problem",
    disconnected: "problem",
  };
  const EMPTY_CELL = { at: null, people: null, note: "", checklist: {}, override: "", host: false };
  // At most this many sites asked for at once (a frame of the socket is at most 4 KiB).
  const ASK_LEGS = 200;
  // A request the server found too fast is asked again after this long.
  const RETRY_ASK_MS = 300;
  // Cells made per animation frame once the summary and the first cells are painted.
  const CELLS_PER_FRAME = 400;
  const SEARCH_DELAY_MS = 200;

  const root = document.getElementById("board");
  if (!root || !("WebSocket" in window) || !window.Map) {
    return;
  }
  const texts = JSON.parse(root.dataset.texts);
  const grid = document.getElementById("board-grid");
  const indicator = document.getElementById("board-connection");
  const updated = document.getElementById("board-updated");
  const levelTable = document.querySelector("#level-counts tbody");
  const notReady = document.getElementById("filter-not-ready");
  const filterButtons = Array.from(document.querySelectorAll("[data-filter-kind]"));
  const search = document.getElementById("board-search");
  const matchesEl = document.getElementById("board-matches");
  const summaryList = document.getElementById("province-summary");
  const sortButtons = Array.from(document.querySelectorAll("[data-sort]"));
  const panel = document.getElementById("leg-panel");
  const panelTitle = document.getElementById("leg-panel-title");
  const panelBody = document.getElementById("leg-panel-body");
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

  // leg id -> {data, loaded (its full cell is here), key (folded name and code), el, age,
  //           group, level, shown}; `data` holds at least the leg, its state and seq.
  const cells = new Map();
  // group key -> {key, index, name, el, toggle, list, counts, total, open, shown, built,
  //               cells, matches, active, row}
  const groups = new Map();
  let groupOrder = [];
  // level slug -> {row, counts, total, countEls, totalEl}
  const levels = new Map();
  const totals = {};
  const totalEls = {};
  document.querySelectorAll("#state-counts [data-count-state]").forEach(function (item) {
    totalEls[item.dataset.countState] = item.querySelector("[data-role=count]");
  });
  // What is shown: the kinds pressed (none: all) and the folded search text.
  const filter = { kinds: new Set(), query: "" };
  let sortWorst = false;
  let buildQueue = [];
  let buildScheduled = false;
  let panelLeg = null;
  let panelRequest = 0;
  // The search's matches (leg ids) while a search is on, and the search asked for last.
  let searchHits = null;
  let searchAsked = "";
  let searchId = null;
  // Groups whose cells were asked for; legs asked for, and those waiting to be.
  const askedGroups = new Set();
  const askedLegs = new Set();
  // States whose cells were asked for by a state filter and are on their way.
  const askedStates = new Set();
  let legsToAsk = [];

  function formatter(options) {
    try {
      return new Intl.DateTimeFormat(lang, { timeZone: root.dataset.timeZone, ...options });
    } catch (error) {
      return new Intl.DateTimeFormat(lang, options);
    }
  }
  const clock = formatter({ hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
  const dateParts = formatter({
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
  const numbers = new Intl.NumberFormat(lang);

  function num(value) {
    return numbers.format(value);
  }

  /* dd/mm/yyyy HH:mm, whatever the browser's language. */
  function stamp(date) {
    const parts = {};
    dateParts.formatToParts(date).forEach(function (part) {
      parts[part.type] = part.value;
    });
    return `${parts.day}/${parts.month}/${parts.year} ${parts.hour}:${parts.minute}`;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, key) {
      return key in values ? values[key] : match;
    });
  }

  /* The search's folding, as accounts.folding.fold: case and marks ignored, đ as d. */
  function fold(text) {
    return (text || "")
      .replace(/[đĐ]/g, "d")
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/\s+/g, " ")
      .trim();
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

  function kindsOf(counts) {
    const kinds = { problem: 0, pending: 0, checking: 0, ready: 0 };
    Object.keys(counts).forEach(function (state) {
      kinds[KIND_OF[state]] += counts[state];
    });
    return kinds;
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
    const name = `${data.name}${data.host ? ` (${texts.host})` : ""}`;
    const lines = [`${data.name} (${data.site})${data.host ? ` · ${texts.host}` : ""}`];
    lines.push(data.at ? `${state} · ${texts.last_report} ${stamp(new Date(data.at))} (${when})` : `${state} · ${when}`);
    const label = [name, state, when];
    if (data.note) {
      lines.push(`${texts.note}: ${data.note}`);
      label.push(`${texts.note}: ${data.note}`);
    }
    if (data.override) {
      lines.push(`${texts.override}: ${data.override}`);
      label.push(`${texts.override}: ${data.override}`);
    }
    return { title: lines.join("\n"), label: label.join(", "), when: when };
  }

  function paint(cell, now) {
    if (!cell.el) {
      return;
    }
    const data = cell.data;
    cell.el.className = `cell state-${data.state}${data.host ? " cell-host" : ""}${data.note || data.override ? " cell-noted" : ""}`;
    cell.el.dataset.state = data.state;
    paintAge(cell, now);
  }

  function paintAge(cell, now) {
    if (!cell.el) {
      return;
    }
    const text = describe(cell, now);
    if (cell.age.textContent !== text.when) {
      cell.age.textContent = text.when;
    }
    cell.el.title = text.title;
    cell.el.setAttribute("aria-label", text.label);
  }

  function makeCell(cell, now) {
    const data = cell.data;
    const node = el("li");
    node.dataset.leg = data.leg;
    node.dataset.site = data.site;
    node.setAttribute("role", "button");
    node.setAttribute("aria-haspopup", "dialog");
    node.tabIndex = -1;
    const name = el("span", "cell-name", data.name);
    const meta = el("span", "cell-age");
    const when = el("span");
    if (data.host) {
      meta.append(el("span", "cell-tag", texts.host_short), " · ");
    }
    meta.append(when);
    node.append(name, meta);
    cell.el = node;
    cell.age = when;
    paint(cell, now);
    node.hidden = !cell.shown;
    return node;
  }

  // --- groups: the central sites, then one per province --------------------------------------

  function groupName(key, name) {
    if (key === "central") {
      return texts.levels.central || texts.no_province;
    }
    return name || texts.no_province;
  }

  function makeGroup(key, name) {
    const node = el("section", "board-group");
    node.dataset.group = key;
    const id = `group-${groups.size}`;
    node.id = id;
    const group = {
      key: key,
      index: groups.size,
      name: groupName(key, name),
      el: node,
      counts: zeroCounts(),
      total: 0,
      open: true,
      shown: true,
      built: false,
      cells: [],
      matches: 0,
      active: null,
      chips: {},
    };
    const head = el("h3", "board-group-head");
    const toggle = el("button", "board-group-toggle");
    toggle.type = "button";
    toggle.setAttribute("aria-controls", `${id}-cells`);
    toggle.append(el("span", "board-group-name", group.name));
    group.readyEl = el("span", "board-group-ready");
    toggle.append(group.readyEl);
    const chips = el("span", "board-chips");
    ["problem", "disconnected", "checking", "pending"].forEach(function (state) {
      const chip = el("span", `board-chip state-${state}`);
      chip.hidden = true;
      group.chips[state] = chip;
      chips.append(chip);
    });
    toggle.append(chips);
    toggle.addEventListener("click", function () {
      setShown(group, !group.shown);
      if (!filterActive()) {
        group.open = group.shown;
      }
    });
    toggle.addEventListener("keydown", function (event) {
      onHeadKey(group, event);
    });
    toggle.addEventListener("focus", function () {
      group.onHead = true;
      updateStop(group);
    });
    head.append(toggle);
    group.toggle = toggle;
    group.list = el("ul", "board-cells");
    group.list.id = `${id}-cells`;
    group.list.setAttribute("role", "none");
    group.loadingEl = el("p", "board-group-loading muted", texts.loading);
    group.loadingEl.hidden = true;
    node.append(head, group.list, group.loadingEl);
    return group;
  }

  function drawGroup(group) {
    const ready = readyOf(group.counts);
    group.readyEl.textContent = fill(texts.ready_of, { ready: num(ready), total: num(group.total) });
    Object.keys(group.chips).forEach(function (state) {
      const chip = group.chips[state];
      const count = group.counts[state];
      chip.hidden = count === 0;
      chip.textContent = `${num(count)} ${texts.states[state]}`;
    });
    group.el.toggleAttribute("data-all-ready", ready === group.total);
    drawRow(group);
  }

  /* Show or hide a group's cells; `later`: a group not built yet is built in a coming
     frame (many groups shown at once: expand all, a filter cleared). */
  function setShown(group, shown, later) {
    group.shown = shown;
    group.list.hidden = !shown;
    group.toggle.setAttribute("aria-expanded", shown ? "true" : "false");
    if (group.row) {
      group.row.setAttribute("aria-expanded", shown ? "true" : "false");
    }
    if (shown && later && !group.built) {
      buildQueue.push(group);
      scheduleBuilds();
    } else if (shown) {
      buildGroup(group);
    }
    updateStop(group);
  }

  /* Make the group's cells that are here and not made yet, in the sites' order; their
     state, filter and tab stop are already known. The shown cells not here yet are asked
     for: the whole group when no filter is on, else only those sites. */
  function buildGroup(group) {
    group.built = true;
    const now = Date.now();
    let made = 0;
    const missing = [];
    group.cells.forEach(function (cell) {
      if (!cell.loaded) {
        // Those of a state asked for by a filter come with its answer.
        if (cell.shown && !askedStates.has(cell.data.state)) {
          missing.push(cell.data.leg);
        }
      } else if (!cell.el) {
        makeCell(cell, now);
        made += 1;
      }
    });
    if (made) {
      // Appended again in order: the new cells take their places among the old.
      const fragment = document.createDocumentFragment();
      group.cells.forEach(function (cell) {
        if (cell.el) {
          fragment.append(cell.el);
        }
      });
      group.list.append(fragment);
    }
    if (missing.length) {
      if (filterActive()) {
        askLegs(missing);
      } else {
        askGroup(group);
      }
    }
    drawLoading(group);
    if (!group.active || !group.active.el || !group.active.shown) {
      setActive(group, firstShown(group));
    } else {
      updateStop(group);
    }
  }

  function drawLoading(group) {
    group.loadingEl.hidden = !(group.shown && group.cells.some(function (cell) {
      return cell.shown && !cell.loaded;
    }));
  }

  /* Build the shown groups not built yet, a few hundred cells per frame. */
  function scheduleBuilds() {
    if (buildScheduled) {
      return;
    }
    buildScheduled = true;
    requestAnimationFrame(function () {
      buildScheduled = false;
      let budget = CELLS_PER_FRAME;
      while (buildQueue.length && budget > 0) {
        const group = buildQueue.shift();
        if (group.shown && !group.built) {
          buildGroup(group);
          budget -= group.cells.length;
        }
      }
      if (buildQueue.length) {
        scheduleBuilds();
      }
    });
  }

  // --- levels: the "By level" table ---------------------------------------------------------

  function makeLevel(slug) {
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
    return { row: row, counts: zeroCounts(), total: 0, countEls: countEls, totalEl: totalEl };
  }

  function drawLevel(level) {
    STATES.forEach(function (state) {
      level.countEls[state].textContent = num(level.counts[state]);
    });
    level.totalEl.textContent = num(level.total);
  }

  function drawTotals() {
    let all = 0;
    STATES.forEach(function (state) {
      totalEls[state].textContent = num(totals[state]);
      all += totals[state];
    });
    document.getElementById("count-total").textContent = num(all);
  }

  // --- the province summary ------------------------------------------------------------------

  function makeRow(group) {
    const item = el("li");
    const row = el("button", "province-row");
    row.type = "button";
    row.dataset.group = group.key;
    row.setAttribute("aria-controls", group.el.id);
    const name = el("span", "province-name", group.name);
    const bar = el("span", "province-bar");
    bar.setAttribute("aria-hidden", "true");
    group.segments = {};
    KINDS.forEach(function (kind) {
      const segment = el("span", `province-segment kind-${kind}`);
      group.segments[kind] = segment;
      bar.append(segment);
    });
    group.rowText = el("span", "province-counts");
    row.append(name, bar, group.rowText);
    row.addEventListener("click", function () {
      openGroup(group);
    });
    item.append(row);
    group.row = row;
    group.rowItem = item;
    return item;
  }

  function drawRow(group) {
    if (!group.row) {
      return;
    }
    const kinds = kindsOf(group.counts);
    KINDS.forEach(function (kind) {
      // Widths through the CSSOM: the page's CSP allows no style attribute.
      group.segments[kind].style.flexGrow = String(kinds[kind]);
      group.segments[kind].hidden = kinds[kind] === 0;
    });
    group.rowText.textContent = fill(texts.province_counts, {
      ready: num(kinds.ready),
      total: num(group.total),
      problem: num(kinds.problem),
      pending: num(kinds.pending),
      checking: num(kinds.checking),
    });
    group.row.dataset.problem = kinds.problem;
    group.row.dataset.pending = kinds.pending;
  }

  function worse(a, b) {
    const ka = kindsOf(a.counts);
    const kb = kindsOf(b.counts);
    return kb.problem - ka.problem || kb.pending - ka.pending || kb.checking - ka.checking || a.index - b.index;
  }

  function orderRows() {
    const ordered = sortWorst ? groupOrder.slice().sort(worse) : groupOrder;
    const current = Array.from(summaryList.children);
    const same = ordered.length === current.length && ordered.every(function (group, i) {
      return current[i] === group.rowItem;
    });
    if (!same) {
      // Moved rows leave the document a moment: a focused one is focused again after.
      const focused = summaryList.contains(document.activeElement) ? document.activeElement : null;
      const fragment = document.createDocumentFragment();
      ordered.forEach(function (group) {
        fragment.append(group.rowItem);
      });
      summaryList.append(fragment);
      if (focused && document.activeElement !== focused) {
        focused.focus({ preventScroll: true });
      }
    }
  }

  /* A summary row: its group shown (built at once), scrolled to and focused. */
  function openGroup(group) {
    if (group.el.hidden) {
      // Nothing of it matches the filter: the filter goes, the province is what was asked.
      clearFilter();
    }
    if (!filterActive()) {
      group.open = true;
    }
    setShown(group, true);
    group.el.scrollIntoView({ block: "start" });
    const loading = !group.loadingEl.hidden;
    const here = !loading && group.active && group.active.shown && group.active.el;
    // Cells still on their way: the head now, the first cell when they come.
    group.focusWhenLoaded = !here;
    (here ? group.active.el : group.toggle).focus({ preventScroll: true });
  }

  function setAll(shown) {
    const active = filterActive();
    groupOrder.forEach(function (group) {
      if (!active) {
        group.open = shown;
      }
      if (!group.el.hidden) {
        setShown(group, shown, true);
      }
    });
  }

  // --- filters and search --------------------------------------------------------------------

  function filterActive() {
    return filter.kinds.size > 0 || filter.query !== "";
  }

  function matches(cell) {
    if (filter.kinds.size && !filter.kinds.has(KIND_OF[cell.data.state])) {
      return false;
    }
    if (filter.query === "") {
      return true;
    }
    // The server's matches; without a socket, those of the sites here.
    return searchHits ? searchHits.has(cell.data.leg) : cell.loaded && cell.key.indexOf(filter.query) !== -1;
  }

  /* Show the matching cells only; a group without any is hidden. */
  function applyFilter() {
    const active = filterActive();
    askFilteredStates();
    let total = 0;
    groupOrder.forEach(function (group) {
      group.matches = 0;
      group.cells.forEach(function (cell) {
        cell.shown = !active || matches(cell);
        if (cell.el) {
          cell.el.hidden = !cell.shown;
        }
        group.matches += cell.shown ? 1 : 0;
      });
      total += group.matches;
      group.el.hidden = active && group.matches === 0;
      setShown(group, active ? group.matches > 0 : group.open, true);
      if (!group.active || !group.active.shown) {
        setActive(group, firstShown(group));
      }
      updateStop(group);
    });
    drawMatches(active, total);
  }

  function drawMatches(active, total) {
    if (!active) {
      matchesEl.textContent = "";
      matchesEl.hidden = true;
      return;
    }
    matchesEl.hidden = false;
    matchesEl.textContent = total === 0 ? texts.no_match : fill(texts.matches, { n: num(total) });
    matchesEl.classList.toggle("board-no-match", total === 0);
  }

  /* A changed site under a filter: shown or hidden, and its group with it. */
  function refilter(cell) {
    if (!filterActive()) {
      return;
    }
    const shown = matches(cell);
    if (shown === cell.shown) {
      return;
    }
    const group = groups.get(cell.group);
    cell.shown = shown;
    group.matches += shown ? 1 : -1;
    if (cell.el) {
      cell.el.hidden = !shown;
    }
    group.el.hidden = group.matches === 0;
    if (shown && group.matches === 1) {
      setShown(group, true);
    }
    if (shown && !cell.loaded) {
      askLegs([cell.data.leg]);
    }
    if (!group.active || !group.active.shown) {
      setActive(group, firstShown(group));
    }
    drawLoading(group);
  }

  function clearFilter() {
    filter.kinds.clear();
    filter.query = "";
    searchHits = null;
    searchAsked = "";
    search.value = "";
    drawFilterButtons();
    applyFilter();
  }

  function drawFilterButtons() {
    filterButtons.forEach(function (button) {
      button.setAttribute("aria-pressed", filter.kinds.has(button.dataset.filterKind) ? "true" : "false");
    });
    notReady.checked = ["problem", "pending", "checking"].every(function (kind) {
      return filter.kinds.has(kind);
    });
  }

  filterButtons.forEach(function (button) {
    button.addEventListener("click", function () {
      const kind = button.dataset.filterKind;
      if (filter.kinds.has(kind)) {
        filter.kinds.delete(kind);
      } else {
        filter.kinds.add(kind);
      }
      drawFilterButtons();
      applyFilter();
    });
  });

  notReady.addEventListener("change", function () {
    filter.kinds.clear();
    if (notReady.checked) {
      ["problem", "pending", "checking"].forEach(function (kind) {
        filter.kinds.add(kind);
      });
    }
    drawFilterButtons();
    applyFilter();
  });

  /* The search: its matches asked of the server (which folds diacritics as fold()
     does), shown when they come; without a socket, among the sites here. */
  function runSearch() {
    const query = search.value.trim();
    if (!fold(query)) {
      searchAsked = "";
      searchHits = null;
      filter.query = "";
      applyFilter();
      return;
    }
    searchAsked = query;
    searchId = send("find", { q: query });
    if (!searchId) {
      searchHits = null;
      filter.query = fold(query);
      applyFilter();
    }
  }

  function onFound(content) {
    if (content.q !== searchAsked) {
      return; // an earlier search, answered after a later one was asked
    }
    mergeCells(content.cells || []);
    searchHits = new Set((content.cells || []).map(function (data) {
      return data.leg;
    }));
    filter.query = fold(content.q);
    applyFilter();
    if (content.more) {
      matchesEl.textContent = fill(texts.matches_more, { n: num(searchHits.size) });
    }
  }

  let searchTimer = null;
  search.addEventListener("input", function () {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(runSearch, SEARCH_DELAY_MS);
  });

  sortButtons.forEach(function (button) {
    button.addEventListener("click", function () {
      sortWorst = button.dataset.sort === "worst";
      sortButtons.forEach(function (other) {
        other.setAttribute("aria-pressed", other === button ? "true" : "false");
      });
      orderRows();
    });
  });

  document.getElementById("board-expand-all").addEventListener("click", function () {
    setAll(true);
  });
  document.getElementById("board-collapse-all").addEventListener("click", function () {
    setAll(false);
  });

  // --- keyboard: one tab stop per group, arrows inside ----------------------------------------

  function firstShown(group) {
    return group.cells.find(function (cell) {
      return cell.shown && cell.loaded;
    }) || null;
  }

  function setActive(group, cell) {
    if (group.active && group.active.el && group.active !== cell) {
      group.active.el.tabIndex = -1;
    }
    group.active = cell;
    updateStop(group);
  }

  /* A group's one tab stop: its active cell while the group shows it, else its head (a
     closed group, or the head reached with ArrowUp from the first row). */
  function updateStop(group) {
    const cell = group.active;
    const onCell = Boolean(!group.onHead && group.shown && cell && cell.el && cell.shown);
    group.toggle.tabIndex = onCell ? -1 : 0;
    if (cell && cell.el) {
      cell.el.tabIndex = onCell ? 0 : -1;
    }
  }

  /* The head's keys: down, right, Home and End go into the group's cells. */
  function onHeadKey(group, event) {
    const list = group.shown ? shownCells(group) : [];
    if (!list.length) {
      return;
    }
    let target;
    if (event.key === "ArrowDown" || event.key === "ArrowRight") {
      target = list.indexOf(group.active) === -1 ? list[0] : group.active;
    } else if (event.key === "Home") {
      target = list[0];
    } else if (event.key === "End") {
      target = list[list.length - 1];
    } else {
      return;
    }
    event.preventDefault();
    group.onHead = false;
    setActive(group, target);
    target.el.focus();
  }

  function shownCells(group) {
    return group.cells.filter(function (cell) {
      return cell.shown && cell.el;
    });
  }

  /* The cell above or below `from` in the group's grid: the nearest by its left edge. */
  function vertical(list, index, step) {
    const box = list[index].el.getBoundingClientRect();
    let i = index + step;
    while (i >= 0 && i < list.length && list[i].el.getBoundingClientRect().top === box.top) {
      i += step;
    }
    if (i < 0 || i >= list.length) {
      return index;
    }
    const rowTop = list[i].el.getBoundingClientRect().top;
    let best = i;
    let bestDistance = Infinity;
    for (let j = i; j >= 0 && j < list.length; j += step) {
      const other = list[j].el.getBoundingClientRect();
      if (other.top !== rowTop) {
        break;
      }
      const distance = Math.abs(other.left - box.left);
      if (distance < bestDistance) {
        best = j;
        bestDistance = distance;
      }
    }
    return best;
  }

  function onCellKey(event) {
    const node = event.target.closest("li[data-leg]");
    if (!node) {
      return;
    }
    const cell = cells.get(Number(node.dataset.leg));
    if (!cell) {
      return;
    }
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      openPanel(cell);
      return;
    }
    const group = groups.get(cell.group);
    const list = shownCells(group);
    const index = list.indexOf(cell);
    let next = index;
    if (event.key === "ArrowRight") {
      next = Math.min(list.length - 1, index + 1);
    } else if (event.key === "ArrowLeft") {
      next = Math.max(0, index - 1);
    } else if (event.key === "ArrowDown") {
      next = vertical(list, index, 1);
    } else if (event.key === "ArrowUp") {
      next = vertical(list, index, -1);
      if (next === index) {
        // Up from the first row: the group's head, which opens and closes it.
        event.preventDefault();
        group.onHead = true;
        updateStop(group);
        group.toggle.focus();
        return;
      }
    } else if (event.key === "Home") {
      next = 0;
    } else if (event.key === "End") {
      next = list.length - 1;
    } else {
      return;
    }
    event.preventDefault();
    setActive(group, list[next]);
    list[next].el.focus();
  }

  grid.addEventListener("keydown", onCellKey);
  grid.addEventListener("click", function (event) {
    const node = event.target.closest("li[data-leg]");
    const cell = node && cells.get(Number(node.dataset.leg));
    if (cell) {
      setActive(groups.get(cell.group), cell);
      openPanel(cell);
    }
  });
  grid.addEventListener("focusin", function (event) {
    const node = event.target.closest("li[data-leg]");
    const cell = node && cells.get(Number(node.dataset.leg));
    if (cell) {
      groups.get(cell.group).onHead = false;
      setActive(groups.get(cell.group), cell);
    }
  });

  // --- the panel of one site -----------------------------------------------------------------

  function tel(phone) {
    const link = el("a", "", phone);
    link.href = `tel:${phone.replace(/[^0-9+]/g, "")}`;
    return link;
  }

  function badge(state) {
    return el("span", `state-badge state-${state}`, texts.states[state] || state);
  }

  function entry(list, term, value) {
    const dt = el("dt", "", term);
    const dd = el("dd");
    if (typeof value === "string") {
      dd.textContent = value;
    } else {
      dd.append(value);
    }
    list.append(dt, dd);
    return dd;
  }

  function checklistOf(checklist) {
    const items = el("ul", "panel-checks");
    Object.keys(texts.checks).forEach(function (item) {
      const value = checklist ? checklist[item] : undefined;
      const kind = value === true ? "ok" : value === false ? "failed" : "unknown";
      const li = el("li", `panel-check panel-check-${kind}`);
      li.dataset.check = item;
      li.append(el("span", "panel-check-mark", value === true ? "✓" : value === false ? "✗" : "–"));
      li.append(` ${texts.checks[item]}: ${texts.check_values[kind]}`);
      items.append(li);
    });
    return items;
  }

  /* The panel from what the board knows (the snapshot's cell), before the detail comes. */
  function drawPanel(data, detail) {
    panelTitle.textContent = `${data.name}${data.host ? ` · ${texts.host}` : ""}`;
    panelBody.textContent = "";
    const now = Date.now();
    const state = el("p", "panel-state");
    state.append(badge(data.state), " ");
    state.append(data.at ? fill(texts.since, { time: stamp(new Date(data.at)), age: age(data.at, now) }) : texts.never);
    panelBody.append(state);
    const facts = el("dl", "panel-facts");
    entry(facts, texts.site_code, data.site);
    entry(facts, texts.checklist, checklistOf(data.checklist));
    entry(facts, texts.people, data.people === null || data.people === undefined ? "–" : num(data.people));
    entry(facts, texts.note, data.note || "–").classList.add("panel-note");
    const override = detail ? detail.override : data.override;
    if (override) {
      entry(facts, texts.override, override).classList.add("panel-override");
    }
    panelBody.append(facts);
    if (!detail) {
      panelBody.append(el("p", "muted panel-loading", texts.loading));
      return;
    }
    const contacts = el("dl", "panel-facts");
    if (detail.site_phone) {
      entry(contacts, texts.site_phone, tel(detail.site_phone));
    }
    const people = el("ul", "panel-technicians");
    detail.technicians.forEach(function (person) {
      const li = el("li", "", person.name);
      if (person.phone) {
        li.append(" · ", tel(person.phone));
      }
      people.append(li);
    });
    if (!detail.technicians.length) {
      people.append(el("li", "muted", texts.no_technician));
    }
    entry(contacts, texts.technicians, people);
    panelBody.append(contacts);
    panelBody.append(el("h3", "panel-history-title", texts.history));
    if (!detail.history.length) {
      panelBody.append(el("p", "muted", texts.no_history));
      return;
    }
    const table = el("table", "data-table panel-history");
    const head = el("tr");
    [texts.time, texts.change, texts.by, texts.note].forEach(function (title) {
      const th = el("th", "", title);
      th.scope = "col";
      head.append(th);
    });
    const thead = el("thead");
    thead.append(head);
    const tbody = el("tbody");
    detail.history.forEach(function (event) {
      const row = el("tr");
      row.append(el("td", "panel-time", stamp(new Date(event.at))));
      const change = el("td");
      change.append(badge(event.from), " → ", badge(event.to));
      row.append(change, el("td", "", event.by || "–"));
      const note = [event.note, event.override ? `${texts.override}: ${event.override}` : ""].filter(Boolean).join(" · ");
      row.append(el("td", "", note || "–"));
      tbody.append(row);
    });
    table.append(thead, tbody);
    const wrap = el("div", "table-wrap");
    wrap.append(table);
    panelBody.append(wrap);
  }

  function loadPanel(cell) {
    const request = ++panelRequest;
    fetch(`${root.dataset.legUrl}${cell.data.leg}/`, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (detail) {
        if (request === panelRequest && panelLeg === cell) {
          drawPanel(Object.assign({}, cell.data, detail), detail);
        }
      })
      .catch(function () {
        if (request === panelRequest && panelLeg === cell) {
          const loading = panelBody.querySelector(".panel-loading");
          if (loading) {
            loading.textContent = texts.detail_failed;
          }
        }
      });
  }

  function openPanel(cell) {
    panelLeg = cell;
    drawPanel(cell.data, null);
    if (!panel.open) {
      if (typeof panel.showModal === "function") {
        panel.showModal();
      } else {
        panel.setAttribute("open", "");
      }
    }
    loadPanel(cell);
  }

  panel.addEventListener("close", function () {
    const cell = panelLeg;
    panelLeg = null;
    if (cell && cell.el && cell.shown) {
      cell.el.focus();
    }
  });
  document.getElementById("leg-panel-close").addEventListener("click", function () {
    panel.close();
  });

  // --- counts --------------------------------------------------------------------------------

  /* Move one site's count from one state to another everywhere it is counted. */
  function recount(cell, from, to) {
    const group = groups.get(cell.group);
    const level = levels.get(cell.level);
    [totals, group.counts, level.counts].forEach(function (counts) {
      counts[from] -= 1;
      counts[to] += 1;
    });
    totalEls[from].textContent = num(totals[from]);
    totalEls[to].textContent = num(totals[to]);
    drawGroup(group);
    drawLevel(level);
  }

  // --- snapshot and deltas -------------------------------------------------------------------

  /* The legs of the snapshot's compact map, in the sites' order (readiness_board.compact_map):
     [{leg, state, level, group, host}]. */
  function decodeMap(map) {
    const legs = [];
    let leg = 0;
    let position = 0;
    map.runs.forEach(function (run) {
      const group = map.groups[run[0]];
      for (let i = 0; i < run[1]; i += 1) {
        leg += map.ids[position];
        legs.push({
          leg: leg,
          state: map.state_names[Number(map.states[position])],
          level: map.level_names[Number(map.levels[position])],
          group: group.key,
          host: position === map.host,
        });
        position += 1;
      }
    });
    return legs;
  }

  function build(map, list) {
    cells.clear();
    groups.clear();
    levels.clear();
    groupOrder = [];
    buildQueue = [];
    askedGroups.clear();
    askedLegs.clear();
    askedStates.clear();
    legsToAsk = [];
    asks.length = 0;
    STATES.forEach(function (state) {
      totals[state] = 0;
    });
    map.groups.forEach(function (entry) {
      const made = makeGroup(entry.key, entry.name);
      groups.set(entry.key, made);
      groupOrder.push(made);
    });
    const legs = decodeMap(map);
    legs.forEach(function (entry) {
      if (!levels.has(entry.level)) {
        levels.set(entry.level, makeLevel(entry.level));
      }
      const group = groups.get(entry.group);
      const level = levels.get(entry.level);
      const cell = {
        data: { leg: entry.leg, state: entry.state, seq: -1, host: entry.host },
        loaded: false,
        key: "",
        el: null,
        age: null,
        group: entry.group,
        level: entry.level,
        shown: true,
      };
      group.cells.push(cell);
      group.total += 1;
      group.counts[entry.state] += 1;
      level.total += 1;
      level.counts[entry.state] += 1;
      totals[entry.state] += 1;
      cells.set(entry.leg, cell);
    });
    mergeCells(list);
    // The groups the snapshot says start open (all of them on a small board).
    const opened = new Set(map.open || []);
    groupOrder.forEach(function (group) {
      group.open = opened.has(group.index);
    });

    summaryList.textContent = "";
    groupOrder.forEach(function (group) {
      summaryList.append(makeRow(group));
    });
    levelTable.textContent = "";
    LEVEL_ORDER.concat(Array.from(levels.keys()).filter(function (slug) {
      return LEVEL_ORDER.indexOf(slug) === -1;
    })).forEach(function (slug) {
      const level = levels.get(slug);
      if (level) {
        drawLevel(level);
        levelTable.append(level.row);
      }
    });

    const fragment = document.createDocumentFragment();
    groupOrder.forEach(function (group) {
      fragment.append(group.el);
    });
    if (!legs.length) {
      fragment.append(el("p", "empty", texts.no_sites));
    }
    grid.textContent = "";
    grid.append(fragment);

    // The shown groups' cells: the first few hundred now, the rest frame by frame.
    const active = filterActive();
    askFilteredStates();
    let budget = CELLS_PER_FRAME;
    groupOrder.forEach(function (group) {
      group.matches = 0;
      group.cells.forEach(function (cell) {
        cell.shown = !active || matches(cell);
        group.matches += cell.shown ? 1 : 0;
      });
      group.el.hidden = active && group.matches === 0;
      group.shown = active ? group.matches > 0 : group.open;
      group.list.hidden = !group.shown;
      group.toggle.setAttribute("aria-expanded", group.shown ? "true" : "false");
      group.row.setAttribute("aria-expanded", group.shown ? "true" : "false");
      group.active = firstShown(group);
      drawGroup(group);
      if (group.shown) {
        if (budget > 0) {
          buildGroup(group);
          budget -= group.cells.length;
        } else {
          buildQueue.push(group);
        }
      }
      updateStop(group);
    });
    orderRows();
    drawMatches(active, groupOrder.reduce(function (sum, group) {
      return sum + group.matches;
    }, 0));
    grid.setAttribute("aria-busy", askedStates.size ? "true" : "false");
    drawTotals();
    root.setAttribute("data-board-ready", "");
    scheduleBuilds();
    if (filter.query !== "") {
      runSearch(); // the matches of the board before are gone with it
    }
  }

  /* A change of one site: its state (moving the counts) and what the board knows of it.
     False for a site the board does not have. */
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
    refilter(cell);
    if (panelLeg === cell && panel.open) {
      drawPanel(cell.data, null);
      loadPanel(cell);
    }
    return true;
  }

  /* Full cells come (the snapshot's, a group's, some sites', a search's): the site's name
     and code always, its report only if not older than the one here. The groups shown
     get the cells that were missing. */
  function mergeCells(list) {
    const now = Date.now();
    const touched = new Set();
    list.forEach(function (given) {
      const cell = cells.get(given.leg);
      if (!cell) {
        return;
      }
      // What a full cell leaves out is empty (readiness_board.full_cell).
      const data = Object.assign({}, EMPTY_CELL, given);
      const fresh = !cell.loaded;
      cell.data.site = data.site;
      cell.data.name = data.name;
      cell.data.host = data.host;
      cell.loaded = true;
      cell.key = fold(`${data.name} ${data.site}`);
      askedLegs.delete(data.leg);
      update(data, now);
      if (fresh) {
        touched.add(groups.get(cell.group));
      }
    });
    touched.forEach(function (group) {
      if (group.shown && group.built) {
        buildGroup(group);
        const first = firstShown(group);
        if (group.focusWhenLoaded && group.loadingEl.hidden && first) {
          group.focusWhenLoaded = false;
          if (document.activeElement === group.toggle) {
            group.onHead = false;
            setActive(group, first);
            first.el.focus();
          }
        }
      }
    });
  }

  function sameSites(map) {
    const legs = decodeMap(map);
    return legs.length === cells.size && legs.every(function (entry) {
      const cell = cells.get(entry.leg);
      return cell && entry.group === cell.group && entry.host === Boolean(cell.data.host);
    });
  }

  /* A snapshot of the same sites: the states from its map, its cells, and the sites this
     board had that it does not carry asked for again (their reports may have moved):
     those a state filter shows by their state, the others by site. */
  function refresh(map, list) {
    const now = Date.now();
    const carried = new Set(list.map(function (data) {
      return data.leg;
    }));
    const stale = [];
    const staleStates = new Set();
    decodeMap(map).forEach(function (entry) {
      const cell = cells.get(entry.leg);
      if (cell.data.state !== entry.state) {
        const from = cell.data.state;
        cell.data.state = entry.state;
        recount(cell, from, entry.state);
        paint(cell, now);
        refilter(cell);
      }
      if (cell.loaded && !carried.has(entry.leg)) {
        if (filter.kinds.has(KIND_OF[entry.state])) {
          staleStates.add(entry.state);
        } else {
          stale.push(entry.leg);
        }
      }
    });
    mergeCells(list);
    if (staleStates.size) {
      const states = Array.from(staleStates).sort();
      states.forEach(function (state) {
        askedStates.add(state);
      });
      ask("cells", { states: states });
    }
    for (let start = 0; start < stale.length; start += ASK_LEGS) {
      ask("cells", { legs: stale.slice(start, start + ASK_LEGS) });
    }
    if (sortWorst) {
      orderRows();
    }
  }

  // A snapshot comes in parts (at most a few hundred cells each): drawn once whole.
  let snapshotCells = [];
  let snapshotMap = null;

  function onSnapshotPart(content) {
    if (!content.part || content.part === 1) {
      snapshotCells = [];
      snapshotMap = content.map || null;
    }
    snapshotCells = snapshotCells.concat(content.cells || []);
    if (content.part && content.part < content.parts) {
      return false;
    }
    const whole = snapshotCells;
    const map = snapshotMap;
    snapshotCells = [];
    snapshotMap = null;
    if (!map) {
      return false; // parts of a snapshot whose first part was missed: the next will do
    }
    onSnapshot(content.seq, map, whole);
    return true;
  }

  function onSnapshot(newSeq, map, list) {
    // A snapshot is the sign of a healthy socket: only then is the backoff reset.
    failures = 0;
    awaitingSnapshot = false;
    if (seq !== null && sameSites(map)) {
      refresh(map, list);
    } else {
      build(map, list);
    }
    seq = newSeq;
    root.dataset.seq = seq;
  }

  // --- cells asked for over the socket -------------------------------------------------------

  // One request at a time (a group's cells, or some sites'), the next when it is answered:
  // "expand all" asks for the groups in turn, within the socket's rate.
  const asks = [];
  let asking = null;

  function send(type, content) {
    if (!socket || socket.readyState !== WebSocket.OPEN) {
      return null;
    }
    const id = newId();
    socket.send(JSON.stringify({ type: type, id: id, content: content }));
    return id;
  }

  function ask(type, content) {
    asks.push({ type: type, content: content });
    askNext();
  }

  function askNext() {
    if (asking || !asks.length) {
      return;
    }
    const next = asks.shift();
    const id = send(next.type, next.content);
    if (id) {
      asking = { id: id, entry: next };
    } else {
      asks.unshift(next); // no socket: asked again once it is back
    }
  }

  function answered(id) {
    if (asking && asking.id === id) {
      asking = null;
      askNext();
    }
  }

  function askGroup(group) {
    if (askedGroups.has(group.key)) {
      return;
    }
    askedGroups.add(group.key);
    ask("cells", { group: group.key });
  }

  /* The cells a state filter shows that are not here (the snapshot of a large board
     carries only the groups open at start): asked for by state, all of them, once. */
  function askFilteredStates() {
    if (!filter.kinds.size) {
      return;
    }
    const lacking = new Set();
    cells.forEach(function (cell) {
      const state = cell.data.state;
      if (!cell.loaded && filter.kinds.has(KIND_OF[state]) && !askedStates.has(state)) {
        lacking.add(state);
      }
    });
    if (!lacking.size) {
      return;
    }
    const states = Array.from(lacking).sort();
    states.forEach(function (state) {
      askedStates.add(state);
    });
    grid.setAttribute("aria-busy", "true");
    ask("cells", { states: states });
  }

  /* The cells of asked states are here (or will not come): the groups shown ask for
     what is still missing (a site that moved into the state meanwhile). */
  function statesAnswered(states) {
    states.forEach(function (state) {
      askedStates.delete(state);
    });
    if (!askedStates.size) {
      grid.setAttribute("aria-busy", "false");
    }
    groupOrder.forEach(function (group) {
      if (group.shown && group.built) {
        buildGroup(group);
      }
    });
  }

  /* Sites shown under a filter but not here (a delta made them match): asked for together. */
  function askLegs(ids) {
    ids.forEach(function (leg) {
      if (!askedLegs.has(leg)) {
        askedLegs.add(leg);
        legsToAsk.push(leg);
      }
    });
    if (legsToAsk.length && !legsScheduled) {
      legsScheduled = true;
      Promise.resolve().then(flushLegs);
    }
  }

  let legsScheduled = false;

  function flushLegs() {
    legsScheduled = false;
    while (legsToAsk.length) {
      ask("cells", { legs: legsToAsk.splice(0, ASK_LEGS) });
    }
  }

  function onCells(content, id) {
    mergeCells(content.cells || []);
    if (!content.parts || content.part >= content.parts) {
      if (content.group !== undefined) {
        const group = groups.get(content.group);
        if (group) {
          drawLoading(group);
        }
      }
      if (content.states !== undefined) {
        statesAnswered(content.states);
      }
      answered(id);
    }
  }

  function onError(message) {
    const id = message.in_response;
    if (!id) {
      return;
    }
    if (id === searchId) {
      matchesEl.hidden = false;
      matchesEl.textContent = texts.search_failed;
    }
    if (!asking || asking.id !== id) {
      return;
    }
    const entry = asking.entry;
    asking = null;
    if ((message.content || {}).code === "rate_limited") {
      // Asked too fast (expand all on a national board): the same again a little later.
      asks.unshift(entry);
      setTimeout(askNext, RETRY_ASK_MS);
      return;
    }
    if (entry.content.group) {
      askedGroups.delete(entry.content.group); // asked again when shown again
    }
    (entry.content.legs || []).forEach(function (leg) {
      askedLegs.delete(leg);
    });
    askNext();
    if (entry.content.states) {
      statesAnswered(entry.content.states); // what is shown is asked for by site instead
    }
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
    if (sortWorst) {
      orderRows();
    }
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
    } else if (message.type === "cells") {
      onCells(content, message.in_response);
      return;
    } else if (message.type === "found") {
      onFound(content);
      return;
    } else if (message.type === "error") {
      onError(message);
      return;
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
      askNext(); // what was asked for when the socket went
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
    if (asking) {
      // Its answer is lost with the socket: asked again on the next one.
      asks.unshift(asking.entry);
      asking = null;
    }
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

  window.addEventListener("online", function () {
    if (!socket) {
      connect();
    }
  });

  setInterval(tickAges, AGE_TICK_MS);
  setInterval(heartbeat, HEARTBEAT_MS);
  connect();
})();
