// Charts of the synergy page, drawn with the vendored ECharts from data embedded in the page:
// the synergy degree series, the co-control coordinates, the LMDI waterfalls, the MAC curve.
(function () {
  "use strict";
  var el = document.getElementById("synergy-data");
  if (!el || typeof echarts === "undefined") return;
  var d = JSON.parse(el.textContent);
  var L = d.labels;
  var QUAD_COLORS = { synergy: "#15803d", pollutant_only: "#d97706", both_worse: "#dc2626",
    carbon_only: "#2563eb", pollution_axis: "#65a30d", carbon_axis: "#0891b2",
    neutral: "#98a2b3" };

  var draw = window.xt.draw, fmt = window.xt.fmt, short = window.xt.short;

  // (a) the synergy degree D with the subsystem scores; the plan target's deadline, the
  // latest value, and the years flagged as inconsistent with the co-control coordinates
  var s = d.series;
  if (s) {
    var first = s.points[0][0];
    var last = s.points[s.points.length - 1][0];
    var maxYear = Math.max(last, s.deadline || last);
    var marks = [];
    if (s.deadline) marks.push({ xAxis: s.deadline, label: { formatter: L.deadline, position: "insideEndTop" },
      lineStyle: { color: "#dc2626", type: "dashed" } });
    if (s.latest) marks.push({ yAxis: s.latest[1], label: { formatter: L.latest, position: "insideStartTop" },
      lineStyle: { color: "#0f766e", type: "dotted" } });
    var lines = [
      { name: L.d, type: "line", symbolSize: 9, lineStyle: { width: 3 },
        data: s.points.map(function (p) { return [p[0], p[1]]; }),
        markLine: { symbol: "none", silent: true, data: marks },
        markPoint: s.latest ? { symbol: "pin", symbolSize: 44, itemStyle: { color: "#0f766e" },
          label: { formatter: function () { return Number(s.latest[1]).toFixed(2); } },
          data: [{ coord: s.latest }] } : undefined }
    ];
    (s.subsystems || []).forEach(function (sub) {
      lines.push({ name: sub.name, type: "line", symbolSize: 5, connectNulls: false,
        lineStyle: { type: "dashed", width: 1.5 }, data: sub.data });
    });
    if (s.flagged && s.flagged.length) lines.push({ name: L.flagged, type: "scatter", symbol: "triangle",
      symbolSize: 16, itemStyle: { color: "#dc2626" }, data: s.flagged });
    draw("chart-syn-series", {
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null || v === undefined ? "—" : Number(v).toFixed(3); } },
      legend: { bottom: 0, type: "scroll" },
      grid: { left: 50, right: 30, top: 40, bottom: 60 },
      xAxis: { type: "value", min: first, max: maxYear, interval: 1,
        axisLabel: { formatter: function (v) { return String(v); } } },
      yAxis: { type: "value", min: 0, max: 1 },
      series: lines
    });
  }

  // (b) co-control coordinates: the measures and the city's year pair in four quadrants
  // labels alternate above and below the points, which often sit close to the origin
  var measures = (d.measures || []).map(function (m, i) {
    return { name: m.name, value: [m.x, m.y], itemStyle: { color: QUAD_COLORS[m.quadrant] || "#475467" },
      label: { position: i % 2 ? "bottom" : "top" } };
  });
  var coordSeries = [{ name: L.measures, type: "scatter", symbolSize: 12, data: measures,
    label: { show: true, position: "right", formatter: function (p) { return p.name; } } }];
  if (d.city) coordSeries.push({ name: L.city, type: "scatter", symbol: "diamond", symbolSize: 18,
    itemStyle: { color: "#7c3aed" }, data: [{ name: L.city, value: [d.city.x, d.city.y] }],
    label: { show: true, position: "left", formatter: function (p) { return p.name; } } });
  function nice(m) {
    var p = Math.pow(10, Math.floor(Math.log10(m)));
    var f = m / p;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * p;
  }
  function symmetric(v) { return nice((Math.max(Math.abs(v.min), Math.abs(v.max)) || 1) * 1.1); }
  var q = d.quadrants;
  function corner(text, pos, color) {
    return Object.assign({ type: "text", z: 0, style: { text: text, fill: color, font: "bold 14px sans-serif", opacity: 0.75 } }, pos);
  }
  draw("chart-syn-coords", {
    tooltip: { trigger: "item", formatter: function (p) {
      return p.name + "<br>ΔCO2e " + fmt(p.value[0]) + " t · ΔAPeq " + fmt(p.value[1]) + " t"; } },
    legend: { bottom: 0 },
    grid: { left: 80, right: 40, top: 40, bottom: 60 },
    xAxis: { type: "value", name: L.x, nameLocation: "middle", nameGap: 28,
      min: function (v) { return -symmetric(v); }, max: symmetric, axisLabel: { formatter: short } },
    yAxis: { type: "value", name: L.y, min: function (v) { return -symmetric(v); }, max: symmetric,
      axisLabel: { formatter: short } },
    graphic: [
      corner("I " + q.synergy, { right: 50, top: 45 }, QUAD_COLORS.synergy),
      corner("II " + q.pollutant_only, { left: 90, top: 45 }, QUAD_COLORS.pollutant_only),
      corner("III " + q.both_worse, { left: 90, bottom: 70 }, QUAD_COLORS.both_worse),
      corner("IV " + q.carbon_only, { right: 50, bottom: 70 }, QUAD_COLORS.carbon_only)
    ],
    series: coordSeries
  });

  // (c) LMDI waterfalls: the start value, each driver floating from the running total, the end
  var WF = { total: "#64748b", up: "#dc2626", down: "#15803d" };
  (d.waterfalls || []).forEach(function (w) {
    draw(w.id, {
      tooltip: { trigger: "item", formatter: function (p) { return p.name + ": " + fmt(p.value[3]) + " t"; } },
      grid: { left: 70, right: 20, top: 30, bottom: 70 },
      xAxis: { type: "category", data: w.bars.map(function (b) { return b.name; }),
        axisLabel: { interval: 0, rotate: 30 } },
      yAxis: { type: "value", name: w.substance + " (t)", axisLabel: { formatter: short } },
      series: [{ type: "custom", name: w.substance, encode: { x: 0, y: [1, 2] },
        renderItem: function (params, api) {
          var lo = api.coord([api.value(0), api.value(1)]);
          var hi = api.coord([api.value(0), api.value(2)]);
          var width = api.size([1, 0])[0] * 0.6;
          return { type: "rect", shape: { x: lo[0] - width / 2, y: hi[1], width: width,
            height: Math.max(lo[1] - hi[1], 1) }, style: api.style() };
        },
        data: w.bars.map(function (b, i) {
          return { name: b.name, value: [i, b.lo, b.hi, b.value], itemStyle: { color: WF[b.kind] } };
        }) }]
    });
  });

  // (e) the MAC curve: bar width = t CO2e cut, height = net CNY per t CO2e, cheapest first
  var mac = d.mac || [];
  if (mac.length) {
    var palette = ["#0f766e", "#2563eb", "#d97706", "#7c3aed", "#dc2626", "#15803d", "#db2777", "#475467"];
    draw("chart-syn-mac", {
      tooltip: { trigger: "item", formatter: function (p) {
        return p.name + "<br>" + fmt(p.value[1] - p.value[0]) + " t CO2e · " + fmt(p.value[2]) + " CNY/t"; } },
      grid: { left: 70, right: 30, top: 30, bottom: 50 },
      xAxis: { type: "value", name: L.mac_x, nameLocation: "middle", nameGap: 28, min: 0,
        axisLabel: { formatter: short } },
      yAxis: { type: "value", name: L.mac_y },
      series: [{ type: "custom", name: "MAC", encode: { x: [0, 1], y: 2 },
        renderItem: function (params, api) {
          var a = api.coord([api.value(0), 0]);
          var b = api.coord([api.value(1), api.value(2)]);
          return { type: "rect", shape: { x: a[0], y: Math.min(a[1], b[1]), width: Math.max(b[0] - a[0], 1),
            height: Math.max(Math.abs(b[1] - a[1]), 1) }, style: api.style({ stroke: "#fff" }),
            textContent: { style: { text: mac[params.dataIndex].name, fontSize: 11, fill: "#1f2933" } },
            textConfig: { position: api.value(2) >= 0 ? "top" : "bottom" } };
        },
        data: mac.map(function (m, i) {
          return { name: m.name, value: [m.start, m.start + m.width, m.height],
            itemStyle: { color: palette[i % palette.length] } };
        }) }]
    });
  }
})();
