// Kedja: render the server-built Vega-Lite specifications (progressive enhancement: the same
// figures are always in a table on the page).
(function () {
  "use strict";
  function renderCharts() {
    if (typeof vegaEmbed !== "function") { return; }
    document.querySelectorAll("script[type='application/json'][id$='-chart-spec']").forEach(function (node) {
      var target = document.getElementById(node.id.replace(/-spec$/, ""));
      if (!target) { return; }
      vegaEmbed(target, JSON.parse(node.textContent), { actions: false, renderer: "svg" })
        .then(function () { target.setAttribute("data-rendered", "true"); })
        .catch(function (error) { target.textContent = String(error); });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", renderCharts);
  } else {
    renderCharts();
  }
})();
