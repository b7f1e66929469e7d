// SPDX-License-Identifier: AGPL-3.0-or-later
// Crash safety, proven: kills the server or the command line with SIGKILL at
// a random moment of four operations, RELIABILITY_RUNS times in all (spread
// evenly over the scenarios), and after each kill checks that
//   * SQLite's PRAGMA integrity_check says ok,
//   * `learncity check` passes,
//   * every change is wholly there or wholly absent, and every change the
//     client saw acknowledged is there (counts and checksums compared with
//     the state before the operation and the state after a complete one),
//   * no job is left "running" once the server is back: an interrupted job
//     resumes or is marked failed with a reason.
//
// Scenarios, each on a fresh copy of one prepared demo database:
//   import    `learncity import observations FILE` of a large CSV, killed;
//   workflow  the server taking membership suspend/reinstate steps from
//             concurrent API clients, killed mid-burst;
//   index     an index run (POST /api/v1/index-runs) killed while its job
//             runs, then the server restarted;
//   publish   `learncity framework publish CODE` of a prepared draft, killed.
// The kill comes after a random delay within the operation's duration as
// measured on this machine before the campaign. A table sums it up at the
// end, per scenario: runs; kills that landed mid-operation (the command had
// not exited; the server had requests in flight; the job was running);
// runs whose change was there after the kill ("applied": the whole import
// or publish, at least one acknowledged step, a whole index run) or not
// ("absent"); databases whose integrity_check and `learncity check` passed;
// runs with a partial change (must be 0) and with a job stuck running (must
// be 0). The exit code is 1 when any check failed; the failing databases
// are kept.
//
// Environment: LC_BIN (default build/learncity), RELIABILITY_RUNS (default
// 20), RELIABILITY_SEED (default: from the clock; printed, so a failing
// campaign can be replayed), RELIABILITY_KEEP=1 keeps the work folder.
// Needs the sqlite3 command-line shell.
import { spawn, execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const BIN = process.env.LC_BIN || path.resolve('build/learncity');
const RUNS = Number(process.env.RELIABILITY_RUNS || 20);
const SEED = Number(process.env.RELIABILITY_SEED || Date.now() % 2147483647);
const KEEP = process.env.RELIABILITY_KEEP === '1';
const ADMIN = { email: 'admin@example.org', password: 'Secretariat-demo-2024' };
// The import writes years no demo city-year uses, so every row is new.
const IMPORT_YEARS = Array.from({ length: 16 }, (_, k) => 2004 + k);
const DRAFT = 'rel-draft';
// Uncertainty runs of the index scenario's job: long enough to be killed mid-run.
const INDEX_UA_RUNS = 1500;
// Concurrent API clients of the workflow burst, and the steps of the burst
// whose duration bounds the kill moment.
const WF_CLIENTS = 4;
const WF_STEPS = 60;

if (!Number.isInteger(RUNS) || RUNS < 1) {
  console.error(`RELIABILITY_RUNS must be a positive integer, not '${process.env.RELIABILITY_RUNS}'`);
  process.exit(2);
}

// A small seeded generator (mulberry32): the kill moments of a campaign
// follow from its seed.
let rngState = SEED >>> 0;
function random() {
  rngState = (rngState + 0x6d2b79f5) >>> 0;
  let t = rngState;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- the database, read through the sqlite3 shell ------------------------

function sql(db, query) {
  const out = execFileSync('sqlite3', ['-batch', '-json', db, query], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return out.trim() ? JSON.parse(out) : [];
}

function scalar(db, query) {
  const rows = sql(db, query);
  return rows.length ? Object.values(rows[0])[0] : null;
}

function digest(db, query) {
  const out = execFileSync('sqlite3', ['-batch', '-csv', db, query], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return createHash('sha256').update(out).digest('hex').slice(0, 16);
}

function integrityOk(db) {
  const r = spawnSync('sqlite3', ['-batch', db, 'PRAGMA integrity_check'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() === 'ok';
}

function checkOk(db) {
  const r = spawnSync(BIN, ['check', '--db', db], { encoding: 'utf8' });
  return { ok: r.status === 0, out: (r.stdout + r.stderr).trim() };
}

// A copy of the prepared database (closed cleanly: no WAL to carry along).
function fresh(work, base, name) {
  const db = path.join(work, name);
  for (const f of [db, db + '-wal', db + '-shm']) if (existsSync(f)) unlinkSync(f);
  copyFileSync(base, db);
  return db;
}

// ---- processes ------------------------------------------------------------

// Runs a command; resolves {code, signal, ms, out}. kill(proc) SIGKILLs it.
function run(args) {
  const t0 = performance.now();
  const child = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  const done = new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal, ms: performance.now() - t0, out }));
  });
  return { child, done };
}

async function startServer(db) {
  const child = spawn(BIN, ['serve', '--db', db, '--bind', '127.0.0.1', '--port', '0', '--threads', '4',
    '--page-cache-ms', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  const base = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('server did not start: ' + err)), 30000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[\d.]+:\d+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    exited.then((c) => { clearTimeout(timer); reject(new Error(`server exited ${c}: ${err}`)); });
  });
  return {
    base,
    exited,
    async kill() { child.kill('SIGKILL'); return exited; },
    async stop() { child.kill('SIGTERM'); return exited; },
  };
}

// An API client holding a session and its CSRF token.
async function login(base, who) {
  const r = await fetch(base + '/api/v1/login', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(who),
  });
  if (r.status !== 200) throw new Error(`login ${who.email}: ${r.status} ${await r.text()}`);
  const cookie = r.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const csrf = (await r.json()).csrf_token;
  return {
    async post(p, json) {
      return fetch(base + p, {
        method: 'POST', body: JSON.stringify(json),
        headers: { 'Content-Type': 'application/json', Cookie: cookie, 'X-CSRF-Token': csrf },
      });
    },
    async get(p) { return fetch(base + p, { headers: { Cookie: cookie } }); },
  };
}

// ---- scenarios ------------------------------------------------------------
//
// Each scenario has prepare(ctx) (once, on the prepared database and a
// scratch copy: builds its inputs, records the "absent" and "applied"
// states, measures the operation's duration) and once(ctx, i) (one kill on a
// fresh copy). once returns {mid, applied, integrity, check: {ok, out},
// partial: [problems], stuck?: [problems], db, note?} and, for the table's
// footnotes, acked (workflow) or outcome (index).

const importScenario = {
  name: 'import',
  state(db) {
    // Timestamps aside, everything the import writes: the values, the
    // city-years it opens as drafts, and its audit rows.
    const years = IMPORT_YEARS.join(',');
    return [
      scalar(db, 'SELECT count(*) FROM observations'),
      digest(db, `SELECT city_id, measurement_id, year, version, is_current, value_text, value_num, author_email
        FROM observations WHERE year IN (${years}) ORDER BY city_id, measurement_id, year, version`),
      digest(db, `SELECT city_id, year, state FROM wf_items WHERE process = 'year_review' AND year IN (${years}) ORDER BY city_id, year`),
      scalar(db, 'SELECT count(*) FROM audit'),
    ].join('/');
  },
  async prepare(ctx) {
    const years = IMPORT_YEARS.map((y) => `SELECT ${y} AS y`).join(' UNION ALL ');
    const rows = sql(ctx.base, `SELECT c.slug AS city, m.code AS code, y.y AS year,
        CASE m.type WHEN 'number' THEN '7' WHEN 'percentage' THEN '50' WHEN 'yes_no' THEN 'yes'
          WHEN 'maturity_0_4' THEN '2' ELSE 'text' END AS value
      FROM cities c, framework_measurements m
      JOIN framework_features f ON f.id = m.feature_id JOIN framework_areas a ON a.id = f.area_id
      JOIN framework_parts p ON p.id = a.part_id JOIN framework_versions v ON v.id = p.version_id
      , (${years}) y
      WHERE v.is_current = 1 ORDER BY 1, 2, 3`);
    this.file = path.join(ctx.work, 'observations.csv');
    writeFileSync(this.file, 'city,code,year,value\n' + rows.map((r) => `${r.city},${r.code},${r.year},${r.value}`).join('\n') + '\n');
    this.rows = rows.length;
    this.absent = this.state(ctx.base);
    const times = [];
    for (let k = 0; k < 2; k++) {
      const db = fresh(ctx.work, ctx.base, 'measure.db');
      const r = await run(['import', 'observations', this.file, '--db', db]).done;
      if (r.code !== 0) throw new Error('import failed: ' + r.out);
      times.push(r.ms);
      this.applied = this.state(db);
    }
    this.ms = Math.min(...times);
    if (this.applied === this.absent) throw new Error('the import changed nothing');
    return `${this.rows} rows, ${Math.round(this.ms)} ms`;
  },
  async once(ctx) {
    const db = fresh(ctx.work, ctx.base, 'run.db');
    const p = run(['import', 'observations', this.file, '--db', db]);
    await sleep(random() * this.ms);
    p.child.kill('SIGKILL');
    const r = await p.done;
    const mid = r.signal === 'SIGKILL';
    const partial = [];
    const integrity = integrityOk(db);
    const check = checkOk(db);
    const s = this.state(db);
    const applied = s === this.applied;
    if (!applied && s !== this.absent) partial.push(`import: state ${s} is neither absent ${this.absent} nor applied ${this.applied}`);
    if (r.code === 0 && !applied) partial.push('import: acknowledged (exit 0) but not all there');
    return { mid, applied, integrity, check, partial, db };
  },
};

const publishScenario = {
  name: 'publish',
  state(db) {
    return [
      digest(db, 'SELECT code, status, is_current FROM framework_versions ORDER BY id'),
      scalar(db, "SELECT count(*) FROM audit WHERE action = 'framework.publish'"),
      scalar(db, 'SELECT count(*) FROM audit'),
    ].join('/');
  },
  async prepare(ctx) {
    // The prepared database holds a draft copy of the current version.
    this.absent = this.state(ctx.base);
    const times = [];
    for (let k = 0; k < 3; k++) {
      const db = fresh(ctx.work, ctx.base, 'measure.db');
      const r = await run(['framework', 'publish', DRAFT, '--db', db]).done;
      if (r.code !== 0) throw new Error('publish failed: ' + r.out);
      times.push(r.ms);
      this.applied = this.state(db);
    }
    this.ms = Math.min(...times);
    return `${Math.round(this.ms)} ms`;
  },
  async once(ctx) {
    const db = fresh(ctx.work, ctx.base, 'run.db');
    const p = run(['framework', 'publish', DRAFT, '--db', db]);
    await sleep(random() * this.ms);
    p.child.kill('SIGKILL');
    const r = await p.done;
    const partial = [];
    const integrity = integrityOk(db);
    const check = checkOk(db);
    const s = this.state(db);
    const applied = s === this.applied;
    if (!applied && s !== this.absent) partial.push(`publish: state ${s} is neither absent ${this.absent} nor applied ${this.applied}`);
    if (r.code === 0 && !applied) partial.push('publish: acknowledged (exit 0) but not there');
    const current = sql(db, 'SELECT code, status FROM framework_versions WHERE is_current = 1');
    if (current.length !== 1 || current[0].status !== 'published') partial.push(`publish: current versions ${JSON.stringify(current)}`);
    return { mid: r.signal === 'SIGKILL', applied, integrity, check, partial, db };
  },
};

// Membership steps: each client alternates suspend and reinstate on its own
// cities with reasons that name the step, and records what was answered 200.
const workflowScenario = {
  name: 'workflow',
  async clients(base) {
    const clients = [];
    for (let c = 0; c < WF_CLIENTS; c++) clients.push(await login(base, ADMIN));
    return clients;
  },
  async burst(clients, cities, steps, acked) {
    let n = 0;
    let failed = null;
    await Promise.all(clients.map(async (client, c) => {
      const mine = cities.filter((_, i) => i % WF_CLIENTS === c);
      const state = new Map(mine.map((s) => [s, 'member']));
      for (let k = 0; steps === 0 || n < steps; k++) {
        const slug = mine[k % mine.length];
        const to = state.get(slug) === 'member' ? 'suspended' : 'member';
        const reason = `step ${c}-${k}`;
        n++;
        let r;
        try {
          r = await client.post(`/api/v1/cities/${slug}/membership/transitions`, { to, reason });
        } catch {
          return; // the server is gone
        }
        const text = await r.text().catch(() => null);
        if (text === null) return; // answered partly: not acknowledged
        if (r.status !== 200) { failed ??= `${r.status} ${text}`; return; }
        state.set(slug, to);
        acked.push({ slug, to, reason });
      }
    }));
    if (failed) throw new Error('a membership step was refused: ' + failed);
  },
  // Every item's history and audit trail agree step by step, its state is
  // its last step's, the city's open membership row says the same, and
  // every acknowledged step is there.
  verify(db, acked) {
    const partial = [];
    const items = sql(db, `SELECT i.id, i.state, c.slug,
        (SELECT h.to_state FROM wf_history h WHERE h.item_id = i.id ORDER BY h.id DESC LIMIT 1) AS last,
        (SELECT m.status FROM memberships m WHERE m.city_id = i.city_id AND m.to_date IS NULL) AS open
      FROM wf_items i JOIN cities c ON c.id = i.city_id WHERE i.process = 'membership'`);
    for (const it of items) {
      if (it.state !== it.last) partial.push(`workflow: item ${it.id} (${it.slug}) is ${it.state}, its history ends ${it.last}`);
      if (it.state !== it.open) partial.push(`workflow: item ${it.id} (${it.slug}) is ${it.state}, its membership row ${it.open}`);
    }
    const hist = sql(db, `SELECT h.item_id AS item, 'membership.' || h.transition AS action, h.reason AS reason,
        h.from_state AS f, h.to_state AS t FROM wf_history h JOIN wf_items i ON i.id = h.item_id
      WHERE i.process = 'membership' ORDER BY h.item_id, h.id`);
    const aud = sql(db, `SELECT CAST(object_id AS INTEGER) AS item, action, reason FROM audit
      WHERE object_type = 'membership' AND action <> 'membership.remind' ORDER BY CAST(object_id AS INTEGER), id`);
    const key = (r) => `${r.item}|${r.action}|${r.reason ?? ''}`;
    if (hist.map(key).join('\n') !== aud.map(key).join('\n')) {
      partial.push(`workflow: ${hist.length} history rows and ${aud.length} audit rows do not match step by step`);
    }
    for (let i = 1; i < hist.length; i++) {
      if (hist[i].item === hist[i - 1].item && hist[i].f !== hist[i - 1].t) {
        partial.push(`workflow: item ${hist[i].item} steps from ${hist[i].f} after reaching ${hist[i - 1].t}`);
      }
    }
    const have = new Set(sql(db, `SELECT c.slug || '|' || h.to_state || '|' || h.reason AS k FROM wf_history h
      JOIN wf_items i ON i.id = h.item_id JOIN cities c ON c.id = i.city_id WHERE i.process = 'membership'`).map((r) => r.k));
    const lost = acked.filter((a) => !have.has(`${a.slug}|${a.to}|${a.reason}`));
    if (lost.length) partial.push(`workflow: ${lost.length} acknowledged step(s) missing, e.g. ${JSON.stringify(lost[0])}`);
    return partial;
  },
  async prepare(ctx) {
    this.cities = sql(ctx.base, `SELECT c.slug FROM cities c JOIN memberships m ON m.city_id = c.id
      AND m.to_date IS NULL WHERE m.status = 'member' ORDER BY c.slug`).map((r) => r.slug);
    if (this.cities.length < WF_CLIENTS) throw new Error('too few member cities');
    const db = fresh(ctx.work, ctx.base, 'measure.db');
    const srv = await startServer(db);
    const acked = [];
    const clients = await this.clients(srv.base);
    const t0 = performance.now();
    await this.burst(clients, this.cities, WF_STEPS, acked);
    this.ms = performance.now() - t0;
    if ((await srv.stop()) !== 0) throw new Error('server did not stop cleanly');
    const partial = this.verify(db, acked);
    if (partial.length) throw new Error('a clean burst fails the checks: ' + partial.join('; '));
    return `${acked.length} steps, ${Math.round(this.ms)} ms`;
  },
  async once(ctx) {
    const db = fresh(ctx.work, ctx.base, 'run.db');
    const srv = await startServer(db);
    const acked = [];
    const burst = this.burst(await this.clients(srv.base), this.cities, 0, acked);
    await sleep(random() * this.ms);
    await srv.kill();
    await burst;
    const integrity = integrityOk(db);
    const check = checkOk(db);
    const partial = this.verify(db, acked);
    return { mid: true, applied: acked.length > 0, integrity, check, partial, db, note: `${acked.length} acked`, acked: acked.length };
  },
};

const indexScenario = {
  name: 'index',
  async start(admin) {
    const r = await admin.post('/api/v1/index-runs', { year: 2024, runs: INDEX_UA_RUNS });
    if (r.status !== 202) throw new Error(`index run: ${r.status} ${await r.text()}`);
    return r.headers.get('location');
  },
  // Whole runs only: each stored run has its scores, summaries and audit row.
  verify(db) {
    const partial = [];
    const runs = sql(db, `SELECT r.id, r.state, r.n_cities, json_array_length(r.codes) AS ncodes,
        (SELECT count(*) FROM scores s WHERE s.run_id = r.id) AS scores,
        (SELECT count(*) FROM score_summaries s WHERE s.run_id = r.id) AS summaries,
        (SELECT count(*) FROM audit a WHERE a.action = 'index.run' AND a.object_id = CAST(r.id AS TEXT)) AS audits
      FROM index_runs r WHERE r.id > ${this.lastRun}`);
    for (const r of runs) {
      if (r.state !== 'done' || r.scores !== r.n_cities * r.ncodes || r.summaries !== r.n_cities || r.audits !== 1) {
        partial.push(`index: run ${r.id} is partial ${JSON.stringify(r)}`);
      }
    }
    return { partial, runs: runs.length };
  },
  async prepare(ctx) {
    this.lastRun = scalar(ctx.base, 'SELECT coalesce(max(id), 0) FROM index_runs');
    const db = fresh(ctx.work, ctx.base, 'measure.db');
    const srv = await startServer(db);
    const admin = await login(srv.base, ADMIN);
    const t0 = performance.now();
    const href = await this.start(admin);
    let job;
    for (;;) {
      job = await (await admin.get(href)).json();
      if (job.state !== 'queued' && job.state !== 'running') break;
      await sleep(50);
    }
    this.ms = performance.now() - t0;
    if (job.state !== 'done') throw new Error('the index run did not finish: ' + JSON.stringify(job));
    await srv.stop();
    const { partial, runs } = this.verify(db);
    if (partial.length || runs !== 1) throw new Error('a clean run fails the checks: ' + partial.join('; '));
    return `${INDEX_UA_RUNS} uncertainty runs, ${Math.round(this.ms)} ms`;
  },
  async once(ctx) {
    const db = fresh(ctx.work, ctx.base, 'run.db');
    const srv = await startServer(db);
    const href = await this.start(await login(srv.base, ADMIN));
    const id = Number(href.split('/').pop());
    await sleep(random() * this.ms);
    await srv.kill();
    const integrity = integrityOk(db);
    const check = checkOk(db);
    const atKill = scalar(db, `SELECT state FROM jobs WHERE id = ${id}`);
    const mid = atKill === 'running';
    // Restart: the job resumes or ends failed with its reason, never stays running.
    const again = await startServer(db);
    const admin = await login(again.base, ADMIN);
    let job;
    for (let k = 0; ; k++) {
      job = await (await admin.get(href)).json();
      if (job.state !== 'queued' && job.state !== 'running') break;
      if (k * 50 > 4 * this.ms + 10000) break;
      await sleep(50);
    }
    const code = await again.stop();
    const partial = [];
    const stuck = [];
    if (job.state === 'queued' || job.state === 'running') {
      stuck.push(`index: job ${id} still ${job.state} after the restart`);
    } else if (job.state === 'failed' && !job.message) {
      partial.push(`index: job ${id} failed without a reason`);
    } else if (job.state === 'done' && !(job.result && job.result.id > this.lastRun)) {
      partial.push(`index: job ${id} done without its run`);
    }
    if (code !== 0) partial.push(`index: the restarted server exited ${code}`);
    const left = scalar(db, "SELECT count(*) FROM jobs WHERE state = 'running'");
    if (left && !stuck.length) stuck.push(`index: ${left} job(s) still running after the restart`);
    const v = this.verify(db);
    partial.push(...v.partial);
    return { mid, applied: v.runs > 0, integrity, check, partial, stuck, db, note: `${atKill} -> ${job.state}: ${job.message}`,
      outcome: `${atKill} at the kill, ${job.state} after the restart` };
  },
};

const SCENARIOS = [importScenario, workflowScenario, indexScenario, publishScenario];

// ---- the campaign ---------------------------------------------------------

async function main() {
  if (spawnSync('sqlite3', ['-version']).status !== 0) {
    console.error('reliability: the sqlite3 shell is missing (scripts/install-deps.sh test installs it)');
    process.exit(1);
  }
  const work = mkdtempSync(path.join(tmpdir(), 'lc-reliability-'));
  const t0 = performance.now();
  console.log(`reliability: ${RUNS} runs, seed ${SEED}, work folder ${work}`);
  const base = path.join(work, 'base.db');
  execFileSync(BIN, ['demo', '--db', base], { stdio: 'pipe' });
  const fw = path.join(work, 'framework.json');
  execFileSync(BIN, ['framework', 'export', '--db', base, '--format', 'json', '--output', fw], { stdio: 'pipe' });
  execFileSync(BIN, ['framework', 'import', fw, '--db', base, '--code', DRAFT, '--title', 'Reliability draft'], { stdio: 'pipe' });
  const ctx = { work, base };
  for (const s of SCENARIOS) console.log(`  measured ${s.name}: ${await s.prepare(ctx)}`);

  const stats = new Map(SCENARIOS.map((s) => [s.name, { runs: 0, mid: 0, applied: 0, integrity: 0, check: 0, partial: 0, stuck: 0 }]));
  const failures = [];
  let acked = 0;
  const outcomes = new Map();
  for (let i = 0; i < RUNS; i++) {
    const s = SCENARIOS[i % SCENARIOS.length];
    const r = await s.once(ctx, i);
    const st = stats.get(s.name);
    st.runs++;
    st.mid += r.mid ? 1 : 0;
    st.applied += r.applied ? 1 : 0;
    st.integrity += r.integrity ? 1 : 0;
    st.check += r.check.ok ? 1 : 0;
    st.partial += r.partial.length ? 1 : 0;
    st.stuck += r.stuck?.length ? 1 : 0;
    acked += r.acked ?? 0;
    if (r.outcome) outcomes.set(r.outcome, (outcomes.get(r.outcome) ?? 0) + 1);
    const problems = [...r.partial, ...(r.stuck ?? [])];
    if (!r.integrity) problems.push('integrity_check is not ok');
    if (!r.check.ok) problems.push('learncity check failed: ' + r.check.out);
    if (problems.length) {
      const keep = path.join(work, `failed-${i}-${s.name}.db`);
      copyFileSync(r.db, keep);
      failures.push(`run ${i} (${s.name}): ${problems.join('; ')} (database kept as ${keep})`);
    }
    console.log(`  run ${String(i + 1).padStart(3)} ${s.name.padEnd(8)} ${r.mid ? 'killed mid-operation' : 'killed after the end'}`
      + `, ${r.applied ? 'applied' : 'absent'}${r.note ? ` (${r.note})` : ''}${problems.length ? ': FAILED' : ''}`);
  }

  const head = ['scenario', 'runs', 'mid-op kills', 'applied', 'absent', 'integrity ok', 'check ok', 'partial changes', 'stuck jobs'];
  const rows = [...stats].map(([name, s]) => [name, s.runs, s.mid, s.applied, s.runs - s.applied, s.integrity, s.check, s.partial, s.stuck]);
  const tot = ['total', ...head.slice(1).map((_, k) => rows.reduce((a, r) => a + r[k + 1], 0))];
  const all = [head, ...rows, tot];
  const w = head.map((_, k) => Math.max(...all.map((r) => String(r[k]).length)));
  const line = (r) => '| ' + r.map((c, k) => (k ? String(c).padStart(w[k]) : String(c).padEnd(w[k]))).join(' | ') + ' |';
  console.log('\n' + line(head) + '\n|' + w.map((n, k) => (k ? '-'.repeat(n + 1) + ':' : '-'.repeat(n + 2))).join('|') + '|');
  for (const r of [...rows, tot]) console.log(line(r));
  console.log(`\nworkflow: ${acked} acknowledged steps, each checked for its history and audit rows`);
  console.log(`index jobs: ${[...outcomes].map(([k, n]) => `${n}x ${k}`).join('; ') || 'none'}`);
  console.log(`\nreliability: ${RUNS} runs in ${((performance.now() - t0) / 1000).toFixed(1)} s (seed ${SEED})`);
  if (failures.length) {
    console.error(`\nreliability: ${failures.length} run(s) failed:\n  ` + failures.join('\n  '));
    console.error(`work folder kept: ${work}`);
    process.exit(1);
  }
  if (!KEEP) rmSync(work, { recursive: true, force: true });
}

main().catch((e) => {
  console.error('reliability:', e.stack || e);
  process.exit(1);
});
