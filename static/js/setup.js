// Set-up forms: a palette swatch fills the colour field it names (data-target), and tells
// htmx the field changed so that the form is checked again.
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
})();
