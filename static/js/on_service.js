// The service list's Print button (no inline handlers: the CSP forbids them).
(function () {
  "use strict";
  const button = document.querySelector("[data-print]");
  if (button) button.addEventListener("click", () => window.print());
})();
