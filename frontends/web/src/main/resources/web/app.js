// ltz4d workbench: plain JS over the JSON API (/api/...). The token comes from the URL ('ltz4d gui' prints it).
'use strict';
const TOKEN = new URLSearchParams(location.search).get('token') || sessionStorage.getItem('ltz4d-token') || '';
sessionStorage.setItem('ltz4d-token', TOKEN);
const $ = id => document.getElementById(id);
const state = { ds: null, geometry: null, pos: null, roi: null, run: null, pipelines: [], specs: {} };

async function api(path, opts = {}) {
  const headers = Object.assign({ 'X-Ltz4d-Token': TOKEN }, opts.headers || {});
  const r = await fetch('/api/' + path, Object.assign({}, opts, { headers }));
  const type = r.headers.get('content-type') || '';
  const body = type.includes('json') ? await r.json() : await r.blob();
  if (!r.ok) throw new Error(body.error || ('HTTP ' + r.status));
  return body;
}
const post = (path, obj) => api(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(obj || {}) });
function status(text, error) { const s = $('status'); s.textContent = text; s.className = 'status' + (error ? ' error' : ''); }
async function guard(f) { try { return await f(); } catch (e) { status(e.message, true); throw e; } }
const q = o => Object.entries(o).map(([k, v]) => encodeURIComponent(k) + '=' + encodeURIComponent(v)).join('&');

// ---------------------------------------------------------------- tabs
document.querySelectorAll('nav button').forEach(b => b.onclick = () => {
  document.querySelectorAll('nav button').forEach(x => x.classList.toggle('active', x === b));
  document.querySelectorAll('.tab').forEach(t => t.classList.toggle('active', t.id === 'tab-' + b.dataset.tab));
});

// ---------------------------------------------------------------- files
async function browse(path) {
  const r = await guard(() => api('files?' + q({ path: path || '' })));
  $('file-path').textContent = r.path || 'allowed folders';
  const ul = $('file-list'); ul.innerHTML = '';
  if (r.path) { const up = document.createElement('li'); up.className = 'dir'; up.textContent = '..'; up.onclick = () => browse(r.parent || ''); ul.append(up); }
  for (const e of r.entries) {
    const li = document.createElement('li');
    li.textContent = e.name + (e.dir ? '' : '  (' + (e.size / 1048576).toFixed(1) + ' MB)');
    li.title = e.path; li.dataset.path = e.path;
    if (e.dir) { li.className = 'dir'; li.onclick = () => browse(e.path); } else li.onclick = () => openDataset(e.path);
    ul.append(li);
  }
}

// ---------------------------------------------------------------- dataset
function fmt(v) { return v === null || v === undefined ? '—' : (typeof v === 'number' ? +v.toPrecision(5) : v); }
async function openDataset(path, options) {
  status('opening ' + path + ' …');
  const d = await guard(() => post('datasets', { path, options: options || {} }));
  state.ds = d; state.geometry = null; state.custom = false; state.polygon = null; state.pos = null; state.roi = null;
  const c = d.calibration;
  $('dataset-info').innerHTML = '<table>' + [
    ['file', d.path.split('/').pop()], ['format', d.format], ['scan', d.scan.join(' × ')], ['detector', d.detector.join(' × ')],
    ['dtype', d.dtype], ['beam', fmt(c['beam-kv']) + ' kV'], ['detector pixel', fmt(c['detector-pixel'])],
    ['scan step', fmt(c['scan-step-y-nm']) + ' × ' + fmt(c['scan-step-x-nm']) + ' nm'], ['scan rotation', fmt(c['scan-rotation-deg']) + '°'],
  ].map(([k, v]) => '<tr><td>' + k + '</td><td>' + v + '</td></tr>').join('') + '</table>';
  fillForm($('open-options'), [{ title: null, specs: state.engineSpecs }], d.options);
  $('reopen').disabled = false;
  $('run-input').textContent = 'Input: ' + d.path;
  $('run-start').disabled = !$('pipeline').value;
  await drawVirtual();
  status('opened ' + d.path.split('/').pop());
}
$('reopen').onclick = () => openDataset(state.ds.path, formValues($('open-options')));

function loadImage(url) {
  return new Promise((ok, fail) => { const i = new Image(); i.onload = () => ok(i); i.onerror = () => fail(new Error('image ' + url + ' failed')); i.src = url; });
}
// the detectors the engine placed, or those the user dragged (then sent as the virtual fitter's parameters), and the drawn polygon
function geomQuery() {
  const o = {}, g = state.geometry;
  if (state.custom && g) {
    const put = (k, v) => { if (v !== null && v !== undefined && Number.isFinite(v)) o[k] = +v.toFixed(3); };
    put('cx', g.cx); put('cy', g.cy); put('bf-radius', g.bfRadius);
    if (Number.isFinite(g.adfInner) && Number.isFinite(g.adfOuter)) { put('adf-inner', g.adfInner); put('adf-outer', g.adfOuter); }
    if (Number.isFinite(g.ringInner) && Number.isFinite(g.ringOuter)) { put('ring-inner', g.ringInner); put('ring-outer', g.ringOuter); }
  }
  if (state.polygon && state.polygon.length >= 3) o.polygon = state.polygon.map(p => p.x.toFixed(2) + ',' + p.y.toFixed(2)).join(',');
  return o;
}
function contrastQuery(scale) { return { scale: scale || ($('pattern-log').checked ? 'log' : 'linear'), lo: $('contrast-lo').value, hi: $('contrast-hi').value, gamma: $('contrast-gamma').value }; }
const sleep = ms => new Promise(ok => setTimeout(ok, ms));
// the virtual image grows while the engine streams the frames: redrawn every 300 ms until the pass ends
async function drawVirtual() {
  if (!state.ds) return;
  const t0 = performance.now(), my = state.virtualSeq = (state.virtualSeq || 0) + 1, kind = $('virtual-kind').value, id = state.ds.id;
  $('virtual').dataset.ready = '';
  let info, first = null;
  do {
    info = await guard(() => api('datasets/' + id + '/virtual?' + q(geomQuery())));
    const img = await loadImage('/api/datasets/' + id + '/virtual.png?' + q(Object.assign({ kind, n: info.done }, geomQuery())));
    if (my !== state.virtualSeq) return;
    state.virtualImg = img;
    const c = $('virtual'); state.vk = Math.max(1, Math.ceil(384 / Math.max(img.width, img.height)));
    if (c.width !== img.width * state.vk || c.height !== img.height * state.vk) { c.width = img.width * state.vk; c.height = img.height * state.vk; }
    redrawVirtual();
    if (first === null && info.done > 0) first = (performance.now() - t0) / 1000;
    $('virtual-time').textContent = info.finished ? 'first partial image ' + (first === null ? 0 : first).toFixed(2) + ' s · pass ' + info.seconds.toFixed(2) + ' s (engine)'
      : (100 * info.done / info.total).toFixed(0) + ' % of ' + info.total + ' frames…';
    if (info.error) { status(info.error, true); return; }
    if (!info.finished) await sleep(info.done > 0 ? 250 : 100);
  } while (!info.finished);
  state.firstVirtualS = first === null ? (performance.now() - t0) / 1000 : first;
  state.virtualPassS = info.seconds;
  if (!state.custom && info.geometry) state.geometry = Object.assign({}, info.geometry);
  $('virtual').dataset.ready = kind;
  await drawMeanImage();
}
$('virtual-kind').onchange = drawVirtual;
async function drawMeanImage() {
  if (!state.ds) return;
  state.meanImg = await loadImage('/api/datasets/' + state.ds.id + '/mean.png?' + q(Object.assign(contrastQuery('log'), geomQuery())));
  drawMean();
}
function redrawVirtual() {
  const c = $('virtual'), g = c.getContext('2d');
  if (!state.virtualImg) return;
  const k = state.vk || 1;
  g.imageSmoothingEnabled = false; g.drawImage(state.virtualImg, 0, 0, c.width, c.height);
  g.lineWidth = 2;
  if (state.roi) { const r = state.roi; g.strokeStyle = '#ffb347'; g.strokeRect(r.c0 * k, r.r0 * k, (r.c1 - r.c0) * k, (r.r1 - r.r0) * k); }
  if (state.pos) { g.strokeStyle = '#ff4f4f'; g.strokeRect(state.pos.x * k - 1, state.pos.y * k - 1, k + 2, k + 2); }
}
function cell(ev, canvas) {
  const r = canvas.getBoundingClientRect(), w = state.virtualImg.width, h = state.virtualImg.height;
  return { x: Math.min(w - 1, Math.max(0, Math.floor((ev.clientX - r.left) / r.width * w))),
           y: Math.min(h - 1, Math.max(0, Math.floor((ev.clientY - r.top) / r.height * h))) };
}
let drag = null;
$('virtual').onmousedown = ev => { if (state.virtualImg) drag = cell(ev, $('virtual')); };
const keysHeld = new Set();
window.addEventListener('keydown', ev => keysHeld.add(ev.key));
window.addEventListener('keyup', ev => keysHeld.delete(ev.key));
window.addEventListener('blur', () => keysHeld.clear());
let hoverBusy = false;
// hovering with a key held (shift, or any other key) shows the patterns under the pointer, one request at a time
async function hoverPattern(ev, p) {
  if (!(ev.shiftKey || keysHeld.size > 0) || drag || hoverBusy || !state.ds) return;
  if (state.pos && state.pos.x === p.x && state.pos.y === p.y) return;
  hoverBusy = true;
  try { await showPattern(p.y, p.x); } finally { hoverBusy = false; }
}
$('virtual').onmousemove = ev => {
  if (state.virtualImg && !drag) hoverPattern(ev, cell(ev, $('virtual')));
  if (!drag || !state.virtualImg) return;
  const p = cell(ev, $('virtual'));
  if (Math.abs(p.x - drag.x) + Math.abs(p.y - drag.y) >= 2) {
    state.roi = { r0: Math.min(p.y, drag.y), r1: Math.max(p.y, drag.y) + 1, c0: Math.min(p.x, drag.x), c1: Math.max(p.x, drag.x) + 1 };
    $('roi-text').textContent = state.roi.r0 + ':' + state.roi.r1 + ',' + state.roi.c0 + ':' + state.roi.c1;
    $('roi-reference').disabled = $('roi-descan').disabled = false;
    redrawVirtual();
  }
};
$('virtual').onmouseup = ev => {
  if (!state.virtualImg) return;
  const p = cell(ev, $('virtual'));
  const start = drag; drag = null;
  if (start && Math.abs(p.x - start.x) + Math.abs(p.y - start.y) < 2) showPattern(p.y, p.x);
};
function setRunParam(name) {
  const el = document.querySelector('#run-form [name="' + name + '"]');
  if (el) { el.value = $('roi-text').textContent; status(name + ' = ' + el.value); } else status('the pipeline has no parameter ' + name, true);
}
$('roi-reference').onclick = () => setRunParam('reference-roi');
$('roi-descan').onclick = () => setRunParam('descan-roi');

async function showPattern(y, x) {
  state.pos = { y, x }; redrawVirtual();
  const t0 = performance.now();
  const url = '/api/datasets/' + state.ds.id + '/frame.png?' + q(Object.assign({ y, x }, contrastQuery()));
  const img = $('pattern');
  await new Promise(ok => { img.onload = ok; img.onerror = ok; img.src = url; });
  $('result-pattern').src = url;
  const ms = performance.now() - t0;
  img.dataset.pos = y + ',' + x;
  drawFit();
  $('pattern-pos').textContent = '(y ' + y + ', x ' + x + ')';
  $('pattern-time').textContent = ms.toFixed(0) + ' ms';
  state.lastPatternMs = ms;
}
// the fitted ring ellipse and the beam centre of the loaded results, drawn over the pattern when the scan shapes agree
const fitCache = {};
async function fitMaps() {
  const path = $('results-path').value; if (!path) return null;
  if (!(path in fitCache)) {
    fitCache[path] = null;
    try {
      const names = ['ring/center_x', 'ring/center_y', 'ring/a', 'ring/b', 'ring/angle_deg', 'beam/center_x', 'beam/center_y',
        'lattice/origin_x', 'lattice/origin_y', 'lattice/g1x', 'lattice/g1y', 'lattice/g2x', 'lattice/g2y'];
      const vs = await Promise.all(names.map(n => api('results/values?' + q({ path, map: n })).catch(() => null)));
      const m = {}; names.forEach((n, i) => { if (vs[i]) m[n] = Object.assign(vs[i], { values: vs[i].values.map(Number) }); });
      fitCache[path] = m;
    } catch (e) { /* no fit maps */ }
  }
  return fitCache[path];
}
async function drawFit() {
  const c = $('pattern-overlay'), img = $('pattern');
  c.style.width = img.style.width || '384px'; c.style.height = img.style.height || '384px';
  const g = c.getContext('2d'); g.clearRect(0, 0, c.width, c.height);
  if (!state.ds || !state.pos) return;
  const m = await fitMaps(); if (!m) return;
  const [rows, cols] = state.ds.scan, s = c.width / state.ds.detector[1], i = state.pos.y * cols + state.pos.x;
  const at = n => m[n] && m[n].rows === rows && m[n].cols === cols ? m[n].values[i] : NaN;
  const cx = at('ring/center_x'), cy = at('ring/center_y'), a = at('ring/a'), b = at('ring/b'), ang = at('ring/angle_deg');
  if ([cx, cy, a, b].every(Number.isFinite)) {
    g.strokeStyle = '#ffb347'; g.lineWidth = 1.5; g.beginPath();
    g.ellipse((cx + 0.5) * s, (cy + 0.5) * s, a * s, b * s, (Number.isFinite(ang) ? ang : 0) * Math.PI / 180, 0, 2 * Math.PI); g.stroke();
  }
  // indexed Bragg disks: origin + h·g1 + k·g2 of the fitted lattice at this position, within the detector
  const ox = at('lattice/origin_x'), oy = at('lattice/origin_y'), g1 = [at('lattice/g1x'), at('lattice/g1y')], g2 = [at('lattice/g2x'), at('lattice/g2y')];
  let disks = 0;
  if ([ox, oy, ...g1, ...g2].every(Number.isFinite)) {
    const [dr, dc] = state.ds.detector, rad = 0.18 * Math.min(Math.hypot(...g1), Math.hypot(...g2));
    g.strokeStyle = '#7bd88f'; g.lineWidth = 1.2;
    for (let h = -12; h <= 12; h++) for (let k = -12; k <= 12; k++) {
      const x = ox + h * g1[0] + k * g2[0], y = oy + h * g1[1] + k * g2[1];
      if (x < -rad || y < -rad || x > dc + rad || y > dr + rad) continue;
      g.beginPath(); g.arc((x + 0.5) * s, (y + 0.5) * s, Math.max(2, rad * s), 0, 2 * Math.PI); g.stroke(); disks++;
    }
  }
  c.dataset.disks = disks;
  const bx = at('beam/center_x'), by = at('beam/center_y');
  if (Number.isFinite(bx) && Number.isFinite(by)) { g.strokeStyle = '#ff4f4f'; g.beginPath(); g.moveTo((bx + 0.5) * s - 6, (by + 0.5) * s); g.lineTo((bx + 0.5) * s + 6, (by + 0.5) * s); g.moveTo((bx + 0.5) * s, (by + 0.5) * s - 6); g.lineTo((bx + 0.5) * s, (by + 0.5) * s + 6); g.stroke(); }
}
$('pattern-log').onchange = () => state.pos && showPattern(state.pos.y, state.pos.x);
for (const id of ['contrast-lo', 'contrast-hi', 'contrast-gamma']) $(id).onchange = () => {
  $('contrast-text').textContent = $('contrast-lo').value + '–' + $('contrast-hi').value + ' %, γ ' + $('contrast-gamma').value;
  if (state.pos) showPattern(state.pos.y, state.pos.x);
  if (state.meanImg) drawMeanImage();
};
$('pattern-zoom').oninput = () => { const z = $('pattern-zoom').value * 384; $('pattern').style.width = z + 'px'; $('pattern').style.height = z + 'px'; drawFit(); };

// mean pattern with the detector circles; drag the centre or an edge
function drawMean() {
  const img = state.meanImg; if (!img) return;
  const c = $('mean'); c.width = img.width * 2; c.height = img.height * 2;
  const g = c.getContext('2d'); g.imageSmoothingEnabled = false; g.drawImage(img, 0, 0, c.width, c.height);
  const s = 2;
  const poly = state.polygon || state.drawing;
  if (poly && poly.length) {
    g.strokeStyle = '#ff6bd6'; g.fillStyle = 'rgba(255,107,214,0.18)'; g.lineWidth = 1.5; g.beginPath();
    poly.forEach((p, i) => i ? g.lineTo((p.x + 0.5) * s, (p.y + 0.5) * s) : g.moveTo((p.x + 0.5) * s, (p.y + 0.5) * s));
    if (state.polygon) { g.closePath(); g.fill(); } g.stroke();
  }
  const G = state.geometry; if (!G) return;
  const f = v => v === null || v === undefined ? '—' : v.toFixed(1);
  const circle = (r, col) => { if (r === null || r === undefined || !Number.isFinite(r)) return; g.beginPath(); g.arc((G.cx + 0.5) * s, (G.cy + 0.5) * s, r * s, 0, 2 * Math.PI); g.strokeStyle = col; g.lineWidth = 1.5; g.stroke(); };
  circle(G.bfRadius, '#4fa3ff'); circle(G.adfInner, '#7bd88f'); circle(G.adfOuter, '#7bd88f'); circle(G.ringInner, '#ffb347'); circle(G.ringOuter, '#ffb347');
  g.fillStyle = '#ff4f4f'; g.fillRect((G.cx + 0.5) * s - 2, (G.cy + 0.5) * s - 2, 4, 4);
  $('geometry').innerHTML = 'centre (' + f(G.cx) + ', ' + f(G.cy) + ') px · <span style="color:#4fa3ff">BF r ' + f(G.bfRadius) +
    '</span> · <span style="color:#7bd88f">ADF ' + f(G.adfInner) + '–' + f(G.adfOuter) + '</span> · <span style="color:#ffb347">ring ' +
    f(G.ringInner) + '–' + f(G.ringOuter) + '</span> (detector pixels; placed by the engine' + (state.custom ? ', then moved' : '') + ')' +
    (state.polygon ? ' · <span style="color:#ff6bd6">mask ' + state.polygon.length + ' vertices</span>' : '');
}
// a freehand/polygon mask on the mean pattern: 'draw mask', then click vertices (or drag freehand); double-click or 'close' ends it
$('mask-draw').onclick = () => { state.drawing = []; state.polygon = null; $('mask-close').disabled = false; $('mean').classList.add('drawing'); status('click the vertices of the mask on the mean pattern (or drag freehand), double-click to close'); drawMean(); };
function closeMask() {
  if (!state.drawing) return;
  const p = state.drawing; state.drawing = null; $('mask-close').disabled = true; $('mean').classList.remove('drawing');
  if (p.length < 3) { status('a mask needs at least three vertices', true); drawMean(); return; }
  state.polygon = p; $('virtual-kind').value = 'mask'; drawMean(); drawVirtual();
}
$('mask-close').onclick = closeMask;
$('mask-clear').onclick = () => { state.polygon = null; state.drawing = null; if ($('virtual-kind').value === 'mask') $('virtual-kind').value = 'bf'; drawMean(); drawVirtual(); };
$('mean').ondblclick = ev => { if (state.drawing) { ev.preventDefault(); closeMask(); } };
let meanDrag = null;
function meanPoint(ev) { const c = $('mean'), r = c.getBoundingClientRect(); return { x: (ev.clientX - r.left) / r.width * c.width / 2 - 0.5, y: (ev.clientY - r.top) / r.height * c.height / 2 - 0.5 }; }
let freehand = false;
$('mean').onmousedown = ev => {
  if (state.drawing) { const p = meanPoint(ev); const last = state.drawing[state.drawing.length - 1];
    if (!last || Math.hypot(p.x - last.x, p.y - last.y) > 0.5) state.drawing.push(p); freehand = true; drawMean(); return; }
  if (!state.geometry) return;
  const p = meanPoint(ev), G = state.geometry, d = Math.hypot(p.x - G.cx, p.y - G.cy);
  if (d < 3) { meanDrag = 'centre'; return; }
  let best = null, bd = 3;
  for (const k of ['bfRadius', 'adfInner', 'adfOuter', 'ringInner', 'ringOuter']) if (Number.isFinite(G[k]) && Math.abs(d - G[k]) < bd) { bd = Math.abs(d - G[k]); best = k; }
  meanDrag = best;
};
$('mean').onmousemove = ev => {
  if (state.drawing && freehand) { const p = meanPoint(ev), last = state.drawing[state.drawing.length - 1];
    if (Math.hypot(p.x - last.x, p.y - last.y) >= 2) { state.drawing.push(p); drawMean(); } return; }
  if (!meanDrag) return;
  const p = meanPoint(ev), G = state.geometry;
  if (meanDrag === 'centre') { G.cx = p.x; G.cy = p.y; } else G[meanDrag] = Math.max(0.5, Math.hypot(p.x - G.cx, p.y - G.cy));
  if (G.adfInner > G.adfOuter) [G.adfInner, G.adfOuter] = [G.adfOuter, G.adfInner];
  if (G.ringInner > G.ringOuter) [G.ringInner, G.ringOuter] = [G.ringOuter, G.ringInner];
  drawMean();
};
$('mean').onmouseup = () => { freehand = false; if (meanDrag) { meanDrag = null; state.custom = true; drawVirtual(); } };

// ---------------------------------------------------------------- parameter forms
function input(spec, value) {
  let el;
  if (spec.type === 'choice') { el = document.createElement('select'); ['', ...spec.choices].forEach(c => el.add(new Option(c || '(default)', c))); }
  else if (spec.type === 'boolean') { el = document.createElement('select'); ['', 'true', 'false'].forEach(c => el.add(new Option(c || '(default ' + (spec.default || 'false') + ')', c))); }
  else { el = document.createElement('input'); if (spec.type === 'double' || spec.type === 'integer') { el.type = 'number'; el.step = spec.type === 'integer' ? '1' : 'any'; if (spec.min !== null) el.min = spec.min; if (spec.max !== null) el.max = spec.max; } }
  el.name = spec.name; if (spec.default !== null && el.tagName === 'INPUT') el.placeholder = spec.default;
  if (value !== undefined) el.value = value;
  return el;
}
function fillForm(form, groups, values) {
  form.innerHTML = '';
  for (const grp of groups) {
    const fs = document.createElement('fieldset');
    if (grp.title) { const lg = document.createElement('legend'); lg.textContent = grp.title; lg.title = grp.description || ''; fs.append(lg); }
    for (const s of grp.specs || []) {
      const l = document.createElement('label'); l.title = s.description + (s.min !== null && s.max !== null && s.type !== 'boolean' ? ' [' + s.min + ', ' + s.max + ']' : '');
      const n = document.createElement('span'); n.textContent = s.name;
      const u = document.createElement('span'); u.className = 'unit'; u.textContent = s.unit && s.unit !== '1' && s.unit !== 'dimensionless' ? s.unit : '';
      l.append(n, input(s, values ? values[s.name] : undefined), u); fs.append(l);
    }
    form.append(fs);
  }
}
function formValues(form) { const o = {}; form.querySelectorAll('[name]').forEach(e => { if (e.value !== '') o[e.name] = e.value; }); return o; }

// ---------------------------------------------------------------- pipelines and runs
async function loadPipeline() {
  const name = $('pipeline').value; if (!name) { $('run-form').innerHTML = ''; return; }
  const p = await guard(() => api('pipelines/' + encodeURIComponent(name)));
  const groups = [{ title: 'common (engine, reader, pipeline)', specs: p.common }];
  p.stages.forEach(s => groups.push({ title: 'stage ' + s.name + (s.enabledBy ? ' — enabled by ' + s.enabledBy : ''), description: s.description, specs: s.parameters }));
  fillForm($('run-form'), groups);
}
$('pipeline').onchange = loadPipeline;
$('run-start').onclick = async () => {
  const body = { path: state.ds.path, pipeline: $('pipeline').value, parameters: Object.assign({}, state.ds.options, formValues($('run-form'))) };
  if ($('run-out').value) body.out = $('run-out').value;
  const r = await guard(() => post('runs', body));
  state.run = r; $('run-cli').textContent = r.command; $('run-cancel').disabled = false; $('run-start').disabled = true;
  const es = new EventSource('/api/runs/' + r.id + '/events');
  es.onmessage = m => {
    const s = JSON.parse(m.data); showRun(s);
    if (s.status !== 'running') { es.close(); $('run-cancel').disabled = true; $('run-start').disabled = false;
      if (s.status === 'done') { $('results-path').value = s.results; loadResults(true); } }
  };
};
function showRun(s) {
  $('run-progress').querySelector('.bar').style.width = s.percent + '%';
  $('run-progress').querySelector('.label').textContent = s.percent.toFixed(0) + ' % · ' + s.stage + ' · ' + s.status;
  $('run-progress').dataset.percent = s.percent.toFixed(0); $('run-progress').dataset.status = s.status;
  $('run-state').textContent = s.done + ' / ' + s.total + ' · ' + s.per_second.toFixed(0) + ' /s · ' + s.remaining_s.toFixed(1) + ' s left · ' + s.elapsed_s.toFixed(1) + ' s elapsed' + (s.message ? ' · ' + s.message : '');
  if (s.status === 'failed') status(s.message, true);
}
$('run-cancel').onclick = () => state.run && guard(() => post('runs/' + state.run.id + '/cancel'));
$('run-copy').onclick = () => navigator.clipboard && navigator.clipboard.writeText($('run-cli').textContent);

// ---------------------------------------------------------------- results, side by side with linked cursors
// the file shown on a side: the right side may show a second result set (another run, another step)
function pathOf(side) { return side === 'b' && $('results-path-b').value.trim() ? $('results-path-b').value.trim() : $('results-path').value; }
async function loadResults(showWheel) {
  const lists = {};
  for (const side of ['a', 'b']) {
    const r = lists[side] = await guard(() => api('results/maps?' + q({ path: pathOf(side) })));
    const sel = $('results-map-' + side), keep = sel.value; sel.innerHTML = '';
    r.maps.forEach(m => sel.add(new Option(m.map + (m.unit && m.unit !== '1' ? ' [' + m.unit + ']' : ''), m.map)));
    if (keep && r.maps.some(m => m.map === keep)) sel.value = keep;
  }
  const r = lists.a, second = pathOf('b') !== pathOf('a');
  const wheel = r.maps.find(m => m.map === 'magnetic/wheel') || r.maps.find(m => m.map.endsWith('/wheel'));
  if (showWheel && wheel) $('results-map-a').value = wheel.map;
  // two result sets: the same map on both sides to compare them; one: a strain map beside the wheel
  const other = second ? lists.b.maps.find(m => m.map === $('results-map-a').value)
    : r.maps.find(m => m.map.startsWith('strain/')) || r.maps[1];
  if (showWheel && other) $('results-map-b').value = other.map;
  await Promise.all([drawResult('a'), drawResult('b')]);
  $('results-maps').dataset.maps = r.maps.map(m => m.map).join(',');
  $('results-maps').dataset.mapsB = lists.b.maps.map(m => m.map).join(',');
  await drawHist2d();
}
// the correlation outputs (misorientation, magnetoelastic energy, clusters, binarised orientations, 2D histograms), run by the engine
$('results-correlate').onclick = async () => {
  status('correlating …');
  const r = await guard(() => post('correlate', { path: $('results-path').value }));
  $('correlate-state').textContent = 'wrote ' + r.results.split('/').pop() + ' (' + r.correlators.join(', ') + ')' + (r.warnings.length ? ' · ' + r.warnings.join('; ') : '');
  status('correlated in ' + r.seconds.toFixed(1) + ' s');
  await loadResults(false);
};
// the HTML report of the folder, written by the installed report service, then downloaded
$('results-report').onclick = async () => {
  status('writing the report …');
  const r = await guard(() => post('report', { path: $('results-path').value }));
  const a = $('report-link'); a.href = '/api/results/report.html?' + q({ path: $('results-path').value }); a.textContent = 'download report.html';
  a.dataset.report = r.report; status('report written in ' + r.seconds.toFixed(1) + ' s'); a.click();
};
// 2D histogram of the two maps shown (A on x, B on y), log counts, with Pearson's r
const valueCache = {};
async function mapValues(side, map) {
  const path = pathOf(side), key = path + '|' + map;
  if (!(key in valueCache)) valueCache[key] = api('results/values?' + q({ path, map })).then(v => Object.assign(v, { values: v.values.map(Number) }));
  return valueCache[key];
}
async function drawHist2d() {
  const c = $('hist2d'), g = c.getContext('2d'), W = c.width, H = c.height, L = 48, B = 30, bins = 64;
  g.fillStyle = '#111'; g.fillRect(0, 0, W, H);
  const ma = $('results-map-a').value, mb = $('results-map-b').value;
  if (!ma || !mb || ma.endsWith('/wheel') || mb.endsWith('/wheel')) { c.dataset.n = 0; $('hist2d-text').textContent = 'choose two scalar maps (A, B)'; return; }
  let a, b;
  try { [a, b] = await Promise.all([mapValues('a', ma), mapValues('b', mb)]); } catch (e) { return; }
  if (a.values.length !== b.values.length) { $('hist2d-text').textContent = 'the two maps differ in shape'; return; }
  const xs = [], ys = [];
  a.values.forEach((v, i) => { const w = b.values[i]; if (Number.isFinite(v) && Number.isFinite(w)) { xs.push(v); ys.push(w); } });
  if (!xs.length) return;
  const pct = (arr, p) => { const f = arr.slice().sort((u, v) => u - v); return f[Math.min(f.length - 1, Math.floor(p * f.length))]; };
  const x0 = pct(xs, 0.005), x1 = pct(xs, 0.995), y0 = pct(ys, 0.005), y1 = pct(ys, 0.995), n = new Array(bins * bins).fill(0);
  xs.forEach((x, i) => { const kx = Math.floor((x - x0) / ((x1 - x0) || 1) * bins), ky = Math.floor((ys[i] - y0) / ((y1 - y0) || 1) * bins);
    if (kx >= 0 && kx <= bins && ky >= 0 && ky <= bins) n[Math.min(ky, bins - 1) * bins + Math.min(kx, bins - 1)]++; });
  const max = Math.log1p(Math.max(...n)), cw = (W - L - 6) / bins, ch = (H - B - 6) / bins;
  for (let ky = 0; ky < bins; ky++) for (let kx = 0; kx < bins; kx++) {
    const k = n[ky * bins + kx]; if (!k) continue;
    const t = Math.log1p(k) / max; g.fillStyle = 'hsl(' + (240 - 200 * t) + ',85%,' + (25 + 40 * t) + '%)';
    g.fillRect(L + kx * cw, H - B - (ky + 1) * ch, Math.ceil(cw), Math.ceil(ch));
  }
  const mx = xs.reduce((u, v) => u + v, 0) / xs.length, my = ys.reduce((u, v) => u + v, 0) / ys.length;
  let sxy = 0, sxx = 0, syy = 0; xs.forEach((x, i) => { sxy += (x - mx) * (ys[i] - my); sxx += (x - mx) ** 2; syy += (ys[i] - my) ** 2; });
  const r = sxy / Math.sqrt(sxx * syy);
  g.strokeStyle = '#8a919e'; g.strokeRect(L, 6, W - L - 6, H - B - 6);
  g.fillStyle = '#8a919e'; g.font = '10px sans-serif';
  g.fillText(x0.toPrecision(3), L, H - B + 12); g.textAlign = 'right'; g.fillText(x1.toPrecision(3), W - 6, H - B + 12);
  g.fillText(y1.toPrecision(3), L - 3, 14); g.fillText(y0.toPrecision(3), L - 3, H - B);
  g.textAlign = 'center'; g.fillText('A: ' + ma + ' [' + a.unit + ']', (L + W) / 2, H - 4); g.textAlign = 'left';
  g.save(); g.translate(10, (H - B) / 2); g.rotate(-Math.PI / 2); g.textAlign = 'center'; g.fillText('B: ' + mb + ' [' + b.unit + ']', 0, 0); g.restore();
  c.dataset.n = xs.length; c.dataset.r = r.toFixed(4);
  $('hist2d-text').textContent = xs.length + ' positions · Pearson r = ' + r.toFixed(3);
}
const resultImgs = {};
async function drawResult(side) {
  const map = $('results-map-' + side).value; if (!map) return;
  const url = '/api/results/map.png?' + q({ path: pathOf(side), map, cmap: $('cmap-' + side).value });
  resultImgs[side] = await guard(() => loadImage(url));
  $('export-' + side).href = url; $('export-' + side).download = map.replace(/\//g, '_') + '.png';
  $('svg-' + side).href = '/api/results/map.svg?' + q({ path: pathOf(side), map, cmap: $('cmap-' + side).value, overlay: $('overlay-' + side).checked });
  $('svg-' + side).download = map.replace(/\//g, '_') + '.svg';
  $('result-' + side).dataset.map = map;
  const path = pathOf(side), vals = n => api('results/values?' + q({ path, map: n })).then(v => Object.assign(v, { values: v.values.map(Number) }));
  overlays[side] = null;
  try {
    if (map.endsWith('/wheel')) {
      const g = map.slice(0, -'/wheel'.length), names = await api('results/maps?' + q({ path }));
      const has = n => names.maps.some(m => m.map === n);
      const [x, y] = has(g + '/Bx') ? [g + '/Bx', g + '/By'] : [g + '/theta_x_mrad', g + '/theta_y_mrad'];
      if (has(x) && has(y)) { const [vx, vy] = await Promise.all([vals(x), vals(y)]); overlays[side] = { kind: 'arrows', vx, vy }; histogram(side, magnitude(vx.values, vy.values), '|' + x.split('/').pop().replace(/_?x(_mrad)?$/, '') + '| [' + vx.unit + ']'); }
    } else {
      const v = await vals(map); histogram(side, v.values, map + ' [' + v.unit + ']');
      if (map.startsWith('strain/')) {
        const [a, e] = await Promise.all([vals('strain/angle_ten_deg'), vals('strain/e_ten')]);
        overlays[side] = { kind: 'sticks', a, e };
      }
    }
  } catch (e) { /* maps without values stay without histogram */ }
  paintResult(side, null);
}
const overlays = {};
function magnitude(x, y) { return x.map((v, i) => Math.hypot(v, y[i])); }
function histogram(side, values, label) {
  const c = $('hist-' + side), g = c.getContext('2d'), f = values.filter(Number.isFinite).sort((a, b) => a - b);
  g.fillStyle = '#111'; g.fillRect(0, 0, c.width, c.height);
  if (!f.length) return;
  const lo = f[Math.floor(f.length * 0.005)], hi = f[Math.min(f.length - 1, Math.floor(f.length * 0.995))], bins = 64, n = new Array(bins).fill(0);
  for (const v of f) { const k = Math.floor((v - lo) / ((hi - lo) || 1) * bins); if (k >= 0 && k < bins) n[k]++; else if (k === bins) n[bins - 1]++; }
  const m = Math.max(...n), w = c.width / bins;
  g.fillStyle = '#4fa3ff'; n.forEach((k, i) => { const h = k / m * (c.height - 16); g.fillRect(i * w, c.height - 14 - h, w - 1, h); });
  g.fillStyle = '#8a919e'; g.font = '10px sans-serif';
  g.fillText(lo.toPrecision(3), 2, c.height - 3); g.textAlign = 'right'; g.fillText(hi.toPrecision(3), c.width - 2, c.height - 3);
  g.textAlign = 'center'; g.fillText(label + ' · ' + f.length + ' positions', c.width / 2, c.height - 3); g.textAlign = 'left';
}
function drawOverlay(side, g, s) {
  const o = overlays[side]; if (!o || !$('overlay-' + side).checked) return;
  const rows = (o.vx || o.a).rows, cols = (o.vx || o.a).cols, step = Math.max(1, Math.round(Math.max(rows, cols) / 16));
  g.lineWidth = 1.2; g.strokeStyle = o.kind === 'arrows' ? '#fff' : '#000';
  let max = 0;
  if (o.kind === 'arrows') magnitude(o.vx.values, o.vy.values).forEach(v => { if (Number.isFinite(v) && v > max) max = v; });
  else o.e.values.forEach(v => { if (Number.isFinite(v) && Math.abs(v) > max) max = Math.abs(v); });
  if (!(max > 0)) return;
  const len = step * s * 0.9;
  for (let r = Math.floor(step / 2); r < rows; r += step) for (let c = Math.floor(step / 2); c < cols; c += step) {
    const i = r * cols + c, x = (c + 0.5) * s, y = (r + 0.5) * s;
    if (o.kind === 'arrows') {
      const vx = o.vx.values[i], vy = o.vy.values[i]; if (!Number.isFinite(vx) || !Number.isFinite(vy)) continue;
      const dx = vx / max * len / 2, dy = vy / max * len / 2;
      g.beginPath(); g.moveTo(x - dx, y - dy); g.lineTo(x + dx, y + dy);
      const a = Math.atan2(dy, dx), h = Math.max(2, Math.hypot(dx, dy) * 0.5);
      g.lineTo(x + dx - h * Math.cos(a - 0.5), y + dy - h * Math.sin(a - 0.5)); g.moveTo(x + dx, y + dy);
      g.lineTo(x + dx - h * Math.cos(a + 0.5), y + dy - h * Math.sin(a + 0.5)); g.stroke();
    } else {
      const ang = o.a.values[i] * Math.PI / 180, e = o.e.values[i]; if (!Number.isFinite(ang) || !Number.isFinite(e)) continue;
      const l = Math.abs(e) / max * len / 2; g.strokeStyle = e >= 0 ? '#000' : '#fff';
      g.beginPath(); g.moveTo(x - l * Math.cos(ang), y - l * Math.sin(ang)); g.lineTo(x + l * Math.cos(ang), y + l * Math.sin(ang)); g.stroke();
    }
  }
}
function paintResult(side, p) {
  const img = resultImgs[side]; if (!img) return;
  const k = Math.max(1, Math.ceil(384 / Math.max(img.width, img.height)));
  const c = $('result-' + side); if (c.width !== img.width * k || c.height !== img.height * k) { c.width = img.width * k; c.height = img.height * k; }
  const g = c.getContext('2d'); g.imageSmoothingEnabled = false; g.drawImage(img, 0, 0, c.width, c.height);
  drawOverlay(side, g, k);
  if (p) { g.strokeStyle = '#fff'; g.lineWidth = 1; g.beginPath(); g.moveTo((p.x + 0.5) * k, 0); g.lineTo((p.x + 0.5) * k, c.height); g.moveTo(0, (p.y + 0.5) * k); g.lineTo(c.width, (p.y + 0.5) * k); g.stroke(); }
}
for (const side of ['a', 'b']) {
  $('results-map-' + side).onchange = () => drawResult(side).then(drawHist2d);
  $('cmap-' + side).onchange = () => drawResult(side);
  $('overlay-' + side).onchange = () => { paintResult(side, null); drawResult(side); };
  const at = ev => { const img = resultImgs[side], c = $('result-' + side), r = c.getBoundingClientRect();
    return { x: Math.floor((ev.clientX - r.left) / r.width * img.width), y: Math.floor((ev.clientY - r.top) / r.height * img.height) }; };
  // the open dataset's pattern at a result map's position (click, or hover with a key held), when the scans agree
  const sameScan = () => { const img = resultImgs[side]; return state.ds && img && state.ds.scan[0] === img.height && state.ds.scan[1] === img.width; };
  $('result-' + side).onmousemove = ev => { if (!resultImgs[side]) return; const p = at(ev);
    paintResult('a', p); paintResult('b', p); if (sameScan()) hoverPattern(ev, p); };
  $('result-' + side).onclick = ev => { if (resultImgs[side] && sameScan()) { const p = at(ev); showPattern(p.y, p.x); } };
}
$('results-load').onclick = () => loadResults(true);
$('results-path-b').onchange = () => loadResults(false);

// ---------------------------------------------------------------- plugins, kept live
let pluginsSeen = '';
async function refreshPlugins() {
  let plugins;
  try { plugins = await api('plugins'); } catch (e) { return; }
  const key = JSON.stringify(plugins); if (key === pluginsSeen) return; pluginsSeen = key;
  const pipes = plugins.filter(p => p.kind === 'pipeline').map(p => p.name).filter((v, i, a) => a.indexOf(v) === i).sort();
  const sel = $('pipeline'), keep = sel.value; sel.innerHTML = '';
  pipes.forEach(n => sel.add(new Option(n, n)));
  sel.dataset.pipelines = pipes.join(',');
  if (pipes.includes(keep)) sel.value = keep; else if (pipes.length) sel.value = pipes.includes('amorphous') ? 'amorphous' : pipes[0];
  if (keep !== sel.value) await loadPipeline();
  $('run-start').disabled = !state.ds || !pipes.length;
  const bundles = await api('bundles');
  const tb = $('bundles').querySelector('tbody'); tb.innerHTML = '';
  for (const b of bundles) {
    const tr = document.createElement('tr'); tr.dataset.bundle = b.bundle;
    tr.innerHTML = '<td>' + b.id + '</td><td>' + b.bundle + '</td><td>' + b.version + '</td><td class="state-' + b.state + '">' + b.state + '</td><td class="small">' + b.provides.join(', ') + '</td><td></td>';
    const act = tr.lastChild;
    for (const a of b.core ? [] : b.state === 'active' ? ['stop', 'uninstall'] : ['start', 'uninstall']) {
      const btn = document.createElement('button'); btn.textContent = a; btn.className = 'bundle-' + a;
      btn.onclick = async () => { if (a === 'uninstall' && !confirm('Uninstall ' + b.bundle + '?')) return; await guard(() => post('bundles/' + b.id + '/' + a)); status(a + ' ' + b.bundle); refreshPlugins(); };
      act.append(btn);
    }
    tb.append(tr);
  }
}
async function upload(action) {
  const f = $('upload').files[0]; if (!f) { status('choose a .jar first', true); return; }
  const r = await guard(() => api('bundles/' + action, { method: 'POST', headers: { 'Content-Type': 'application/java-archive' }, body: f }));
  $('upload-state').textContent = action + 'ed ' + r.bundle + ' ' + r.version + ' (' + r.state + ')'; refreshPlugins();
}
$('upload-install').onclick = () => upload('install');
$('upload-update').onclick = () => upload('update');

// ---------------------------------------------------------------- start
(async () => {
  state.engineSpecs = await guard(() => api('engine-parameters'));
  await refreshPlugins();
  setInterval(refreshPlugins, 1500);
  await browse('');
  status('ready');
})();
