// Campaign pages: the report's print button. Everything else is plain forms
// and the htmx SSE extension.
document.addEventListener("click", function (e) {
  if (e.target.closest("[data-print]")) window.print();
});
