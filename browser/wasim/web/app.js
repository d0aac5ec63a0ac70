// WhatsApp Web simulator page. Reproduces the markup and behaviour listed in
// whatsapp-web-surface.md; everything else (class names, wrappers) is
// deliberately noisy so a driver cannot lean on it.
(function () {
  'use strict';

  var BOOT = window.__WA_BOOT || {};
  var app = document.getElementById('app');
  var TAB = rand(16);
  var LS_TOKEN = 'WAToken1';
  var LS_WID = 'last-wid-md';
  var LS_PENDING = 'WAPendingMsgs';
  var IDB_NAME = 'wawc';
  var IDB_STORE = 'user';

  var token = null;
  var openChat = null;     // {phone, rows: Map id->row, list: element}
  var conflict = null;     // modal element while in conflict
  var conflictClosed = false;
  var modalOpen = null;    // invalid-number modal
  var banner = null;
  var pollTimer = null;
  var polling = false;
  var stopped = false;

  // ---- small helpers -----------------------------------------------------

  function rand(n) {
    var a = new Uint8Array(n), s = '';
    crypto.getRandomValues(a);
    for (var i = 0; i < n; i++) s += (a[i] % 36).toString(36);
    return s;
  }

  // Generated-looking class names, different on every load.
  var classCache = {};
  function gc(key) {
    if (!classCache[key]) classCache[key] = 'x' + rand(6) + ' x' + rand(7);
    return classCache[key];
  }

  // h(tag, attrs, children...) builds an element. attrs.c is a key for a
  // generated class name, attrs.cls a literal class list.
  function h(tag, attrs) {
    var el = document.createElement(tag);
    attrs = attrs || {};
    var classes = [];
    if (attrs.c) classes.push(gc(attrs.c));
    if (attrs.cls) classes.push(attrs.cls);
    if (classes.length) el.className = classes.join(' ');
    for (var k in attrs) {
      if (k === 'c' || k === 'cls') continue;
      if (k === 'text') { el.textContent = attrs[k]; continue; }
      if (k.slice(0, 2) === 'on') { el.addEventListener(k.slice(2), attrs[k]); continue; }
      if (k === 'style') { el.setAttribute('style', attrs[k]); continue; }
      el.setAttribute(k, attrs[k]);
    }
    for (var i = 2; i < arguments.length; i++) {
      var ch = arguments[i];
      if (ch == null) continue;
      el.appendChild(typeof ch === 'string' ? document.createTextNode(ch) : ch);
    }
    return el;
  }

  // wrap puts el inside n meaningless divs, as the real page does.
  function wrap(n, el, key) {
    for (var i = 0; i < n; i++) el = h('div', { c: (key || 'w') + i }, el);
    return el;
  }

  function icon(name, label) {
    var attrs = { 'data-icon': name, c: 'icon-' + name };
    if (label != null) attrs['aria-label'] = label;
    var svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('height', '18');
    svg.setAttribute('width', '18');
    var path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
    path.setAttribute('fill', 'currentColor');
    path.setAttribute('d', 'M4 12l5 5L20 6');
    svg.appendChild(path);
    var span = h('span', attrs);
    span.appendChild(svg);
    return span;
  }

  // Styles are keyed by the generated class names of this load.
  var STYLES = {
    'load-root': 'height:100%;display:flex;align-items:center;justify-content:center;background:#fcf5eb',
    'load-box': 'display:flex;flex-direction:column;align-items:center;gap:18px;color:#3b4a54',
    'load-title': 'font-size:32px;font-weight:300',
    'load-msg': 'font-size:15px',
    'load-e2e': 'color:#8696a0;font-size:13px;margin-top:30px',
    'landing-wrapper': 'min-height:100%;background:#fcf5eb;padding:28px',
    'landing-header': 'color:#25d366;font-size:20px;margin:0 0 28px 60px',
    'landing-window': 'max-width:1000px;margin:0 auto;background:#fff;border-radius:24px;padding:56px',
    'landing-main': 'display:flex;justify-content:space-between;gap:40px',
    'steps-title': 'font-size:28px;font-weight:300;margin-bottom:24px',
    'steps-ol': 'font-size:18px;line-height:2.2',
    'link-phone': 'color:#008069;text-decoration:underline;margin-top:40px;display:inline-block',
    'qr-box': 'position:relative;width:264px;min-height:264px;display:flex;flex-direction:column;align-items:center',
    'qr-blur': 'filter:blur(6px);opacity:.4',
    'qr-logo': 'position:absolute;top:118px;left:118px;width:28px;height:28px',
    'qr-reload': 'position:absolute;top:72px;left:52px',
    'qr-reload-btn': 'width:160px;height:120px;border-radius:60px;background:#008069;color:#fff;border:0',
    'ph-input': 'font-size:18px;padding:8px;width:260px',
    'ph-next': 'margin-top:24px;padding:10px 24px;background:#008069;color:#fff;border:0;border-radius:24px',
    'ph-err': 'color:#ea0038;min-height:18px',
    'code-cells': 'display:flex;gap:6px;font-size:32px;font-family:monospace',
    'code-cell': 'border:1px solid #d1d7db;border-radius:8px;padding:8px 10px',
    'two': 'display:flex;height:100vh;background:#fff',
    'left': 'width:30%;min-width:300px;border-right:1px solid #e9edef;display:flex;flex-direction:column',
    'side': 'display:flex;flex-direction:column;height:100%',
    'side-head': 'display:flex;justify-content:space-between;align-items:center;height:59px;padding:0 16px;background:#f0f2f5',
    'side-icons': 'display:flex;gap:10px;position:relative',
    'search-row': 'display:flex;align-items:center;gap:8px;margin:8px 12px;padding:6px 12px;background:#f0f2f5;border-radius:8px',
    'search-input': 'flex:1;min-height:20px;outline:none',
    'search-btn': 'background:none;border:0',
    'pane-side': 'flex:1;overflow-y:auto',
    'chat-row': 'border-bottom:1px solid #e9edef',
    'cell': 'display:flex;gap:12px;padding:10px 16px',
    'cell-body': 'flex:1;min-width:0',
    'cell-top': 'display:flex;justify-content:space-between',
    'cell-last': 'color:#667781;white-space:nowrap;overflow:hidden;text-overflow:ellipsis',
    'main-host': 'flex:1;display:flex;flex-direction:column;background:#efeae2;min-width:0',
    'intro': 'margin:auto;text-align:center;color:#41525d;max-width:460px',
    'intro-t': 'font-size:32px;font-weight:300;margin-bottom:16px',
    'main': 'display:flex;flex-direction:column;height:100%;position:relative',
    'f-att': 'position:relative',
    'att-menu': 'position:absolute;bottom:48px;left:0;background:#fff;box-shadow:0 2px 5px rgba(11,20,26,.26);z-index:100;min-width:200px;border-radius:16px',
    'media-editor': 'position:absolute;inset:0;z-index:50;background:#e9edef;display:flex;flex-direction:column',
    'me-head': 'display:flex;align-items:center;gap:16px;height:59px;padding:0 16px',
    'me-preview': 'flex:1;display:flex;align-items:center;justify-content:center;min-height:0;overflow:hidden',
    'me-img': 'max-width:80%;max-height:100%',
    'me-doc': 'display:flex;flex-direction:column;align-items:center;gap:8px;background:#fff;padding:40px;border-radius:8px',
    'me-cap': 'margin:8px auto;width:60%;background:#fff;border-radius:8px;padding:9px 12px',
    'me-caption': 'outline:none;min-height:1.47em;max-height:6em;overflow-y:auto',
    'me-strip': 'display:flex;gap:8px;justify-content:center;padding:8px',
    'me-thumb': 'width:52px;height:52px;border:2px solid transparent;border-radius:6px;overflow:hidden;display:flex;align-items:center;justify-content:center;background:#fff',
    'me-thumb-on': 'border-color:#00a884',
    'me-foot': 'display:flex;justify-content:flex-end;padding:8px 24px 16px',
    'me-send': 'background:#00a884;color:#fff;border-radius:50%;width:60px;height:60px;display:flex;align-items:center;justify-content:center',
    'toast': 'position:fixed;left:50%;bottom:40px;transform:translateX(-50%);background:#3b4a54;color:#fff;padding:12px 20px;border-radius:6px;z-index:2000',
    'm-media': 'display:block;max-width:330px;border-radius:6px;overflow:hidden;position:relative',
    'm-img': 'display:block;max-width:330px;max-height:330px;min-width:120px;min-height:80px;background:#ccc',
    'm-play': 'position:absolute;left:50%;top:50%;transform:translate(-50%,-50%);color:#fff',
    'm-doc': 'display:flex;align-items:center;gap:10px;background:rgba(0,0,0,.05);padding:10px;border-radius:6px;min-width:240px',
    'm-doc-meta': 'font-size:12px;color:#667781',
    'chat-head': 'display:flex;align-items:center;gap:12px;height:59px;padding:0 16px;background:#f0f2f5',
    'ch-info': 'flex:1',
    'ch-icons': 'display:flex;gap:10px',
    'ch-name': 'font-size:16px',
    'ch-sub': 'font-size:13px;color:#667781',
    'conv': 'flex:1;position:relative;min-height:0',
    'scroller': 'position:absolute;inset:0;overflow-y:auto;padding:12px 6%',
    'msg-list': 'display:flex;flex-direction:column;gap:4px',
    'mrow': 'display:flex',
    'rm': 'color:#027eb5;cursor:pointer;display:inline-block;margin-left:4px',
    'bubble': 'max-width:560px;padding:6px 8px 8px 9px;border-radius:8px;box-shadow:0 1px .5px rgba(11,20,26,.13)',
    'st': 'white-space:pre-wrap;word-break:break-word',
    'meta': 'display:flex;justify-content:flex-end;align-items:center;gap:4px;font-size:11px;color:#667781',
    'footer': 'background:#f0f2f5;padding:5px 16px',
    'f-row': 'display:flex;align-items:flex-end;gap:8px',
    'f-edit': 'flex:1;background:#fff;border-radius:8px;padding:9px 12px',
    'compose': 'outline:none;overflow-y:auto',
    'cp': 'margin:0',
    'send-btn': 'background:none;border:0;color:#54656f;padding:8px',
    'ptt-btn': 'background:none;border:0;color:#54656f;padding:8px',
    'ib': 'background:none;border:0;padding:6px;color:#54656f',
    'banner': 'display:block;background:#ffecb3;padding:12px 16px',
    'banner-n': 'display:block;background:#53bdeb;color:#fff;padding:12px 16px',
    'banner-in': 'display:flex;gap:12px;align-items:center',
    'banner-t': 'font-size:16px',
    'banner-s': 'font-size:13px;color:#54656f',
    'modal-backdrop': 'position:fixed;inset:0;background:rgba(255,255,255,.85);display:flex;align-items:center;justify-content:center;z-index:1000',
    'modal-popup': 'background:#fff;border-radius:3px;box-shadow:0 17px 50px 0 rgba(11,20,26,.19);padding:22px 24px 20px;max-width:500px',
    'modal-text': 'color:#3b4a54;font-size:14.2px;line-height:20px',
    'modal-actions': 'display:flex;justify-content:flex-end;gap:10px;margin-top:28px',
    'lo-t': 'font-size:20px;font-weight:400;margin:0 0 12px',
    'mbtn': 'color:#008069;border:1px solid #d1d7db;border-radius:24px;padding:10px 24px',
    'mbtn-p': 'color:#fff;background:#008069;border-radius:24px;padding:10px 24px',
    'closed': 'height:100%;display:flex;flex-direction:column;align-items:center;justify-content:center;gap:16px;background:#fcf5eb',
    'closed-t': 'font-size:28px;font-weight:300',
    'menu': 'position:absolute;top:40px;right:0;background:#fff;box-shadow:0 2px 5px rgba(11,20,26,.26);z-index:100;min-width:180px',
    'menu-ul': 'list-style:none;margin:0;padding:9px 0',
    'menu-item': 'padding:12px 24px'
  };
  function installStyles() {
    var css = '';
    for (var k in STYLES) css += '.' + gc(k).split(' ')[0] + '{' + STYLES[k] + '}\n';
    css += '.message-out{justify-content:flex-end}.message-out .' + gc('bubble').split(' ')[0] + '{background:#d9fdd3}';
    css += '.message-in{justify-content:flex-start}.message-in .' + gc('bubble').split(' ')[0] + '{background:#fff}';
    css += 'img.emoji{width:1.3em;height:1.3em;vertical-align:-.3em}';
    document.head.appendChild(h('style', {}, css));
  }

  function sleep(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }

  function api(method, url, body) {
    var opts = { method: method, headers: {} };
    if (token) opts.headers['X-Wa-Session'] = token;
    if (body !== undefined) {
      opts.headers['Content-Type'] = 'application/json';
      opts.body = JSON.stringify(body);
    }
    return fetch(url, opts).then(function (r) {
      var ct = r.headers.get('Content-Type') || '';
      var p = ct.indexOf('json') >= 0 ? r.json() : Promise.resolve(null);
      return p.then(function (data) { return { ok: r.ok, status: r.status, data: data }; });
    });
  }

  // api with retries on network errors (the server may restart).
  async function apiRetry(method, url, body) {
    for (;;) {
      try { return await api(method, url, body); } catch (e) { await sleep(1000); }
    }
  }

  function clear() { while (app.firstChild) app.removeChild(app.firstChild); }

  function fmtTime(ms) {
    var d = new Date(ms);
    return ('0' + d.getHours()).slice(-2) + ':' + ('0' + d.getMinutes()).slice(-2);
  }
  function fmtDate(ms) {
    var d = new Date(ms);
    return d.getDate() + '/' + (d.getMonth() + 1) + '/' + d.getFullYear();
  }

  // ---- session storage in the profile -------------------------------------

  function idbOpen() {
    return new Promise(function (res, rej) {
      var r = indexedDB.open(IDB_NAME, 1);
      r.onupgradeneeded = function () { r.result.createObjectStore(IDB_STORE); };
      r.onsuccess = function () { res(r.result); };
      r.onerror = function () { rej(r.error); };
    });
  }
  async function idbGet(key) {
    var db = await idbOpen();
    return new Promise(function (res) {
      var q = db.transaction(IDB_STORE, 'readonly').objectStore(IDB_STORE).get(key);
      q.onsuccess = function () { db.close(); res(q.result); };
      q.onerror = function () { db.close(); res(undefined); };
    });
  }
  async function idbPut(key, value) {
    var db = await idbOpen();
    return new Promise(function (res, rej) {
      var tx = db.transaction(IDB_STORE, 'readwrite');
      tx.objectStore(IDB_STORE).put(value, key);
      tx.oncomplete = function () { db.close(); res(); };
      tx.onerror = function () { db.close(); rej(tx.error); };
    });
  }
  function idbWipe() {
    return new Promise(function (res) {
      var r = indexedDB.deleteDatabase(IDB_NAME);
      r.onsuccess = r.onerror = r.onblocked = function () { res(); };
    });
  }

  async function readToken() {
    var t = null;
    try {
      // Do not create the database just to look: a logged-out profile stays empty.
      var dbs = indexedDB.databases ? await indexedDB.databases() : [{ name: IDB_NAME }];
      if (dbs.some(function (d) { return d.name === IDB_NAME; })) t = await idbGet('session');
    } catch (e) { t = null; }
    if (t && t.token) return t.token;
    return localStorage.getItem(LS_TOKEN);
  }

  async function saveToken(t) {
    token = t;
    localStorage.setItem(LS_TOKEN, t);
    localStorage.setItem(LS_WID, JSON.stringify(rand(12) + ':' + rand(2) + '@c.us'));
    await idbPut('session', { token: t, created: Date.now() });
  }

  // logOutLocally forgets the session and lands on the QR screen, as the
  // real page does after a logout.
  async function logOutLocally() {
    stopped = true;
    if (pollTimer) clearTimeout(pollTimer);
    token = null;
    localStorage.clear();
    sessionStorage.clear();
    await idbWipe();
    location.replace('/?post_logout=1&logout_reason=0');
  }

  // ---- loading screen -----------------------------------------------------

  function loading(ms, message) {
    clear();
    var bar = h('progress', { value: '0', max: '100', dir: 'ltr' });
    var line = h('div', { c: 'load-msg' }, message);
    app.appendChild(h('div', { c: 'load-root', tabindex: '-1' },
      h('div', { c: 'load-box' },
        wrap(1, h('span', { 'data-icon': 'intro-md-beta-logo-light', c: 'load-logo' }), 'lg'),
        wrap(2, bar, 'pb'),
        h('div', { c: 'load-title' }, 'WhatsApp'),
        line,
        h('div', { c: 'load-e2e' }, icon('lock-small'), ' End-to-end encrypted'))));
    var start = Date.now();
    return new Promise(function (res) {
      (function tick() {
        var f = Math.min(1, (Date.now() - start) / ms);
        // The real bar stalls and jumps; an ease-in-out gives the same feel.
        var v = Math.round(100 * (f < 0.5 ? 2 * f * f : 1 - Math.pow(-2 * f + 2, 2) / 2));
        bar.setAttribute('value', String(v));
        bar.value = v;
        if (f >= 1) { res(); return; }
        setTimeout(tick, 50);
      })();
    });
  }

  // ---- boot ---------------------------------------------------------------

  async function boot() {
    var wait = loading(BOOT.loadingMs || 1500, 'Loading your chats');
    token = await readToken();
    var rejected = false;
    while (token) {
      var r = await apiRetry('GET', '/wa/session');
      if (r.ok || r.status === 401) { rejected = r.status === 401; break; }
      await sleep(1000); // server trouble is not a logout
    }
    await wait;
    if (token && rejected) { await logOutLocally(); return; }
    if (!token) { landing(); return; }
    await ready();
  }

  // ---- QR landing -----------------------------------------------------------

  var pair = null;

  async function landing() {
    clear();
    var refBox = h('div', { c: 'qr-box' }, h('span', { 'data-icon': 'spinner', c: 'qr-spin' }));
    var side = h('div', { c: 'qr-side' }, wrap(2, refBox, 'qw'));
    var codeLink = h('div', { role: 'button', tabindex: '0', c: 'link-phone' },
      h('span', { c: 'link-phone-t' }, 'Link with phone number'));
    var steps = h('div', { c: 'steps' },
      h('div', { c: 'steps-title' }, 'Steps to log in'),
      h('ol', { c: 'steps-ol' },
        h('li', {}, 'Open WhatsApp on your phone'),
        h('li', {}, 'On Android tap Menu, on iPhone tap Settings'),
        h('li', {}, 'Tap Linked devices, then Link device'),
        h('li', {}, 'Scan the QR code to confirm')),
      wrap(1, codeLink, 'lk'));
    var main = h('div', { c: 'landing-main' }, steps, side);
    app.appendChild(h('div', { c: 'landing-wrapper' },
      h('div', { c: 'landing-header' }, icon('wa-wordmark-refreshed'), ' WhatsApp'),
      wrap(1, h('div', { c: 'landing-window' }, main, h('div', { c: 'landing-foot' }, icon('lock-small'), ' Your personal messages are end-to-end encrypted')), 'lwin')));

    codeLink.addEventListener('click', function () { phoneLinking(side, codeLink); });
    codeLink.addEventListener('keydown', function (e) { if (e.key === 'Enter') phoneLinking(side, codeLink); });

    var r = await apiRetry('POST', '/wa/pair');
    pair = { id: r.data.id, ref: null, box: refBox, canvas: null, expired: false };
    showQR(r.data);
    pollPair();
  }

  function showQR(v) {
    var box = pair.box;
    if (pair.ref === v.ref && pair.expired === v.expired) return;
    if (!pair.canvas) {
      while (box.firstChild) box.removeChild(box.firstChild);
      pair.canvas = h('canvas', { 'aria-label': 'Scan this QR code to link a device!', role: 'img', width: '264', height: '264', c: 'qr-canvas' });
      box.appendChild(pair.canvas);
      box.appendChild(h('span', { 'data-icon': 'logo', c: 'qr-logo' }));
    }
    if (pair.ref !== v.ref) {
      pair.ref = v.ref;
      box.setAttribute('data-ref', v.ref);
      drawQR(pair.canvas, v.ref);
    }
    if (v.expired && !pair.expired) {
      pair.canvas.classList.add(gc('qr-blur').split(' ')[0]);
      var btn = h('button', { c: 'qr-reload-btn' },
        h('div', { c: 'qr-reload-i' }, h('span', { 'data-icon': 'refresh-large' })),
        h('div', { c: 'qr-reload-t' }, 'Click to reload QR code'));
      btn.addEventListener('click', reloadQR);
      pair.reload = h('div', { c: 'qr-reload' }, btn);
      box.appendChild(pair.reload);
    }
    if (!v.expired && pair.reload) {
      pair.reload.remove();
      pair.reload = null;
      pair.canvas.classList.remove(gc('qr-blur').split(' ')[0]);
    }
    pair.expired = v.expired;
  }

  async function reloadQR() {
    var r = await apiRetry('POST', '/wa/pair/' + pair.id + '/reload');
    if (r.ok) showQR(r.data);
  }

  async function pollPair() {
    if (stopped || !pair) return;
    try {
      var r = await api('GET', '/wa/pair/' + pair.id);
      if (r.ok) {
        if (r.data.token) { await linked(r.data.token); return; }
        if (document.contains(pair.box)) showQR(r.data);
      } else if (r.status === 404) {
        landing(); // the server forgot this landing (restarted): start over
        return;
      }
    } catch (e) { /* server away: keep the last QR */ }
    setTimeout(pollPair, BOOT.pollMs || 250);
  }

  async function linked(t) {
    await saveToken(t);
    pair = null;
    await loading(Math.max(200, (BOOT.loadingMs || 1500) / 2), 'Loading your chats');
    await ready();
  }

  // Deterministic pseudo-QR drawn from the payload; Sambad reads data-ref.
  function drawQR(canvas, ref) {
    var ctx = canvas.getContext('2d');
    var n = 33, s = Math.floor(264 / n), seed = 0;
    for (var i = 0; i < ref.length; i++) seed = (seed * 31 + ref.charCodeAt(i)) >>> 0;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, 264, 264);
    ctx.fillStyle = '#122e31';
    for (var y = 0; y < n; y++) {
      for (var x = 0; x < n; x++) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        var finder = (x < 7 && y < 7) || (x >= n - 7 && y < 7) || (x < 7 && y >= n - 7);
        var on = finder ? ((x % (n - 7) === 0 || y % (n - 7) === 0 || x % (n - 7) === 6 || y % (n - 7) === 6) || ((x % (n - 7)) >= 2 && (x % (n - 7)) <= 4 && (y % (n - 7)) >= 2 && (y % (n - 7)) <= 4)) : (seed >>> 16) & 1;
        if (on) ctx.fillRect(x * s, y * s, s, s);
      }
    }
  }

  function phoneLinking(side, codeLink) {
    while (side.firstChild) side.removeChild(side.firstChild);
    var input = h('input', { 'aria-label': 'Type your phone number.', type: 'text', inputmode: 'tel', autocomplete: 'off', c: 'ph-input', value: '+' });
    var err = h('div', { c: 'ph-err', role: 'alert' });
    var next = h('button', { c: 'ph-next' }, h('div', { c: 'ph-next-t' }, 'Next'));
    var box = h('div', { c: 'ph-box' },
      h('div', { c: 'ph-title' }, 'Enter phone number'),
      h('div', { c: 'ph-sub' }, 'Select a country and enter your phone number.'),
      wrap(2, input, 'pi'), err, wrap(1, next, 'pn'));
    side.appendChild(box);
    codeLink.querySelector('span').textContent = 'Link with QR code';
    input.focus();
    async function submit() {
      var digits = input.value.replace(/[^0-9]/g, '');
      var r = await apiRetry('POST', '/wa/pair/' + pair.id + '/code', { phone: digits });
      if (!r.ok) { err.textContent = 'Invalid phone number.'; return; }
      while (side.firstChild) side.removeChild(side.firstChild);
      var code = r.data.code;
      var cells = h('div', { 'data-link-code': code, c: 'code-cells', 'aria-label': 'Link code' });
      for (var i = 0; i < code.length; i++) {
        if (i === 4) cells.appendChild(h('span', { c: 'code-dash' }, '-'));
        cells.appendChild(h('span', { c: 'code-cell' }, h('span', { c: 'code-ch' }, code[i])));
      }
      side.appendChild(h('div', { c: 'code-box' },
        h('div', { c: 'ph-title' }, 'Enter code on phone'),
        h('div', { c: 'ph-sub' }, 'Linking WhatsApp account +' + digits),
        wrap(2, cells, 'cc')));
    }
    next.addEventListener('click', submit);
    input.addEventListener('keydown', function (e) { if (e.key === 'Enter') submit(); });
    codeLink.onclick = function () { location.reload(); };
  }

  // ---- ready: chat list --------------------------------------------------

  var side = null, paneList = null, mainHost = null;

  async function ready() {
    clear();
    var r = await apiRetry('POST', '/wa/open', { tab: TAB });
    if (r.status === 401) { await logOutLocally(); return; }
    buildShell();
    refreshChats();
    schedulePoll(0);
    var q = new URLSearchParams(location.search);
    if (/^\/send\/?$/.test(location.pathname)) {
      var phone = (q.get('phone') || '').replace(/[\s+\-()]/g, '');
      var text = q.get('text') || '';
      history.replaceState(null, '', '/');
      await clickToChat(phone, text);
    } else if (q.has('post_logout')) {
      history.replaceState(null, '', '/');
    }
  }

  function buildShell() {
    var search = h('div', { contenteditable: 'true', role: 'textbox', spellcheck: 'true', 'data-tab': '3', 'aria-label': 'Search or start a new chat', title: 'Search input textbox', c: 'search-input', 'data-lexical-editor': 'true' },
      h('p', { cls: 'selectable-text copyable-text', c: 'p' }, h('br')));
    var searchBtn = h('button', { 'aria-label': 'Search or start a new chat', c: 'search-btn', tabindex: '-1' }, icon('search'));
    var header = h('header', { c: 'side-head' },
      h('div', { c: 'avatar', role: 'button', 'aria-label': 'profile photo' }, icon('default-user')),
      h('div', { c: 'side-icons' },
        h('div', { role: 'button', title: 'New chat', 'aria-label': 'New chat', c: 'ib' }, icon('new-chat-outline')),
        h('div', { role: 'button', title: 'Menu', 'aria-label': 'Menu', c: 'ib', onclick: openMenu }, icon('menu'))));
    paneList = h('div', { 'aria-label': 'Chat list', role: 'grid', 'aria-rowcount': '0', c: 'chat-grid' });
    banner = h('div', { c: 'banner-slot' });
    side = h('div', { id: 'side', c: 'side' },
      header,
      banner,
      wrap(1, h('div', { c: 'search-row' }, searchBtn, wrap(1, search, 'sw')), 'sr'),
      h('div', { id: 'pane-side', c: 'pane-side', tabindex: '-1' }, wrap(1, paneList, 'pl')));
    mainHost = h('div', { c: 'main-host' }, intro());
    app.appendChild(h('div', { c: 'app-root', tabindex: '-1' },
      h('div', { c: 'two' }, h('div', { c: 'left' }, side), mainHost)));
  }

  function intro() {
    return h('div', { c: 'intro', 'data-asset-intro-image-light': 'true' },
      h('div', { c: 'intro-t' }, 'Download WhatsApp for Windows'),
      h('div', { c: 'intro-s' }, 'Make calls, share your screen and get a faster experience when you download the Windows app.'),
      h('div', { c: 'intro-e2e' }, icon('lock-outline'), ' Your personal messages are end-to-end encrypted'));
  }

  var menuEl = null;

  function openMenu(e) {
    if (menuEl && menuEl.isConnected) { menuEl.remove(); menuEl = null; return; }
    var item = h('li', { role: 'button', tabindex: '0', c: 'menu-item' }, h('div', { 'aria-label': 'Log out', c: 'menu-t' }, 'Log out'));
    item.addEventListener('click', function () {
      menu.remove();
      var confirmBox = modal(h('div', {}, h('h1', { c: 'lo-t' }, 'Log out?'), h('div', {}, 'Are you sure you want to log out?')), [
        h('button', { c: 'mbtn', onclick: function () { confirmBox.remove(); } }, h('div', { c: 'mbtn-t' }, 'Cancel')),
        h('button', { c: 'mbtn-p', onclick: logOutFromMenu }, h('div', { c: 'mbtn-t' }, 'Log out'))
      ]);
    });
    var menu = menuEl = h('div', { role: 'application', c: 'menu' }, h('ul', { c: 'menu-ul' }, item));
    document.addEventListener('click', function closeMenu(ev) {
      if (!menu.contains(ev.target)) { menu.remove(); document.removeEventListener('click', closeMenu, true); }
    }, true);
    e.currentTarget.parentNode.appendChild(menu);
  }

  async function logOutFromMenu() {
    await api('POST', '/wa/logout', {}).catch(function () {});
    await logOutLocally();
  }

  async function refreshChats() {
    if (!paneList) return;
    var r;
    try { r = await api('GET', '/wa/chats'); } catch (e) { return; }
    if (!r.ok || !Array.isArray(r.data)) return;
    var sig = JSON.stringify(r.data);
    if (sig === paneList.__sig) return;
    paneList.__sig = sig;
    while (paneList.firstChild) paneList.removeChild(paneList.firstChild);
    paneList.setAttribute('aria-rowcount', String(r.data.length));
    r.data.forEach(function (c, i) {
      var name = c.name || '+' + c.phone;
      var row = h('div', { role: 'listitem', c: 'chat-row', style: 'z-index:' + (r.data.length - i) },
        wrap(1, h('div', { role: 'gridcell', 'aria-selected': 'false', tabindex: '-1', c: 'cell' },
          h('div', { c: 'cell-av' }, icon('default-user')),
          h('div', { c: 'cell-body' },
            h('div', { c: 'cell-top' }, h('span', { dir: 'auto', title: name, c: 'cell-name' }, name), h('div', { c: 'cell-time' }, fmtTime(c.time))),
            h('div', { c: 'cell-last' }, h('span', { dir: 'ltr', title: c.last, c: 'cell-last-t' }, c.last.split('\n')[0])))), 'cr'));
      row.addEventListener('click', function () { openChatView(c.phone, '', name); });
      paneList.appendChild(row);
    });
  }

  // ---- click-to-chat ------------------------------------------------------

  async function clickToChat(phone, text) {
    var exists = false, displayName = null;
    // The real page shows a transient "Starting chat" dialog while it looks
    // the number up.
    var starting = modal(h('div', { c: 'starting' }, h('span', { 'data-icon': 'spinner', c: 'spin' }), ' Starting chat'), []);
    if (/^[0-9]+$/.test(phone)) {
      var r = await apiRetry('GET', '/wa/contact/' + encodeURIComponent(phone));
      if (r.status === 401) { await logOutLocally(); return; }
      exists = r.ok && r.data.exists;
      if (r.ok) displayName = r.data.name;
    }
    // The real page takes a moment to resolve the number.
    await sleep(150 + Math.random() * 200);
    starting.remove();
    if (!exists) { invalidModal(); return; }
    await openChatView(phone, text, displayName);
  }

  function modal(textNode, buttons) {
    var body = h('div', { 'data-animate-modal-body': 'true', c: 'modal-body' }, wrap(1, h('div', { c: 'modal-text' }, textNode), 'mt'));
    var actions = h('div', { c: 'modal-actions' });
    buttons.forEach(function (b) { actions.appendChild(b); });
    var popup = h('div', { 'data-animate-modal-popup': 'true', role: 'dialog', 'aria-modal': 'true', c: 'modal-popup', tabindex: '-1' }, body, actions);
    var backdrop = h('div', { 'data-animate-modal-backdrop': 'true', c: 'modal-backdrop' }, wrap(1, popup, 'mp'));
    var layer = h('span', { c: 'modal-layer' }, h('div', { c: 'overlay' }, backdrop));
    app.appendChild(layer);
    return layer;
  }

  function modalButton(label, primary, onclick) {
    var b = h('div', { role: 'button', tabindex: '0', c: primary ? 'mbtn-p' : 'mbtn' }, h('div', { c: 'mbtn-in' }, h('div', { c: 'mbtn-t' }, label)));
    b.addEventListener('click', onclick);
    b.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') onclick(); });
    return b;
  }

  function invalidModal() {
    modalOpen = modal('Phone number shared via url is invalid.', [
      modalButton('OK', true, function () { if (modalOpen) { modalOpen.remove(); modalOpen = null; } })
    ]);
  }

  // ---- conflict -------------------------------------------------------------

  function showConflict() {
    if (conflict || conflictClosed) return;
    var text = 'WhatsApp is open in another window. Click "Use Here" to use WhatsApp in this window.';
    conflict = modal(text, [
      modalButton('CLOSE', false, function () {
        conflictClosed = true;
        if (conflict) { conflict.remove(); conflict = null; }
        closedScreen();
      }),
      modalButton('USE HERE', true, useHere)
    ]);
  }

  function closedScreen() {
    clear();
    side = null; paneList = null; openChat = null;
    app.appendChild(h('div', { c: 'closed' },
      h('div', { c: 'closed-t' }, 'WhatsApp is open in another window'),
      h('div', { c: 'closed-s' }, 'Click "Use Here" to use WhatsApp in this window.'),
      modalButton('USE HERE', true, function () { location.reload(); })));
  }

  async function useHere() {
    var r = await apiRetry('POST', '/wa/takeover', { tab: TAB });
    if (r.status === 401) { await logOutLocally(); return; }
    if (conflict) { conflict.remove(); conflict = null; }
  }

  // ---- offline banner -------------------------------------------------------

  // The banner slot above the chat list shows the phone-offline banner, or
  // on a fresh profile the notifications nag of the real page.
  var bannerKind = null;
  var notifyDismissed = false;

  function setOffline(off, ms) {
    if (!banner) return;
    var kind = off ? (ms < 5000 ? 'Trying to reach phone' : 'Phone not connected') : (notifyDismissed ? 'none' : 'notify');
    if (kind === bannerKind) return;
    bannerKind = kind;
    while (banner.firstChild) banner.removeChild(banner.firstChild);
    if (kind === 'none') return;
    if (kind === 'notify') {
      var close = h('div', { role: 'button', 'aria-label': 'Close', c: 'ib' }, icon('x-alt'));
      close.addEventListener('click', function (e) { e.stopPropagation(); notifyDismissed = true; setOffline(false, 0); });
      banner.appendChild(h('span', { c: 'banner-n' },
        h('div', { c: 'banner-in', role: 'button' },
          h('div', { c: 'banner-i' }, icon('alert-notification')),
          h('div', { c: 'banner-b' },
            h('div', { c: 'banner-t' }, 'Get notified of new messages'),
            h('div', { c: 'banner-s' }, h('span', {}, 'Turn on desktop notifications'), ' ', icon('chevron-right-text'))),
          close)));
      return;
    }
    banner.appendChild(h('span', { c: 'banner' },
      h('div', { c: 'banner-in', role: 'button' },
        h('div', { c: 'banner-i' }, icon('alert-phone')),
        h('div', { c: 'banner-b' },
          h('div', { c: 'banner-t' }, kind),
          h('div', { c: 'banner-s' }, 'Make sure your phone has an active internet connection.')))));
  }

  // ---- polling ----------------------------------------------------------------

  var pollCount = 0;

  function schedulePoll(ms) {
    if (stopped) return;
    if (pollTimer) clearTimeout(pollTimer);
    pollTimer = setTimeout(poll, ms);
  }

  async function poll() {
    if (stopped || polling) return;
    polling = true;
    try {
      var url = '/wa/poll?tab=' + TAB + (openChat ? '&chat=' + openChat.phone : '');
      var r = await api('GET', url);
      if (r.ok) await applyPoll(r.data);
    } catch (e) { /* keep trying */ }
    polling = false;
    if (++pollCount % 8 === 0) refreshChats();
    schedulePoll(BOOT.pollMs || 250);
  }

  async function applyPoll(v) {
    if (v.state === 'logged_out') { await logOutLocally(); return; }
    if (v.state === 'conflict') showConflict();
    else if (conflict) { conflict.remove(); conflict = null; }
    setOffline(v.offline, v.offlineMs);
    if (openChat && openChat.history && side) renderMessages(v.messages || []);
  }

  // ---- chat view --------------------------------------------------------------

  // ---- compose timing (whatsapp-web-surface.md 4a) ----------------------------
  //
  // Every delay comes from this load's seed (BOOT.timing.seed), drawn by the
  // server from its own, so a run replays with the same SAMBAD_SIM_SEED.

  var TIMING = BOOT.timing || { off: true };
  var rnd = (function (a) {
    return function () { // mulberry32
      a = (a + 0x6D2B79F5) | 0;
      var t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  })(TIMING.seed || 1);
  // between draws a delay in [lo, hi] ms, most of them near lo (mean a
  // quarter of the way): most chats open quickly, a few take seconds.
  function between(lo, hi) { var u = rnd(); return lo + (hi - lo) * u * u * u; }

  function chatTiming() {
    if (TIMING.off) return { off: true, early: false, historyMs: 0, handlersMs: 0, fillMs: 0 };
    return {
      off: false,
      early: rnd() < TIMING.early,
      historyMs: between(TIMING.historyMin, TIMING.historyMax),
      handlersMs: rnd() * TIMING.handlersMax,
      fillMs: between(TIMING.fillMin, TIMING.fillMax)
    };
  }

  // Unsent drafts live in the profile, per chat, as on the real page.
  var LS_DRAFTS = 'WADrafts';
  function draftGet(phone) {
    if (TIMING.off) return '';
    try { return JSON.parse(localStorage.getItem(LS_DRAFTS) || '{}')[phone] || ''; } catch (e) { return ''; }
  }
  function draftSet(phone, text) {
    if (TIMING.off) return;
    var all;
    try { all = JSON.parse(localStorage.getItem(LS_DRAFTS) || '{}'); } catch (e) { all = {}; }
    if ((all[phone] || '') === text) return;
    if (text.trim() === '') delete all[phone]; else all[phone] = text;
    localStorage.setItem(LS_DRAFTS, JSON.stringify(all));
  }

  // ---- chat view --------------------------------------------------------------

  // openChatView shows a chat. With the timings on, either the footer comes
  // first with a compose box whose handlers are not wired yet (native
  // editing, the microphone stays until the next input event after wiring),
  // or the footer comes wired after the history; the history renders after
  // its delay; text= is filled late, after the wiring, replacing the box.
  async function openChatView(phone, text, displayName) {
    var tm = chatTiming();
    var name = displayName || '+' + phone;
    var list = h('div', { role: 'application', tabindex: '-1', 'aria-label': 'Message list. Press right arrow key on a message to open message context menu.', c: 'msg-list' });
    var scroller = h('div', { c: 'scroller', tabindex: '0' }, wrap(1, list, 'ml'));
    var editor = h('div', { contenteditable: 'true', role: 'textbox', spellcheck: 'true', 'aria-label': 'Type a message', 'aria-placeholder': 'Type a message', 'aria-multiline': 'true', 'data-tab': '10', 'data-lexical-editor': 'true', c: 'compose', tabindex: '10', style: 'max-height: 11.76em; min-height: 1.47em; user-select: text; white-space: pre-wrap; word-break: break-word;' });
    var btnSlot = h('div', { c: 'btn-slot' });
    var attSlot = h('div', { c: 'f-att' });
    var footer = h('footer', { c: 'footer' },
      h('div', { c: 'f-row' },
        attSlot,
        h('div', { c: 'f-edit' }, wrap(2, editor, 'ce')),
        btnSlot));
    var header = h('header', { c: 'chat-head' },
      h('div', { c: 'ch-av', title: 'Profile details', role: 'button' }, icon('default-user')),
      h('div', { c: 'ch-info', role: 'button' },
        wrap(1, h('span', { dir: 'auto', title: name, c: 'ch-name' }, name), 'cn'),
        h('div', { c: 'ch-sub' }, h('span', { title: 'click here for contact info', c: 'ch-sub-t' }, 'click here for contact info'))),
      h('div', { c: 'ch-icons' }, h('div', { role: 'button', 'aria-label': 'Search', c: 'ib' }, icon('search-alt')), h('div', { role: 'button', 'aria-label': 'Menu', c: 'ib' }, icon('menu'))));
    var footerHost = wrap(1, footer, 'fw');
    var main = h('div', { id: 'main', c: 'main' }, header, h('div', { c: 'conv' }, scroller));
    while (mainHost.firstChild) mainHost.removeChild(mainHost.firstChild);
    mainHost.appendChild(main);
    var chat = openChat = { phone: phone, rows: new Map(), list: list, scroller: scroller, editor: editor, btnSlot: btnSlot, btnIsSend: null, wired: false, history: false, main: main };
    attSlot.appendChild(attachButton(chat));
    var opened = Date.now();
    var draft = draftGet(phone);
    var wire = function (initial) {
      attachEditor(editor, function () { updateSendButton(); draftSet(phone, editor.__getText()); }, sendFromEditor, initial);
      chat.wired = true;
    };
    if (tm.off) {
      main.appendChild(footerHost);
      wire('');
      updateSendButton();
    } else if (tm.early) {
      // In the DOM, not wired: the browser edits the box natively.
      paintText(editor, draft);
      main.appendChild(footerHost);
      updateSendButton();
    }
    var hist = api('GET', '/wa/poll?tab=' + TAB + '&chat=' + phone).catch(function () { return null; });
    if (tm.historyMs > 0) await sleep(tm.historyMs);
    var r = await hist;
    if (openChat !== chat) return;
    chat.history = true;
    if (r && r.ok) await applyPoll(r.data);
    if (openChat !== chat) return;
    if (!tm.off) {
      if (tm.handlersMs > 0) await sleep(tm.handlersMs);
      if (openChat !== chat) return;
      if (tm.early) {
        // Wired now: the text stays, the button waits for an input event.
        wire(domText(editor));
      } else {
        main.appendChild(footerHost);
        wire(draft);
        updateSendButton();
      }
    }
    if (text) {
      var left = opened + tm.fillMs - Date.now();
      if (left > 0) await sleep(left);
      if (openChat !== chat) return;
      editor.__setText(text);
    }
    editor.focus();
    editor.__caretToEnd();
  }

  // paintText renders text as the editor does: one <p> per line.
  function paintText(el, text) {
    while (el.firstChild) el.removeChild(el.firstChild);
    if (text === '') {
      el.appendChild(h('p', { cls: 'selectable-text copyable-text', c: 'cp', dir: 'ltr' }, h('br')));
      return;
    }
    text.split('\n').forEach(function (line) {
      var p = h('p', { cls: 'selectable-text copyable-text', c: 'cp', dir: 'ltr' });
      if (line === '') p.appendChild(h('br'));
      else p.appendChild(h('span', { cls: 'selectable-text copyable-text', 'data-lexical-text': 'true' }, line));
      el.appendChild(p);
    });
  }

  // domText reads what the browser left in a box it edited natively: block
  // children are lines, a <br> breaks a line unless it ends its block (a
  // placeholder), no-break spaces are spaces.
  function domText(el) {
    var lines = [];
    var run = null;
    function flush() {
      if (!run) return;
      if (run.length && run[run.length - 1] === null) run.pop();
      lines.push(run.map(function (x) { return x === null ? '\n' : x; }).join(''));
      run = null;
    }
    function inline(n) {
      if (n.nodeType === 3) { run = run || []; run.push(n.data); return; }
      if (n.nodeType !== 1) return;
      if (n.tagName === 'BR') { run = run || []; run.push(null); return; }
      if (n.tagName === 'IMG') { run = run || []; run.push(n.getAttribute('data-plain-text') || n.alt || ''); return; }
      if (n.tagName === 'P' || n.tagName === 'DIV') { flush(); run = []; n.childNodes.forEach(inline); flush(); return; }
      n.childNodes.forEach(inline);
    }
    el.childNodes.forEach(inline);
    flush();
    return lines.join('\n').replace(/\u00a0/g, ' ');
  }

  function updateSendButton() {
    if (!openChat) return;
    var hasText = openChat.wired && openChat.editor.__getText().trim() !== '';
    if (hasText === openChat.btnIsSend) return;
    openChat.btnIsSend = hasText;
    var slot = openChat.btnSlot;
    while (slot.firstChild) slot.removeChild(slot.firstChild);
    if (hasText) {
      var b = h('button', { 'aria-label': 'Send', c: 'send-btn', 'data-tab': '11' }, h('span', { 'aria-hidden': 'true', 'data-icon': BOOT.sendIcon || 'send', c: 'send-i' }, icon('send-svg')));
      b.addEventListener('click', sendFromEditor);
      slot.appendChild(b);
    } else {
      slot.appendChild(h('button', { 'aria-label': 'Voice message', c: 'ptt-btn', 'data-tab': '11' }, h('span', { 'aria-hidden': 'true', 'data-icon': 'mic-outlined' })));
    }
  }

  function sendFromEditor() {
    if (!openChat || conflict || conflictClosed || modalOpen || openChat.media) return;
    var editor = openChat.editor;
    var text = editor.__getText();
    if (text.trim() === '') return;
    var id = '3EB0' + hex(16);
    var msg = { id: id, fromMe: true, text: text, time: Date.now(), ack: 0 };
    pendingAdd(openChat.phone, msg);
    editor.__setText('');
    updateSendButton();
    addRow(msg);
    scrollDown();
    sendToServer(openChat.phone, msg);
  }

  async function sendToServer(phone, msg) {
    for (var attempt = 0; attempt < 30 && !stopped; attempt++) {
      try {
        var r = await api('POST', '/wa/send', { tab: TAB, id: msg.id, phone: phone, text: msg.text });
        if (r.status === 401) { await logOutLocally(); return; }
        return; // accepted, held or dropped: the acks tell which
      } catch (e) { await sleep(1000); }
    }
  }

  function hex(n) {
    var a = new Uint8Array(n), s = '';
    crypto.getRandomValues(a);
    for (var i = 0; i < n; i++) s += '0123456789ABCDEF'[a[i] % 16];
    return s;
  }

  // Messages still on the clock live in the profile, as on the real page.
  function pendingAll() {
    try { return JSON.parse(localStorage.getItem(LS_PENDING) || '{}'); } catch (e) { return {}; }
  }
  function pendingAdd(phone, msg) {
    var all = pendingAll();
    (all[phone] = all[phone] || []).push({ id: msg.id, text: msg.text, time: msg.time, media: msg.media || '', fileName: msg.fileName || '', size: msg.size || 0, mime: msg.mime || '' });
    localStorage.setItem(LS_PENDING, JSON.stringify(all));
  }
  function pendingSettle(phone, known) {
    var all = pendingAll();
    if (!all[phone]) return [];
    all[phone] = all[phone].filter(function (m) { return !known.has(m.id); });
    localStorage.setItem(LS_PENDING, JSON.stringify(all));
    return all[phone];
  }

  function renderMessages(msgs) {
    var known = new Set();
    var grew = false;
    msgs.forEach(function (m) {
      known.add(m.id);
      if (!openChat.rows.has(m.id)) { addRow(m); grew = true; } else setAck(openChat.rows.get(m.id), m);
    });
    pendingSettle(openChat.phone, known).forEach(function (m) {
      if (!openChat.rows.has(m.id)) { addRow({ id: m.id, fromMe: true, text: m.text, time: m.time, ack: 0, media: m.media, fileName: m.fileName, size: m.size, mime: m.mime }); grew = true; }
    });
    if (grew) scrollDown();
  }

  function scrollDown() { openChat.scroller.scrollTop = openChat.scroller.scrollHeight; }

  var ACKS = [
    ['msg-time', ' Pending '],
    ['msg-check', ' Sent '],
    ['msg-dblcheck', ' Delivered '],
    ['msg-dblcheck', ' Read ']
  ];

  function setAck(row, m) {
    if (!m.fromMe || row.__ack === m.ack) return;
    row.__ack = m.ack;
    var slot = row.__ackSlot;
    while (slot.firstChild) slot.removeChild(slot.firstChild);
    var a = ACKS[m.ack] || ACKS[0];
    var ic = icon(a[0], a[1]);
    if (m.ack === 3) ic.setAttribute('style', 'color: #53bdeb');
    slot.appendChild(ic);
  }

  // Emoji are images with the character in alt, as on the real page.
  var EMOJI = /\p{Extended_Pictographic}/u;
  var segmenter = typeof Intl !== 'undefined' && Intl.Segmenter ? new Intl.Segmenter('en', { granularity: 'grapheme' }) : null;
  function richText(text) {
    var span = h('span', {});
    var parts = segmenter ? Array.from(segmenter.segment(text), function (s) { return s.segment; }) : Array.from(text);
    var buf = '';
    parts.forEach(function (g) {
      if (EMOJI.test(g)) {
        if (buf) { span.appendChild(document.createTextNode(buf)); buf = ''; }
        span.appendChild(h('img', { crossorigin: 'anonymous', src: emojiSrc(g), alt: g, draggable: 'false', cls: 'emoji wa selectable-text copyable-text', c: 'emj', 'data-plain-text': g }));
      } else buf += g;
    });
    if (buf) span.appendChild(document.createTextNode(buf));
    return span;
  }

  // Long messages are cut with a "Read more" button when the simulator is
  // configured to (BOOT.readMoreAfter characters).
  function bubbleText(text) {
    var limit = BOOT.readMoreAfter || 0;
    var chars = Array.from(text);
    if (!limit || chars.length <= limit) return richText(text);
    var box = h('span', {}, richText(chars.slice(0, limit).join('') + '...'));
    var more = h('div', { role: 'button', tabindex: '0', cls: 'read-more-button', c: 'rm' }, 'Read more');
    more.addEventListener('click', function () {
      while (box.firstChild) box.removeChild(box.firstChild);
      box.appendChild(richText(text));
    });
    box.appendChild(more);
    return box;
  }

  function emojiSrc(g) {
    var svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 20 20"><text x="0" y="16" font-size="16">' + g + '</text></svg>';
    return 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(svg);
  }

  function addRow(m) {
    var jid = m.fromMe ? 'true_' : 'false_';
    var dataId = jid + openChat.phone + '@c.us_' + m.id;
    var ackSlot = h('div', { c: 'ack-slot' });
    var pre = '[' + fmtTime(m.time) + ', ' + fmtDate(m.time) + '] ' + (m.fromMe ? 'You' : '+' + openChat.phone) + ': ';
    var textBox = !m.media || m.text ? h('div', { cls: 'copyable-text', c: 'ct', 'data-pre-plain-text': pre },
      h('div', { c: 'tx' }, h('span', { dir: 'ltr', cls: 'selectable-text copyable-text', c: 'st', style: 'min-height: 0px;' }, bubbleText(m.text)))) : null;
    var bubble = h('div', { c: 'bubble' },
      m.media ? mediaBox(m) : null,
      textBox,
      h('div', { c: 'meta' }, h('span', { dir: 'auto', c: 'mt' }, fmtTime(m.time)), m.fromMe ? ackSlot : null));
    var inner = h('div', { cls: (m.fromMe ? 'message-out' : 'message-in') + ' focusable-list-item', c: 'mrow', tabindex: '-1' },
      h('span', { c: 'tail' }), wrap(2, bubble, 'bb'));
    var row = h('div', { role: 'row' }, h('div', { tabindex: '-1', c: 'dr', 'data-id': dataId }, inner));
    row.__ackSlot = ackSlot;
    row.__ack = null;
    if (m.fromMe) setAck(row, m);
    openChat.rows.set(m.id, row);
    openChat.list.appendChild(row);
  }

  // ---- attachments (whatsapp-web-surface.md 4b) -------------------------------
  //
  // The attach button (its icon and labels differ between builds), a menu
  // whose hidden file inputs exist only while it is open, the media editor
  // that covers the chat (preview, thumbnails, per-file captions, its own
  // send button), the 16 MB limit for photos and videos, and one outgoing
  // row per file. The page uploads each file's bytes to its server, which
  // hashes them for the ledger. With the timings on, the menu opens late,
  // its inputs attach late, the editor renders late and its caption box is
  // wired (and its send button shown) late: text typed into the caption box
  // before then is lost when the box is wired.

  var MEDIA_LIMIT = 16 * 1024 * 1024;
  var MEDIA_ACCEPT = 'image/*,video/mp4,video/3gpp,video/quicktime';
  var VIDEO_TYPES = /^video\/(mp4|3gpp|quicktime)$/;
  // A separate generator, so the compose timings draw what they always drew.
  var arnd = (function (a) {
    return function () {
      a = (a + 0x6D2B79F5) | 0;
      var t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  })(((TIMING.seed || 1) ^ 0x9e3779b9) | 0);
  function attachDelay(max) {
    if (TIMING.off || !max) return 0;
    var u = arnd();
    return max * u * u;
  }

  var ATTACH_BUILDS = [
    { tag: 'button', label: true, title: true, icon: 'plus-rounded' },
    { tag: 'div', label: false, title: true, icon: 'plus' },
    { tag: 'button', label: true, title: false, icon: 'attach-menu-plus' },
    { tag: 'div', label: true, title: true, icon: 'clip' }
  ];

  function attachButton(chat) {
    var b = ATTACH_BUILDS[TIMING.off ? 0 : Math.floor(arnd() * ATTACH_BUILDS.length)];
    var attrs = { c: 'ib', tabindex: '0' };
    if (b.tag === 'div') attrs.role = 'button';
    if (b.label) attrs['aria-label'] = 'Attach';
    if (b.title) attrs.title = 'Attach';
    var btn = h(b.tag, attrs, h('span', { 'aria-hidden': 'true', 'data-icon': b.icon, c: 'att-i' }, icon(b.icon + '-svg')));
    btn.addEventListener('click', function (e) { e.stopPropagation(); onAttach(chat, btn); });
    return btn;
  }

  // onAttach opens (or closes) the menu. Before the chat's handlers are
  // wired the button does nothing; a second click while the menu is coming
  // cancels it, as a toggle does.
  function onAttach(chat, btn) {
    if (openChat !== chat || !chat.wired || chat.media) return;
    if (chat.menu) { closeAttachMenu(chat); return; }
    if (chat.menuComing) { clearTimeout(chat.menuComing); chat.menuComing = 0; return; }
    chat.menuComing = setTimeout(function () {
      chat.menuComing = 0;
      if (openChat === chat && !chat.media) showAttachMenu(chat, btn);
    }, attachDelay(TIMING.attachMax));
  }

  function closeAttachMenu(chat) {
    if (!chat.menu) return;
    chat.menu.remove();
    chat.menu = null;
    if (chat.menuCloser) document.removeEventListener('click', chat.menuCloser, true);
    chat.menuCloser = null;
  }

  function showAttachMenu(chat, btn) {
    var items = [
      ['Document', 'document-filled-refreshed', '*', 'document'],
      ['Photos & videos', 'media-filled-refreshed', MEDIA_ACCEPT, 'media'],
      ['Camera', 'camera-filled', null],
      ['Audio', 'headphones-filled', null],
      ['Contact', 'person-filled', null],
      ['Poll', 'poll-filled', null]
    ];
    var ul = h('ul', { c: 'menu-ul' });
    var withInputs = [];
    items.forEach(function (it) {
      var li = h('li', { role: 'button', tabindex: '0', c: 'menu-item', 'data-animate-dropdown-item': 'true' },
        h('div', { c: 'mi-in' }, icon(it[1]), h('span', { c: 'mi-t' }, it[0])));
      if (it[2]) {
        li.__accept = it[2];
        li.__kind = it[3];
        withInputs.push(li);
        li.addEventListener('click', function () { if (li.__input) li.__input.click(); });
      }
      ul.appendChild(li);
    });
    var menu = h('div', { role: 'application', c: 'att-menu' }, ul);
    chat.menu = menu;
    btn.parentNode.appendChild(menu);
    chat.menuCloser = function (ev) {
      if (!menu.contains(ev.target) && !btn.contains(ev.target)) closeAttachMenu(chat);
    };
    document.addEventListener('click', chat.menuCloser, true);
    // The items' hidden inputs attach a moment after the menu shows.
    setTimeout(function () {
      if (chat.menu !== menu) return;
      withInputs.forEach(function (li) {
        var input = h('input', { type: 'file', accept: li.__accept, multiple: '', style: 'display: none;' });
        input.addEventListener('change', function () { onFiles(chat, li.__kind, Array.prototype.slice.call(input.files || [])); });
        li.appendChild(input);
        li.__input = input;
      });
    }, attachDelay(TIMING.attachMax));
  }

  function kindOf(input, f) {
    if (input === 'document') return 'document';
    if (/^image\//.test(f.type)) return 'photo';
    if (VIDEO_TYPES.test(f.type)) return 'video';
    return 'document'; // a format the page does not play goes as a document
  }

  function toast(text) {
    var t = h('span', { role: 'alert', c: 'toast' }, text);
    app.appendChild(t);
    setTimeout(function () { t.remove(); }, 4000);
  }

  function onFiles(chat, input, files) {
    closeAttachMenu(chat);
    if (openChat !== chat || !files.length) return;
    if (input === 'media') {
      var ok = files.filter(function (f) { return !(f.size > MEDIA_LIMIT && /^(image|video|audio)\//.test(f.type)); });
      if (ok.length < files.length) toast('The file you tried adding is larger than the 16 MB limit.');
      files = ok;
      if (!files.length) return;
    }
    var items = files.map(function (f) { return { file: f, kind: kindOf(input, f), caption: '', url: URL.createObjectURL(f) }; });
    chat.media = { items: items, cur: 0 }; // the chat is blocked from now on
    setTimeout(function () { if (openChat === chat && chat.media && !chat.media.root) openMediaEditor(chat); }, attachDelay(TIMING.editorMax));
  }

  function fmtSize(n) {
    if (n < 1024) return n + ' B';
    if (n < 1024 * 1024) return Math.round(n / 1024) + ' kB';
    return (n / 1024 / 1024).toFixed(1) + ' MB';
  }
  function extOf(name) { var m = /\.([A-Za-z0-9]{1,8})$/.exec(name || ''); return m ? m[1].toUpperCase() : 'FILE'; }

  function docIcon(name) {
    var ext = extOf(name).toLowerCase();
    return ['pdf', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'txt'].indexOf(ext) >= 0 ? 'document-' + ext + '-icon' : 'document-generic-icon';
  }

  function openMediaEditor(chat) {
    var ed = chat.media;
    var items = ed.items;
    var preview = h('div', { c: 'me-preview' });
    var caption = h('div', { contenteditable: 'true', role: 'textbox', spellcheck: 'true', 'aria-label': 'Add a caption', 'aria-placeholder': 'Add a caption', 'aria-multiline': 'true', 'data-lexical-editor': 'true', c: 'me-caption', tabindex: '0', style: 'user-select: text; white-space: pre-wrap; word-break: break-word;' });
    paintText(caption, '');
    var sendSlot = h('div', { c: 'me-send-slot' });
    var close = h('div', { role: 'button', tabindex: '0', 'aria-label': 'Close', c: 'ib' }, icon('x'));
    close.addEventListener('click', function () { closeMediaEditor(chat); });
    var title = h('div', { c: 'me-title' });
    var strip = null;
    if (items.length > 1) {
      strip = h('div', { c: 'me-strip', role: 'list', 'aria-label': 'Media list' });
      items.forEach(function (it, i) {
        var th = h('div', { role: 'button', tabindex: '0', 'aria-label': 'Select ' + it.file.name, c: 'me-thumb' },
          it.kind === 'photo' ? h('img', { src: it.url, alt: '', c: 'me-thumb-img', style: 'max-width:100%;max-height:100%' }) : icon(it.kind === 'video' ? 'media-play' : docIcon(it.file.name)));
        th.addEventListener('click', function () { select(i); });
        it.thumb = th;
        strip.appendChild(h('div', { role: 'listitem' }, th));
      });
    }
    var root = h('div', { c: 'media-editor', tabindex: '-1' },
      h('div', { c: 'me-head' }, close, title),
      preview,
      wrap(1, h('div', { c: 'me-cap' }, wrap(1, caption, 'mc')), 'mcw'),
      strip,
      h('div', { c: 'me-foot' }, sendSlot));
    ed.root = root;
    ed.caption = caption;
    function show() {
      var it = items[ed.cur];
      while (preview.firstChild) preview.removeChild(preview.firstChild);
      title.textContent = it.file.name;
      if (it.kind === 'photo') preview.appendChild(h('img', { src: it.url, alt: '', c: 'me-img' }));
      else if (it.kind === 'video') preview.appendChild(h('video', { src: it.url, controls: '', c: 'me-img' }));
      else preview.appendChild(h('div', { c: 'me-doc' }, icon(docIcon(it.file.name)), h('div', { c: 'me-doc-n' }, it.file.name), h('div', { c: 'm-doc-meta' }, fmtSize(it.file.size) + ' - ' + extOf(it.file.name))));
      items.forEach(function (x, i) { if (x.thumb) x.thumb.classList.toggle(gc('me-thumb-on').split(' ')[0], i === ed.cur); });
    }
    function select(i) {
      if (ed.wired) items[ed.cur].caption = caption.__getText();
      ed.cur = i;
      if (ed.wired) caption.__setText(items[i].caption);
      show();
    }
    show();
    chat.main.appendChild(root);
    // Wired later: the caption box keeps the file's caption from then on
    // (anything typed before is dropped), and the send button shows.
    setTimeout(function () {
      if (chat.media !== ed) return;
      attachEditor(caption, function () { items[ed.cur].caption = caption.__getText(); }, function () { sendMedia(chat, ed); }, items[ed.cur].caption);
      ed.wired = true;
      var send = h('div', { role: 'button', tabindex: '0', 'aria-label': 'Send', c: 'me-send' }, h('span', { 'aria-hidden': 'true', 'data-icon': BOOT.sendIcon || 'send', c: 'send-i' }, icon('send-svg')));
      send.addEventListener('click', function () { sendMedia(chat, ed); });
      sendSlot.appendChild(send);
    }, attachDelay(TIMING.attachMax));
    caption.focus();
  }

  function closeMediaEditor(chat) {
    var ed = chat.media;
    if (!ed) return;
    if (ed.root) ed.root.remove();
    chat.media = null;
  }

  // sendMedia sends one message per file, each with its own caption.
  function sendMedia(chat, ed) {
    if (chat.media !== ed || !ed.wired || conflict || conflictClosed) return;
    ed.items[ed.cur].caption = ed.caption.__getText();
    closeMediaEditor(chat);
    ed.items.forEach(function (it) {
      var msg = { id: '3EB0' + hex(16), fromMe: true, text: it.caption, time: Date.now(), ack: 0, media: it.kind, fileName: it.file.name, size: it.file.size, mime: it.file.type, url: it.url };
      pendingAdd(chat.phone, msg);
      if (openChat === chat) addRow(msg);
      uploadToServer(chat.phone, msg, it.file);
    });
    if (openChat === chat) scrollDown();
  }

  async function uploadToServer(phone, msg, file) {
    for (var attempt = 0; attempt < 30 && !stopped; attempt++) {
      try {
        var fd = new FormData();
        fd.append('meta', JSON.stringify({ tab: TAB, id: msg.id, phone: phone, kind: msg.media, name: msg.fileName, caption: msg.text, mime: msg.mime }));
        fd.append('file', file, msg.fileName);
        var r = await fetch('/wa/media', { method: 'POST', headers: token ? { 'X-Wa-Session': token } : {}, body: fd });
        if (r.status === 401) { await logOutLocally(); return; }
        return;
      } catch (e) { await sleep(1000); }
    }
  }

  // mediaBox renders a file in a bubble: a photo (img, blob: src), a video
  // (play icon) or a document (icon, name, size).
  function mediaBox(m) {
    if (m.media === 'document') {
      return h('div', { role: 'button', tabindex: '0', title: 'Download "' + m.fileName + '"', c: 'm-doc' },
        icon(docIcon(m.fileName)),
        h('div', { c: 'm-doc-b' },
          h('div', { c: 'm-doc-n' }, h('span', { dir: 'auto', title: m.fileName, c: 'm-doc-nt' }, m.fileName)),
          h('div', { c: 'm-doc-meta' }, h('span', { c: 'm-doc-x' }, extOf(m.fileName)), ' • ', h('span', { title: fmtSize(m.size || 0) }, fmtSize(m.size || 0)))));
    }
    var img = m.media === 'video' ? h('video', { preload: 'metadata', c: 'm-img' }) : h('img', { alt: '', draggable: 'false', c: 'm-img', style: 'visibility: visible;' });
    var box = h('div', { role: 'button', tabindex: '0', 'aria-label': m.media === 'video' ? 'Play video' : 'Open picture', c: 'm-media' }, img);
    if (m.media === 'video') box.appendChild(h('span', { c: 'm-play' }, icon('media-play')));
    if (m.url) img.src = m.url;
    else mediaURL(m.id).then(function (u) { if (u) img.src = u; });
    return box;
  }

  // mediaURL fetches a sent file from the server into a blob: URL, as the
  // real page does from its cache.
  async function mediaURL(id) {
    try {
      var r = await fetch('/wa/media/' + encodeURIComponent(id), { headers: token ? { 'X-Wa-Session': token } : {} });
      if (!r.ok) return null;
      var b = await r.blob();
      return URL.createObjectURL(b);
    } catch (e) { return null; }
  }

  // ---- the compose box: a small Lexical-like editor ---------------------------
  //
  // The text lives in a model string; every edit arrives as a beforeinput
  // event (typing, CDP Input.insertText, paste, Shift+Enter, deletions) and is
  // applied to the model, which is then rendered as one <p> per line.

  function attachEditor(el, onChange, onEnter, initial) {
    var model = initial || '';
    var selfInput = false;

    function render(caret) {
      while (el.firstChild) el.removeChild(el.firstChild);
      var lines = model.split('\n');
      if (model === '') {
        el.appendChild(h('p', { cls: 'selectable-text copyable-text', c: 'cp', dir: 'ltr' }, h('br')));
      } else {
        lines.forEach(function (line) {
          var p = h('p', { cls: 'selectable-text copyable-text', c: 'cp', dir: 'ltr' });
          if (line === '') p.appendChild(h('br'));
          else p.appendChild(h('span', { cls: 'selectable-text copyable-text', 'data-lexical-text': 'true' }, line));
          el.appendChild(p);
        });
      }
      if (caret != null) setCaret(caret);
    }

    function lineStarts() {
      var starts = [], off = 0;
      model.split('\n').forEach(function (l) { starts.push(off); off += l.length + 1; });
      return starts;
    }

    // domOffset maps a DOM position inside the editor to a model offset.
    function domOffset(node, offset) {
      var ps = Array.prototype.slice.call(el.children);
      var starts = lineStarts();
      if (node === el) {
        if (offset >= ps.length) return model.length;
        return starts[offset] || 0;
      }
      var p = node;
      while (p && p.parentNode !== el) p = p.parentNode;
      if (!p) return model.length;
      var i = ps.indexOf(p);
      if (i < 0 || i >= starts.length) return model.length;
      var r = document.createRange();
      r.setStart(p, 0);
      try { r.setEnd(node, offset); } catch (e) { return starts[i]; }
      return starts[i] + r.toString().length;
    }

    function selection() {
      var s = window.getSelection();
      if (!s.rangeCount || !el.contains(s.anchorNode)) return [model.length, model.length];
      var a = domOffset(s.anchorNode, s.anchorOffset), b = domOffset(s.focusNode, s.focusOffset);
      return a <= b ? [a, b] : [b, a];
    }

    function setCaret(off) {
      var starts = lineStarts();
      var i = starts.length - 1;
      while (i > 0 && starts[i] > off) i--;
      var p = el.children[i];
      if (!p) return;
      var col = off - starts[i];
      var r = document.createRange();
      var span = p.querySelector('span');
      if (span && span.firstChild) r.setStart(span.firstChild, Math.min(col, span.firstChild.length));
      else r.setStart(p, 0);
      r.collapse(true);
      var s = window.getSelection();
      if (document.activeElement !== el && !el.contains(document.activeElement)) return;
      s.removeAllRanges();
      s.addRange(r);
    }

    function replace(a, b, text) {
      model = model.slice(0, a) + text + model.slice(b);
      render(a + text.length);
      selfInput = true;
      el.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: text }));
      selfInput = false;
      onChange();
    }

    function prevBoundary(off) {
      if (off <= 0) return 0;
      if (segmenter) {
        var last = 0;
        for (var s of segmenter.segment(model.slice(0, off))) last = s.index;
        return last;
      }
      var c = model.charCodeAt(off - 1);
      return (c >= 0xdc00 && c <= 0xdfff && off >= 2) ? off - 2 : off - 1;
    }
    function nextBoundary(off) {
      if (off >= model.length) return model.length;
      if (segmenter) {
        for (var s of segmenter.segment(model.slice(off))) return off + s.segment.length;
      }
      var c = model.charCodeAt(off);
      return (c >= 0xd800 && c <= 0xdbff) ? off + 2 : off + 1;
    }

    el.addEventListener('beforeinput', function (e) {
      var t = e.inputType;
      if (t === 'insertCompositionText') return; // let the IME work; input syncs
      e.preventDefault();
      var sel = selection(), a = sel[0], b = sel[1];
      var data = e.data;
      if (data == null && e.dataTransfer) data = e.dataTransfer.getData('text/plain');
      switch (t) {
        case 'insertText':
        case 'insertReplacementText':
        case 'insertFromPaste':
        case 'insertFromDrop':
        case 'insertFromYank':
          replace(a, b, (data || '').replace(/\r\n?/g, '\n'));
          break;
        case 'insertParagraph':
        case 'insertLineBreak':
          replace(a, b, '\n');
          break;
        case 'deleteContentBackward':
        case 'deleteWordBackward':
        case 'deleteSoftLineBackward':
        case 'deleteHardLineBackward':
          if (a === b) a = prevBoundary(a);
          replace(a, b, '');
          break;
        case 'deleteContentForward':
        case 'deleteWordForward':
        case 'deleteSoftLineForward':
        case 'deleteHardLineForward':
          if (a === b) b = nextBoundary(b);
          replace(a, b, '');
          break;
        case 'deleteByCut':
        case 'deleteByDrag':
        case 'deleteContent':
          replace(a, b, '');
          break;
        default:
          break;
      }
    });

    // Anything that changed the DOM without a cancelable beforeinput (IME
    // composition, scripts) is read back into the model.
    el.addEventListener('input', function () {
      if (selfInput) return;
      var caret = selection()[1];
      var text = domText(el);
      // Any input event re-renders the footer, even one that changed nothing.
      if (text !== model) {
        model = text;
        render(Math.min(caret, model.length));
      }
      onChange();
    });

    el.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        onEnter();
      }
    });

    el.__getText = function () { return model; };
    el.__setText = function (t) { model = t; render(model.length); onChange(); };
    el.__caretToEnd = function () { setCaret(model.length); };
    render(document.activeElement === el ? model.length : null);
  }

  installStyles();
  boot();
})();
