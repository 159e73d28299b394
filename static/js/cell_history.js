// The grid's cell history: clicking a cell (draft or published) loads that cell's events
// into the side panel from the version's cell-history URL. Kept apart from grid.js, which
// edits cells: this file only reads. After an edit or a pin of the cell it shows (grid.js's
// "grid:cell-edited" event) or an htmx swap on the page, the open panel is loaded again.
(function () {
  "use strict";
  const table = document.getElementById("grid");
  const panel = document.getElementById("cell-history");
  if (!table || !panel) return;
  const content = document.getElementById("cell-history-content");
  let shown = null; // the id of the cell whose history the panel holds

  // Every cell's id is "c-<resident>-<week>" (published cells carry no data attributes).
  function where(td) {
    const parts = (td.id || "").split("-");
    return parts.length === 3 && parts[0] === "c" ? { resident: parts[1], week: parts[2] } : null;
  }

  async function show(td) {
    const cell = where(td);
    if (!cell) return;
    shown = td.id;
    const url = new URL(panel.dataset.url, window.location.href);
    url.searchParams.set("resident", cell.resident);
    url.searchParams.set("week", cell.week);
    panel.classList.remove("d-none");
    content.textContent = "Loading…";
    try {
      const response = await fetch(url, { headers: { "HX-Request": "true" } });
      content.innerHTML = response.ok ? await response.text() : "The history could not be loaded.";
    } catch (e) {
      content.textContent = "The history could not be loaded.";
    }
  }

  document.getElementById("cell-history-close").addEventListener("click", () => {
    panel.classList.add("d-none");
    shown = null;
  });

  function refresh(id) {
    if (!shown || panel.classList.contains("d-none") || (id && id !== shown)) return;
    const td = document.getElementById(shown);
    if (td) show(td);
  }

  table.addEventListener("grid:cell-edited", (event) => refresh(event.detail && event.detail.id));
  document.body.addEventListener("htmx:afterSwap", () => refresh(null));

  table.addEventListener("click", (event) => {
    const td = event.target.closest("td.cell");
    if (td) show(td);
  });
})();
