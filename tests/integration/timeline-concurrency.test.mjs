// The timeline under concurrent writers (issue 17's test gaps): one
// Idempotency-Key sent by concurrent requests, a key reused across sessions
// and users, and rollups that stay exact through interleaved adds, edits and
// deletes from several writers at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, createSession, makeUser, stint } from './lib.mjs';

const ev = (t_sec, event_type, actor_team, actor_number, payload = {}) =>
  ({ t_sec, event_type, actor_team, actor_number, payload });
const sql = (q) => stint('psql', '-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1', '-c', q).trim();
const post = (sid, body, key, token) => api('POST', `/api/v1/sessions/${sid}/events`,
  { json: body, headers: key ? { 'idempotency-key': key } : {}, ...(token ? { token } : {}) });
const events = async (sid) => (await api('GET', `/api/v1/sessions/${sid}/events?limit=10000`)).body.items;
const keyRows = (sid) => Number(sql(`SELECT count(*) FROM idempotency_keys WHERE session_id = '${sid}'`));

// --- Idempotency-Key ---------------------------------------------------------

test('concurrent requests with one Idempotency-Key and one body: stored once, every answer the same', async () => {
  const s = await createSession();
  const body = { events: Array.from({ length: 50 }, (_, i) => ev(i / 4, 'serve', 'A', i % 7)) };
  const key = `concurrent-${s.id}`;
  const answers = await Promise.all(Array.from({ length: 8 }, () => post(s.id, body, key)));
  for (const a of answers) {
    assert.equal(a.status, 201, a.text);
    assert.deepEqual(a.body, answers[0].body, 'every answer is the first one');
  }
  assert.equal(answers[0].body.inserted, 50);
  assert.equal(answers.filter((a) => a.headers.get('idempotent-replayed') === null).length, 1,
    'one request stored the batch, the others were replays');
  assert.equal((await events(s.id)).length, 50, 'stored once');
  assert.equal(keyRows(s.id), 1);
  const rollup = (await api('GET', `/api/v1/sessions/${s.id}/rollup`)).body.rows;
  assert.equal(rollup.reduce((n, r) => n + r.count, 0), 50, 'counted once');
});

test('concurrent requests with one Idempotency-Key and two bodies: one body wins, the other gets 422', async () => {
  const s = await createSession();
  const bodies = [{ events: [ev(1, 'serve', 'A', 1), ev(2, 'serve', 'A', 2)] },
    { events: [ev(10, 'attack', 'B', 5)] }];
  const key = `two-bodies-${s.id}`;
  const sent = Array.from({ length: 10 }, (_, i) => i % 2);
  const answers = await Promise.all(sent.map((b) => post(s.id, bodies[b], key)));
  const winner = sent[answers.findIndex((a) => a.status === 201)];
  assert.ok(winner !== undefined, 'one body was stored');
  answers.forEach((a, i) => {
    if (sent[i] === winner) {
      assert.equal(a.status, 201, a.text);
      assert.deepEqual(a.body, answers[sent.indexOf(winner)].body, 'the same answer for the same body');
    } else {
      assert.equal(a.status, 422, a.text);
      assert.equal(a.body.error.code, 'idempotency_key_reused');
    }
  });
  assert.deepEqual((await events(s.id)).map((e) => e.t_sec), bodies[winner].events.map((e) => e.t_sec),
    'only the winning body is stored, once');
  assert.equal(keyRows(s.id), 1);
});

test('an Idempotency-Key is per session: the same key in other sessions stores each batch', async () => {
  const [a, b, c] = await Promise.all([createSession(), createSession(), createSession()]);
  const key = `shared-key-${a.id}`;
  const body = { events: [ev(1, 'serve', 'A', 1)] };
  // concurrently, the same key and body in two sessions, another body in a third
  const [ra, rb, rc] = await Promise.all([post(a.id, body, key), post(b.id, body, key),
    post(c.id, { events: [ev(5, 'dig', 'B', 2)] }, key)]);
  for (const r of [ra, rb, rc]) {
    assert.equal(r.status, 201, r.text);
    assert.equal(r.headers.get('idempotent-replayed'), null, 'not a replay of another session');
    assert.equal(r.body.inserted, 1);
  }
  assert.notDeepEqual(ra.body.ids, rb.body.ids, "each session's own event");
  for (const s of [a, b, c]) assert.equal((await events(s.id)).length, 1);
  // and each session replays its own answer
  const again = await post(b.id, body, key);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.deepEqual(again.body, rb.body);
});

test('an Idempotency-Key is per session, not per user: editors share it, others never see it', async () => {
  const owner = makeUser('coach');
  const editor = makeUser('analyst');
  const viewer = makeUser('analyst');
  const stranger = makeUser('coach');
  const r = await api('POST', '/api/v1/sessions', { json: { title: 'idempotency across users' }, token: owner.token });
  assert.equal(r.status, 201, r.text);
  const s = r.body;
  for (const [u, role] of [[editor, 'editor'], [viewer, 'viewer']]) {
    const share = await api('POST', `/api/v1/sessions/${s.id}/shares`, { json: { email: u.email, role }, token: owner.token });
    assert.equal(share.status, 200, share.text);
  }
  const key = `per-session-${s.id}`;
  const body = { events: [ev(3, 'serve', 'A', 4), ev(4, 'reception', 'B', 8)] };
  const first = await post(s.id, body, key, owner.token);
  assert.equal(first.status, 201, first.text);

  // the session's editor sending the same key: the session's answer, nothing stored again
  const same = await post(s.id, body, key, editor.token);
  assert.equal(same.status, 201, same.text);
  assert.equal(same.headers.get('idempotent-replayed'), 'true');
  assert.deepEqual(same.body, first.body);
  const other = await post(s.id, { events: [ev(9, 'dig', 'A', 1)] }, key, editor.token);
  assert.equal(other.status, 422, other.text);
  assert.equal(other.body.error.code, 'idempotency_key_reused');

  // a viewer and a stranger are refused before the key is looked at: no replay, no 422
  for (const u of [viewer, stranger]) {
    for (const b of [body, { events: [ev(9, 'dig', 'A', 1)] }]) {
      const x = await post(s.id, b, key, u.token);
      assert.equal(x.status, 403, x.text);
      assert.equal(x.headers.get('idempotent-replayed'), null);
      assert.ok(!x.text.includes(String(first.body.ids[0])), 'no stored answer leaks');
    }
  }
  // the stranger's own session: the same key is a new key there
  const own = await api('POST', '/api/v1/sessions', { json: { title: 'stranger' }, token: stranger.token });
  const mine = await post(own.body.id, body, key, stranger.token);
  assert.equal(mine.status, 201, mine.text);
  assert.equal(mine.headers.get('idempotent-replayed'), null);
  assert.notDeepEqual(mine.body.ids, first.body.ids);

  assert.equal((await events(s.id)).length, 2, 'the session holds the first batch only');
  assert.equal(keyRows(s.id), 1);
});

// --- Rollups under concurrent writers -----------------------------------------

/** mulberry32: a small seeded PRNG, so a failing run can be replayed with STINT_TEST_SEED. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPES = ['serve', 'attack', 'reception', 'dig', 'timeout'];
const EVALS = ['#', '+', '!', '-', '/', '='];

/** The rollups recounted from the events table, as GET .../rollup's rows. */
function recount(sid) {
  const out = sql(`SELECT coalesce(json_agg(json_build_object('team_side', team_side, 'number', number,
      'event_type', event_type, 'count', count) ORDER BY team_side, number, event_type), '[]')
    FROM (SELECT actor_team AS team_side, actor_number AS number, event_type, count(*) AS count
          FROM events WHERE session_id = '${sid}' GROUP BY 1, 2, 3) x`);
  return JSON.parse(out);
}

function table(sid, name, cols) {
  return JSON.parse(sql(`SELECT coalesce(json_agg(json_build_object(${cols.map((c) => `'${c}', ${c}`).join(', ')})
    ORDER BY ${cols.join(', ')}), '[]') FROM ${name} WHERE session_id = '${sid}'`));
}

function recountEvaluations(sid) {
  return JSON.parse(sql(`SELECT coalesce(json_agg(json_build_object('team_side', team_side, 'number', number,
      'event_type', event_type, 'evaluation', evaluation, 'count', count)
      ORDER BY team_side, number, event_type, evaluation), '[]')
    FROM (SELECT actor_team AS team_side, actor_number AS number, event_type, payload->>'evaluation' AS evaluation,
            count(*) AS count FROM events
          WHERE session_id = '${sid}' AND jsonb_typeof(payload->'evaluation') = 'string' GROUP BY 1, 2, 3, 4) x`));
}

/** Rows as { 'team/number/type[/evaluation]': count }, so a difference names its row. */
const byKey = (rows) => Object.fromEntries(rows.map((r) =>
  [[r.team_side, r.number, r.event_type, r.evaluation].join('/'), r.count]).sort(([a], [b]) => (a < b ? -1 : 1)));

test('rollups equal a recount of the events after interleaved adds, edits and deletes from concurrent writers', async (t) => {
  const seed = Number(process.env.STINT_TEST_SEED ?? Math.floor(Math.random() * 2 ** 31));
  const say = `seed ${seed} (rerun with STINT_TEST_SEED=${seed})`;
  t.diagnostic(say);
  const random = rng(seed);
  const pick = (list) => list[Math.floor(random() * list.length)];
  // few keys, so writers collide on the same rollup rows
  const randomEvent = () => {
    const team = random() < 0.15 ? null : pick(['A', 'B']);
    const payload = random() < 0.7 ? { evaluation: pick(EVALS) } : {};
    return ev(Math.round(random() * 36000) / 10, pick(TYPES), team, team && random() < 0.9 ? pick([1, 2, 3]) : null, payload);
  };
  const sessions = await Promise.all([createSession(), createSession(), createSession()]);
  const known = new Map(sessions.map((s) => [s.id, []]));   // event ids a writer may edit or delete
  // each writer's plan is drawn up front from the seed, so a seed replays the same requests
  const WRITERS = 8;
  const OPS = 40;
  const plans = Array.from({ length: WRITERS }, () => Array.from({ length: OPS }, () => {
    const x = random();
    return { sid: pick(sessions).id, op: x < 0.35 ? 'add' : x < 0.7 ? 'edit' : 'delete', r: random(),
      batch: Array.from({ length: 1 + Math.floor(random() * 12) }, randomEvent), edit: randomEvent() };
  }));
  const tally = { add: 0, edit: 0, delete: 0, gone: 0 };
  const deadline = Date.now() + 60000;
  const writer = async (plan) => {
    for (const step of plan) {
      if (Date.now() > deadline) break;
      const ids = known.get(step.sid);
      if (step.op === 'add' || ids.length === 0) {
        const r = await post(step.sid, { events: step.batch });
        assert.equal(r.status, 201, `${say}: add ${r.status} ${r.text}`);
        ids.push(...r.body.ids);
        tally.add++;
      } else if (step.op === 'edit') {
        const id = ids[Math.floor(step.r * ids.length)];
        const { t_sec, event_type, actor_team, actor_number, payload } = step.edit;
        const fields = step.r < 0.5 ? { event_type, actor_team, actor_number, payload } : { t_sec, actor_number, payload };
        const r = await api('PATCH', `/api/v1/sessions/${step.sid}/events/${id}`, { json: fields });
        assert.ok(r.status === 200 || r.status === 404, `${say}: edit ${r.status} ${r.text}`);
        tally[r.status === 200 ? 'edit' : 'gone']++;
      } else {
        const id = ids[Math.floor(step.r * ids.length)];
        const r = await api('DELETE', `/api/v1/sessions/${step.sid}/events/${id}`);
        assert.ok(r.status === 204 || r.status === 404, `${say}: delete ${r.status} ${r.text}`);
        if (ids.includes(id)) ids.splice(ids.indexOf(id), 1);
        tally[r.status === 204 ? 'delete' : 'gone']++;
      }
    }
  };
  await Promise.all(plans.map(writer));
  t.diagnostic(`${JSON.stringify(tally)}`);
  assert.ok(tally.add > 0 && tally.edit > 0 && tally.delete > 0, `${say}: every kind of write ran ${JSON.stringify(tally)}`);

  for (const s of sessions) {
    const expected = recount(s.id);
    assert.ok(expected.length > 0, `${say}: session ${s.id} has events`);
    const got = (await api('GET', `/api/v1/sessions/${s.id}/rollup`)).body.rows;
    assert.deepEqual(byKey(got), byKey(expected), `${say}: GET rollup of ${s.id} equals the recount`);
    assert.deepEqual(byKey(table(s.id, 'rollups', ['team_side', 'number', 'event_type', 'count'])), byKey(expected),
      `${say}: the rollups table of ${s.id} equals the recount`);
    assert.deepEqual(byKey(table(s.id, 'rollup_evaluations', ['team_side', 'number', 'event_type', 'evaluation', 'count'])),
      byKey(recountEvaluations(s.id)), `${say}: rollup_evaluations of ${s.id} equals the recount`);
  }
});
