/* Warns a signed-in person five minutes before their session ends for lack of use
   (WCAG 2.2.1, timing adjustable) and keeps it with one button. <body> says when the
   session ends (data-session-*, see portal/display/expiry.py); the server is asked again
   before warning, because another tab may have kept the session alive meanwhile.
   Without JavaScript nothing is lost either: a page of answers sent after the end is
   kept while the person signs in again (portal/core/kept_input.py). */
(function () {
  "use strict";
  var body = document.body;
  var template = document.getElementById("session-warning");
  if (!body.hasAttribute("data-session-left") || !template || !template.content || !window.fetch) {
    return;
  }
  var warnBefore = Number(body.getAttribute("data-session-warn")) || 300;
  var statusUrl = body.getAttribute("data-session-status");
  var refreshUrl = body.getAttribute("data-session-refresh");
  var dialog = template.content.firstElementChild.cloneNode(true);
  if (typeof dialog.showModal !== "function") { return; }
  body.appendChild(dialog);
  var timers = [];
  var ends = 0;
  var returnFocus = null;

  function part(state) { return dialog.querySelector("[data-session-state=" + state + "]"); }

  function show(state) {
    var other = state === "warning" ? "ended" : "warning";
    part(state).hidden = false;
    part(other).hidden = true;
    dialog.setAttribute("aria-labelledby", part(state).querySelector("h2").id);
    dialog.setAttribute("aria-describedby", part(state).querySelector("p").id);
    if (state === "warning") {
      dialog.querySelector("[data-session-time]").textContent = new Date(ends).toLocaleTimeString(
        document.documentElement.lang || undefined, { hour: "numeric", minute: "2-digit" });
    }
    if (dialog.open) {
      dialog.close();  // shown again below, so that the new state is announced
    } else {
      returnFocus = document.activeElement;
    }
    dialog.showModal();
    part(state).querySelector("button").focus();
  }

  function hide() {
    if (!dialog.open) { return; }
    dialog.close();
  }

  function plan(left) {
    timers.forEach(clearTimeout);
    timers = [];
    ends = Date.now() + left * 1000;
    body.setAttribute("data-session-expires", new Date(ends).toISOString());
    if (left > warnBefore) {
      hide();
      timers.push(setTimeout(check, (left - warnBefore) * 1000));
    } else {
      show("warning");
    }
    timers.push(setTimeout(check, (left + 1) * 1000));
  }

  function ended() {
    timers.forEach(clearTimeout);
    timers = [];
    show("ended");
  }

  function ask(url, options) {
    return fetch(url, options).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      return response.ok && json ? response.json() : { signed_in: false };
    });
  }

  function check() {
    ask(statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (state) {
        if (state.signed_in) { plan(state.expires_in); } else { ended(); }
      }, function () {
        // Offline: trust the page's own clock until the network is back.
        if (Date.now() >= ends) { ended(); }
      });
  }

  function stay() {
    var token = document.querySelector("input[name=csrf_token]");
    ask(refreshUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": token ? token.value : "" }
    }).then(function (state) {
      if (!state.signed_in) { ended(); return; }
      // Forms on this page get a fresh token: the old one ends with the old session.
      document.querySelectorAll("input[name=csrf_token]").forEach(function (input) {
        input.value = state.csrf_token;
      });
      plan(state.expires_in);
    }, check);
  }

  dialog.querySelector("[data-session-stay]").addEventListener("click", stay);
  dialog.querySelector("[data-session-close]").addEventListener("click", hide);
  dialog.addEventListener("close", function () {
    if (returnFocus && document.contains(returnFocus) && !dialog.open) { returnFocus.focus(); }
  });
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) { check(); }
  });
  plan(Number(body.getAttribute("data-session-left")));
}());
