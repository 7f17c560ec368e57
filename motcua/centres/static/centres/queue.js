/* The board asks for the numbers every few seconds instead of reloading the page; the
   ticket page gets a print button. Without JavaScript the board reloads itself (meta refresh)
   and the browser's own print command prints the ticket. */
(function () {
  "use strict";

  var print = document.querySelector("[data-print]");
  if (print) {
    print.hidden = false;
    print.addEventListener("click", function () { window.print(); });
  }

  var board = document.querySelector("[data-board]");
  if (!board) { return; }
  var serving = board.querySelector("[data-serving]");
  var next = board.querySelector("[data-next]");
  var waiting = board.querySelector("[data-waiting]");
  var seconds = parseInt(board.getAttribute("data-poll-seconds"), 10) || 5;

  function cell(text, className) {
    var td = document.createElement("td");
    td.className = className;
    td.textContent = text;
    return td;
  }

  function emptyRow(text) {
    var tr = document.createElement("tr");
    var td = cell(text, "board__empty");
    td.colSpan = 2;
    tr.appendChild(td);
    return tr;
  }

  var shown = "";

  function show(data) {
    // Unchanged numbers are left alone, so a screen reader does not announce them again.
    var key = JSON.stringify(data);
    if (key === shown) { return; }
    shown = key;
    var rows = data.serving.map(function (row) {
      var tr = document.createElement("tr");
      tr.appendChild(cell(row.ticket, "board__number"));
      var counter = cell(String(row.counter) + " ", "board__counter");
      var name = document.createElement("span");
      name.className = "board__counter-name";
      name.lang = "vi";
      name.textContent = row.counter_name;
      counter.appendChild(name);
      tr.appendChild(counter);
      return tr;
    });
    if (!rows.length) { rows = [emptyRow(board.getAttribute("data-empty"))]; }
    serving.replaceChildren.apply(serving, rows);
    var items = data.next.map(function (number) {
      var li = document.createElement("li");
      li.textContent = number;
      return li;
    });
    if (!items.length) {
      var none = document.createElement("li");
      none.className = "board__empty";
      none.textContent = board.getAttribute("data-none-waiting");
      items = [none];
    }
    next.replaceChildren.apply(next, items);
    waiting.textContent = String(data.waiting);
  }

  function poll() {
    fetch(board.getAttribute("data-source"), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) { show(data); } })
      .catch(function () { /* the next poll tries again; the numbers shown stay */ })
      .then(function () { window.setTimeout(poll, seconds * 1000); });
  }

  window.setTimeout(poll, seconds * 1000);
}());
