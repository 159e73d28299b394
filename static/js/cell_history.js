// The grid's cell history: clicking a cell (draft or published) loads that cell's events
// into the side panel from the version's cell-history URL. Kept apart from grid.js, which
// edits cells: this file only reads.
(function () {
  "use strict";
  const table = document.getElementById("grid");
  const panel = document.getElementById("cell-history");
  if (!table || !panel) return;
  const content = document.getElementById("cell-history-content");

  // Every cell's id is "c-<resident>-<week>" (published cells carry no data attributes).
  function where(td) {
    const parts = (td.id || "").split("-");
    return parts.length === 3 && parts[0] === "c" ? { resident: parts[1], week: parts[2] } : null;
  }

  async function show(td) {
    const cell = where(td);
    if (!cell) return;
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
  });

  table.addEventListener("click", (event) => {
    const td = event.target.closest("td.cell");
    if (td) show(td);
  });
})();
