// Kiosk home: read the dossier code from the QR code printed on a receipt, with the camera and
// the browser's own BarcodeDetector. Only where both exist; everywhere else the code is typed.
// The QR holds the tracking address (…/tra-cuu/<code>); only the code is kept, for the form.
(function () {
  "use strict";
  var box = document.querySelector("[data-kiosk-scan]");
  var input = document.getElementById("code");
  if (!box || !input || !("BarcodeDetector" in window) || !navigator.mediaDevices) {
    return;
  }
  var start = box.querySelector("[data-kiosk-scan-start]");
  var video = box.querySelector("[data-kiosk-scan-video]");
  var status = box.querySelector("[data-kiosk-scan-status]");
  box.hidden = false;

  function codeOf(text) {
    var found = /\/tra-cuu\/([^/?#\s]+)\/?$/.exec(text);
    return found ? decodeURIComponent(found[1]) : null;
  }

  start.addEventListener("click", function () {
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: "environment" } })
      .then(function (stream) {
        var stopped = false;
        function stop() {
          stopped = true;
          stream.getTracks().forEach(function (track) {
            track.stop();
          });
          video.hidden = true;
        }
        video.srcObject = stream;
        video.hidden = false;
        video.play();
        var deadline = Date.now() + 30000;
        (function look() {
          if (stopped) {
            return;
          }
          if (Date.now() > deadline) {
            stop();
            return;
          }
          detector
            .detect(video)
            .then(function (codes) {
              for (var i = 0; i < codes.length; i += 1) {
                var code = codeOf(codes[i].rawValue);
                if (code) {
                  stop();
                  input.value = code;
                  status.textContent = status.getAttribute("data-found");
                  document.getElementById("last4").focus();
                  return;
                }
              }
              window.setTimeout(look, 300);
            })
            .catch(function () {
              window.setTimeout(look, 300);
            });
        })();
      })
      .catch(function () {
        status.textContent = status.getAttribute("data-failed");
      });
  });
})();
