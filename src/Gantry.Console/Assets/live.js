// Gantry console, live pages (Apps with its node view, an app, its Releases, Requests and Metrics, Registry, a repository,
// Settings): the page names a stream of change
// notices (data-live, Server-Sent Events from a feed the server already keeps: the store's watch, the engine's node events,
// the registry's events, the audit log) and the parts of it that change (data-live-region). On a notice the page fetches
// itself again, as a reload would but without leaving, and swaps each region for its fresh copy: the server renders it under
// the user's own rules, so the script draws nothing itself. Notices are coalesced (at most one fetch a second); with no
// notice nothing runs. Progressive: without this file the page is as rendered. No inline script, no eval.
(function () {
  "use strict";
  var root = document.querySelector("[data-live]");
  if (!root || !window.EventSource || !window.fetch || !window.DOMParser) {
    return;
  }
  var minimumGap = 1000;
  var last = 0;
  var scheduled = false;
  var fetching = false;
  var again = false;
  var updates = 0;

  function say(text) {
    root.textContent = text;
  }

  function swap(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    document.querySelectorAll("[data-live-region]").forEach(function (region) {
      var name = region.getAttribute("data-live-region");
      var next = fresh.querySelector("[data-live-region=\"" + CSS.escape(name) + "\"]");
      // Never pull a control from under the user's hands: a region they are typing or choosing in, or whose form they
      // changed and have not sent, keeps what they did (a later notice, or their own post, brings the fresh one).
      if (next && !region.contains(document.activeElement) && !region.hasAttribute("data-live-edited")) {
        // What the reader opened stays open (a request's waterfall, a release's diff): the fresh copy's element with the
        // same key opens too.
        region.querySelectorAll("details[open][data-live-key]").forEach(function (open) {
          var same = next.querySelector("details[data-live-key=\"" + CSS.escape(open.getAttribute("data-live-key")) + "\"]");
          if (same) {
            same.open = true;
          }
        });
        region.replaceWith(document.adoptNode(next));
      }
    });
    updates += 1;
    root.setAttribute("data-live-updates", String(updates));
    say("Following changes live: updated at " + new Date().toLocaleTimeString() + ".");
  }

  function refresh() {
    fetching = true;
    fetch(root.getAttribute("data-live-page") || window.location.href, { credentials: "same-origin", cache: "no-store", headers: { "Accept": "text/html" } })
      .then(function (response) {
        if (!response.ok || response.redirected) {
          throw new Error("the page answered " + response.status);
        }
        return response.text();
      })
      .then(swap)
      .catch(function () {
        say("Could not update this page (signed out?): reload it.");
      })
      .finally(function () {
        fetching = false;
        last = Date.now();
        if (again) {
          again = false;
          schedule();
        }
      });
  }

  function schedule() {
    if (fetching) {
      again = true;
      return;
    }
    if (scheduled) {
      return;
    }
    scheduled = true;
    setTimeout(function () {
      scheduled = false;
      refresh();
    }, Math.max(100, minimumGap - (Date.now() - last)));
  }

  function edited(event) {
    var region = event.target && event.target.closest ? event.target.closest("[data-live-region]") : null;
    if (region) {
      region.setAttribute("data-live-edited", "");
    }
  }
  document.addEventListener("input", edited, true);
  document.addEventListener("change", edited, true);

  var source = new EventSource(root.getAttribute("data-live"));
  source.onopen = function () {
    if (updates === 0) {
      say("Following changes live.");
    }
  };
  source.onmessage = schedule;
  source.addEventListener("end", function () {
    source.close();
    say("Not following changes any more: reload to follow them again.");
  });
  source.onerror = function () {
    say(source.readyState === EventSource.CLOSED
      ? "Not following changes: the server closed the stream. Reload to try again."
      : "Connection lost; reconnecting…");
  };
})();
