// Fairness per class: for each measure, a floating bar per class from the fewest to the most
// a member has, this year and cumulative. Data: the page's json_script block #chart-data.
(function () {
  const classes = JSON.parse(document.getElementById("chart-data").textContent);
  Chart.defaults.font.size = 11;
  Chart.defaults.animation = false;

  function spread(values, percent) {
    const seen = values.filter((v) => v !== null);
    if (!seen.length) return null;
    const lo = Math.min(...seen), hi = Math.max(...seen);
    if (lo !== hi) return [lo, hi];
    // a class where everyone has the same figure still gets a visible sliver
    const pad = percent ? 1 : 0.15;
    return percent && hi >= 100 ? [100 - 2 * pad, 100] : [Math.max(0, lo - pad), hi + pad];
  }

  document.querySelectorAll("#fairness-charts canvas[data-measure]").forEach((canvas) => {
    const measure = canvas.dataset.measure;
    const percent = measure === "wishes granted";
    // one row per class (set here: the page's CSP allows no inline style)
    canvas.parentElement.style.height = `${70 + 26 * classes.length}px`;
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: classes.map((c) => c.label),
        datasets: [
          {label: "this year", data: classes.map((c) => spread(c.this_year[measure], percent)),
           backgroundColor: "#3b7dd8"},
          {label: "cumulative", data: classes.map((c) => spread(c.cumulative[measure], percent)),
           backgroundColor: "#8da9c4"},
        ],
      },
      options: {
        maintainAspectRatio: false,
        indexAxis: "y",
        plugins: {
          legend: {position: "bottom", labels: {boxWidth: 10}},
          tooltip: {callbacks: {label: (item) => {
            const v = item.raw;
            return v ? `${item.dataset.label}: ${Math.round(v[0])}–${Math.round(v[1])}` : "";
          }}},
        },
        scales: {
          x: percent ? {min: 0, max: 100} : {beginAtZero: true},
          y: {ticks: {autoSkip: false}},
        },
      },
    });
  });
})();
