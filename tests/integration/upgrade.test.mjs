// upgrade.test.mjs: an installation of v0.1.0 (commit 5e74c19: migrations 0001 to 0004, applied by
// that commit's own bin/stint migrate; it had no sql/functions) upgrades to HEAD with every row
// intact (issue 20, docs/upgrades.md). The data is real: the DataVolley matches of
// ../shared/data/volleyball, imported by HEAD into the test stack and copied row by row into the old
// schema (jsonb_populate_recordset keeps only the old columns), with accounts, an API token, a web
// session, a share, an audit row, and a second match archived by v0.1.0's own
// stint_session_archive. `bin/stint migrate --check` lists every migration after 0004 and changes
// nothing; `bin/stint migrate` runs them; then every row of every v0.1.0 table (but
// schema_migrations) has the same values in the v0.1.0 columns, the new tables' triggers and
// functions work on them (a new event, the archived match restored with HEAD's
// stint_session_restore), and a second migrate finds nothing to do.
//
// The old cluster: its own prefix, PostgreSQL on a unix socket with port STINT_TEST_PG_PORT + 6 unless
// STINT_TEST_UPGRADE_PG_PORT. Run against a stack: bin/stint test integration/upgrade
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { REPO, asStack, sql, stint } from './lib.mjs';

const V010 = '5e74c19';
const DATA = process.env.STINT_DEMO_DIR ?? path.resolve(REPO, '../shared/data');
const PG_PORT3 = process.env.STINT_TEST_UPGRADE_PG_PORT ?? String(Number(process.env.STINT_TEST_PG_PORT ?? 15433) + 6);
const PG_BIN = '/usr/lib/postgresql/15/bin';
const DIR = mkdtempSync(path.join(tmpdir(), 'stint-upgrade-'));
chmodSync(DIR, 0o755);
const OLD = path.join(DIR, 'v0.1.0');
const P3 = path.join(DIR, 'p');
const TAG = randomBytes(4).toString('hex');
const BIN = path.join(REPO, 'bin/stint');

const sh = (cmd, args, opts = {}) => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], ...opts });
const conninfo = `host=${path.join(P3, 'run')} port=${PG_PORT3} dbname=stint user=stint options='-c TimeZone=UTC'`;
/** psql -A -t on the old cluster: the output, trimmed. */
const psql3 = (q) => sh(path.join(PG_BIN, 'psql'), ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', conninfo], { input: q }).trim();
/** A JSON array of the rows of a query on the test stack. */
const rowsJson = (q) => sql(`SELECT coalesce(jsonb_agg(to_jsonb(x)), '[]') FROM (${q}) x`)[0];

after(() => {
  try { sh(BIN, ['pg', 'stop', '--prefix', P3]); } catch { /* not started */ }
  rmSync(DIR, { recursive: true, force: true });
});

/**
 * Each v0.1.0 table's rows in its v0.1.0 columns, each value as text (a column whose type a
 * migration widened, as 0017 made actor_number text, keeps its value), as one canonical text per
 * table (rows sorted by their JSON text): { table: text }.
 */
function snapshot(tables) {
  const out = {};
  for (const [t, cols] of Object.entries(tables)) {
    out[t] = psql3(`SELECT coalesce(jsonb_agg(x ORDER BY x::text), '[]') FROM (SELECT ${cols.map((c) => `"${c}"::text AS "${c}"`).join(', ')} FROM "${t}") x`);
  }
  return out;
}

test('v0.1.0 with a real match, accounts, a share and an archived session upgrades to HEAD intact', () => {
  // v0.1.0's migrator and migrations, as an installation of it has them
  mkdirSync(OLD);
  sh('sh', ['-c', `git -C "${REPO}" archive ${V010} bin sql | tar -x -C "${OLD}"`]);
  const oldMigrations = sh('git', ['-C', REPO, 'ls-tree', '--name-only', `${V010}:sql/migrations`]).trim().split('\n');
  assert.deepEqual(oldMigrations, ['0001_core.sql', '0002_accounts.sql', '0003_timeline.sql', '0004_live.sql']);

  for (const d of ['', 'run', 'log', 'pg']) mkdirSync(path.join(P3, d), { recursive: true });
  if (process.getuid() === 0) {
    const [uid, gid] = [Number(sh('id', ['-u', 'stint'])), Number(sh('id', ['-g', 'stint']))];
    for (const d of ['', 'run', 'log', 'pg']) chownSync(path.join(P3, d), uid, gid);
  }
  const [cmd, args] = asStack(path.join(PG_BIN, 'initdb'), ['-D', path.join(P3, 'pg'), '-U', 'stint', '--auth=trust',
    '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  sh(cmd, args);
  sh(BIN, ['pg', 'start', '--prefix', P3, '--pg-port', PG_PORT3]);
  sh(path.join(PG_BIN, 'createdb'), ['-h', path.join(P3, 'run'), '-p', PG_PORT3, '-U', 'stint', 'stint']);
  const migrated = sh(path.join(OLD, 'bin/stint'), ['migrate', '--prefix', P3, '--pg-port', PG_PORT3]);
  assert.match(migrated, /migrated: 0004_live/);

  // the real matches, imported by HEAD into the test stack
  const title = `v0.1.0 match ${TAG}`;
  const archivedTitle = `v0.1.0 archived ${TAG}`;
  stint('import', path.join(DATA, 'volleyball/example_data.dvw'), '--title', title);
  stint('import', path.join(DATA, 'volleyball/190301_kats_beds-clip.dvw'), '--video',
    path.join(DATA, 'volleyball/2019_03_01-KATS-BEDS-clip.mp4'), '--title', archivedTitle);
  const ids = sql(`SELECT id FROM sessions WHERE title IN ('${title}', '${archivedTitle}') ORDER BY title DESC`);
  assert.equal(ids.length, 2);
  const inList = `('${ids.join("', '")}')`;
  // rows of HEAD's table, in the old table's columns (jsonb_populate_record drops the others), patched
  const copy = (table, q, patch = {}) => `INSERT INTO ${table} SELECT (r).* FROM (SELECT jsonb_populate_record(NULL::${table},
    j || '${JSON.stringify(patch)}') AS r FROM jsonb_array_elements($stintjson$${rowsJson(q)}$stintjson$::jsonb) j) q;`;
  const load = [
    `INSERT INTO users (id, email, name, role, password_hash) VALUES
      (1, 'admin-${TAG}@club.example', 'Admin', 'admin', '$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA'),
      (2, 'coach-${TAG}@club.example', 'Coach Č', 'coach', NULL),
      (3, 'viewer-${TAG}@club.example', 'Viewer', 'viewer', NULL);`,
    `UPDATE users SET failed_logins = 2, locked_until = '2030-01-01T00:00:00Z' WHERE id = 3;`,
    copy('sessions', `SELECT * FROM sessions WHERE id IN ${inList}`, { owner_id: 2 }),
    copy('teams', `SELECT * FROM teams WHERE session_id IN ${inList}`),
    copy('roster', `SELECT *, position AS role FROM roster WHERE session_id IN ${inList}`),
    copy('clips', `SELECT * FROM clips WHERE session_id IN ${inList}`),
    copy('events', `SELECT * FROM events WHERE session_id IN ${inList}`),
    `INSERT INTO session_shares (session_id, user_id, role) VALUES ('${ids[0]}', 3, 'viewer');`,
    `INSERT INTO api_tokens (user_id, name, token_hash, scope) VALUES (2, 'scripts', sha256('tok-${TAG}'), 'write');`,
    `INSERT INTO web_sessions (token_hash, user_id, expires_at) VALUES (sha256('web-${TAG}'), 3, now() + interval '1 day');`,
    `INSERT INTO audit_log (user_id, action, target_type, target_id) VALUES (2, 'session.create', 'session', '${ids[0]}');`,
    `SELECT setval(pg_get_serial_sequence(t, 'id'), (SELECT max(id) FROM users)) FROM (VALUES ('users')) v(t);`,
    `SELECT setval('clips_id_seq', coalesce((SELECT max(id) FROM clips), 1)), setval('events_id_seq', (SELECT max(id) FROM events));`,
    // archived by v0.1.0's own function: a backups row, the session gone
    `SELECT stint_session_archive('${ids[1]}');`,
  ];
  writeFileSync(path.join(DIR, 'load.sql'), load.join('\n'));
  sh(path.join(PG_BIN, 'psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '--single-transaction', '-d', conninfo, '-f', path.join(DIR, 'load.sql')]);
  const nEvents = Number(sql(`SELECT count(*) FROM events WHERE session_id = '${ids[0]}'`)[0]);
  assert.ok(nEvents > 1000, 'a whole match');
  assert.equal(psql3(`SELECT count(*) FROM events WHERE session_id = '${ids[0]}'`), String(nEvents));
  assert.equal(psql3(`SELECT count(*) FROM backups WHERE session_id = '${ids[1]}'`), '1');
  assert.equal(psql3(`SELECT count(*) FROM sessions`), '1');

  // every v0.1.0 table and its columns
  const tables = {};
  for (const line of psql3(`SELECT table_name, string_agg(column_name, ',' ORDER BY ordinal_position)
      FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'schema_migrations'
      AND table_name IN (SELECT tablename FROM pg_tables WHERE schemaname = 'public') GROUP BY 1 ORDER BY 1`).split('\n')) {
    const [t, cols] = line.split('|');
    tables[t] = cols.split(',');
  }
  for (const t of ['users', 'sessions', 'teams', 'roster', 'events', 'clips', 'session_shares', 'backups', 'api_tokens', 'audit_log']) {
    assert.ok(tables[t], `v0.1.0 has ${t}`);
  }
  // 0006_login_failures moves these two to login_failures (checked below)
  // and 0022_team_rosters renames roster.role to position (checked below)
  const moved = { users: ['failed_logins', 'locked_until'], roster: ['role'] };
  const rosterRoles = psql3('SELECT string_agg(role, \',\' ORDER BY session_id, side, number) FROM roster');
  for (const [t, cols] of Object.entries(moved)) tables[t] = tables[t].filter((c) => !cols.includes(c));
  const before = snapshot(tables);

  // migrate --check lists what would run and runs nothing
  const head = sh('ls', [path.join(REPO, 'sql/migrations')]).trim().split('\n').map((f) => f.replace(/\.sql$/, ''));
  const pending = head.filter((v) => v > '0004_live');
  const check = sh(BIN, ['migrate', '--check', '--prefix', P3, '--pg-port', PG_PORT3]);
  assert.deepEqual(check.split('\n').filter((l) => l.startsWith('would migrate: ')).map((l) => l.slice(15)), pending);
  assert.equal(psql3('SELECT count(*) FROM schema_migrations'), '4', '--check ran nothing');

  const up = sh(BIN, ['migrate', '--prefix', P3, '--pg-port', PG_PORT3]);
  for (const v of pending) assert.ok(up.includes(`migrated: ${v}\n`), `ran ${v}`);
  assert.match(up, /functions: applied sql\/functions/);
  assert.equal(psql3('SELECT count(*) FROM schema_migrations'), String(head.length));

  const afterUp = snapshot(tables);
  for (const t of Object.keys(tables)) {
    if (afterUp[t] === before[t]) continue;
    let i = 0;
    while (afterUp[t][i] === before[t][i]) i++;
    assert.fail(`${t} changed at character ${i}: before …${before[t].slice(Math.max(0, i - 150), i + 150)}… after …${afterUp[t].slice(Math.max(0, i - 150), i + 150)}…`);
  }

  assert.equal(psql3('SELECT string_agg(position, \',\' ORDER BY session_id, side, number::int) FROM roster'),
    rosterRoles, 'each roster role is its position now');
  assert.equal(psql3(`SELECT failures || ' ' || locked_until FROM login_failures WHERE email = 'viewer-${TAG}@club.example'`),
    '2 2030-01-01 00:00:00+00', 'the lockout moved to login_failures');

  // HEAD's code works on the old rows
  assert.equal(psql3(`INSERT INTO events (session_id, t_sec, event_type) VALUES ('${ids[0]}', 1, 'note') RETURNING session_id`), ids[0]);
  assert.equal(psql3(`SELECT stint_session_restore('${ids[1]}')`), 't', 'the archived match restores');
  assert.equal(psql3(`SELECT title FROM sessions WHERE id = '${ids[1]}'`), archivedTitle);
  assert.equal(psql3(`SELECT count(*) FROM roster WHERE session_id = '${ids[1]}'`),
    sql(`SELECT count(*) FROM roster WHERE session_id = '${ids[1]}'`)[0], 'with its roster');
  assert.match(sh(BIN, ['migrate', '--check', '--prefix', P3, '--pg-port', PG_PORT3]), /migrations: up to date/);
});
