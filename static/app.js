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
// Enter in a text field of a part of a form that has its own button (the
// contacts list's bulk edit) presses that button, not the form's first one
// ("Add to group"), which the browser would press.
document.addEventListener("keydown", function (e) {
  if (e.key !== "Enter" || e.isComposing || e.target.tagName !== "INPUT") return;
  var part = e.target.closest("[data-enter-button]");
  var btn = part && part.querySelector(part.getAttribute("data-enter-button"));
  if (!btn || !btn.form) return;
  e.preventDefault();
  btn.form.requestSubmit(btn);
});
// Campaign form: warn as soon as the custom delay is under a second.
document.addEventListener("input", function (e) {
  if (!e.target.form || !/^(min_delay|preset)$/.test(e.target.name)) return;
  var form = e.target.form, warn = form.querySelector("[data-fast-warning]");
  if (!warn) return;
  var min = parseFloat((form.elements.min_delay.value || "").replace(",", "."));
  warn.hidden = !(form.elements.preset.value === "custom" && !isNaN(min) && min < 1);
});
// A form marked data-autosubmit sends itself when a choice changes (the
// preview contact); its button is only for pages without JavaScript.
document.addEventListener("change", function (e) {
  var form = e.target.closest && e.target.closest("form[data-autosubmit]");
  if (form && e.target.tagName === "SELECT") form.submit();
});
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-autosubmit-button]").forEach(function (b) { b.hidden = true; });
  // A form shown again after a mistake keeps its own address (not the one it
  // posted to), so a reload or a shared link opens the form.
  var f = document.querySelector("form[data-form-url]");
  if (f && location.pathname !== f.getAttribute("data-form-url")) history.replaceState(null, "", f.getAttribute("data-form-url"));
});
