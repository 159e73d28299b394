// Small behaviours every page may use, declared in the HTML with data attributes, because
// the Content-Security-Policy allows no inline script or event handler:
//   <form data-confirm="Publish version 3?">  asks before submitting;
//   <button data-copy="#feed-url">            copies that input's value to the clipboard.
(function () {
  "use strict";

  document.addEventListener("submit", (event) => {
    const form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-copy]");
    if (!button) return;
    const source = document.querySelector(button.dataset.copy);
    if (source && navigator.clipboard) navigator.clipboard.writeText(source.value);
  });
})();
