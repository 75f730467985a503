// Production on one host (issue 20): make install into a staging directory
// (DESTDIR) with its own prefix, sysconfdir and localstatedir; the installed
// tree, unpacked where its prefix says and away from the checkout, runs a
// stack that passes the API smoke test (sign in, create a session, post
// events, read them back); every systemd unit passes systemd-analyze verify
// (and its security exposure is printed); the production nginx configuration,
// made from the route manifest, passes nginx -t with a self-signed
// certificate made here, and serves the installed stack over TLS: HTTP/2,
// HSTS, cookies with Secure, HTTP redirected but for ACME challenges, gzip,
// long caching of fingerprinted static files. The installed command backs up
// the database of database_url and the installed state directory (stint backup
// --system, as stint-backup.service runs it), the archive passes stint backup
// --verify, and restore --system brings it back into another database.
// Ports: STINT_TEST_PORT + 2 (the installed stack), + 3 (HTTPS), + 4 (HTTP);
// STINT_TEST_PG_PORT + 2 (its PostgreSQL).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync,
  rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BASE_PORT = Number(process.env.STINT_TEST_PORT ?? 18080);
const PORT = BASE_PORT + 2;
const PG_PORT = Number(process.env.STINT_TEST_PG_PORT ?? 15433) + 2;
const HTTPS_PORT = BASE_PORT + 3;
const HTTP_PORT = BASE_PORT + 4;
const URL_ = `http://127.0.0.1:${PORT}`;
const HOST = 'stint.test';

// The installed tree's processes get nothing of this run's environment (the
// runner's STINT_* settings point at the checkout's stack).
const CLEAN_ENV = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8' };
const PSQL = '/usr/lib/postgresql/15/bin/psql';
const AS_STINT = process.getuid() === 0 ? ['runuser', '-u', 'stint', '--'] : [];

let root, stage, prefix, etc, vardir, state, units;

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: CLEAN_ENV, cwd: '/', ...opts });
  if (r.error) throw r.error;
  return r;
}
function ok(cmd, args, opts) {
  const r = run(cmd, args, opts);
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r;
}
function curl(args) {
  return ok('curl', ['-sS', '--max-time', '10', ...args]).stdout;
}

before(() => {
  root = mkdtempSync('/tmp/stint-install.');
  chmodSync(root, 0o755);  // the user stint runs the installed stack
  prefix = path.join(root, 'usr');
  etc = path.join(root, 'etc');
  vardir = path.join(root, 'var');
  state = path.join(root, 'state');
  stage = path.join(root, 'stage');
  units = path.join(prefix, 'lib/systemd/system');
  // configure's --prefix, --sysconfdir and --localstatedir are these make
  // variables: the checkout keeps its own configuration and build
  ok('make', ['-s', '-C', REPO, 'install', `prefix=${prefix}`, `sysconfdir=${etc}`,
    `localstatedir=${vardir}`, `DESTDIR=${stage}`], { env: process.env });
});

after(() => {
  if (!root) return;
  if (existsSync(path.join(prefix, 'bin/stint'))) run(path.join(prefix, 'bin/stint'), ['down', '--prefix', state]);
  const pid = path.join(root, 'tlsrun/nginx.pid');
  if (existsSync(pid)) run('kill', ['-QUIT', readFileSync(pid, 'utf8').trim()]);
  rmSync(root, { recursive: true, force: true });
});

test('make install honours DESTDIR, prefix, sysconfdir and localstatedir', () => {
  assert.equal(existsSync(prefix), false, 'nothing is written outside DESTDIR');
  const s = (p) => path.join(stage, p);
  for (const f of [`${prefix}/bin/stint`, `${prefix}/libexec/stint/stint-spooler`, `${prefix}/libexec/stint/stint-livepub`,
    `${prefix}/libexec/stint/stint-report`, `${prefix}/libexec/stint/stint-recorder-sync`,
    `${prefix}/libexec/stint/stint-analyze`, `${prefix}/libexec/stint/stint-simulate`,
    `${prefix}/libexec/stint/stint-routes`, `${prefix}/libexec/stint/stint-admin`,
    `${prefix}/libexec/stint/stint-logrotate`, `${prefix}/libexec/stint/cgi-bin/sessions.fcgi`,
    `${prefix}/libexec/stint/analyzers/loudness`,
    `${prefix}/share/stint/templates/layout.mustache`, `${prefix}/share/stint/static/stint.css`,
    `${prefix}/share/stint/sql/migrations/0001_core.sql`, `${prefix}/share/stint/sql/functions/sessions.sql`,
    `${prefix}/share/stint/conf/nginx/stint-production.conf.in`,
    `${prefix}/share/man/man1/stint.1`, `${prefix}/share/man/man5/stint.conf.5`,
    `${etc}/stint/stint.conf`, `${units}/stint.target`, `${units}/stint-pool@.service`]) {
    assert.ok(existsSync(s(f)), `${f} is installed (under DESTDIR)`);
  }
  assert.ok(existsSync(s(`${vardir}/lib/stint`)), 'the state directory localstatedir/lib/stint');
  assert.equal(existsSync(s(`${prefix}/bin/stint-spooler`)), false, 'only the command stint in bindir');
  // every path the installed tree uses is its own: the checkout appears nowhere
  const cmd = readFileSync(s(`${prefix}/bin/stint`), 'utf8');
  assert.match(cmd, new RegExp(`^PROG_DIR=${prefix}/libexec/stint$`, 'm'));
  assert.match(cmd, new RegExp(`^SHARE_DIR=${prefix}/share/stint$`, 'm'));
  assert.match(cmd, new RegExp(`^CONF_FILE=${etc}/stint/stint.conf$`, 'm'));
  assert.match(cmd, new RegExp(`^STATE_DIR=${vardir}/lib/stint$`, 'm'));
  assert.match(cmd, /^INSTALLED=yes$/m);
  const conf = readFileSync(s(`${etc}/stint/stint.conf`), 'utf8');
  assert.match(conf, new RegExp(`^template_dir = ${prefix}/share/stint/templates$`, 'm'));
  assert.match(conf, new RegExp(`^var_dir = ${vardir}/lib/stint$`, 'm'));
  const tasks = readFileSync(s(`${prefix}/share/stint/conf/tasks.conf`), 'utf8');
  assert.match(tasks, new RegExp(`^program = ${prefix}/libexec/stint/stint-report$`, 'm'));
  const unit = readFileSync(s(`${units}/stint-pool@.service`), 'utf8');
  assert.match(unit, new RegExp(`^ExecStart=${prefix}/bin/stint pool run %i$`, 'm'));
  for (const f of [cmd, conf, tasks, unit]) assert.equal(f.includes(REPO), false, 'no path into the checkout');
  // unpack where the prefix says, as a package would be
  ok('cp', ['-a', `${stage}${root}/.`, root]);
  rmSync(stage, { recursive: true, force: true });
});

test('the installed tree runs the stack and passes the API smoke test', async () => {
  const stint = path.join(prefix, 'bin/stint');
  const up = run(stint, ['up', '--prefix', state, '--port', String(PORT), '--pg-port', String(PG_PORT), '--no-demo']);
  assert.equal(up.status, 0, `stint up from the installed tree:\n${up.stdout}\n${up.stderr}`);
  // its processes are the installed programs, its settings the installed paths
  const pools = readdirSync(path.join(state, 'run')).filter((f) => f.endsWith('.pid') && f !== 'nginx.pid');
  assert.ok(pools.length >= 15, `pools and daemons: ${pools}`);
  for (const f of pools) {
    const pid = readFileSync(path.join(state, 'run', f), 'utf8').trim();
    if (f === 'logrotate.pid') continue;  // a script: its exe is bash
    const exe = readlinkSync(`/proc/${pid}/exe`);
    assert.ok(exe.startsWith(`${prefix}/libexec/stint/`), `${f}: ${exe} is the installed program`);
  }
  const env = readFileSync(path.join(state, 'stint.env'), 'utf8');
  assert.equal(env.includes(REPO), false, 'stint.env names nothing in the checkout');
  assert.match(env, new RegExp(`STINT_TEMPLATE_DIR='${prefix}/share/stint/templates'`));

  // sign in through the form (CSRF cookie, then the session cookie)
  const jar = new Map();
  const remember = (res) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      jar.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
      assert.equal(/;\s*Secure/i.test(line), false, `no Secure over plain http: ${line}`);
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  remember(await fetch(`${URL_}/login`, { redirect: 'manual' }));
  const password = readFileSync(path.join(state, 'admin-password'), 'utf8').trim();
  const login = await fetch(`${URL_}/login`, {
    method: 'POST', redirect: 'manual',
    headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email: 'admin@stint.local', password, next: '/', csrf: jar.get('stint_csrf') }).toString(),
  });
  assert.equal(login.status, 303, 'signed in');
  remember(login);
  assert.ok(jar.get('stint_session'), 'a session cookie');
  const json = async (method, url, body) => {
    const res = await fetch(URL_ + url, {
      method, redirect: 'manual', body: body === undefined ? undefined : JSON.stringify(body),
      headers: { cookie: cookie(), 'content-type': 'application/json', 'x-csrf-token': jar.get('stint_csrf') },
    });
    return { status: res.status, body: await res.json().catch(() => null) };
  };
  const created = await json('POST', '/api/v1/sessions', { title: 'Installed tree', kind: 'match' });
  assert.equal(created.status, 201);
  const id = created.body.id;
  const posted = await json('POST', `/api/v1/sessions/${id}/events`, {
    events: [{ t_sec: 12.4, event_type: 'serve', actor_team: 'A', actor_number: 9, payload: { evaluation: '#' } },
      { t_sec: 14, event_type: 'reception', actor_team: 'B', actor_number: 3, payload: { evaluation: '+' } }],
  });
  assert.equal(posted.status, 201);
  assert.equal(posted.body.inserted, 2);
  const read = await json('GET', `/api/v1/sessions/${id}/events`);
  assert.equal(read.status, 200);
  const items = read.body.items;
  assert.deepEqual(items.map((e) => [e.t_sec, e.event_type, e.actor_team]),
    [[12.4, 'serve', 'A'], [14, 'reception', 'B']]);
});

test('the commands the units run: stint migrate --system and stint pool run', async () => {
  const stint = path.join(prefix, 'bin/stint');
  // the database of the setting database_url (here: the installed stack's cluster)
  const url = `host=${state}/run port=${PG_PORT} dbname=stint user=stint`;
  const asUser = (args, env) => run(AS_STINT[0] ?? args[0], [...AS_STINT.slice(1), ...(AS_STINT.length ? args : args.slice(1))],
    { env: { ...CLEAN_ENV, ...env } });
  const m = asUser([stint, 'migrate', '--system', '--prefix', state], { STINT_DATABASE_URL: url });
  assert.equal(m.status, 0, m.stderr);
  assert.match(m.stdout, /migrations: up to date/);
  assert.match(m.stdout, /functions: applied sql\/functions/);
  // pool run becomes the installed handler program on the socket it is given
  const sock = path.join(state, 'run', 'health-unit.sock');
  const { spawn } = await import('node:child_process');
  const args = [...AS_STINT, stint, 'pool', 'run', 'health'];
  const child = spawn(args[0], args.slice(1), { env: { ...CLEAN_ENV, STINT_CONFIG: path.join(etc, 'stint/stint.conf'),
    STINT_DATABASE_URL: url, STINT_VAR_DIR: state, STINT_POOL_SOCKET: sock, STINT_POOL_WORKERS: '1' }, stdio: 'ignore' });
  let pids = [];
  try {
    for (let i = 0; i < 100 && !existsSync(sock); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(existsSync(sock), 'the pool listens on STINT_POOL_SOCKET');
    pids = execFileSync('pgrep', ['-f', '--', `--socket ${sock}`], { encoding: 'utf8' }).trim().split('\n');
    assert.ok(pids.some((pid) => readlinkSync(`/proc/${pid}/exe`) === `${prefix}/libexec/stint/cgi-bin/health.fcgi`),
      'stint pool run execs the installed handler');
    const bad = asUser([stint, 'pool', 'run', 'nosuch'], {});
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /no pool 'nosuch' in the route manifest/);
  } finally {
    for (const pid of pids) spawnSync('kill', ['-TERM', pid]);  // the pool's master and workers
    child.kill('SIGTERM');
  }
});

test('stint backup --system and restore --system: the database of database_url, the installed state directory', () => {
  const stint = path.join(prefix, 'bin/stint');
  const url = `host=${state}/run port=${PG_PORT} dbname=stint user=stint`;
  const asUser = (args, env) => run(AS_STINT[0] ?? args[0], [...AS_STINT.slice(1), ...(AS_STINT.length ? args : args.slice(1))],
    { env: { ...CLEAN_ENV, ...env } });
  const dir = path.join(root, 'backups');
  mkdirSync(dir);
  if (AS_STINT.length) ok('chown', ['stint', dir]);
  mkdirSync(path.join(state, 'media/unit-backup'), { recursive: true });
  writeFileSync(path.join(state, 'media/unit-backup/clip.bin'), 'a clip of the installed system\n');
  if (AS_STINT.length) ok('chown', ['-R', 'stint', path.join(state, 'media')]);
  // the installed command, as stint-backup.service runs it: no stack of its own
  // (no --prefix: the installed state directory is STATE_DIR, here the test's)
  const file = path.join(dir, 'stint-unit.tar');
  const b = asUser([stint, 'backup', '--system', '--prefix', state, file], { STINT_DATABASE_URL: url });
  assert.equal(b.status, 0, `backup --system:\n${b.stdout}\n${b.stderr}`);
  assert.match(b.stdout, /backup: .*stint-unit\.tar .*schema \d{4}_/);
  const list = ok('tar', ['-tf', file]).stdout;
  assert.match(list, /^files\/media\/unit-backup\/clip\.bin$/m, 'the state directory\'s media are in the archive');
  const v = asUser([stint, 'backup', '--verify', file], {});
  assert.equal(v.status, 0, `backup --verify:\n${v.stdout}\n${v.stderr}`);
  assert.match(v.stdout, /verify: .* is good \(\d+ tables restored with the manifest's row counts/);
  // without a reachable database_url: a clear refusal, no archive
  const bad = asUser([stint, 'backup', '--system', '--prefix', state, path.join(dir, 'bad.tar')],
    { STINT_DATABASE_URL: `host=${state}/run port=1 dbname=stint user=stint connect_timeout=2` });
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /cannot reach the database of database_url/);
  assert.equal(existsSync(path.join(dir, 'bad.tar')), false);
  // restore --system into another (empty, migrated) database and state directory
  const psql = (args) => ok(AS_STINT[0] ?? PSQL, [...AS_STINT.slice(1), ...(AS_STINT.length ? [PSQL] : []), '-X', ...args]);
  psql(['-q', '-d', url, '-c', 'CREATE DATABASE stint_restored']);
  const url2 = `host=${state}/run port=${PG_PORT} dbname=stint_restored user=stint`;
  const state2 = path.join(root, 'state2');
  mkdirSync(state2);
  if (AS_STINT.length) ok('chown', ['stint', state2]);
  const m = asUser([stint, 'migrate', '--system', '--prefix', state2], { STINT_DATABASE_URL: url2 });
  assert.equal(m.status, 0, m.stderr);
  const r = asUser([stint, 'restore', '--system', '--prefix', state2, file], { STINT_DATABASE_URL: url2 });
  assert.equal(r.status, 0, `restore --system:\n${r.stdout}\n${r.stderr}`);
  assert.equal(readFileSync(path.join(state2, 'media/unit-backup/clip.bin'), 'utf8'), 'a clip of the installed system\n');
  const q = (u) => psql(['-A', '-t', '-d', u, '-c', "SELECT count(*) || ' ' || (SELECT count(*) FROM events) FROM sessions"])
    .stdout.trim();
  assert.equal(q(url2), q(url), 'the restored database has the sessions and events of the original');
  // a second restore finds the stack not empty
  const again = asUser([stint, 'restore', '--system', '--prefix', state2, file], { STINT_DATABASE_URL: url2 });
  assert.notEqual(again.status, 0);
  assert.match(again.stderr, /is not empty/);
});

test('every systemd unit passes systemd-analyze verify', () => {
  const which = run('sh', ['-c', 'command -v systemd-analyze']);
  assert.equal(which.status, 0, 'systemd-analyze is missing (Debian package systemd): this test cannot pass without it');
  const names = readdirSync(units).sort();
  assert.deepEqual(names, ['stint-backup.service', 'stint-backup.timer', 'stint-livepub.service', 'stint-migrate.service',
    'stint-nginx.service', 'stint-pool@.service', 'stint-spooler.service', 'stint.target']);
  const backupUnit = readFileSync(path.join(units, 'stint-backup.service'), 'utf8');
  assert.match(backupUnit, new RegExp(`${prefix}/bin/stint backup --system "\\$f" && ${prefix}/bin/stint backup --verify`));
  assert.match(backupUnit, new RegExp(`^ReadWritePaths=${vardir}/lib/stint /var/backups/stint$`, 'm'));
  assert.doesNotMatch(backupUnit, /@[a-z]+@/, 'every @...@ filled in');
  const pools = readFileSync(path.join(REPO, 'lib/routes.def'), 'utf8')
    .match(/^STINT_PROGRAM\(([a-z0-9_]+), [0-9]+\)$/gm).map((l) => l.replace(/^STINT_PROGRAM\(([a-z0-9_]+),.*$/, '$1'));
  const load = [...names.filter((n) => !n.includes('@')), ...pools.map((p) => `stint-pool@${p}.service`)];
  const env = { ...CLEAN_ENV, SYSTEMD_UNIT_PATH: `${units}:`, MANPATH: `${prefix}/share/man:` };
  const r = run('systemd-analyze', ['verify', ...load], { env, cwd: units });
  assert.equal(r.status, 0, r.stderr);
  assert.equal((r.stdout + r.stderr).trim(), '', 'no warning');
  const target = readFileSync(path.join(units, 'stint.target'), 'utf8');
  for (const p of pools) assert.match(target, new RegExp(`stint-pool@${p}\\.service`), `stint.target wants pool ${p}`);
  for (const n of load.filter((u) => u.endsWith('.service') && (!u.includes('@') || u === 'stint-pool@sessions.service'))) {
    const sec = run('systemd-analyze', ['security', '--offline=yes', path.join(units, n)], { env, cwd: units });
    const m = /Overall exposure level for \S+: ([0-9.]+)/.exec(sec.stdout + sec.stderr);
    assert.ok(m, `security of ${n}: ${sec.stdout}${sec.stderr}`);
    console.log(`systemd-analyze security ${n}: ${m[1]}`);
    assert.ok(Number(m[1]) <= 2.0, `${n} exposure ${m[1]} is at most 2.0`);
  }
});

test('the production nginx configuration passes nginx -t and serves the installed stack over TLS', async () => {
  const stint = path.join(prefix, 'bin/stint');
  const d = (n) => path.join(root, n);
  for (const n of ['tlsrun', 'tlslog', 'cert', 'acme/.well-known/acme-challenge', 'ngx']) mkdirSync(d(n), { recursive: true });
  ok('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${HOST}`,
    '-addext', `subjectAltName=DNS:${HOST}`, '-keyout', d('cert/privkey.pem'), '-out', d('cert/fullchain.pem')]);
  writeFileSync(d('acme/.well-known/acme-challenge/token-1'), 'token-1.proof\n');
  // the pools' sockets, seen from a run directory of this nginx's own (the
  // installed stack's nginx has the nchan socket and pid file of its run/)
  for (const f of readdirSync(path.join(state, 'run')).filter((n) => n.endsWith('.sock') && n !== 'nchan-pub.sock')) {
    symlinkSync(path.join(state, 'run', f), d(`tlsrun/${f}`));
  }
  ok(stint, ['nginx-conf', '--host', HOST, '--out', d('ngx'), '--run', d('tlsrun'), '--var', state,
    '--log', d('tlslog'), '--cert-dir', d('cert'), '--acme-root', d('acme'),
    '--https-port', String(HTTPS_PORT), '--http-port', String(HTTP_PORT)]);
  const conf = readFileSync(d('ngx/stint.conf'), 'utf8');
  assert.match(conf, /listen \d+ ssl http2;/);
  assert.match(conf, /ssl_protocols TLSv1\.2 TLSv1\.3;/);
  assert.equal(readFileSync(d('ngx/locations.conf'), 'utf8'),
    execFileSync(path.join(prefix, 'libexec/stint/stint-routes'), ['nginx-locations'], { encoding: 'utf8' }),
    'the locations of the route manifest, as in development');
  // the default certificate paths are certbot's
  const dflt = d('ngx-default');
  ok(stint, ['nginx-conf', '--host', HOST, '--out', dflt]);
  assert.match(readFileSync(path.join(dflt, 'stint.conf'), 'utf8'), /ssl_certificate \/etc\/letsencrypt\/live\/stint\.test\/fullchain\.pem;/);
  ok('chmod', ['-R', 'a+rX', d('tlsrun'), d('cert'), d('acme'), d('ngx')]);
  ok('chown', ['-R', process.getuid() === 0 ? 'stint' : String(process.getuid()), d('tlslog'), d('tlsrun')]);
  const nginx = ['nginx', '-e', d('tlslog/nginx-error.log'), '-p', `${state}/nginx/`, '-c', d('ngx/stint.conf')];
  const t = run(AS_STINT[0] ?? nginx[0], [...AS_STINT.slice(1), ...(AS_STINT.length ? nginx : nginx.slice(1)), '-t']);
  assert.equal(t.status, 0, `nginx -t:\n${t.stderr}`);
  assert.match(t.stderr, /test is successful/);
  ok(AS_STINT[0] ?? nginx[0], [...AS_STINT.slice(1), ...(AS_STINT.length ? nginx : nginx.slice(1))]);

  const https = `https://${HOST}:${HTTPS_PORT}`;
  const resolve = ['--resolve', `${HOST}:${HTTPS_PORT}:127.0.0.1`, '--resolve', `${HOST}:${HTTP_PORT}:127.0.0.1`,
    '--cacert', d('cert/fullchain.pem')];
  // HTTP/2, HSTS, and the handlers' answer through the TLS server
  const head = curl([...resolve, '--http2', '-D', '-', '-o', '/dev/null', '-w', 'version=%{http_version}\n', `${https}/readyz`]);
  assert.match(head, /^HTTP\/2 200/m);
  assert.match(head, /^version=2$/m);
  assert.match(head, /^strict-transport-security: max-age=63072000/mi);
  // cookies carry Secure over TLS (nginx passes HTTPS=on)
  const jar = d('cookies.txt');
  const page = curl([...resolve, '-c', jar, '-D', '-', '-o', '/dev/null', `${https}/login`]);
  assert.match(page, /^set-cookie: stint_csrf=[^\r\n]*; Secure/mi);
  const csrf = readFileSync(jar, 'utf8').match(/stint_csrf\t(\S+)/)[1];
  const password = readFileSync(path.join(state, 'admin-password'), 'utf8').trim();
  const login = curl([...resolve, '-b', jar, '-c', jar, '-D', '-', '-o', '/dev/null',
    '--data-urlencode', 'email=admin@stint.local', '--data-urlencode', `password=${password}`,
    '--data-urlencode', 'next=/', '--data-urlencode', `csrf=${csrf}`, `${https}/login`]);
  assert.match(login, /^HTTP\/2 303/m);
  assert.match(login, /^set-cookie: stint_session=[^\r\n]*; HttpOnly; SameSite=Lax; Secure/mi);
  // gzip for text, long caching of a fingerprinted static file
  const css = curl([...resolve, '-H', 'Accept-Encoding: gzip', '-D', '-', '-o', '/dev/null', `${https}/static/stint.css?v=abc123`]);
  assert.match(css, /^content-encoding: gzip/mi);
  assert.match(css, /^cache-control: max-age=31536000/mi);
  assert.match(css, /^cache-control: public, immutable/mi);
  assert.match(css, /^strict-transport-security: /mi);
  const plain = curl([...resolve, '-D', '-', '-o', '/dev/null', `${https}/static/stint.css`]);
  assert.match(plain, /^cache-control: max-age=3600/mi);
  // upload limits: the default 1 MB, the manifest's 20 MB for imports
  writeFileSync(d('big.json'), `"${'x'.repeat(2 * 1024 * 1024)}"`);
  const big = curl([...resolve, '-o', '/dev/null', '-w', '%{http_code}', '-H', 'content-type: application/json',
    '--data-binary', `@${d('big.json')}`, `${https}/api/v1/sessions`]);
  assert.equal(big, '413');
  // HTTP: a redirect to HTTPS, but for the ACME challenges
  const redirect = curl([...resolve, '-D', '-', '-o', '/dev/null', `http://${HOST}:${HTTP_PORT}/sessions?x=1`]);
  assert.match(redirect, /^HTTP\/1\.1 301/m);
  assert.match(redirect, new RegExp(`^location: https://${HOST.replace('.', '\\.')}/sessions\\?x=1`, 'mi'));
  assert.equal(curl([...resolve, `http://${HOST}:${HTTP_PORT}/.well-known/acme-challenge/token-1`]), 'token-1.proof\n');
});
