// The 考核 page: each unit's total as a bar stacked by criterion (data embedded in the page).
(function () {
  var data = JSON.parse(document.getElementById("assessment-data").textContent);
  var L = JSON.parse(document.getElementById("assessment-labels").textContent);
  var PALETTE = ["#2563eb", "#059669", "#d97706", "#7c3aed", "#db2777", "#0891b2"];
  ["districts", "bodies"].forEach(function (key) {
    var d = data[key];
    if (!d || !d.names.length) return;
    var box = document.getElementById("chart-as-" + key);
    if (box) box.style.height = Math.max(240, 26 * d.names.length + 80) + "px";
    window.xt.draw("chart-as-" + key, {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { type: "scroll", bottom: 0 },
      grid: { left: 8, right: 16, top: 16, bottom: 40, containLabel: true },
      xAxis: { type: "value", name: L.points, max: 100 },
      yAxis: { type: "category", inverse: true, data: d.names },
      series: d.criteria.map(function (c, i) {
        return { name: c.name, type: "bar", stack: "total", data: c.data,
          itemStyle: { color: PALETTE[i % PALETTE.length] } };
      })
    });
  });
})();
