// The schedule grid. It opens scrolled to this week; every cell has a tooltip (rotation,
// week, phase, pin, rule break); the keyboard moves between cells (arrows, Home/End,
// PageUp/PageDown) and Enter opens the edit box of a draft, or the "published — make a
// draft to edit" note of a published version. Every edit is checked at once against the
// hard rules; the cells and weeks that break one are hatched and marked with an icon, and
// each message of the rule list focuses its cell.
(function () {
  "use strict";
  const table = document.getElementById("grid");
  const wrap = document.getElementById("grid-wrap");
  const metaEl = document.getElementById("grid-meta");
  if (!table || !wrap || !metaEl) return;
  const meta = JSON.parse(metaEl.textContent);
  const PHASES = { x: "X weeks (inpatient/elective)", y: "Y weeks (ambulatory)", any: "any week" };
  const dateFormat = new Intl.DateTimeFormat(undefined, { weekday: "short", day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
  let active = null; // the one cell in the tab order (roving tabindex)

  // ---- what a cell is: its id, classes and text (a draft's cells also have data-*) -------
  function info(td) {
    const parts = td.id.split("-");
    const leave = td.classList.contains("leave");
    return {
      r: parts[1],
      w: Number(parts[2]),
      code: td.dataset.code !== undefined ? td.dataset.code : (leave ? "" : td.textContent.trim()),
      y: td.classList.contains("y-week"),
      pin: td.classList.contains("pinned"),
    };
  }

  // ---- tooltips ---------------------------------------------------------------------
  function residentName(td) {
    const th = td.parentElement.querySelector("th.name");
    const link = th.querySelector("a");
    return (link || th).childNodes[0].textContent.trim();
  }

  function describe(td) {
    const cell = info(td);
    const week = cell.w;
    const code = cell.code;
    const rotation = code ? meta.rotations[code] : null;
    const parts = [residentName(td)];
    parts.push(rotation ? `${rotation.name} (${code})` : "leave / unscheduled");
    const start = meta.weeks[week] ? dateFormat.format(new Date(meta.weeks[week] + "T00:00:00Z")) : "";
    parts.push(`week ${week + 1}, from ${start}${week === meta.current ? " (this week)" : ""}`);
    parts.push(cell.y ? "Y week (ambulatory phase)" : "X week (inpatient/elective phase)");
    if (rotation && rotation.phase && rotation.phase !== "any") parts.push(`rotation for ${PHASES[rotation.phase]}`);
    parts.push(cell.pin ? "pinned: re-solving keeps it" : "not pinned");
    if (td.classList.contains("violation")) parts.push("breaks a hard rule");
    return parts.join(" · ");
  }

  function label(td) {
    const text = describe(td);
    td.title = text;
    td.setAttribute("aria-label", text);
  }

  table.addEventListener("pointerover", (event) => {
    const td = event.target.closest("td.cell");
    if (td) label(td);
  });
  table.addEventListener("focusin", (event) => {
    const td = event.target.closest("td.cell");
    if (td) label(td);
  });

  // ---- focus and keyboard -------------------------------------------------------------
  function makeActive(td, focus) {
    if (!td) return;
    if (active && active !== td) active.removeAttribute("tabindex");
    active = td;
    td.tabIndex = 0;
    if (focus) {
      label(td);
      td.focus({ preventScroll: true });
      td.scrollIntoView({ block: "nearest", inline: "nearest" });
    }
  }

  function cellAt(row, col) {
    if (!row) return null;
    const cells = row.querySelectorAll("td.cell");
    return cells[Math.max(0, Math.min(cells.length - 1, col))] || null;
  }

  table.addEventListener("keydown", (event) => {
    const td = event.target.closest("td.cell");
    if (!td) return;
    const row = td.parentElement;
    const col = info(td).w;
    const rows = Array.from(table.tBodies[0].rows);
    const index = rows.indexOf(row);
    let next = null;
    switch (event.key) {
      case "ArrowRight": next = cellAt(row, col + 1); break;
      case "ArrowLeft": next = cellAt(row, col - 1); break;
      case "ArrowDown": next = cellAt(rows[index + 1], col); break;
      case "ArrowUp": next = cellAt(rows[index - 1], col); break;
      case "Home": next = cellAt(event.ctrlKey ? rows[0] : row, 0); break;
      case "End": next = cellAt(event.ctrlKey ? rows[rows.length - 1] : row, meta.weeks.length - 1); break;
      case "PageDown": next = cellAt(rows[Math.min(rows.length - 1, index + 10)], col); break;
      case "PageUp": next = cellAt(rows[Math.max(0, index - 10)], col); break;
      case "Enter":
      case " ":
        event.preventDefault();
        open(td);
        return;
      default:
        return;
    }
    event.preventDefault();
    makeActive(next, true);
  });

  table.addEventListener("click", (event) => {
    const td = event.target.closest("td.cell");
    if (!td) return;
    makeActive(td, true);
    open(td);
  });

  // ---- this week ----------------------------------------------------------------------
  function scrollToWeek(week) {
    const th = document.getElementById("w-" + week);
    const nameColumn = table.querySelector("thead th.name");
    if (!th) return;
    // Up to two weeks of context to the left of the week, as far as the screen allows.
    const room = wrap.clientWidth - nameColumn.offsetWidth - th.offsetWidth;
    const before = Math.max(0, Math.min(2 * th.offsetWidth, room));
    wrap.scrollLeft = Math.max(0, th.offsetLeft - nameColumn.offsetWidth - before);
  }

  const firstRow = table.tBodies[0] && table.tBodies[0].rows[0];
  const startWeek = meta.current === null || meta.current === undefined ? 0 : meta.current;
  if (meta.current !== null && meta.current !== undefined) scrollToWeek(meta.current);
  makeActive(cellAt(firstRow, startWeek), false);
  const today = document.getElementById("goto-today");
  if (today) {
    today.addEventListener("click", () => {
      scrollToWeek(meta.current);
      makeActive(cellAt(firstRow, meta.current), true);
    });
  }

  // ---- rule breaks: the list links to its cells ---------------------------------------
  function applyFlags(flagged) {
    table.querySelectorAll("td.violation").forEach((td) => td.classList.remove("violation"));
    table.querySelectorAll("thead th.violation").forEach((th) => th.classList.remove("violation"));
    flagged.cells.forEach((id) => { const td = document.getElementById(id); if (td) td.classList.add("violation"); });
    flagged.weeks.forEach((w) => { const th = document.getElementById("w-" + w); if (th) th.classList.add("violation"); });
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a.violation-link");
    if (!link) return;
    const target = document.getElementById(link.dataset.target);
    if (!target) return; // filtered out of this view: the browser follows the anchor
    event.preventDefault();
    target.scrollIntoView({ block: "center", inline: "center" });
    if (target.matches("td.cell")) {
      makeActive(target, true);
    } else {
      target.focus({ preventScroll: true });
    }
    target.classList.add("jumped");
    setTimeout(() => target.classList.remove("jumped"), 1600);
  });

  // ---- a published version: say so, offer the draft ----------------------------------
  const noteEl = document.getElementById("published-note");
  const note = noteEl ? bootstrap.Toast.getOrCreateInstance(noteEl, { autohide: false }) : null;

  // ---- the edit box of a draft ----------------------------------------------------------
  const modalEl = document.getElementById("cell-modal");
  const modal = modalEl ? new bootstrap.Modal(modalEl) : null;
  const select = document.getElementById("cell-rotation");
  const pinned = document.getElementById("cell-pinned");
  const error = document.getElementById("cell-error");
  const title = document.getElementById("cell-title");
  const csrf = JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
  let current = null;

  function open(td) {
    if (!modal || !table.dataset.editUrl) {
      if (note) {
        document.getElementById("published-cell").textContent = describe(td) + ".";
        note.show();
        document.getElementById("published-copy").focus();
      }
      return;
    }
    current = td;
    const week = Number(td.dataset.w);
    title.textContent = `${residentName(td)} — week ${week + 1} (${td.dataset.y === "1" ? "Y" : "X"} week)`;
    select.value = td.dataset.code || "";
    pinned.checked = td.dataset.pin === "1";
    error.textContent = "";
    // Rotations of the other phase stay selectable (a director may override), but say so.
    const phase = td.dataset.y === "1" ? "y" : "x";
    Array.from(select.options).forEach((o) => {
      const other = o.dataset.phase && o.dataset.phase !== "any" && o.dataset.phase !== phase;
      o.classList.toggle("text-muted", Boolean(other));
    });
    modal.show();
  }

  if (modalEl) {
    modalEl.addEventListener("shown.bs.modal", () => select.focus());
    // Escape or Cancel: back to the cell that was being edited.
    modalEl.addEventListener("hidden.bs.modal", () => { if (current) makeActive(current, true); });
  }
  if (noteEl) {
    noteEl.addEventListener("hidden.bs.toast", () => { if (active) active.focus({ preventScroll: true }); });
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && noteEl.classList.contains("show")) note.hide();
    });
  }

  async function post(url, data) {
    const body = new URLSearchParams(data);
    const response = await fetch(url, {
      method: "POST",
      headers: { "X-CSRFToken": csrf, "Content-Type": "application/x-www-form-urlencoded" },
      body,
    });
    const text = await response.text();
    let payload = null;
    try { payload = JSON.parse(text); } catch (e) { payload = { __all__: [text] }; }
    if (!response.ok) {
      const messages = Object.values(payload).flat().join(" ");
      throw new Error(messages || "The change was refused.");
    }
    return payload;
  }

  function apply(payload) {
    const holder = document.createElement("tbody");
    holder.innerHTML = "<tr>" + payload.cell + "</tr>";
    const fresh = holder.querySelector("td");
    if (current.classList.contains("today")) fresh.classList.add("today");
    current.replaceWith(fresh);
    if (active === current) active = null;
    current = fresh;
    makeActive(fresh, false);
    document.getElementById("violations-panel").innerHTML = payload.panel;
    applyFlags(payload.flagged);
    // Tell the readers of this cell (the cell-history panel) that it changed.
    table.dispatchEvent(new CustomEvent("grid:cell-edited", { bubbles: true, detail: { id: fresh.id } }));
  }

  const save = document.getElementById("cell-save");
  if (save) {
    save.addEventListener("click", async () => {
      if (!current) return;
      const resident = current.dataset.r, week = current.dataset.w;
      try {
        let payload = null;
        if ((current.dataset.code || "") !== select.value) {
          const expected = current.dataset.code || "";  // what this editor saw: a stale edit is refused
          payload = await post(table.dataset.editUrl, { resident, week, rotation: select.value, expected });
          apply(payload);
        }
        if (select.value && (current.dataset.pin === "1") !== pinned.checked) {
          payload = await post(table.dataset.pinUrl, { resident, week, pinned: pinned.checked ? "on" : "" });
          apply(payload);
        }
        modal.hide();
      } catch (e) {
        error.textContent = e.message;
      }
    });
  }

  // ---- print: blocks of 13 weeks, every resident, names on every block -------------------
  // The screen grid scrolls; paper cannot, so before printing the grid is copied into one
  // table per quarter (13 weeks), each starting a page, its header and names repeated.
  const PRINT_WEEKS = 13;
  function buildPrint() {
    if (document.getElementById("grid-print")) return;
    const holder = document.createElement("div");
    holder.id = "grid-print";
    holder.className = "grid-print";
    const headCells = Array.from(table.tHead.rows[0].cells);
    const rows = Array.from(table.tBodies[0].rows);
    for (let first = 0; first < meta.weeks.length; first += PRINT_WEEKS) {
      const last = Math.min(meta.weeks.length, first + PRINT_WEEKS);
      const block = document.createElement("table");
      block.className = "grid grid-block";
      const caption = block.createCaption();
      caption.textContent = `Weeks ${first + 1}–${last}`;
      const head = block.createTHead().insertRow();
      head.appendChild(headCells[0].cloneNode(true));
      for (let w = first; w < last; w++) {
        const th = headCells[w + 1].cloneNode(true);
        th.removeAttribute("id");
        head.appendChild(th);
      }
      const body = block.createTBody();
      rows.forEach((row) => {
        const tr = body.insertRow();
        tr.appendChild(row.cells[0].cloneNode(true));
        for (let w = first; w < last; w++) {
          const td = row.cells[w + 1].cloneNode(true);
          td.removeAttribute("id");
          td.removeAttribute("tabindex");
          tr.appendChild(td);
        }
      });
      holder.appendChild(block);
    }
    wrap.after(holder);
  }
  window.addEventListener("beforeprint", buildPrint);
  window.matchMedia("print").addEventListener("change", (event) => { if (event.matches) buildPrint(); });

  // ---- a build: say it started, keep the page usable -----------------------------------
  const buildForm = document.getElementById("build-form");
  if (buildForm) {
    buildForm.addEventListener("submit", () => {
      const button = document.getElementById("build-button");
      button.disabled = true;
      button.querySelector(".spinner-border").classList.remove("d-none");
      button.querySelector(".label").textContent = "Starting the solver…";
    });
  }
})();
