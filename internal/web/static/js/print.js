// Referral slips and money statements: a button that opens the browser's
// print dialog (the strict CSP allows no inline handler). The page prints
// without it too (Ctrl+P); print CSS keeps only the document.
document.querySelectorAll('[data-print]').forEach(function (b) {
  b.addEventListener('click', function () { window.print(); });
});
