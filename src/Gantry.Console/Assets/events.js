// Gantry console, app page: new events appear at the top of the Events table as they are recorded (Server-Sent Events
// from the store's event feed), so a rollout can be followed without reloading. Progressive: without this file the page
// shows the newest events as rendered. No inline script; text goes in with textContent, never as HTML.
(function () {
  "use strict";
  var table = document.getElementById("events");
  var status = document.getElementById("events-status");
  if (!table || !status || !window.EventSource) {
    return;
  }
  var body = table.tBodies[0];
  var maxRows = 200;
  var fresh = 0;

  function cell(label, text, child) {
    var td = document.createElement("td");
    td.setAttribute("data-label", label);
    if (child) {
      td.appendChild(child);
    } else {
      td.textContent = text;
    }
    return td;
  }

  function row(e) {
    var tr = document.createElement("tr");
    tr.className = "event-" + e.type;
    tr.setAttribute("data-reason", e.reason);
    tr.setAttribute("data-live", "");
    var time = document.createElement("time");
    time.dateTime = e.time;
    time.textContent = e.time.replace("T", " ").replace(/\.\d+/, "").replace(/(Z|[+-]00:00)$/, "");
    tr.append(cell("When", "", time), cell("Reason", e.reason), cell("Where", e.replica || e.service || "—"), cell("Message", e.message));
    return tr;
  }

  var source = new EventSource(table.getAttribute("data-stream"));
  source.onopen = function () {
    status.textContent = "Following new events live.";
  };
  source.onmessage = function (message) {
    body.insertBefore(row(JSON.parse(message.data)), body.firstChild);
    while (body.rows.length > maxRows) {
      body.deleteRow(body.rows.length - 1);
    }
    fresh += 1;
    status.textContent = "Following new events live: " + fresh + " new (reload for the replicas as they are now).";
  };
  source.addEventListener("end", function () {
    source.close();
    status.textContent = "The app's events ended (it was removed).";
  });
  source.onerror = function () {
    status.textContent = source.readyState === EventSource.CLOSED
      ? "Not following: the server closed the stream. Reload to try again."
      : "Connection lost; reconnecting…";
  };
})();
