// A resident's balance charts: weeks by kind per year, ambulatory share against its band,
// and the limits; target bands and limit lines are drawn by a small plugin defined here.
// The data comes from the page's json_script block #chart-data.
(function () {
  const data = JSON.parse(document.getElementById("chart-data").textContent);
  const STATE = {ok: "#198754", warn: "#f59f00", bad: "#dc3545", info: "#6c8ebf", muted: "#adb5bd"};
  const C = {built: "#8da9c4", amb: "#2e8b57", inp: "#3b7dd8", icu: "#d64545", vac: "#adb5bd", leave: "#e9ecef",
             band: "rgba(46, 139, 87, 0.16)", floor: "#495057", bad: "#dc3545", ok: "#198754", warn: "#f59f00"};
  Chart.defaults.font.size = 11;
  Chart.defaults.animation = false;

  // Draws target bands and limit lines behind the bars (no external plugin needed).
  const targets = {
    id: "targets",
    beforeDatasetsDraw(chart, args, opts) {
      const {ctx, chartArea: area, scales} = chart;
      const horizontal = chart.options.indexAxis === "y";
      const value = horizontal ? scales.x : scales.y;
      const bars = chart.getDatasetMeta(0).data;
      ctx.save();
      (opts.perBar || []).forEach((band, i) => {
        const bar = bars[i];
        if (!band || !bar) return;
        const a = value.getPixelForValue(band[0]), b = value.getPixelForValue(band[1]);
        const half = (horizontal ? bar.height : bar.width) * 0.8;
        ctx.fillStyle = C.band;
        if (horizontal) ctx.fillRect(Math.min(a, b), bar.y - half, Math.abs(b - a), 2 * half);
        else ctx.fillRect(bar.x - half, Math.min(a, b), 2 * half, Math.abs(b - a));
      });
      (opts.ranges || []).forEach((r) => {
        const a = value.getPixelForValue(r.from), b = value.getPixelForValue(r.to);
        ctx.fillStyle = r.color || C.band;
        if (horizontal) ctx.fillRect(Math.min(a, b), area.top, Math.abs(b - a), area.bottom - area.top);
        else ctx.fillRect(area.left, Math.min(a, b), area.right - area.left, Math.abs(b - a));
      });
      ctx.restore();
    },
    afterDatasetsDraw(chart, args, opts) {
      const {ctx, chartArea: area, scales} = chart;
      const horizontal = chart.options.indexAxis === "y";
      const value = horizontal ? scales.x : scales.y;
      ctx.save();
      (opts.lines || []).forEach((l) => {
        const p = value.getPixelForValue(l.at);
        ctx.strokeStyle = l.color || C.floor; ctx.lineWidth = 1.5; ctx.setLineDash(l.dash || [5, 4]);
        ctx.beginPath();
        if (horizontal) { ctx.moveTo(p, area.top); ctx.lineTo(p, area.bottom); }
        else { ctx.moveTo(area.left, p); ctx.lineTo(area.right, p); }
        ctx.stroke(); ctx.setLineDash([]);
        ctx.fillStyle = l.color || C.floor; ctx.font = "600 10px system-ui, sans-serif";
        if (horizontal) { ctx.textAlign = "center"; ctx.fillText(l.label, p, area.top - 3); }
        else { ctx.textAlign = "left"; ctx.fillText(l.label, area.left + 4, p - 4); }
      });
      ctx.restore();
    },
  };

  const y = data.years;
  new Chart(document.getElementById("years-chart"), {
    type: "bar",
    data: {
      labels: y.labels,
      datasets: [
        {label: "Ambulatory", data: y.ambulatory, backgroundColor: C.amb},
        {label: "Inpatient", data: y.inpatient, backgroundColor: C.inp},
        {label: "Critical care", data: y.critical_care, backgroundColor: C.icu},
        {label: "Vacation", data: y.vacation, backgroundColor: C.vac},
        {label: "Leave", data: y.leave, backgroundColor: C.leave, borderColor: "#ced4da", borderWidth: 1},
      ],
    },
    options: {
      maintainAspectRatio: false,
      datasets: {bar: {maxBarThickness: 110}},
      plugins: {legend: {position: "bottom", labels: {boxWidth: 10}},
        tooltip: {mode: "index", callbacks: {footer: (items) => "status: " + y.status[items[0].dataIndex]}}},
      scales: {x: {stacked: true}, y: {stacked: true, max: 53, title: {display: true, text: "weeks"}}},
    },
  });

  const s = data.shares;
  const pct = (v) => (v === null || v === undefined ? null : Math.round(v * 1000) / 10);
  const shareColors = s.values.map((v, i) => {
    const band = s.bands[i];
    if (v === null) return C.vac;
    if (v < s.floor) return C.bad;
    if (band && (v < band[0] - 1e-9 || v > band[1] + 1e-9)) return C.warn;
    return C.ok;
  });
  new Chart(document.getElementById("share-chart"), {
    type: "bar",
    data: {labels: s.labels, datasets: [{label: "Ambulatory share", data: s.values.map(pct), backgroundColor: shareColors, barPercentage: 0.5, maxBarThickness: 70}]},
    options: {
      maintainAspectRatio: false,
      layout: {padding: {top: 10}},
      plugins: {
        legend: {display: false},
        tooltip: {callbacks: {label: (item) => {
          const band = s.bands[item.dataIndex];
          return item.formattedValue + "%" + (band ? " (band " + pct(band[0]) + "–" + pct(band[1]) + "%)" : "");
        }}},
        targets: {perBar: s.bands.map((b) => (b ? b.map(pct) : null)), lines: [{at: pct(s.floor), label: "", color: C.bad}]},
      },
      scales: {y: {min: 0, max: 80, ticks: {callback: (v) => v + "%"}}},
    },
    plugins: [targets],
  });

  function meter(id, spec) {
    new Chart(document.getElementById(id), {
      type: "bar",
      data: {labels: ["Built years", "Projected at graduation"],
             datasets: [{data: [spec.built, spec.projected], backgroundColor: spec.colors, barPercentage: 0.6}]},
      options: {
        indexAxis: "y", maintainAspectRatio: false, layout: {padding: {top: 14, right: 8}},
        plugins: {legend: {display: false}, targets: {ranges: spec.ranges || [], lines: spec.lines || []}},
        scales: {x: {min: 0, max: Math.ceil(spec.max / spec.step) * spec.step, ticks: {stepSize: spec.step}}},
      },
      plugins: [targets],
    });
  }
  const cc = data.critical_care;
  meter("cc-chart", {
    built: cc.built, projected: cc.projected, max: Math.max(cc.max + 2, (cc.projected || 0) + 1), step: 1,
    colors: [C.built, cc.projected === null ? C.vac : STATE[cc.state]],
    ranges: [{from: cc.min, to: cc.max}],
    lines: [{at: cc.min, label: "min " + cc.min}, {at: cc.max, label: "max " + cc.max, color: C.bad}],
  });
  const cl = data.clinic;
  meter("clinic-chart", {
    built: cl.built, projected: cl.projected, max: Math.max(cl.min * 1.25, (cl.projected || 0) * 1.1), step: 20,
    colors: [C.built, cl.projected === null ? C.vac : STATE[cl.state]],
    lines: [{at: cl.min, label: "≥ " + cl.min, color: C.bad}],
  });
})();
