// The chart of the least-cost page: CO2 (official caliber) of the history and of the re-run
// of the least-cost strengths, by year, drawn with the vendored ECharts from data embedded in
// the page.
(function () {
  "use strict";
  var el = document.getElementById("optimise-data");
  if (!el || typeof echarts === "undefined") return;
  var d = JSON.parse(el.textContent);
  var all = (d.history || []).concat(d.points);
  window.xt.draw("chart-opt-co2", {
    tooltip: { trigger: "axis", valueFormatter: function (v) { return Number(v).toFixed(2); } },
    legend: { bottom: 0 },
    grid: { left: 50, right: 20, top: 30, bottom: 50 },
    xAxis: { type: "value", min: all[0][0], max: all[all.length - 1][0], interval: 1,
      axisLabel: { formatter: function (v) { return String(v); } } },
    yAxis: { type: "value", scale: true, name: d.label },
    series: [
      { name: d.history_label, type: "line", symbolSize: 5, lineStyle: { type: "dashed" },
        itemStyle: { color: "#64748b" }, data: d.history || [] },
      { name: d.projected_label, type: "line", symbolSize: 7, itemStyle: { color: "#2563eb" },
        data: d.points }
    ]
  });
})();
