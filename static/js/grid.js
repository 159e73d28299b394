// The schedule grid: click a cell of a draft to change it; every edit is checked at once
// against all hard rules, and the cells and weeks that break one are outlined in red.
(function () {
  "use strict";
  const table = document.getElementById("grid");
  const modalEl = document.getElementById("cell-modal");
  if (!table || !modalEl || !table.dataset.editUrl) return;
  const modal = new bootstrap.Modal(modalEl);
  const select = document.getElementById("cell-rotation");
  const pinned = document.getElementById("cell-pinned");
  const error = document.getElementById("cell-error");
  const title = document.getElementById("cell-title");
  const csrf = JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
  let current = null;

  function applyFlags(flagged) {
    table.querySelectorAll("td.violation").forEach((td) => td.classList.remove("violation"));
    table.querySelectorAll("thead th.text-danger").forEach((th) => th.classList.remove("text-danger"));
    flagged.cells.forEach((id) => { const td = document.getElementById(id); if (td) td.classList.add("violation"); });
    flagged.weeks.forEach((w) => { const th = document.getElementById("w-" + w); if (th) th.classList.add("text-danger"); });
  }

  table.addEventListener("click", (event) => {
    const td = event.target.closest("td.cell");
    if (!td) return;
    current = td;
    const name = td.parentElement.querySelector("th.name a, th.name").textContent.trim().split("\n")[0];
    const week = Number(td.dataset.w);
    title.textContent = `${name} — week ${week + 1} (${td.dataset.y === "1" ? "Y" : "X"} week)`;
    select.value = td.dataset.code || "";
    pinned.checked = td.dataset.pin === "1";
    error.textContent = "";
    // Rotations of the other phase stay selectable (a director may override), but are marked.
    const phase = td.dataset.y === "1" ? "y" : "x";
    Array.from(select.options).forEach((o) => {
      o.classList.toggle("text-muted", o.dataset.phase && o.dataset.phase !== "any" && o.dataset.phase !== phase);
    });
    modal.show();
  });

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
    current.replaceWith(fresh);
    current = fresh;
    document.getElementById("violations-panel").innerHTML = payload.panel;
    applyFlags(payload.flagged);
  }

  document.getElementById("cell-save").addEventListener("click", async () => {
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
})();
