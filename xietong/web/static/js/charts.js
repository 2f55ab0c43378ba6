// Charts of xietong pages, drawn with the vendored ECharts from data embedded in the page.
// window.xt holds the helpers the page scripts (inventory, synergy, scenarios) share.
window.xt = {
  draw: function (id, option) {
    var box = document.getElementById(id);
    if (!box || typeof echarts === "undefined") return null;
    var chart = echarts.init(box);
    window.addEventListener("resize", function () { chart.resize(); });
    chart.setOption(option);
    box.dataset.ready = "1";
    return chart;
  },
  fmt: function (v) {
    if (v === null || v === undefined || isNaN(v)) return "—";
    return Math.abs(v) >= 100 ? Math.round(v).toLocaleString() : Number(Number(v).toPrecision(3)).toString();
  },
  short: function (v) {
    var a = Math.abs(v);
    return a >= 1e6 ? (v / 1e6) + "M" : a >= 1e3 ? (v / 1e3) + "k" : v;
  }
};
(function () {
  "use strict";
  // Okabe–Ito colour-blind-safe palette (Okabe & Ito 2008, "Color Universal Design")
  var COLORS = { achieved: "#009E73", on_track: "#0072B2", at_risk: "#E69F00",
    off_track: "#D55E00", missed: "#882255", unjudged: "#CC79A7", no_data: "#98a2b3" };
  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  function mount(id) {
    var el = document.getElementById(id);
    if (!el || typeof echarts === "undefined") return null;
    var chart = echarts.init(el);
    window.addEventListener("resize", function () { chart.resize(); });
    el.dataset.ready = "1";
    return chart;
  }
  var dash = data("dashboard-data");
  if (dash) {
    var status = mount("chart-status");
    if (status) status.setOption({
      tooltip: { trigger: "item" },
      series: [{ type: "pie", radius: ["40%", "70%"],
        data: dash.status.map(function (s) { return { name: s[0], value: s[1], itemStyle: { color: COLORS[s[2]] } }; }) }]
    });
    var chapters = mount("chart-chapters");
    if (chapters) chapters.setOption({
      tooltip: { trigger: "axis" }, legend: {},
      grid: { left: 160, right: 20 },
      xAxis: { type: "value" },
      yAxis: { type: "category", inverse: true, data: dash.chapters.map(function (c) { return c[0]; }) },
      series: [
        { name: dash.labels.measures, type: "bar", data: dash.chapters.map(function (c) { return c[1]; }) },
        { name: dash.labels.targets, type: "bar", data: dash.chapters.map(function (c) { return c[2]; }) }
      ]
    });
  }
  var tg = data("target-data");
  if (tg) {
    var chart = mount("chart-target");
    if (chart) {
      var series = [{ name: tg.labels.value, type: "line", symbolSize: 8, data: tg.series,
        markLine: tg.goal === null ? undefined : { symbol: "none", lineStyle: { color: "#dc2626", type: "dashed" },
          label: { formatter: tg.labels.target + " {c}" }, data: [{ yAxis: tg.goal }] } }];
      if (tg.baseline) series.push({ name: tg.labels.baseline, type: "scatter", symbol: "rect",
        symbolSize: 10, itemStyle: { color: "#64748b" }, data: [tg.baseline] });
      if (tg.projected) series.push({ name: tg.labels.projected, type: "line", lineStyle: { type: "dotted" },
        data: [[tg.projected[0], tg.projected[1]], [tg.projected[2], tg.projected[3]]] });
      if (tg.comparisons && tg.comparisons.length) series.push({ name: tg.labels.comparisons,
        type: "scatter", symbol: "triangle", symbolSize: 11, itemStyle: { color: "#CC79A7" },
        data: tg.comparisons });
      series.push({ name: tg.labels.target, type: "scatter", symbol: "diamond", symbolSize: 14,
        itemStyle: { color: "#dc2626" }, data: tg.goal === null ? [] : [[tg.deadline, tg.goal]] });
      chart.setOption({
        tooltip: { trigger: "axis" }, legend: {},
        xAxis: { type: "value", minInterval: 1, min: tg.years[0], max: tg.years[1],
          axisLabel: { formatter: function (v) { return String(v); } } },
        yAxis: { type: "value", name: tg.unit, scale: true },
        series: series
      });
    }
  }
})();
