// Set-up forms.
// - A palette swatch fills the colour field it names (data-target) and tells htmx the field
//   changed, so that the form is checked again.
// - The inline check (hx-post on change, delayed) never runs once the form is submitted: the
//   save answers for itself, and a check racing the save would only read half-saved rows.
// - "Add a staffing rule" (data-add-row) copies the formset's empty row (a <template>) with
//   the next index and counts it in TOTAL_FORMS; "Remove" (data-remove-row) ticks the row's
//   hidden DELETE box and hides it, so the formset drops the rule on save.
(function () {
  "use strict";
  document.addEventListener("click", (event) => {
    const swatch = event.target.closest("[data-swatch]");
    if (!swatch) return;
    const input = document.querySelector(swatch.dataset.target);
    if (!input) return;
    input.value = swatch.dataset.swatch;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });

  document.addEventListener("click", (event) => {
    const add = event.target.closest("[data-add-row]");
    if (!add) return;
    const template = document.querySelector(add.dataset.addRow);
    const rows = document.querySelector(add.dataset.rows);
    const total = document.querySelector(add.dataset.total);
    if (!template || !rows || !total) return;
    const index = Number(total.value);
    const html = template.innerHTML.replace(/__prefix__/g, String(index));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    const first = rows.lastElementChild && rows.lastElementChild.querySelector("input");
    if (first) first.focus();
  });

  document.addEventListener("click", (event) => {
    const remove = event.target.closest("[data-remove-row]");
    if (!remove) return;
    const row = remove.closest("tr");
    const box = row && row.querySelector("input[name$='-DELETE']");
    if (!box) return;
    box.checked = true;
    row.classList.add("d-none");
    box.dispatchEvent(new Event("change", { bubbles: true }));
  });

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.matches("form[hx-post]")) return;
    form.dataset.submitting = "1";
    if (window.htmx) window.htmx.trigger(form, "htmx:abort");
  });

  document.addEventListener("htmx:beforeRequest", (event) => {
    const form = event.detail.elt.closest("form");
    if (form && form.dataset.submitting) event.preventDefault();
  });
})();
