// fit.test.mjs: FIT device files end to end (issue 12, lib/wearable-fit.c). Each of the five FIT files
// in ../shared/data/gps is uploaded as a participant's device data and bin/stint-report run on the
// session: each player's distance in metrics.json is within 1 % of the last `distance` of the file's
// `*-records.csv` (the ANT FIT SDK's decode, read here), and the samples are the CSV's rows. Cut and
// bit-flipped FIT files answer 422 naming the byte and the reason, and store nothing.
//
// Run against a stack: bin/stint test integration/fit
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { PREFIX, REPO, api, makeUser } from './lib.mjs';

const TAG = `fit${randomBytes(4).toString('hex')}`;
const DATA = process.env.STINT_DATA_DIR ?? path.join(REPO, '..', 'shared', 'data');
const GPS = path.join(DATA, 'gps');
const FILES = ['garmin-edge-820-bike', 'garmin-fenix-5-bike', 'garmin-fenix-5-run', 'garmin-fenix-5-walk',
  'compressed-speed-distance'];
const owner = makeUser('coach');

function sql(query) {
  const out = execFileSync(path.join(REPO, 'bin/stint'), ['psql', '--prefix', PREFIX, '-X', '-A', '-t', '-c', query],
    { encoding: 'utf8' }).trim();
  return out === '' ? [] : out.split('\n');
}

function stackEnv() {
  const env = {};
  for (const line of readFileSync(path.join(PREFIX, 'stint.env'), 'utf8').split('\n')) {
    const m = /^(STINT_[A-Z0-9_]+)='(.*)'$/.exec(line);
    if (m) env[m[1]] = m[2].replaceAll("'\\''", "'");
  }
  return env;
}

/** Runs bin/stint-report SESSION with the stack's settings, as the user `stint` when we are root. */
function runReport(sid) {
  let [cmd, args] = [path.join(REPO, 'bin/stint-report'), [sid]];
  if (process.getuid() === 0) [cmd, args] = ['setpriv', ['--reuid=stint', '--regid=stint', '--init-groups', cmd, ...args]];
  const r = spawnSync(cmd, args, { env: { PATH: process.env.PATH, ...stackEnv() }, encoding: 'utf8', timeout: 60000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function ownSession(title) {
  const r = await api('POST', '/api/v1/sessions', { json: { title: `${TAG} ${title}`, kind: 'training' }, token: owner.token });
  assert.equal(r.status, 201, r.text);
  return r.body.id;
}

function upload(sid, device, bytes) {
  const q = new URLSearchParams({ device, name: `${device}.fit` });
  return api('POST', `/api/v1/sessions/${sid}/device-data?${q}`,
    { body: bytes, headers: { 'content-type': 'application/octet-stream' }, token: owner.token });
}

/** A records CSV: its rows and the last non-empty `distance` (m). */
function records(name) {
  const [head, ...rows] = readFileSync(path.join(GPS, `${name}-records.csv`), 'utf8').trim().split('\n');
  const col = head.split(',').findIndex((h) => /distance/i.test(h));
  const distances = rows.map((r) => r.split(',')[col]).filter((v) => v !== '' && v !== 'null').map(Number);
  return { rows: rows.length, distance: distances.at(-1) };
}

test('each FIT file\'s distance in the report is within 1 % of its SDK records\' last distance', async () => {
  const sid = await ownSession('fit report');
  for (const name of FILES) {
    const p = await api('POST', `/api/v1/sessions/${sid}/participants`,
      { json: { player: name, team_side: 'A', device_id: name }, token: owner.token });
    assert.equal(p.status, 201, p.text);
    const u = await upload(sid, name, readFileSync(path.join(GPS, `${name}.fit`)));
    assert.equal(u.status, 201, u.text);
    assert.equal(u.body.format, 'fit');
    assert.equal(u.body.samples, records(name).rows, name);
  }
  const r = runReport(sid);
  assert.equal(r.status, 0, r.stderr);
  const { run } = JSON.parse(r.stdout.trim().split('\n').at(-1));
  const metrics = JSON.parse(readFileSync(path.join(PREFIX, 'reports', sid, run, 'metrics.json'), 'utf8'));
  for (const name of FILES) {
    const want = records(name);
    const player = metrics.players.find((x) => x.player === name);
    assert.ok(player, name);
    assert.equal(player.samples, want.rows, name);
    console.log(`# ${name}: ${player.distance_m} m, the SDK's ${want.distance} m`);
    assert.ok(Math.abs(player.distance_m - want.distance) / want.distance < 0.01,
      `${name}: ${player.distance_m} m vs the SDK's ${want.distance} m`);
  }
});

test('a cut or bit-flipped FIT file answers 422 naming the byte and the reason, and stores nothing', async () => {
  const sid = await ownSession('fit corrupt');
  const fit = readFileSync(path.join(GPS, 'garmin-fenix-5-run.fit'));
  const flipped = Buffer.from(fit);
  flipped[2000] ^= 0x10;
  const cases = [
    [fit.subarray(0, 5), /^byte 0: not a FIT file header/],
    [fit.subarray(0, 13), /^byte 13: the file is truncated inside its 14-byte header/],
    [fit.subarray(0, 1000), /^byte 1000: the file is truncated/],
    [fit.subarray(0, fit.length - 1), new RegExp(`^byte ${fit.length - 1}: the file is truncated`)],
    [flipped, /^byte \d+: file CRC mismatch/],
  ];
  for (const [bytes, want] of cases) {
    const u = await upload(sid, 'GPS-9', bytes);
    assert.equal(u.status, 422, `${bytes.length} bytes: ${u.text}`);
    assert.equal(u.body.error.code, 'unreadable_file');
    assert.match(u.body.error.fields.body, want);
  }
  assert.equal(Number(sql(`SELECT count(*) FROM device_files WHERE session_id = '${sid}'`)[0]), 0);
});
