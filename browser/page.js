// Sambad's in-page helper. Called as fn(S, op, a): S are the selectors from
// selectors.json, op the operation, a its argument. Everything the driver
// knows about the markup comes from S.
function (S, op, a) {
  'use strict';
  a = a || {};
  const hits = {};
  const norm = (s) => (s || '').replace(/[\s\u00a0]+/g, ' ').trim().toLowerCase();
  const all = (css, root) => {
    try { return (root || document).querySelectorAll(css); } catch (e) { return []; }
  };

  // find returns the first element of the first CSS fallback that matches
  // (and contains one of the texts, when the key has texts).
  function find(key, root) {
    const s = S[key];
    if (!s || !s.css) return null;
    const texts = (s.text || []).map(norm);
    for (let i = 0; i < s.css.length; i++) {
      for (const el of all(s.css[i], root)) {
        if (texts.length) {
          const t = norm(el.textContent);
          if (!texts.some((x) => (s.exact ? t === x : t.includes(x)))) continue;
        }
        hits[key] = i;
        return el;
      }
    }
    return null;
  }
  const attr = (key, el) => (el && S[key] && S[key].attr ? el.getAttribute(S[key].attr) || '' : '');
  const clickable = (el) => (el && !el.matches('button,[role="button"],a') ? el.closest('button,[role="button"],a') || el : el);

  // textOf reads text as the user sees it: emoji images give their alt;
  // paragraphs are lines; a <br> breaks a line unless it ends its paragraph
  // (the placeholder that keeps an empty line visible). skip is left out.
  function textOf(el, skip) {
    const lines = [];
    let run = null;
    const flush = () => {
      if (!run) return;
      if (run.length && run[run.length - 1] === null) run.pop();
      lines.push(run.map((x) => (x === null ? '\n' : x)).join(''));
      run = null;
    };
    const walk = (n) => {
      if (n.nodeType === 3) { (run = run || []).push(n.data); return; }
      if (n.nodeType !== 1 || n === skip) return;
      const tag = n.tagName;
      if (tag === 'IMG') { (run = run || []).push(n.getAttribute('data-plain-text') || n.alt || ''); return; }
      if (tag === 'BR') { (run = run || []).push(null); return; }
      if (tag === 'P' || tag === 'DIV') { flush(); run = []; n.childNodes.forEach(walk); flush(); return; }
      n.childNodes.forEach(walk);
    };
    el.childNodes.forEach(walk);
    flush();
    return lines.join('\n');
  }

  function ackOf(el) {
    if (find('ack_read', el)) return 3;
    if (find('ack_delivered', el)) return 2;
    if (find('ack_sent', el)) return 1;
    if (find('ack_pending', el)) return 0;
    return -1;
  }

  function rowOf(el) {
    const at = (S.msg_out && S.msg_out.attr) || 'data-id';
    const idEl = el.hasAttribute(at) ? el : el.closest('[' + at + ']') || el.querySelector('[' + at + ']');
    if (!idEl) return null;
    const t = find('msg_text', idEl);
    // A long message shows cut, with "Read more": its text is a prefix.
    const more = find('read_more', idEl);
    let text = textOf(t || idEl, more);
    if (more) text = text.replace(/\s*(\.\.\.|\u2026)\s*$/, '');
    return { id: idEl.getAttribute(at), text, cut: !!more, ack: ackOf(idEl), el: idEl };
  }

  // mediaOf tells what a row carries: "document", "video", "photo" or ""
  // (text). docName is the name a document row shows.
  function mediaOf(el) {
    if (find('msg_document', el)) return 'document';
    if (find('msg_video', el)) return 'video';
    if (find('msg_photo', el)) return 'photo';
    return '';
  }
  function docName(el) {
    const n = find('msg_document_name', el);
    return n ? attr('msg_document_name', n) || n.textContent || '' : '';
  }
  // fileRow completes a row with its media and document name; a file row
  // without a caption has no text.
  function fileRow(r) {
    r.media = mediaOf(r.el);
    r.name = r.media === 'document' ? docName(r.el) : '';
    if (r.media && !find('msg_text', r.el)) r.text = '';
    return r;
  }

  // rowHas tells whether row r shows text: the same text, or for a cut row
  // a non-empty start of it.
  function rowHas(r, text) {
    if (sameText(r.text, text)) return true;
    const shown = squash(r.text);
    return r.cut && shown.length > 0 && squash(text).startsWith(shown);
  }

  function outgoing() {
    const s = S.msg_out;
    const seen = new Set();
    const out = [];
    if (!s) return out;
    for (let i = 0; i < s.css.length; i++) {
      const els = all(s.css[i]);
      if (!els.length) continue;
      hits.msg_out = i;
      for (const el of els) {
        const r = rowOf(el);
        if (!r || seen.has(r.id)) continue;
        seen.add(r.id);
        out.push(r);
      }
      break;
    }
    return out;
  }

  function probe() {
    const r = { url: location.href, state: 'unknown', percent: 0, qr: '', qrExpired: false, linkCode: '', compose: false, invalid: false, offline: false, loggedOut: false };
    const pl = S.post_logout_url;
    r.loggedOut = !!(pl && (pl.text || []).some((t) => location.href.includes(t)));
    if (!find('app')) { r.state = 'blank'; return r; }
    if (find('conflict') && find('conflict_use_here')) { r.state = 'conflict'; return r; }
    const ready = find('ready');
    if (ready) {
      r.state = 'ready';
      r.offline = !!find('offline');
      r.compose = !!find('compose');
      r.invalid = !!find('invalid_modal');
      return r;
    }
    const code = find('link_code');
    const qr = find('qr');
    if (code || qr) {
      r.state = 'qr';
      r.linkCode = attr('link_code', code);
      r.qr = attr('qr', qr);
      r.qrExpired = !!find('qr_reload');
      if (r.qrExpired) r.qr = '';
      return r;
    }
    const prog = find('loading');
    if (prog) {
      r.state = 'loading';
      r.percent = Math.round(parseFloat(attr('loading', prog) || prog.value || '0')) || 0;
      return r;
    }
    return r;
  }

  // sameText compares texts as WhatsApp renders them: runs of white space
  // do not count, letter case does.
  const squash = (s) => (s || '').replace(/[\s\u00a0]+/g, ' ').trim();
  function sameText(x, y) { return squash(x) === squash(y); }
  // boxHolds tells whether the compose box shows exactly text: what is sent
  // is what the box holds, so only no-break spaces (the browser's own way of
  // keeping typed spaces) may differ.
  const exact = (s) => (s || '').replace(/\u00a0/g, ' ').replace(/\r\n?/g, '\n');
  function boxHolds(got, text) { return exact(got) === exact(text); }

  // composeState reads the footer: the box's text (null without a box), the
  // send button, the microphone an empty or unwired box shows instead.
  function composeState(p) {
    const box = find('compose');
    p.composeText = box ? textOf(box) : null;
    p.sendButton = !!(box && find('send_button'));
    p.mic = !!(box && find('voice_button'));
    return p;
  }

  // ours finds the message our click created: rows added after the click,
  // in order, that were not there before, preferring the expected text.
  function ours(w) {
    const added = (window.__sambadAdded || []).filter((id) => !w.known.includes(id));
    const rows = outgoing().filter((r) => !w.known.includes(r.id));
    const byId = new Map(rows.map((r) => [r.id, r]));
    const order = added.map((id) => byId.get(id)).filter(Boolean).concat(rows);
    // Only a new row with our text is ours: a row of another text (or one
    // the history rendered late) proves nothing.
    // A file (w.media) is ours only with its kind, caption and, for a
    // document, its name.
    const match = (x) => {
      if (!w.media) return w.text == null || rowHas(x, w.text);
      fileRow(x);
      return x.media === w.media && rowHas(x, w.text || '') && (!w.name || squash(x.name) === squash(w.name));
    };
    const r = w.text == null && !w.media ? order[0] : order.find(match);
    return r ? { id: r.id, text: r.text, ack: r.ack, media: r.media || '', name: r.name || '' } : null;
  }

  function check(c) {
    if (c.fresh && window.__sambadNav === c.fresh) return null;
    const p = probe();
    if (c.composeText != null) {
      const box = p.compose ? find('compose') : null;
      if (box && boxHolds(textOf(box), c.composeText)) return p;
      if (p.invalid || (c.states && c.states.includes(p.state))) return p;
      return null;
    }
    if (c.sendable) {
      // The box holds our text and the send button shows.
      composeState(p);
      if (p.composeText != null && p.sendButton && boxHolds(p.composeText, c.sendable.text)) return p;
      if (p.invalid || (c.states && c.states.includes(p.state))) return p;
      return null;
    }
    if (c.states && c.states.includes(p.state)) return p;
    if (c.loggedOut && p.loggedOut) return p;
    if (c.compose && p.compose) {
      if (c.prepare) p.prepared = prepare();
      return p;
    }
    if (c.invalid && p.invalid) return p;
    if (c.qrChange != null && p.state === 'qr' && (p.qr !== c.qrChange || p.linkCode)) return p;
    if (c.linkCode && p.linkCode) return p;
    if (c.ours) {
      const m = ours(c.ours);
      p.msg = m;
      if (m && m.ack >= c.ours.minAck) return p;
    }
    return null;
  }

  function wait(c, timeout) {
    return new Promise((resolve) => {
      let done = false;
      let queued = false;
      let obs = null;
      let iv = 0;
      let timer = 0;
      const finish = (p, timedOut) => {
        if (done) return;
        done = true;
        if (obs) obs.disconnect();
        clearInterval(iv);
        clearTimeout(timer);
        p.timedOut = !!timedOut;
        p.hits = hits;
        resolve(p);
      };
      const tick = () => { queued = false; const p = check(c); if (p) finish(p); };
      const first = check(c);
      if (first) { finish(first); return; }
      obs = new MutationObserver(() => { if (!queued) { queued = true; setTimeout(tick, 0); } });
      obs.observe(document.documentElement, { subtree: true, childList: true, attributes: true, characterData: true });
      iv = setInterval(tick, 100);
      let early = 0;
      if (c.ours && c.ours.rowWithin) {
        // No row of ours at all after rowWithin: answer now (noRow), the
        // driver looks at the box before deciding anything.
        early = setTimeout(() => {
          if (done || ours(c.ours)) return;
          const p = probe();
          p.noRow = true;
          finish(p, true);
        }, c.ours.rowWithin);
      }
      timer = setTimeout(() => {
        clearTimeout(early);
        const p = probe();
        if (c.ours) p.msg = ours(c.ours);
        if (c.sendable) composeState(p);
        finish(p, true);
      }, timeout);
    });
  }

  // prepare focuses the compose box and clears any draft left in it.
  function prepare() {
    const box = compose();
    if (!box) return { ok: false, reason: 'no compose box' };
    if (textOf(box).trim() !== '') {
      const sel = window.getSelection();
      sel.selectAllChildren(box);
      document.execCommand('delete');
    }
    caretToEnd(box);
    const left = textOf(box);
    return { ok: left.trim() === '', reason: left.trim() === '' ? '' : 'draft could not be cleared' };
  }

  // caretToEnd puts the caret where a click at the end of the box would:
  // inside its last paragraph, before a placeholder <br>, so text typed
  // before the page wires the box lands in that paragraph.
  function caretToEnd(box) {
    let n = box;
    while (n.lastChild && n.lastChild.nodeType === 1 && n.lastChild.tagName !== 'BR' && n.lastChild.tagName !== 'IMG') n = n.lastChild;
    const r = document.createRange();
    const last = n.lastChild;
    if (last && last.nodeType === 3) r.setStart(last, last.length);
    else if (last && last.nodeType === 1 && last.tagName === 'BR') r.setStartBefore(last);
    else r.selectNodeContents(n);
    r.collapse(false);
    const sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(r);
  }

  function compose() {
    const box = find('compose');
    if (box) box.focus();
    return box;
  }

  // watchAdded notes, in order, the rows added from now on (ours prefers them).
  function watchAdded() {
    window.__sambadAdded = [];
    if (window.__sambadObs) window.__sambadObs.disconnect();
    const at = (S.msg_out && S.msg_out.attr) || 'data-id';
    const obs = new MutationObserver((recs) => {
      for (const rec of recs) {
        for (const n of rec.addedNodes) {
          if (n.nodeType !== 1) continue;
          const els = n.hasAttribute(at) ? [n] : Array.from(n.querySelectorAll('[' + at + ']'));
          for (const e of els) window.__sambadAdded.push(e.getAttribute(at));
        }
      }
    });
    obs.observe(document.body, { subtree: true, childList: true });
    window.__sambadObs = obs;
  }

  // ---- attachments: the attach menu and the media editor ----
  // nearest finds the element of key closest to from, looking in from's
  // ancestors up to (not into) the one that holds the chat's compose box:
  // the editor's own send and Close, never the chat's.
  function nearest(key, from) {
    for (let n = from.parentElement; n && n !== document.documentElement; n = n.parentElement) {
      if (find('compose', n)) return null;
      const el = find(key, n);
      if (el) return el;
    }
    return null;
  }
  const inputKey = (kind) => (kind === 'document' ? 'attach_input_document' : 'attach_input_media');
  function mediaState(kind) {
    const p = probe();
    const cap = find('media_caption');
    p.editor = !!cap;
    p.caption = cap ? textOf(cap) : null;
    p.editorSend = !!(cap && nearest('media_send', cap));
    p.tooBig = !!find('media_too_big');
    p.attach = !!find('attach_button');
    p.menu = !!find('attach_menu');
    p.input = !!(kind && find(inputKey(kind)));
    return p;
  }
  function mediaWait(until, kind, timeout) {
    return new Promise((resolve) => {
      const start = Date.now();
      const check = () => {
        const p = mediaState(kind);
        const hit = p.tooBig || p.invalid || p.state !== 'ready' ||
          (until === 'input' && p.input) || (until === 'menu' && (p.menu || p.input)) ||
          (until === 'editor' && p.editor) || (until === 'editorSend' && p.editorSend) || (until === 'closed' && !p.editor);
        if (!hit && Date.now() - start < timeout) return false;
        p.timedOut = !hit;
        p.hits = hits;
        resolve(p);
        return true;
      };
      if (check()) return;
      const iv = setInterval(() => { if (check()) clearInterval(iv); }, 50);
    });
  }

  switch (op) {
    case 'mediaState': {
      const p = mediaState(a.kind);
      p.hits = hits;
      return p;
    }
    case 'mediaWait':
      return mediaWait(a.until, a.kind, a.timeout);
    case 'attachClick': {
      const b = clickable(find('attach_button'));
      if (!b) return { ok: false, reason: 'no attach button', hits };
      b.click();
      return { ok: true, hits };
    }
    case 'markInput': {
      // Tag the menu's input so the driver can set files on it.
      const el = find(inputKey(a.kind));
      if (!el) return { ok: false, reason: 'no file input', hits };
      el.setAttribute('data-sambad-file', a.token);
      return { ok: true, hits };
    }
    case 'captionPrepare': {
      const cap = find('media_caption');
      if (!cap) return { ok: false, reason: 'no caption box', hits };
      cap.focus();
      if (textOf(cap) !== '') {
        window.getSelection().selectAllChildren(cap);
        document.execCommand('delete');
      }
      caretToEnd(cap);
      const left = textOf(cap);
      return { ok: left.trim() === '', reason: left.trim() === '' ? '' : 'the caption box could not be cleared', hits };
    }
    case 'closeEditor': {
      const cap = find('media_caption');
      if (!cap) return { ok: true, reason: 'no editor', hits };
      const b = clickable(nearest('media_close', cap));
      if (!b) return { ok: false, reason: 'no Close button in the media editor', hits };
      b.click();
      return { ok: true, hits };
    }
    case 'sendMedia': {
      // As 'send' for the media editor: with a.known, a row of ours that
      // came meanwhile means an earlier click took; else check the caption,
      // note the rows, click the editor's send and wait for our row.
      const w = { known: a.known, text: a.caption, media: a.media, name: a.name };
      if (a.known) {
        const m = ours(w);
        if (m) return { ok: false, reason: 'already sent', msg: m, known: a.known, hits };
      }
      const cap = find('media_caption');
      if (!cap) return { ok: false, reason: 'the media editor is not open', hits };
      const got = textOf(cap);
      if (!boxHolds(got, a.caption)) return { ok: false, reason: 'the caption box holds other text than the caption', got, hits };
      const btn = clickable(nearest('media_send', cap));
      if (!btn) return { ok: false, reason: 'no send button in the media editor', hits };
      w.known = a.known || outgoing().map((r) => r.id);
      watchAdded();
      btn.click();
      if (!a.wait) return { ok: true, known: w.known, hits };
      w.minAck = a.wait.minAck;
      w.rowWithin = a.wait.rowWithin || 0;
      return wait({ ours: w }, a.wait.timeout).then((p) => {
        p.ok = true;
        p.known = w.known;
        return p;
      });
    }
    case 'probe': {
      const p = probe();
      p.hits = hits;
      return p;
    }
    case 'wait':
      return wait(a.cond, a.timeout);
    case 'prepare': {
      const r = prepare();
      r.hits = hits;
      return r;
    }
    case 'nudge': {
      // A harmless input event on the box, caret at its end: an app that
      // wired its handlers late re-renders the footer on it.
      const box = find('compose');
      if (!box) return { ok: false, reason: 'no compose box', hits };
      if (document.activeElement !== box && !box.contains(document.activeElement)) {
        box.focus();
        const sel = window.getSelection();
        sel.selectAllChildren(box);
        sel.collapseToEnd();
      }
      box.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: null }));
      return { ok: true, hits };
    }
    case 'send': {
      // Check the composed text, note the rows present, click send (or,
      // with a.enter, leave the focus in the box for the driver's Enter).
      // With a.known (a second try after an action that showed no row):
      // a row of ours that came meanwhile means the first action took.
      if (a.known) {
        const m = ours({ known: a.known, text: a.text });
        if (m) return { ok: false, reason: 'already sent', msg: m, known: a.known, hits };
      }
      const box = find('compose');
      if (!box) return { ok: false, reason: 'no compose box', hits };
      const got = textOf(box);
      if (a.text != null && !boxHolds(got, a.text)) return { ok: false, reason: 'compose box text differs from the message', got, hits };
      const known = a.known || outgoing().map((r) => r.id);
      const btn = a.enter ? null : clickable(find('send_button'));
      if (!btn && !a.enter) return { ok: false, reason: 'no send button', hits };
      watchAdded();
      if (a.enter) {
        box.focus();
        const sel = window.getSelection();
        sel.selectAllChildren(box);
        sel.collapseToEnd();
        return { ok: true, known, hits };
      }
      btn.click();
      if (a.wait) {
        // Wait for our bubble in the same call: one round trip less.
        return wait({ ours: { known, text: a.text, minAck: a.wait.minAck, rowWithin: a.wait.rowWithin || 0 } }, a.wait.timeout).then((p) => {
          p.ok = true;
          p.known = known;
          return p;
        });
      }
      return { ok: true, known, hits };
    }
    case 'outgoing': {
      // Expand cut messages first ("Read more" only changes the view).
      let clicked = 0;
      for (const r of outgoing()) {
        const more = r.cut ? clickable(find('read_more', r.el)) : null;
        if (more) { more.click(); clicked++; }
      }
      const read = () => ({ rows: outgoing().map((r) => fileRow(r)).map((r) => ({ id: r.id, text: r.text, ack: r.ack, media: r.media, name: r.name })), hits });
      if (!clicked) return read();
      return new Promise((resolve) => setTimeout(() => resolve(read()), 300));
    }
    case 'acks': {
      const res = {};
      for (const id of a.ids) {
        const el = document.querySelector('[' + ((S.msg_out && S.msg_out.attr) || 'data-id') + '="' + CSS.escape(id) + '"]');
        if (el) res[id] = ackOf(el);
      }
      return { acks: res, hits };
    }
    case 'click': {
      // Click the element of key a.key (inside a.within when given).
      const root = a.within ? find(a.within) : document;
      const el = root ? clickable(find(a.key, root)) : null;
      if (!el) return { ok: false, hits };
      el.click();
      return { ok: true, hits };
    }
    case 'focus': {
      const el = find(a.key);
      if (!el) return { ok: false, hits };
      el.focus();
      if (el.select) el.select();
      return { ok: true, hits };
    }
    case 'quiet': {
      // Resolve once no message row was added for a.ms, bounded by a.timeout.
      // While the chat shows no outgoing row at all its history may still be
      // loading: then wait at least a.emptyMs.
      return new Promise((resolve) => {
        let last = Date.now();
        const start = last;
        const obs = new MutationObserver(() => { last = Date.now(); });
        obs.observe(document.body, { subtree: true, childList: true });
        const iv = setInterval(() => {
          const now = Date.now();
          const settled = now - last >= a.ms && (!a.emptyMs || now - start >= a.emptyMs || outgoing().length > 0);
          if (settled || now - start >= a.timeout) {
            clearInterval(iv);
            obs.disconnect();
            resolve({ ok: settled, hits });
          }
        }, 25);
      });
    }
  }
  return { error: 'unknown op ' + op };
}
