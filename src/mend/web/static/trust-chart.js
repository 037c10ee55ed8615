// The trust chart: reads its series from <script type="application/json" id="trust-data">
// and draws them with the vendored uPlot. Loaded as a file: the CSP allows no inline script.
"use strict";
(function () {
  function readData() {
    const node = document.getElementById("trust-data");
    if (!node) return null;
    try {
      return JSON.parse(node.textContent || "{}");
    } catch (err) {
      return null;
    }
  }

  function percent(value) {
    return value == null ? "" : Math.round(value * 100) + "%";
  }

  function draw() {
    const target = document.getElementById("trust-chart");
    const data = readData();
    if (!target || !data || !window.uPlot || !Array.isArray(data.x) || data.x.length === 0) return;
    target.textContent = "";
    target.classList.add("drawn");
    const styles = getComputedStyle(document.documentElement);
    const accent = styles.getPropertyValue("--accent").trim() || "#1f5f8b";
    const muted = styles.getPropertyValue("--muted").trim() || "#57606a";
    const short = window.uPlot.fmtDate("{D} {MMM}");
    const long = window.uPlot.fmtDate("{D} {MMM} {YYYY}");
    const day = (seconds) => new Date(seconds * 1000);
    const width = () => Math.max(260, target.clientWidth);
    const height = () => (window.innerWidth < 600 ? 220 : 300);
    const options = {
      width: width(),
      height: height(),
      legend: { show: window.innerWidth >= 600, live: true },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: { range: [0, 1] } },
      axes: [
        { stroke: muted, grid: { stroke: "#e4e7eb" }, values: (u, ticks) => ticks.map((t) => short(day(t))) },
        { stroke: muted, grid: { stroke: "#e4e7eb" }, values: (u, ticks) => ticks.map(percent), size: 52 },
      ],
      series: [
        { label: "Week ending", value: (u, v) => (v == null ? "" : long(day(v))) },
        { label: "Trust", stroke: accent, width: 2.5, value: (u, v) => percent(v), points: { size: 6 } },
        { label: "Range top", stroke: "rgba(31,95,139,0.25)", width: 1, value: (u, v) => percent(v) },
        { label: "Range bottom", stroke: "rgba(31,95,139,0.25)", width: 1, value: (u, v) => percent(v) },
      ],
      bands: [{ series: [2, 3], fill: "rgba(31,95,139,0.14)" }],
    };
    const chart = new window.uPlot(options, [data.x, data.value, data.high, data.low], target);
    let pending = null;
    window.addEventListener("resize", () => {
      if (pending) cancelAnimationFrame(pending);
      pending = requestAnimationFrame(() => chart.setSize({ width: width(), height: height() }));
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
