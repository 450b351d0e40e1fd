// Print button of the report pages: the report prints as it is, with
// the print styles of monitoring.css.
document.addEventListener('DOMContentLoaded', () => {
  const b = document.getElementById('print-report');
  if (b) b.addEventListener('click', () => window.print());
});
