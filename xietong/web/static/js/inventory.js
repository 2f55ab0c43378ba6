// Charts of the inventory overview, drawn with the vendored ECharts from data in the page.
(function () {
  "use strict";
  var el = document.getElementById("inventory-data");
  if (!el || typeof echarts === "undefined") return;
  var d = JSON.parse(el.textContent);
  function mount(id) {
    var box = document.getElementById(id);
    if (!box) return null;
    var chart = echarts.init(box);
    window.addEventListener("resize", function () { chart.resize(); });
    return { chart: chart, box: box };
  }
  function draw(id, option) {
    var m = mount(id);
    if (!m) return;
    m.chart.setOption(option);
    m.box.dataset.ready = "1";
  }
  function fmt(v) {
    if (v === null || v === undefined) return "—";
    return Math.abs(v) >= 100 ? Math.round(v).toLocaleString() : Number(v.toPrecision(3)).toString();
  }
  var axis = { type: "value", axisLabel: { formatter: function (v) {
    return Math.abs(v) >= 1e6 ? (v / 1e6) + "M" : Math.abs(v) >= 1e3 ? (v / 1e3) + "k" : v; } } };
  function stacked(series) {
    return series.map(function (s) {
      return { name: s.name, type: "bar", stack: "total", emphasis: { focus: "series" }, data: s.data };
    });
  }
  var tooltip = { trigger: "axis", valueFormatter: fmt };
  draw("chart-inv-sector", {
    tooltip: tooltip, legend: { type: "scroll", bottom: 0 }, grid: { left: 70, right: 20, top: 40, bottom: 64 },
    xAxis: { type: "category", data: d.years },
    yAxis: Object.assign({ name: d.labels.co2e }, axis),
    series: stacked(d.sector)
  });
  draw("chart-inv-gas", {
    tooltip: tooltip, legend: { type: "scroll", bottom: 0 }, grid: { left: 70, right: 20, top: 40, bottom: 64 },
    xAxis: { type: "category", data: d.years },
    yAxis: Object.assign({ name: d.labels.co2e }, axis),
    series: stacked(d.gas)
  });
  // horizontal bars of [name, t CO2e] pairs, largest first
  function districtBars(id, rows) {
    draw(id, {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: fmt },
      grid: { left: 150, right: 20, bottom: 30 },
      xAxis: Object.assign({ name: d.labels.co2e }, axis),
      yAxis: { type: "category", inverse: true, axisLabel: { interval: 0 },
               data: rows.map(function (r) { return r[0]; }) },
      series: [{ type: "bar", name: d.labels.co2e, data: rows.map(function (r) { return r[1]; }) }]
    });
  }
  districtBars("chart-inv-district", d.district);
  districtBars("chart-inv-district-allocated", d.district_allocated);
  draw("chart-inv-scope", {
    tooltip: tooltip, legend: { bottom: 0 }, grid: { left: 70, right: 20, top: 40, bottom: 64 },
    xAxis: { type: "category", data: d.years },
    yAxis: Object.assign({ name: "t CO2" }, axis),
    series: [
      { name: d.labels.direct, type: "bar", data: d.scope.direct },
      { name: d.labels.indirect, type: "bar", data: d.scope.indirect }
    ]
  });
  draw("chart-inv-pollutants", {
    tooltip: tooltip, legend: { type: "scroll", bottom: 0 }, grid: { left: 70, right: 20, top: 40, bottom: 64 },
    xAxis: { type: "category", data: d.years },
    yAxis: Object.assign({ name: d.labels.tonnes }, axis),
    series: d.pollutants.map(function (s) {
      return { name: s.name, type: "line", symbolSize: 6, connectNulls: false, data: s.data };
    })
  });
})();
