// Charts of the scenario page, drawn with the vendored ECharts from data embedded in the page:
// the CO2 pathways of every scenario with their peaks, CO2 by sector of the chosen scenario,
// the Monte Carlo fan and the wedges of the levers.
(function () {
  "use strict";
  var el = document.getElementById("scenario-data");
  if (!el || typeof echarts === "undefined") return;
  var d = JSON.parse(el.textContent);
  var L = d.labels;
  var PALETTE = ["#64748b", "#2563eb", "#15803d", "#d97706", "#7c3aed", "#db2777", "#0891b2",
    "#dc2626", "#65a30d", "#475467", "#0f766e", "#a16207"];

  var draw = window.xt.draw, fmt = window.xt.fmt, short = window.xt.short;
  var axis = { type: "value", scale: true, axisLabel: { formatter: short } };
  var tooltip = { trigger: "axis", valueFormatter: fmt };

  // (a) CO2 (official caliber) of every scenario to the end year, each peak marked
  var lines = d.lines || [];
  if (lines.length) {
    var first = lines[0].data[0][0];
    var last = lines[0].data[lines[0].data.length - 1][0];
    draw("chart-scn-lines", {
      tooltip: tooltip,
      legend: { type: "scroll", bottom: 0 },
      grid: { left: 70, right: 30, top: 40, bottom: 60 },
      xAxis: { type: "value", min: first, max: last, interval: 1,
        axisLabel: { formatter: function (v) { return String(v); } } },
      yAxis: Object.assign({ name: L.co2 }, axis),
      series: lines.map(function (s, i) {
        return {
          name: s.name, type: "line", symbolSize: 5, data: s.data,
          lineStyle: { width: s.id === d.chosen ? 3 : 2 },
          itemStyle: { color: PALETTE[i % PALETTE.length] },
          markLine: d.base_year && i === 0 ? { symbol: "none", silent: true,
            lineStyle: { color: "#98a2b3", type: "dashed" },
            label: { formatter: L.history, position: "insideEndTop" },
            data: [{ xAxis: d.base_year }] } : undefined,
          markPoint: { symbol: "pin", symbolSize: 40,
            label: { formatter: function () { return String(s.peak[0]); }, fontSize: 10 },
            data: [{ name: L.peak, coord: s.peak, value: s.peak[1] }] }
        };
      })
    });
  }

  // (b) the chosen scenario's CO2 by sector, stacked areas
  var sec = d.sectors;
  if (sec) {
    draw("chart-scn-sectors", {
      tooltip: tooltip, legend: { type: "scroll", bottom: 0 },
      grid: { left: 70, right: 20, top: 40, bottom: 60 },
      xAxis: { type: "category", boundaryGap: false, data: sec.years },
      yAxis: Object.assign({ name: L.co2 }, axis, { scale: false }),
      series: sec.series.map(function (s, i) {
        return { name: s.name, type: "line", stack: "total", areaStyle: {}, symbol: "none",
          emphasis: { focus: "series" }, itemStyle: { color: PALETTE[(i + 1) % PALETTE.length] },
          data: s.data };
      })
    });
  }

  // (c) the Monte Carlo fan: 5–95 % and 25–75 % bands (stacked on their lower edge), median
  var fan = d.fan;
  if (fan) {
    var col = function (k) { return fan.values.map(function (v) { return v[k]; }); };
    var p5 = col(0), p25 = col(1), p50 = col(2), p75 = col(3), p95 = col(4);
    var diff = function (a, b) { return a.map(function (v, i) { return v - b[i]; }); };
    var edge = { type: "line", symbol: "none", lineStyle: { opacity: 0 }, tooltip: { show: false } };
    draw("chart-scn-fan", {
      tooltip: { trigger: "axis", formatter: function (ps) {
        var i = ps[0].dataIndex;
        return fan.years[i] + "<br>P5 " + fmt(p5[i]) + " · P25 " + fmt(p25[i]) + "<br>" + L.median +
          " " + fmt(p50[i]) + "<br>P75 " + fmt(p75[i]) + " · P95 " + fmt(p95[i]);
      } },
      legend: { bottom: 0, data: [L.band90, L.band50, L.median] },
      grid: { left: 70, right: 20, top: 40, bottom: 60 },
      xAxis: { type: "category", boundaryGap: false, data: fan.years },
      yAxis: Object.assign({ name: L.co2 }, axis),
      series: [
        Object.assign({ name: "p5", stack: "outer", data: p5 }, edge),
        { name: L.band90, type: "line", stack: "outer", symbol: "none", lineStyle: { opacity: 0 },
          itemStyle: { color: "#bfdbfe" }, areaStyle: { color: "#bfdbfe" }, data: diff(p95, p5) },
        Object.assign({ name: "p25", stack: "inner", data: p25 }, edge),
        { name: L.band50, type: "line", stack: "inner", symbol: "none", lineStyle: { opacity: 0 },
          itemStyle: { color: "#60a5fa" }, areaStyle: { color: "#60a5fa" }, data: diff(p75, p25) },
        { name: L.median, type: "line", symbolSize: 4, lineStyle: { width: 2, color: "#1e3a8a" },
          itemStyle: { color: "#1e3a8a" }, data: p50 }
      ]
    });
  }

  // (d) wedges: each lever's avoided CO2 against the baseline, and the interaction term
  var w = d.wedges;
  if (w) {
    var series = w.levers.map(function (lv, i) {
      return { name: lv.name, type: "line", stack: "wedges", areaStyle: {}, symbol: "none",
        emphasis: { focus: "series" }, itemStyle: { color: PALETTE[(i + 1) % PALETTE.length] },
        data: lv.data };
    });
    series.push({ name: L.interaction, type: "line", stack: "wedges", areaStyle: { opacity: 0.5 },
      symbol: "none", itemStyle: { color: "#111827" }, lineStyle: { type: "dashed" }, data: w.interaction });
    series.push({ name: L.combined, type: "line", symbolSize: 4, itemStyle: { color: "#dc2626" },
      lineStyle: { width: 2, type: "dotted" }, data: w.combined });
    draw("chart-scn-wedges", {
      tooltip: tooltip, legend: { type: "scroll", bottom: 0 },
      grid: { left: 70, right: 20, top: 40, bottom: 60 },
      xAxis: { type: "category", boundaryGap: false, data: w.years },
      yAxis: Object.assign({ name: L.co2 }, axis, { scale: false }),
      series: series
    });
  }
})();
