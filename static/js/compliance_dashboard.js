// The compliance dashboard's charts: findings over time (trend) and by rule.
// The data comes from the page's json_script block #chart-data.
(function () {
  const data = JSON.parse(document.getElementById("chart-data").textContent);
  const RED = "#dc3545", AMBER = "#f59f00", GREY = "#adb5bd";
  Chart.defaults.font.size = 11;
  Chart.defaults.animation = false;
  new Chart(document.getElementById("trend-chart"), {
    type: "line",
    data: {
      labels: data.trend.labels,
      datasets: [
        {label: "Critical", data: data.trend.critical, borderColor: RED, backgroundColor: RED + "33", fill: true, tension: 0.25, pointRadius: 3},
        {label: "Warning", data: data.trend.warning, borderColor: AMBER, backgroundColor: AMBER + "22", fill: true, tension: 0.25, pointRadius: 3},
        {label: "Info", data: data.trend.info, borderColor: GREY, borderDash: [4, 3], pointRadius: 0, hidden: true},
      ],
    },
    options: {
      maintainAspectRatio: false,
      interaction: {mode: "index", intersect: false},
      plugins: {legend: {position: "bottom", labels: {boxWidth: 10}},
        tooltip: {callbacks: {afterTitle: (items) => "trigger: " + data.trend.triggers[items[0].dataIndex]}}},
      scales: {y: {beginAtZero: true, ticks: {precision: 0}}, x: {ticks: {maxTicksLimit: 6, maxRotation: 0}}},
    },
  });
  new Chart(document.getElementById("rules-chart"), {
    type: "bar",
    data: {
      labels: data.rules.labels,
      datasets: [
        {label: "Critical", data: data.rules.critical, backgroundColor: RED},
        {label: "Warning", data: data.rules.warning, backgroundColor: AMBER},
      ],
    },
    options: {
      indexAxis: "y", maintainAspectRatio: false,
      plugins: {legend: {position: "bottom", labels: {boxWidth: 10}}},
      scales: {x: {stacked: true, beginAtZero: true, ticks: {precision: 0}}, y: {stacked: true, ticks: {autoSkip: false, font: {family: "monospace", size: 10}}}},
    },
  });
})();
