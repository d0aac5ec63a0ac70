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
