// The chart of the least-cost page: the re-run's CO2 (official caliber) by year, drawn with
// the vendored ECharts from data embedded in the page.
(function () {
  "use strict";
  var el = document.getElementById("optimise-data");
  if (!el || typeof echarts === "undefined") return;
  var d = JSON.parse(el.textContent);
  window.xt.draw("chart-opt-co2", {
    tooltip: { trigger: "axis", valueFormatter: function (v) { return Number(v).toFixed(2); } },
    grid: { left: 50, right: 20, top: 30, bottom: 30 },
    xAxis: { type: "value", min: d.points[0][0], max: d.points[d.points.length - 1][0], interval: 1,
      axisLabel: { formatter: function (v) { return String(v); } } },
    yAxis: { type: "value", scale: true, name: d.label },
    series: [{ name: d.label, type: "line", symbolSize: 7, data: d.points }]
  });
})();
