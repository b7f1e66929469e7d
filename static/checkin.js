// SPDX-License-Identifier: AGPL-3.0-or-later
// The check-in page (/conferences/{slug}/checkin). Reads a badge's ticket
// from the camera (jsQR) or from a USB scanner typing into the field,
// verifies its Ed25519 signature in the browser (tweetnacl) against the
// conference's public keys and revoked serials, downloaded while online and
// kept in localStorage, so the door keeps working without a connection.
// Every scan gets a random nonce and waits in localStorage until the server
// has it: an upload repeated after a lost answer changes nothing there.
// A ticket of this conference is "LCT1." + base64url of: version 1, conference
// id (4 bytes), registration id (4), serial (4), key id (2), all big-endian,
// then the 64-byte signature of those 15 bytes (domain/conference/ticket.h).
(() => {
  const box = document.getElementById('checkin');
  if (!box) return;
  const slug = box.dataset.slug;
  const confId = Number(box.dataset.conference);
  const store = `lc-checkin:${slug}:`;
  const $ = (id) => document.getElementById(id);
  const text = (key) => box.getAttribute(`data-${key}`) || '';
  const fill = (tpl, vars) => tpl.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));

  const load = (k, dflt) => {
    try {
      const v = localStorage.getItem(store + k);
      return v ? JSON.parse(v) : dflt;
    } catch {
      return dflt;
    }
  };
  const save = (k, v) => localStorage.setItem(store + k, JSON.stringify(v));

  const randomId = () => {
    const b = new Uint8Array(18);
    crypto.getRandomValues(b);
    return btoa(String.fromCharCode(...b)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  };
  let device = localStorage.getItem('lc-checkin-device');
  if (!device) {
    device = `d-${randomId().slice(0, 12)}`;
    localStorage.setItem('lc-checkin-device', device);
  }

  const b64url = (s) => {
    if (!/^[A-Za-z0-9_-]*$/.test(s)) return null;
    const pad = s.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((s.length + 3) % 4);
    try {
      return Uint8Array.from(atob(pad), (c) => c.charCodeAt(0));
    } catch {
      return null;
    }
  };
  const be = (b, at, n) => {
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 256 + b[at + i];
    return v;
  };

  // What the device knows: the keys and revocations (bundle), scans waiting to
  // go (queue), and the registrations it has seen (seen: id -> first time).
  let bundle = load('bundle', null);
  let queue = load('queue', []);
  const seen = load('seen', {});

  function verify(ticket) {
    if (!bundle) return { reason: 'nokeys' };
    if (!ticket.startsWith('LCT1.')) return { reason: 'malformed' };
    const raw = b64url(ticket.slice(5));
    if (!raw || raw.length !== 79 || raw[0] !== 1) return { reason: 'malformed' };
    const t = {
      conference: be(raw, 1, 4),
      registration: be(raw, 5, 4),
      serial: be(raw, 9, 4),
      key: be(raw, 13, 2),
    };
    if (t.conference !== confId) return { reason: 'other_conference' };
    const key = bundle.keys.find((k) => k.key_id === t.key);
    if (!key) return { reason: 'unknown_key' };
    const pk = b64url(key.public_key);
    if (!pk || !window.nacl || !window.nacl.sign.detached.verify(raw.slice(0, 15), raw.slice(15), pk))
      return { reason: 'bad_signature' };
    if (bundle.revoked.includes(t.serial)) return { reason: 'revoked' };
    return { ok: true, ...t };
  }

  const result = $('checkin-result');
  function show(kind, message) {
    result.hidden = false;
    result.className = `notice ${kind}`;
    result.textContent = message;
  }
  const when = (iso) => new Date(iso).toLocaleString(document.documentElement.lang || undefined);

  function setPending() {
    $('checkin-pending').textContent = String(queue.length);
  }
  function setNet() {
    const on = navigator.onLine;
    const net = $('checkin-net');
    net.textContent = on ? text('online') : text('offline');
    net.className = on ? 'notice ok' : 'notice warn';
  }

  async function api(path, options = {}) {
    const res = await fetch(`/api/v1/conferences/${encodeURIComponent(slug)}/${path}`, {
      credentials: 'same-origin',
      cache: 'no-store',
      ...options,
      headers: { Accept: 'application/json', ...(options.headers || {}) },
    });
    if (!res.ok) throw new Error(String(res.status));
    return res.json();
  }

  async function refreshBundle() {
    try {
      bundle = await api('checkin-keys');
      save('bundle', bundle);
    } catch {
      // Offline: the stored bundle stays in use.
    }
    if (!bundle) show('warn', text('nokeys'));
  }

  async function refreshCounts() {
    try {
      const c = await api('checkins');
      $('count-checked-in').textContent = String(c.checked_in);
      $('count-scans').textContent = String(c.scans);
      $('count-repeated').textContent = String(c.repeated);
    } catch {
      // Offline: the counts wait for the next upload.
    }
  }

  let syncing = false;
  async function sync() {
    if (syncing || queue.length === 0 || !navigator.onLine) return null;
    syncing = true;
    const batch = queue.slice(0, 1000);
    try {
      const answer = await api('checkins', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': box.dataset.csrf },
        body: JSON.stringify({ scans: batch }),
      });
      const sent = new Set(batch.map((s) => s.nonce));
      queue = load('queue', []).filter((s) => !sent.has(s.nonce));
      save('queue', queue);
      setPending();
      refreshCounts();
      return answer.results;
    } catch {
      return null;
    } finally {
      syncing = false;
    }
  }

  async function scan(ticket) {
    ticket = ticket.trim();
    if (!ticket) return;
    const v = verify(ticket);
    if (!v.ok) {
      const reason = v.reason === 'nokeys' ? text('nokeys') : text(`reason-${v.reason}`);
      show('error', fill(text('refused'), { reason }));
      return;
    }
    const now = Math.floor(Date.now() / 1000);
    const entry = { ticket, device, nonce: randomId(), scanned_at: now };
    queue.push(entry);
    save('queue', queue);
    setPending();
    const who = fill(text('registration'), { id: v.registration });
    const first = seen[v.registration];
    if (!first) {
      seen[v.registration] = new Date(now * 1000).toISOString();
      save('seen', seen);
    }
    if (navigator.onLine) {
      const results = await sync();
      const mine = results && results.find((r) => r.nonce === entry.nonce);
      if (mine) {
        if (mine.status === 'already_checked_in')
          show('warn', `${who}: ${fill(text('already'), { time: when(mine.first_at) })}`);
        else if (mine.status === 'refused')
          show('error', fill(text('refused'), { reason: text(`reason-${mine.reason}`) }));
        else show('ok', `${who}: ${text('ok')}`);
        return;
      }
    }
    if (first) show('warn', `${who}: ${fill(text('local'), { time: when(first) })}`);
    else show('ok', `${who}: ${text('ok')}`);
  }

  const field = $('checkin-ticket');
  $('checkin-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const t = field.value;
    field.value = '';
    scan(t);
    field.focus();
  });
  $('checkin-sync').addEventListener('click', () => sync());

  // The camera: frames into a canvas, jsQR reads them; a ticket read is not
  // read again for a few seconds while it stays in front of the lens.
  const video = $('checkin-video');
  const canvas = $('checkin-canvas');
  const cameraButton = $('checkin-camera');
  let stream = null;
  let last = { text: '', at: 0 };
  function frame() {
    if (!stream) return;
    if (video.readyState >= 2 && window.jsQR) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      const ctx = canvas.getContext('2d', { willReadFrequently: true });
      ctx.drawImage(video, 0, 0);
      const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
      const code = window.jsQR(img.data, img.width, img.height, { inversionAttempts: 'dontInvert' });
      const now = Date.now();
      if (code && code.data && (code.data !== last.text || now - last.at > 4000)) {
        last = { text: code.data, at: now };
        scan(code.data);
      }
    }
    requestAnimationFrame(frame);
  }
  cameraButton.addEventListener('click', async () => {
    if (stream) {
      stream.getTracks().forEach((t) => t.stop());
      stream = null;
      video.hidden = true;
      cameraButton.textContent = text('camera-start');
      return;
    }
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
    } catch {
      show('warn', text('camera-none'));
      return;
    }
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    cameraButton.textContent = text('camera-stop');
    requestAnimationFrame(frame);
  });

  window.addEventListener('online', () => {
    setNet();
    refreshBundle();
    sync();
  });
  window.addEventListener('offline', setNet);
  // The vendored libraries load after this file (deferred, later in the page).
  window.addEventListener('DOMContentLoaded', () => {
    setNet();
    setPending();
    refreshBundle().then(() => sync());
  });
  // Test hooks: the browser test reads the queue and triggers an upload.
  window.lcCheckin = { verify, sync, queue: () => queue.slice() };
})();
