// Sambad's live-event hub: one SharedWorker per browser holds the single
// event stream to Sambad and hands each tab the events of the sources it
// watches. Over HTTP/1.1 a browser opens at most six connections to a host;
// one stream per tab froze every other page with six live tabs open.
//
// A tab tells the hub the sources it watches ({type: "watch", srcs}); a hidden
// or closing tab watches nothing. When the union changes the hub opens one
// new stream for it, and closes the old stream once the new one is open, so
// a browser holds one stream, two for a moment while switching.
"use strict";

var tabs = new Map();      // port -> array of sources that tab watches
var seen = new Map();      // port -> when it last spoke
var current = null;        // the open stream that serves the tabs
var pending = null;        // a stream for a new set of sources, not open yet
var streamKey = "";        // the sources of the newest stream, joined
var last = new Map();      // source -> Map(event name -> data): replayed to new watchers
var retry = 0;             // refused attempts in a row
var timer = 0;

function wanted() {
  var all = new Set();
  tabs.forEach(function (srcs) { srcs.forEach(function (s) { all.add(s); }); });
  return Array.from(all).sort();
}

function reconcile() {
  clearTimeout(timer);
  timer = 0;
  var srcs = wanted();
  var key = srcs.join(" ");
  if (key === streamKey && (current || pending)) return;
  streamKey = key;
  // At most two streams: the one serving now and the one replacing it.
  if (pending) { pending.close(); pending = null; }
  last.forEach(function (_, src) { if (srcs.indexOf(src) < 0) last.delete(src); });
  if (srcs.length === 0) {
    if (current) { current.close(); current = null; }
    return;
  }
  var es = new EventSource("/events?" + srcs.map(function (s) { return "src=" + encodeURIComponent(s); }).join("&"));
  pending = es;
  es.onopen = function () {
    if (es !== pending) return;
    retry = 0;
    if (current) current.close();
    current = es;
    pending = null;
  };
  es.addEventListener("live", function (e) {
    if (es !== current && es !== pending) return;
    var m;
    try { m = JSON.parse(e.data); } catch (err) { return; }
    if (!last.has(m.src)) last.set(m.src, new Map());
    last.get(m.src).set(m.event, m.data);
    tabs.forEach(function (srcs, port) {
      if (srcs.indexOf(m.src) >= 0) port.postMessage({type: "event", src: m.src, event: m.event, data: m.data});
    });
  });
  es.onerror = function () {
    // The browser retries a dropped stream by itself; a refused one (a 429
    // or 400) is closed: try again later, waiting longer each time.
    if (es.readyState !== EventSource.CLOSED) return;
    if (es === pending) pending = null;
    else if (es === current) current = null;
    else return;
    retry = Math.min(retry + 1, 6);
    clearTimeout(timer);
    timer = setTimeout(function () { streamKey = ""; reconcile(); }, 1000 * Math.pow(2, retry));
  };
}

function schedule() {
  // Tabs often change together (a navigation is a goodbye and a hello):
  // wait a moment so the stream changes once.
  if (!timer) timer = setTimeout(reconcile, 40);
}

// A tab that closes without a goodbye (killed, crashed) stops repeating its
// "watch" every 10 s: forget it after 25 s. A hidden tab that is throttled
// and forgotten watches nothing anyway, and says "watch" again when shown.
setInterval(function () {
  var now = Date.now(), gone = false;
  seen.forEach(function (at, port) {
    if (now - at > 25000) { tabs.delete(port); seen.delete(port); gone = true; }
  });
  if (gone) schedule();
}, 5000);

self.onconnect = function (e) {
  var port = e.ports[0];
  tabs.set(port, []);
  seen.set(port, Date.now());
  port.onmessage = function (msg) {
    var d = msg.data || {};
    seen.set(port, Date.now());
    if (d.type === "watch") {
      var before = tabs.get(port) || [];
      var srcs = (d.srcs || []).slice();
      tabs.set(port, srcs);
      if (srcs.join(" ") === before.join(" ")) return; // a tab's keep-alive
      srcs.forEach(function (src) {
        if (before.indexOf(src) >= 0 || !last.has(src)) return;
        last.get(src).forEach(function (data, event) { port.postMessage({type: "event", src: src, event: event, data: data}); });
      });
      schedule();
    } else if (d.type === "bye") {
      tabs.delete(port);
      seen.delete(port);
      schedule();
    }
  };
  port.start();
};
