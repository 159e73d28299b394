// The request form: show only the fields the chosen kind of request uses.
(function () {
  "use strict";
  const kind = document.getElementById("id_kind");
  if (!kind) return;
  const sync = () => {
    document.querySelectorAll("[data-for-kinds]").forEach((box) => {
      box.hidden = !box.dataset.forKinds.split(" ").includes(kind.value);
    });
  };
  kind.addEventListener("change", sync);
  sync();
})();
