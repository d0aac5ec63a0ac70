// Small progressive enhancements; every page works without this file.
document.addEventListener("click", function (e) {
  var all = e.target.closest("[data-select-all]");
  if (!all) return;
  var form = all.closest("form");
  form.querySelectorAll('input[type=checkbox][name=ids]').forEach(function (cb) { cb.checked = all.checked; });
});
document.addEventListener("submit", function (e) {
  var msg = e.submitter && e.submitter.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) e.preventDefault();
});
// Campaign form: warn as soon as the custom delay is under a second.
document.addEventListener("input", function (e) {
  if (!e.target.form || !/^(min_delay|preset)$/.test(e.target.name)) return;
  var form = e.target.form, warn = form.querySelector("[data-fast-warning]");
  if (!warn) return;
  var min = parseFloat((form.elements.min_delay.value || "").replace(",", "."));
  warn.hidden = !(form.elements.preset.value === "custom" && !isNaN(min) && min < 1);
});
