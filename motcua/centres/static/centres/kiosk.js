// Kiosk mode: after the idle time without a touch, a key or a scroll, post "Finish" so the
// server signs out and forgets the session, and the screen is back at the kiosk home for the
// next person. Without JavaScript the server lets the session expire and a meta refresh goes home
// (inside <noscript>, so it never interrupts someone typing). While someone is active on one page,
// a light request now and then keeps the server's side of the session alive as long as ours.
(function () {
  "use strict";
  var bar = document.querySelector("[data-kiosk-idle]");
  var form = document.getElementById("kiosk-end");
  if (!bar || !form) {
    return;
  }
  var idleMs = parseInt(bar.getAttribute("data-kiosk-idle"), 10) * 1000;
  if (!(idleMs > 0)) {
    return;
  }
  var home = bar.getAttribute("data-kiosk-home");
  var timer = null;
  var lastPing = Date.now();
  function restart() {
    window.clearTimeout(timer);
    if (Date.now() - lastPing > idleMs / 2) {
      lastPing = Date.now();
      window.fetch(home, { method: "HEAD", credentials: "same-origin" }).catch(function () {});
    }
    timer = window.setTimeout(function () {
      form.submit();
    }, idleMs);
  }
  ["pointerdown", "keydown", "input", "scroll", "touchstart"].forEach(function (name) {
    document.addEventListener(name, restart, { passive: true, capture: true });
  });
  restart();
})();
