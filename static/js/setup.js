// Set-up forms.
// - A palette swatch fills the colour field it names (data-target) and tells htmx the field
//   changed, so that the form is checked again.
// - The inline check (hx-post on change, delayed) never runs once the form is submitted: the
//   save answers for itself, and a check racing the save would only read half-saved rows.
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
