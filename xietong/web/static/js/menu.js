// The header's menu on narrow screens: collapsed behind a button (without script the menu
// stays open, so every link is reachable).
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", function () {
  var button = document.getElementById("menu-toggle");
  var header = document.querySelector("header.top");
  if (!button || !header) return;
  button.addEventListener("click", function () {
    var open = header.classList.toggle("menu-open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
});
