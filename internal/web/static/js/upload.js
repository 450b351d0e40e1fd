// Cầu Nối — uploads with a progress bar.
//
// A form marked data-upload is sent with XMLHttpRequest so that a
// <progress> inside it shows how much of the file has gone; the answer, an
// HTML page, then replaces the page. A file larger than data-max-bytes is
// refused before it is sent. Without JavaScript the form posts as usual.
(function () {
  'use strict';
  if (window.caunoiUpload) return; // the page replaced itself; already listening
  window.caunoiUpload = true;

  function show(xhr) {
    var doc = new DOMParser().parseFromString(xhr.responseText, 'text/html');
    if (xhr.responseURL && xhr.responseURL !== location.href && xhr.responseURL.indexOf(location.origin) === 0) {
      history.replaceState(null, '', xhr.responseURL);
    }
    document.title = doc.title;
    document.documentElement.lang = doc.documentElement.lang;
    document.documentElement.replaceChild(document.adoptNode(doc.body), document.body);
    window.scrollTo(0, 0);
    var focus = document.querySelector('[role=alert], [role=status], h1');
    if (focus) {
      focus.setAttribute('tabindex', '-1');
      focus.focus();
    }
  }

  document.addEventListener('submit', function (ev) {
    var form = ev.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-upload') || !window.FormData || !window.DOMParser) return;
    var input = form.querySelector('input[type=file]');
    var bar = form.querySelector('progress');
    var status = form.querySelector('[data-upload-status]');
    var buttons = form.querySelectorAll('button');
    var max = parseInt(form.getAttribute('data-max-bytes'), 10);
    function say(text) {
      if (!status) return;
      status.textContent = text || '';
      status.hidden = !text;
    }
    function enable(on) {
      for (var i = 0; i < buttons.length; i++) buttons[i].disabled = !on;
    }
    ev.preventDefault();
    var file = input && input.files && input.files[0];
    if (file && max > 0 && file.size > max) {
      say(form.getAttribute('data-too-large'));
      return;
    }
    var xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    if (bar) {
      bar.hidden = false;
      bar.removeAttribute('value'); // indeterminate until the first progress event
    }
    say(form.getAttribute('data-uploading'));
    enable(false);
    xhr.upload.addEventListener('progress', function (e) {
      if (bar && e.lengthComputable) {
        bar.max = e.total;
        bar.value = e.loaded;
      }
    });
    xhr.upload.addEventListener('load', function () {
      say(form.getAttribute('data-checking'));
      if (bar) bar.removeAttribute('value');
    });
    xhr.addEventListener('load', function () {
      if ((xhr.getResponseHeader('Content-Type') || '').indexOf('text/html') !== 0) {
        location.href = xhr.responseURL || form.action;
        return;
      }
      show(xhr);
    });
    xhr.addEventListener('error', function () {
      if (bar) bar.hidden = true;
      enable(true);
      say(form.getAttribute('data-failed'));
    });
    xhr.send(new FormData(form));
  });
})();
