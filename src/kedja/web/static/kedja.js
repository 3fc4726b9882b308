// Kedja: render the server-built Vega-Lite specifications (progressive enhancement: the same
// figures are always in a table on the page).
(function () {
  "use strict";
  // d3-format locales, so chart axes write numbers as the page does (1 234,5 in Swedish)
  var LOCALES = {
    sv: { decimal: ",", thousands: "\u00a0", grouping: [3], currency: ["", "\u00a0kr"], percent: "\u00a0%" },
    en: { decimal: ".", thousands: ",", grouping: [3], currency: ["", " SEK"] }
  };
  function renderCharts() {
    if (typeof vegaEmbed !== "function") { return; }
    document.querySelectorAll("script[type='application/json'][id$='-chart-spec']").forEach(function (node) {
      var target = document.getElementById(node.id.replace(/-spec$/, ""));
      if (!target) { return; }
      var locale = LOCALES[document.documentElement.lang] || LOCALES.sv;
      vegaEmbed(target, JSON.parse(node.textContent), { actions: false, renderer: "svg", formatLocale: locale })
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
