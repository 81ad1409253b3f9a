// Gantry console, Logs page: follows new lines over Server-Sent Events and can pause. Progressive: without this file the
// page still shows the last lines (rendered by the server) and the filter form still works. No dependencies, no inline
// script (the Content-Security-Policy allows only Gantry's own files); text goes in with textContent, never as HTML.
(function () {
  "use strict";
  var list = document.getElementById("log-lines");
  var status = document.getElementById("log-status");
  var pause = document.getElementById("log-pause");
  if (!list || !status || !pause || !window.EventSource) {
    return;
  }
  var maxLines = 5000;   // lines kept on the page; the oldest go first
  var held = [];         // lines that arrived while paused
  var paused = false;
  var source = null;

  function say(text) { status.textContent = text; }

  function nearBottom() { return list.scrollHeight - list.scrollTop - list.clientHeight < 40; }

  function render(line) {
    var item = document.createElement("li");
    item.className = "line " + (line.stream === "stderr" ? "stderr" : "stdout");
    item.setAttribute("data-live", "");
    var time = document.createElement("time");
    time.dateTime = line.time;
    time.textContent = line.time.replace("T", " ").replace(/\.\d+/, "").replace(/(Z|[+-]00:00)$/, "");
    var replica = document.createElement("span");
    replica.className = "replica";
    replica.textContent = line.replica;
    var text = document.createElement("span");
    text.className = "text";
    text.textContent = line.text;
    item.append(time, " ", replica, " ", text);
    return item;
  }

  function append(lines) {
    var follow = nearBottom();
    var fragment = document.createDocumentFragment();
    lines.forEach(function (line) { fragment.appendChild(render(line)); });
    list.appendChild(fragment);
    while (list.children.length > maxLines) {
      list.removeChild(list.firstElementChild);
    }
    if (follow) {
      list.scrollTop = list.scrollHeight;
    }
  }

  function connect() {
    source = new EventSource(list.getAttribute("data-stream"));
    source.onopen = function () { say(paused ? "Paused." : "Following new lines live."); };
    source.onmessage = function (event) {
      var line = JSON.parse(event.data);
      if (paused) {
        held.push(line);
        if (held.length > maxLines) {
          held.shift();
        }
        say("Paused: " + held.length + " new line" + (held.length === 1 ? "" : "s") + " held.");
      } else {
        append([line]);
      }
    };
    // Every replica's stream ended (removed or replaced): stop here instead of reconnecting in a loop.
    source.addEventListener("end", function () {
      source.close();
      say("The replicas' logs ended (the app was redeployed, scaled or stopped): reload to follow the replicas running now.");
    });
    source.onerror = function () {
      if (source.readyState === EventSource.CLOSED) {
        say("Not following: the server closed the stream. Reload to try again.");
      } else {
        say("Connection lost; reconnecting…");
      }
    };
  }

  pause.hidden = false;
  pause.addEventListener("click", function () {
    paused = !paused;
    pause.textContent = paused ? "Resume" : "Pause";
    pause.setAttribute("aria-pressed", paused ? "true" : "false");
    if (!paused) {
      append(held);
      held = [];
      say("Following new lines live.");
    } else {
      say("Paused.");
    }
  });
  list.scrollTop = list.scrollHeight;
  connect();
})();
