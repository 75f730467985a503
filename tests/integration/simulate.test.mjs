// bin/stint simulate: realistic traffic through the public API. A simulated
// climb reaches a live subscriber hold by hold, at a human pace, between
// "started" and "completed"; a simulated rally stores exactly the skill
// events of the real DataVolley rally, at its (squeezed) pace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { api, stint, subscribe, PREFIX, REPO } from './lib.mjs';

const DATA = process.env.STINT_DATA_DIR ?? path.resolve(REPO, '../shared/data');
const CLIP = path.join(DATA, 'volleyball/190301_kats_beds-clip.dvw');

/**
 * Starts `bin/stint simulate ARGS --prefix PREFIX` (the argument order of
 * stint()) without waiting: `session` resolves to the id on its first line,
 * `done` to { code, signal, out } once it exits; `interrupt()` sends SIGINT
 * to it and its children at once, as Ctrl-C in a terminal does.
 */
function simulate(...args) {
  const child = spawn(path.join(REPO, 'bin/stint'), ['simulate', ...args, '--prefix', PREFIX], { detached: true });
  let out = '';
  let found;
  const session = new Promise((resolve, reject) => {
    found = resolve;
    child.on('exit', (code) => reject(new Error(`simulate exited (${code}) before naming its session: ${out}`)));
  });
  child.stdout.on('data', (chunk) => {
    out += chunk;
    const m = out.match(/^session ([0-9a-f-]{36})\n/);
    if (m) found(m[1]);
  });
  child.stderr.on('data', (chunk) => { out += chunk; });
  const done = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, out })));
  return { session, done, interrupt: () => process.kill(-child.pid, 'SIGINT') };
}

const ms = (rfc3339) => Date.parse(rfc3339);
const completed = (m) => m.data.data.holds.filter((h) => h.status === 'completed').map((h) => h.id);

test('a simulated climb reaches a subscriber hold by hold, from started to completed', async () => {
  const run = simulate('--create', '--kind', 'climb', '--duration', '3');
  const id = await run.session;
  // Last-Event-ID 0:0 is nchan's "oldest": nothing sent before we listened is missed.
  const sub = await subscribe(id, { lastEventId: '0:0' });
  assert.equal(sub.status, 200);
  const { code, out } = await run.done;
  assert.equal(code, 0, out);
  assert.match(out, /^done climb: \d+ requests, \d+ updates in [\d.]+ s .* 0 failed$/m);
  assert.ok(out.split('\n').filter((l) => /^\[ *\d+ s\]/.test(l)).length >= 2, `progress lines in ${out}`);

  const stored = (await api('GET', `/api/v1/sessions/${id}/timeline`)).body.messages;
  const got = await sub.waitFor(stored.length, 5000);
  sub.close();
  assert.deepEqual(got.map((m) => m.data.seq), stored.map((m) => m.seq), 'the subscriber got what was stored');
  assert.deepEqual(got.map((m) => m.event), got.map((m) => m.data.type));

  const first = got[0], last = got.at(-1), climbs = got.slice(1, -1);
  assert.equal(first.event, 'session_updated');
  assert.equal(first.data.data.status, 'live', 'session_update started makes the session live');
  assert.equal(last.event, 'session_updated');
  assert.equal(last.data.data.status, 'completed');
  assert.ok(climbs.length >= 12 && climbs.every((m) => m.event === 'climb_updated'), `${climbs.length} climb updates`);

  // The route comes first, untouched; then one more hold is completed by each update.
  const route = climbs[0].data.data.holds;
  assert.ok(route.length >= 12 && route.length <= 22, `${route.length} holds`);
  assert.equal(route[0].type, 'start');
  assert.equal(route.at(-1).type, 'finish');
  assert.ok(route.slice(1, -1).every((h) => h.type === 'normal'));
  assert.deepEqual(completed(climbs[0]), []);
  assert.equal(climbs.length, route.length + 1);
  climbs.slice(1).forEach((m, i) => {
    assert.deepEqual(completed(m), route.slice(0, i + 1).map((h) => h.id), `update ${i + 1} completes hold ${i}`);
  });
  const holds = climbs.at(-1).data.data.holds;
  const times = holds.map((h) => ms(h.time));
  assert.ok(times.every((t, i) => i === 0 || t >= times[i - 1]), 'holds reached in order');

  // A human pace spread over the duration, not a burst.
  const span = ms(last.data.at) - ms(first.data.at);
  // (generous bounds: a loaded machine delays some posts, which then catch up)
  assert.ok(span >= 1500 && span <= 30000, `from started to completed in ${span} ms`);
  assert.ok(times.at(-1) - times[0] >= 1000, 'holds reached over more than 1 s');

  const session = (await api('GET', `/api/v1/sessions/${id}`)).body;
  assert.equal(session.kind, 'climb');
  assert.equal(session.status, 'completed');
  assert.ok(session.starts_at && session.ends_at && ms(session.ends_at) > ms(session.starts_at));
  assert.equal(session.data.holds.length, route.length);
  assert.ok(session.data.holds.every((h) => h.status === 'completed'));
});

// The skill lines of a DataVolley [3SCOUT] section, read here independently
// of the C parser: code "<team><number><skill>...", field 13 the video time.
function rallySkills(text) {
  const skills = { S: 'serve', R: 'reception', E: 'set', A: 'attack', B: 'block', D: 'dig', F: 'freeball' };
  const scout = text.slice(text.indexOf('[3SCOUT]')).split(/\r?\n/).slice(1);
  return scout.map((line) => line.split(';')).filter(([code, ...rest]) =>
    /^[*a]\d\d[SREABDF]/.test(code ?? '') && rest[11] !== '' && rest[11] !== undefined)
    .map((f) => ({
      t_sec: Number(f[12]),
      event_type: skills[f[0][3]],
      actor_team: f[0][0] === '*' ? 'A' : 'B',
      actor_number: String(Number(f[0].slice(1, 3))), // codes pad to two digits; the players list has "4"
      code: f[0],
    }));
}

test('a simulated rally stores the real rally\'s skill events at its pace', { skip: !existsSync(CLIP) && `no ${CLIP}` }, async () => {
  const started = Date.now();
  const out = stint('simulate', '--create', '--kind', 'volleyball', '--duration', '5');
  const took = Date.now() - started;
  const id = out.match(/^session ([0-9a-f-]{36})$/m)?.[1];
  assert.ok(id, out);
  assert.match(out, /^done volleyball: \d+ requests, 13 events in [\d.]+ s .* 0 failed$/m);
  assert.ok(took >= 4500 && took < 60000, `ran ${took} ms for --duration 5`);

  const expected = rallySkills(readFileSync(CLIP, 'latin1'));
  assert.equal(expected.length, 13, 'the clip\'s rally has 13 skill lines');
  const res = await api('GET', `/api/v1/sessions/${id}/events?limit=1000`);
  assert.equal(res.status, 200);
  const events = res.body.items;
  assert.deepEqual(events.map((e) => ({ t_sec: e.t_sec, event_type: e.event_type, actor_team: e.actor_team,
    actor_number: e.actor_number, code: e.payload.code })), expected);

  // Posted one by one at the rally's pace, squeezed into 5 s: serve (1 s) to the last dig (15 s) of a rally
  // that ends at its point (20 s) takes 14 / 19 x 5 = 3.7 s.
  const created = events.map((e) => ms(e.created_at));
  const span = created.at(-1) - created[0];
  // (generous bounds: a loaded machine delays some posts, which then catch up; a burst takes a few ms)
  assert.ok(span >= 2000 && span <= 30000, `first to last event in ${span} ms`);
  const attack = ms(events.find((e) => e.t_sec === 6).created_at) - created[0];
  assert.ok(attack >= 500 && attack <= 30000, `the first attack ${attack} ms after the serve (5 / 19 x 5 s = 1.3 s)`);
});

test("a simulation's API token is revoked when it ends or is interrupted", async () => {
  const active = () => Number(stint('psql', '-X', '-A', '-t', '-c',
    "SELECT count(*) FROM api_tokens WHERE name = 'simulator' AND revoked_at IS NULL").trim());
  const before = active();
  const run = simulate('--create', '--kind', 'climb', '--duration', '2');
  await run.session;
  assert.equal(active(), before + 1, 'a token while it runs');
  const { code, out } = await run.done;
  assert.equal(code, 0, out);
  assert.equal(active(), before, 'revoked when it ends');

  const long = simulate('--create', '--kind', 'climb', '--duration', '60');
  await long.session;
  assert.equal(active(), before + 1);
  long.interrupt();
  const stopped = await long.done;
  assert.ok(stopped.code === 130 || stopped.signal === 'SIGINT', `interrupted: ${JSON.stringify(stopped)}`);
  assert.equal(active(), before, 'revoked when interrupted');
});

test('simulate runs twice on one session: the second run restarts it (a new start, the old end cleared)', async () => {
  const first = simulate('--create', '--kind', 'climb', '--duration', '2');
  const id = await first.session;
  const one = await first.done;
  assert.equal(one.code, 0, one.out);
  const ended = (await api('GET', `/api/v1/sessions/${id}`)).body;
  assert.equal(ended.status, 'completed');

  const second = simulate('--session', id, '--kind', 'climb', '--duration', '2');
  assert.equal(await second.session, id);
  const two = await second.done;
  assert.equal(two.code, 0, two.out);
  assert.match(two.out, /^done climb: .* 0 failed$/m);
  const again = (await api('GET', `/api/v1/sessions/${id}`)).body;
  assert.equal(again.status, 'completed');
  assert.ok(ms(again.starts_at) >= ms(ended.ends_at), `the second start ${again.starts_at} follows the first end ${ended.ends_at}`);
  assert.ok(ms(again.ends_at) > ms(again.starts_at), 'and its own end follows it');
  const statuses = (await api('GET', `/api/v1/sessions/${id}/timeline`)).body.messages
    .filter((m) => m.type === 'session_updated').map((m) => m.data.status);
  assert.deepEqual(statuses, ['live', 'completed', 'live', 'completed']);
});
