/* Online submission, documents page: show how much of the upload has been sent. Without this
   script the form posts as usual; with it, the same request goes through XMLHttpRequest so the
   page can report progress, and the answer replaces the page. */
(function () {
  "use strict";
  var form = document.getElementById("documents");
  if (!form || !window.FormData || !window.XMLHttpRequest) return;
  var status = form.querySelector(".upload__progress");
  var lang = document.documentElement.lang;
  var label = lang === "vi" ? "Đang tải lên: " : "Uploading: ";
  form.addEventListener("submit", function (event) {
    var hasFile = Array.prototype.some.call(form.querySelectorAll("input[type=file]"), function (input) {
      return input.files && input.files.length;
    });
    if (!hasFile) return;
    event.preventDefault();
    var data = new FormData(form);
    var button = event.submitter;
    if (button && button.name) data.append(button.name, button.value);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) status.textContent = label + Math.round((e.loaded / e.total) * 100) + " %";
    });
    xhr.addEventListener("load", function () {
      if (xhr.responseURL) history.replaceState(null, "", xhr.responseURL);
      document.open();
      document.write(xhr.responseText);
      document.close();
    });
    xhr.addEventListener("error", function () { form.submit(); });
    status.textContent = label + "0 %";
    xhr.send(data);
  });
})();
