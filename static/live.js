// Live pages without one connection per tab. The htmx SSE extension asks
// htmx.createEventSource for a stream; this gives it a stand-in fed by
// live-worker.js, a SharedWorker holding one stream for the whole browser.
// Where SharedWorker is missing (Chrome on Android) the tab holds one stream
// of its own for all its sources, and only while it is visible: there a
// single tab is visible at a time. Hidden tabs watch nothing either way.
(function () {
  "use strict";
  if (!window.htmx || !window.EventSource) return;
  var sources = [];          // the stand-ins of this page
  var port = null;           // the worker's port, or null
  var own = null;            // the fallback's own EventSource
  var ownKey = "";

  function srcsWanted() {
    if (document.visibilityState === "hidden") return [];
    var set = {};
    sources.forEach(function (s) { set[s.url] = true; });
    return Object.keys(set).sort();
  }

  function deliver(src, event, data) {
    sources.forEach(function (s) { if (s.url === src) s.dispatch(event, data); });
  }

  function update() {
    var srcs = srcsWanted();
    if (port) { port.postMessage({type: "watch", srcs: srcs}); return; }
    var key = srcs.join(" ");
    if (key === ownKey) return;
    ownKey = key;
    if (own) { own.close(); own = null; }
    if (srcs.length === 0) return;
    own = new EventSource("/events?" + srcs.map(function (s) { return "src=" + encodeURIComponent(s); }).join("&"));
    own.addEventListener("live", function (e) {
      try { var m = JSON.parse(e.data); deliver(m.src, m.event, m.data); } catch (err) { /* not ours */ }
    });
  }

  if (window.SharedWorker) {
    try {
      port = new SharedWorker("/static/live-worker.js", {name: "sambad-live"}).port;
      port.onmessage = function (e) { if (e.data && e.data.type === "event") deliver(e.data.src, e.data.event, e.data.data); };
      port.start();
    } catch (err) { port = null; }
  }

  // LiveSource is what the SSE extension sees: enough of EventSource.
  function LiveSource(url) {
    this.url = new URL(url, location.href).pathname;
    this.readyState = 1;
    this.listeners = {};
    this.onopen = null;
    this.onerror = null;
    this.onmessage = null;
  }
  LiveSource.prototype.addEventListener = function (name, fn) { (this.listeners[name] = this.listeners[name] || []).push(fn); };
  LiveSource.prototype.removeEventListener = function (name, fn) {
    var l = this.listeners[name];
    if (l) this.listeners[name] = l.filter(function (f) { return f !== fn; });
  };
  LiveSource.prototype.dispatch = function (name, data) {
    var ev = new MessageEvent(name, {data: data});
    (this.listeners[name] || []).slice().forEach(function (fn) { fn(ev); });
    if (name === "message" && this.onmessage) this.onmessage(ev);
  };
  LiveSource.prototype.close = function () {
    if (this.readyState === 2) return;
    this.readyState = 2;
    var me = this;
    sources = sources.filter(function (s) { return s !== me; });
    update();
  };

  // Only the sources /events can serve are shared; any other stream (the
  // console's filtered tail, the home page's account card) is the page's own.
  var sharedPath = /^\/(whatsapp\/events|accounts\/events|campaigns\/[^\/]+\/events)$/;
  var ownSource = htmx.createEventSource || function (url) { return new EventSource(url); };
  htmx.createEventSource = function (url) {
    var u = new URL(url, location.href);
    if (!sharedPath.test(u.pathname) || u.search) return ownSource(url);
    var s = new LiveSource(url);
    sources.push(s);
    update();
    return s;
  };

  document.addEventListener("visibilitychange", update);
  window.addEventListener("pagehide", function () {
    if (port) port.postMessage({type: "bye"});
    if (own) { own.close(); own = null; ownKey = ""; }
  });
  window.addEventListener("pageshow", function (e) { if (e.persisted) update(); });
  // Tell the worker this tab is still here (see live-worker.js).
  if (port) setInterval(update, 10000);
})();
