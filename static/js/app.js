// Small behaviours every page may use, declared in the HTML with data attributes, because
// the Content-Security-Policy allows no inline script or event handler:
//   <form data-confirm="Publish version 3?">  asks before submitting;
//   <button data-copy="#feed-url">            copies that input's value to the clipboard.
// And one for every page: a box that scrolls sideways (a wide table on a phone) can be
// reached and scrolled with the keyboard (WCAG 2.1.1), named after its table's caption
// or the heading before it.
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

  function reachableScrollBoxes() {
    document.querySelectorAll(".table-responsive").forEach((box) => {
      const scrolls = box.scrollWidth > box.clientWidth || box.scrollHeight > box.clientHeight;
      if (!scrolls || box.hasAttribute("tabindex")) return;
      box.setAttribute("tabindex", "0");
      if (!box.hasAttribute("role")) box.setAttribute("role", "region");
      if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby")) {
        const caption = box.querySelector("caption");
        let heading = box.previousElementSibling;
        while (heading && !/^H[1-6]$/.test(heading.tagName)) heading = heading.previousElementSibling;
        const name = (caption || heading || {}).textContent || "Table";
        box.setAttribute("aria-label", name.trim().slice(0, 80));
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", reachableScrollBoxes);
  } else {
    reachableScrollBoxes();
  }
  window.addEventListener("resize", reachableScrollBoxes);
})();
