// Referral slips: a button that opens the browser's print dialog. The
// page prints without it too (Ctrl+P); print CSS keeps only the slip.
document.querySelectorAll('[data-print]').forEach(function (b) {
  b.addEventListener('click', function () { window.print(); });
});
