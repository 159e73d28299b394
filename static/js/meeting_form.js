// The meeting form: quick duration buttons, and "Another action item" adds a row from the
// formset's empty-form template (Django's __prefix__ replaced by the next index).
(function () {
  "use strict";
  document.querySelectorAll("[data-minutes]").forEach((button) => button.addEventListener("click", () => {
    document.getElementById(button.dataset.minutesFor).value = button.dataset.minutes;
  }));
  const add = document.getElementById("add-action-item");
  if (!add) return;
  add.addEventListener("click", () => {
    const total = document.getElementById("id_items-TOTAL_FORMS");
    const max = parseInt(document.getElementById("id_items-MAX_NUM_FORMS").value, 10);
    const n = parseInt(total.value, 10);
    if (n >= max) return;
    const html = document.getElementById("action-item-template").innerHTML.replace(/__prefix__/g, n);
    document.querySelector("#action-items tbody").insertAdjacentHTML("beforeend", html);
    total.value = n + 1;
  });
})();
