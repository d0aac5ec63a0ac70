// Console: keep the live list bounded and drop the "nothing yet" note once
// a line arrives. The page works without this file.
document.addEventListener("htmx:afterSwap", function (e) {
  var log = document.getElementById("log");
  if (!log || e.target !== log) return;
  var empty = document.getElementById("log-empty");
  if (empty) empty.remove();
  while (log.children.length > 1000) log.lastElementChild.remove();
});
