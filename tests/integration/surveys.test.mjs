// surveys.test.mjs: a session's player surveys (issue 12, "Surveys"): POST one or a batch, GET with
// each survey's sRPE load and the players' acute:chronic workload ratios, DELETE; validation naming
// the field and index, nothing stored on a bad item; the import of PMData's real p01 files (row
// counts read from the files here), sRPE = RPE x minutes, the ratios for p01 on a day against an
// independent computation over the CSV in this file; access; the survey form page without JS.
//
// Run against a stack: bin/stint test surveys
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { Browser, PREFIX, REPO, api, makeUser } from './lib.mjs';

const TAG = `surveys${randomBytes(4).toString('hex')}`;
const DATA = process.env.STINT_DATA_DIR ?? path.join(REPO, '..', 'shared', 'data');
const P01 = path.join(DATA, 'wellness', 'p01');

function sql(query) {
  const out = execFileSync(path.join(REPO, 'bin/stint'), ['psql', '--prefix', PREFIX, '-X', '-A', '-t', '-c', query],
    { encoding: 'utf8' }).trim();
  return out === '' ? [] : out.split('\n');
}

const owner = makeUser('coach');
const other = makeUser('coach');

async function ownSession(fields = {}, user = owner) {
  const r = await api('POST', '/api/v1/sessions', { json: { title: `${TAG} session`, ...fields }, token: user.token });
  assert.equal(r.status, 201, r.text);
  return r.body.id;
}

const url = (sid, suffix = '') => `/api/v1/sessions/${sid}/surveys${suffix}`;
const csvPost = (sid, query, text, user = owner) => api('POST', url(sid, `/import?${query}`),
  { body: text, headers: { 'content-type': 'text/csv' }, token: user.token });

/* The data lines of a CSV file (the header and a last empty line left out). */
const dataLines = (text) => text.split(/\r?\n/).slice(1).filter((l) => l !== '');

test('one survey and a batch are stored with their sRPE load, listed, deleted; each audited', async () => {
  const sid = await ownSession();
  const one = await api('POST', url(sid), { json: { player: 'Ana', rpe: 6.5, duration_min: 45, fatigue: 2, mood: 4,
    readiness: 8, sleep_duration_h: 7.5, sleep_quality: 4, soreness: 1, stress: 2, answered_at: '2026-03-01T18:00:00Z' },
  token: owner.token });
  assert.equal(one.status, 201, one.text);
  assert.deepEqual([one.body.count, one.body.items[0].srpe_load, one.body.items[0].readiness], [1, 292.5, 8]);
  const batch = await api('POST', url(sid), { json: { items: [{ player: 'Ben', rpe: 8 }, { player: 'Cid', duration_min: 60 },
    { player: 'Ben', rpe: 3, duration_min: 20 }] }, token: owner.token });
  assert.equal(batch.status, 201, batch.text);
  assert.deepEqual(batch.body.items.map((s) => s.srpe_load), [null, null, 60], 'NULL when RPE or minutes are missing');

  const list = await api('GET', url(sid), { token: owner.token });
  assert.equal(list.status, 200);
  assert.equal(list.body.items.length, 4);
  assert.deepEqual(list.body.players.map((p) => [p.player, p.srpe_load]), [['Ana', 292.5], ['Ben', 60], ['Cid', null]]);

  const id = one.body.items[0].id;
  assert.equal((await api('DELETE', url(sid, `/${id}`), { token: owner.token })).status, 204);
  assert.equal((await api('DELETE', url(sid, `/${id}`), { token: owner.token })).status, 404);
  assert.equal((await api('GET', url(sid), { token: owner.token })).body.items.length, 3);
  assert.deepEqual(sql(`SELECT action FROM audit_log WHERE target_id IN ('${sid}', '${id}')
    AND action LIKE 'survey%' ORDER BY id`), ['surveys.add', 'surveys.add', 'survey.delete']);
});

test('bad surveys: 422 naming each field (and index in a batch); nothing stored', async () => {
  const sid = await ownSession();
  const one = await api('POST', url(sid), { json: { rpe: 10.5, mood: 6, colour: 'red', srpe_load: 3 }, token: owner.token });
  assert.equal(one.status, 422, one.text);
  assert.deepEqual(Object.keys(one.body.error.fields).sort(), ['colour', 'mood', 'player', 'rpe', 'srpe_load']);
  const batch = await api('POST', url(sid), { json: { items: [{ player: 'Ok', rpe: 5 }, { player: '', readiness: 11 },
    { player: 'X', sleep_duration_h: 25, answered_at: 'yesterday' }] }, token: owner.token });
  assert.equal(batch.status, 422, batch.text);
  assert.deepEqual(Object.keys(batch.body.error.fields).sort(),
    ['items[1].player', 'items[1].readiness', 'items[2].answered_at', 'items[2].sleep_duration_h']);
  const empty = await api('POST', url(sid), { json: { items: [] }, token: owner.token });
  assert.equal(empty.status, 422);
  assert.deepEqual(Object.keys(empty.body.error.fields), ['items']);
  assert.deepEqual(sql(`SELECT count(*) FROM surveys WHERE session_id = '${sid}'`), ['0']);
});

/* Independent of the server: p01's sRPE history as daily loads (UTC days) and the ratios on day. */
function expectedAcwr(csv, day) {
  const daily = new Map();
  for (const line of dataLines(csv)) {
    const m = line.match(/^([^,]+),".*",([^,]*),([^,]*)$/);
    assert.ok(m, line);
    if (m[2] === '' || m[3] === '') continue;
    const d = m[1].slice(0, 10);
    daily.set(d, (daily.get(d) ?? 0) + Number(m[2]) * Number(m[3]));
  }
  const dayMs = 86400000;
  const t = Date.parse(`${day}T00:00:00Z`);
  const days = [...daily.keys()].filter((d) => Date.parse(`${d}T00:00:00Z`) <= t).sort();
  const first = Date.parse(`${days[0]}T00:00:00Z`);
  const history = Math.round((t - first) / dayMs) + 1;
  let acute = 0;
  let chronic = 0;
  let ea = 0;
  let ec = 0;
  for (let x = first; x <= t; x += dayMs) {
    const load = daily.get(new Date(x).toISOString().slice(0, 10)) ?? 0;
    ea = load * (2 / 8) + (1 - 2 / 8) * ea;
    ec = load * (2 / 29) + (1 - 2 / 29) * ec;
    if (t - x < 7 * dayMs) acute += load;
    if (t - x < 28 * dayMs) chronic += load;
  }
  return { history, acute, chronic, rolling: history >= 28 ? acute / (chronic / 4) : null, ewma: history >= 28 ? ea / ec : null };
}

test("PMData p01's files import whole; sRPE = RPE x minutes; ACWR (rolling, EWMA) as computed here", async () => {
  const player = `p01 ${TAG}`;
  const sid = await ownSession({ starts_at: '2020-02-27T20:00:00Z' });
  const srpe = readFileSync(path.join(P01, 'srpe.csv'), 'utf8');
  const wellness = readFileSync(path.join(P01, 'wellness.csv'), 'utf8');
  const q = (kind) => `kind=${kind}&player=${encodeURIComponent(player)}`;

  const s = await csvPost(sid, q('srpe'), srpe);
  assert.equal(s.status, 201, s.text);
  assert.equal(s.body.count, dataLines(srpe).length);
  assert.equal(s.body.count, 34, "SOURCES.md: p01 has 34 sRPE rows");
  for (const [i, line] of dataLines(srpe).entries()) {
    const [rpe, minutes] = line.split(',').slice(-2);
    const item = s.body.items[i];
    assert.equal(item.answered_at.slice(0, 19), line.slice(0, 19));
    assert.equal(item.srpe_load, rpe === '' || minutes === '' ? null : Number(rpe) * Number(minutes), line);
  }
  const w = await csvPost(sid, q('wellness'), wellness);
  assert.equal(w.status, 201, w.text);
  assert.equal(w.body.count, dataLines(wellness).length);
  const [first] = dataLines(wellness)[0].split(',');
  const firstItem = w.body.items.find((i) => i.answered_at.startsWith(first.slice(0, 19)));
  assert.deepEqual([firstItem.fatigue, firstItem.mood, firstItem.readiness, firstItem.sleep_duration_h, firstItem.stress],
    dataLines(wellness)[0].split(',').filter((_, k) => [1, 2, 3, 4, 8].includes(k)).map(Number));

  const list = await api('GET', url(sid), { token: owner.token });
  assert.equal(list.status, 200);
  const p = list.body.players.find((x) => x.player === player);
  const want = expectedAcwr(srpe, '2020-02-27');
  assert.equal(p.day, '2020-02-27');
  assert.equal(p.days_of_history, want.history);
  assert.equal(p.acute_load_7d, want.acute);
  assert.equal(p.chronic_load_28d, want.chronic);
  assert.ok(Math.abs(p.acwr_rolling - want.rolling) < 1e-9, `rolling ${p.acwr_rolling} vs ${want.rolling}`);
  assert.ok(Math.abs(p.acwr_ewma - want.ewma) < 1e-9, `ewma ${p.acwr_ewma} vs ${want.ewma}`);
  assert.equal(p.srpe_load, dataLines(srpe).reduce((a, l) => {
    const [rpe, minutes] = l.split(',').slice(-2);
    return a + (rpe && minutes ? rpe * minutes : 0);
  }, 0));

  // another session of the same player, 16 days after the first load: history, but not 28 days of it
  const early = await ownSession({ starts_at: '2019-11-20T18:00:00Z' });
  assert.equal((await api('POST', url(early), { json: { player, rpe: 5, duration_min: 30, answered_at: '2019-11-20T19:00:00Z' },
    token: owner.token })).status, 201);
  const e = (await api('GET', url(early), { token: owner.token })).body.players[0];
  const wantEarly = expectedAcwr(`h\n${dataLines(srpe).join('\n')}\n2019-11-20T19:00:00Z,"[]",5,30\n`, '2019-11-20');
  assert.deepEqual([e.days_of_history, e.acute_load_7d, e.acwr_rolling, e.acwr_ewma], [wantEarly.history, wantEarly.acute, null, null]);
  assert.equal(e.days_of_history, 16);
});

test('a bad CSV row: 422 naming the line and column, nothing stored', async () => {
  const sid = await ownSession();
  const srpe = readFileSync(path.join(P01, 'srpe.csv'), 'utf8').split('\n');
  srpe[5] = srpe[5].replace(/,\d+,(\d+)$/, ',11,$1');
  srpe[9] = srpe[9].replace(/,(\d+)$/, ',soon');
  const r = await csvPost(sid, 'kind=srpe&player=p01', srpe.join('\n'));
  assert.equal(r.status, 422, r.text);
  assert.equal(r.body.error.code, 'invalid_csv');
  assert.deepEqual(Object.keys(r.body.error.fields).sort(), ['line 10.duration_min', 'line 6.perceived_exertion']);
  const wrongKind = await csvPost(sid, 'kind=wellness&player=p01', srpe.join('\n'));
  assert.equal(wrongKind.status, 422);
  assert.match(wrongKind.body.error.fields['line 1'], /header must be effective_time_frame/);
  const badTime = await csvPost(sid, 'kind=srpe&player=p01', `${srpe[0]}\n2019-13-40T00:00:00Z,"[]",5,30\n`);
  assert.deepEqual(Object.keys(badTime.body.error.fields), ['line 2.end_date_time']);
  const query = await csvPost(sid, 'kind=gps', srpe.join('\n'));
  assert.deepEqual([query.status, Object.keys(query.body.error.fields).sort()], [422, ['kind', 'player']]);
  assert.deepEqual(sql(`SELECT count(*) FROM surveys WHERE session_id = '${sid}'`), ['0']);
});

test("another user can neither read nor write a session's surveys; a viewer reads only", async () => {
  const sid = await ownSession();
  const made = await api('POST', url(sid), { json: { player: 'Ana', rpe: 4 }, token: owner.token });
  const id = made.body.items[0].id;
  const get = await api('GET', url(sid), { token: other.token });
  const post = await api('POST', url(sid), { json: { player: 'Eve' }, token: other.token });
  const del = await api('DELETE', url(sid, `/${id}`), { token: other.token });
  const imp = await csvPost(sid, 'kind=srpe&player=Eve', 'end_date_time,activity_names,perceived_exertion,duration_min\n', other);
  for (const r of [get, post, del, imp]) assert.ok([403, 404].includes(r.status), `${r.status} ${r.text}`);
  const share = await api('POST', `/api/v1/sessions/${sid}/shares`, { json: { email: other.email, role: 'viewer' }, token: owner.token });
  assert.ok([200, 201].includes(share.status), share.text);
  assert.equal((await api('GET', url(sid), { token: other.token })).status, 200);
  assert.equal((await api('POST', url(sid), { json: { player: 'Eve' }, token: other.token })).status, 403);
  assert.equal((await api('DELETE', url(sid, `/${id}`), { token: other.token })).status, 403);
  assert.deepEqual(sql(`SELECT player FROM surveys WHERE session_id = '${sid}'`), ['Ana']);
});

test('the survey form without JavaScript: CSRF, CR-10 labels, 1-5 choices, a thank-you, problems by field', async () => {
  const b = await new Browser().login(owner.email, owner.password);
  const sid = await ownSession();
  assert.ok((await b.get(`/sessions/${sid}`)).html.includes(`<a class="button" href="/sessions/${sid}/survey">Survey form</a>`),
    "the editor links to the form");
  const page = await b.get(`/sessions/${sid}/survey`);
  assert.equal(page.status, 200);
  assert.match(page.html, /name="csrf" value="[^"]+"/);
  assert.match(page.html, /<meta name="viewport" content="width=device-width/);
  for (const label of ['Rest', 'Very, very easy', 'Moderate', 'Very hard', 'Maximal']) assert.ok(page.html.includes(label), label);
  assert.equal((page.html.match(/name="rpe" value="\d+"/g) ?? []).length, 11);
  for (const item of ['fatigue', 'mood', 'sleep_quality', 'soreness', 'stress']) {
    assert.deepEqual((page.html.match(new RegExp(`name="${item}" value="(\\d+)"`, 'g')) ?? []).map((m) => m.match(/\d+/)[0]),
      ['1', '2', '3', '4', '5'], item);
  }
  const fields = { player: 'Ana', rpe: '7', duration_min: '75', fatigue: '3', mood: '4', readiness: '8',
    sleep_duration_h: '7.5', sleep_quality: '4', soreness: '2', stress: '3' };

  const forged = await b.post(`/sessions/${sid}/survey`, fields, { csrf: null });
  assert.equal(forged.status, 403);
  const saved = await b.post(`/sessions/${sid}/survey`, fields);
  assert.equal(saved.status, 303, saved.html);
  assert.equal(saved.headers.get('location'), `/sessions/${sid}/survey?flash=survey_saved`);
  const thanks = await b.get(saved.headers.get('location'));
  assert.match(thanks.html, /class="flash"[^>]*>Thank you: your answers are saved\./);
  const stored = await api('GET', url(sid), { token: owner.token });
  assert.deepEqual(stored.body.items.map((s) => [s.player, s.rpe, s.duration_min, s.srpe_load, s.mood, s.sleep_duration_h]),
    [['Ana', 7, 75, 525, 4, 7.5]]);

  const bad = await b.post(`/sessions/${sid}/survey`, { ...fields, player: '', rpe: '12' });
  assert.equal(bad.status, 422);
  assert.match(bad.html, /role="alert">Not saved:.*player.*rpe/s);
  assert.match(bad.html, /name="mood" value="4" checked/, 'the answers are kept');
  assert.equal((await api('GET', url(sid), { token: owner.token })).body.items.length, 1);

  const stranger = await new Browser().login(other.email, other.password);
  assert.ok([403, 404].includes((await stranger.get(`/sessions/${sid}/survey`)).status));
  assert.ok([403, 404].includes((await stranger.post(`/sessions/${sid}/survey`, fields)).status));
});

/* One CSV line's fields (RFC 4180 quotes; PMData's lines hold no line breaks in a field). */
function fieldsOfLine(line) {
  const out = [];
  for (const m of line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)) {
    out.push(m[1].startsWith('"') ? m[1].slice(1, -1).replace(/""/g, '"') : m[1]);
    if (m[2] === '') break;
  }
  return out;
}

test("every participant's PMData files import whole; a 0 on a 1-5 wellness item is not answered, with a warning", async () => {
  const sid = await ownSession();
  const players = (await import('node:fs')).readdirSync(path.join(DATA, 'wellness')).filter((d) => /^p\d\d$/.test(d)).sort();
  assert.equal(players.length, 16);
  const scale = { 1: 'fatigue', 2: 'mood', 5: 'sleep_quality', 6: 'soreness', 8: 'stress' };
  let total = 0;
  for (const p of players) {
    for (const kind of ['wellness', 'srpe']) {
      const csv = readFileSync(path.join(DATA, 'wellness', p, `${kind}.csv`), 'utf8');
      const lines = dataLines(csv);
      const r = await csvPost(sid, `kind=${kind}&player=${p}%20${TAG}`, csv);
      assert.equal(r.status, 201, `${p}/${kind}.csv: ${r.text.slice(0, 300)}`);
      assert.equal(r.body.count, lines.length, `${p}/${kind}.csv`);
      total += lines.length;
      const zeros = kind === 'srpe' ? [] : lines.flatMap((l, i) => Object.entries(scale)
        .filter(([k]) => fieldsOfLine(l)[k] === '0').map(([, field]) => ({ line: i + 2, field })));
      assert.deepEqual((r.body.warnings ?? []).map((w) => ({ line: w.line, field: w.field })), zeros, `${p}/${kind}.csv`);
      if (p === 'p05' && kind === 'wellness') {
        assert.equal(zeros.length, 10);
        assert.equal(r.body.items[zeros[0].line - 2].fatigue, null);
      }
    }
  }
  assert.equal((await api('GET', url(sid), { token: owner.token })).body.items.length, total);
});
