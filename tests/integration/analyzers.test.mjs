// analyzers.test.mjs: the clip analysis plugins (issue 11; docs/tasks.md, "Clip analyzers").
// Adding a clip with a stored file (upload, register, import) queues one analyze_clip task per
// analyzer whose kinds take it, idempotently; a real spooler runs bin/stint-analyze with the two
// shipped analyzers (scene-cuts, loudness) on the real clip of ../shared/data and on a clip this
// file makes from it with known cuts and whistles, and their events land through the API with
// source plugin:NAME, the clip's id and t_sec on the session's timeline, rollups counted, live
// messages sent; a failing analyzer (an exit status, a bad line, its time limit) fails its task
// only; re-analysis replaces, never duplicates.
//
// The stack runs tests/analyzers.conf (tests/run.sh: STINT_ANALYZERS_CONFIG): scene-cuts (video),
// loudness (video, audio), and three failing ones for audio clips (tests/analyzer-test.sh):
// test-exit (exits 1), test-badline (prints a bad line), test-slow (outlives its time limit of
// 1 s). The test stack runs no spooler: this file starts its own for analyze_clip (lib.mjs,
// startSpooler).
//
// Every expected figure comes from ffmpeg run here, on the same files, or from how the made
// clip was made: never from the analyzers' own output.
//
// Run against a stack: bin/stint test analyzers
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
  Browser, REPO, alive, api, killSpoolers, makeUser, sql, startSpooler, subscribe, until as libUntil,
} from './lib.mjs';

const TAG = `analyze${randomBytes(4).toString('hex')}`;
const DIR = mkdtempSync(path.join(tmpdir(), 'stint-analyze-'));
const DATA = process.env.STINT_DATA_DIR ?? path.join(REPO, '..', 'shared', 'data');
const REAL = path.join(DATA, 'volleyball', '2019_03_01-KATS-BEDS-clip.mp4');
const CUTS = path.join(DIR, 'cuts.mp4');       // made in before(): cuts at 5 s and 10 s, whistles
const WHISTLES = path.join(DIR, 'whistles.m4a'); // its sound alone
// how CUTS is made: the real clip's picture, 5..10 s zoomed into its top-left quarter (a new shot);
// pink noise with a 3150 Hz whistle at 3.0-3.5 s and 12.0-12.6 s
const MADE_CUTS = [5, 10];
const MADE_WHISTLES = [[3.0, 3.5], [12.0, 12.6]];

const ffmpeg = (...args) => execFileSync('ffmpeg', ['-hide_banner', '-nostdin', '-nostats', ...args],
  { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
/* execFileSync drops stderr of a successful run: ask ffmpeg to log to stdout's pipe instead. */
function ffmpegStderr(args) {
  return execFileSync('sh', ['-c', 'ffmpeg "$@" 2>&1 >/dev/null', 'ffmpeg', '-hide_banner', '-nostdin', '-nostats', ...args,
    '-f', 'null', '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** The frames ffmpeg's own scene detection (select + showinfo) keeps at threshold 0.3: their pts_time. */
function sceneCuts(file) {
  const log = ffmpegStderr(['-i', file, '-an', '-vf', "select='gt(scene,0.3)',showinfo"]);
  return [...log.matchAll(/Parsed_showinfo.* pts_time:([0-9.]+)/g)].map((m) => Number(m[1]));
}

/** ebur128's momentary loudness of file: [[t (end of the 400 ms window), M LUFS]...]. */
function momentary(file) {
  const log = ffmpegStderr(['-i', file, '-vn', '-af', 'ebur128']);
  return [...log.matchAll(/Parsed_ebur128.* t: *([0-9.]+) .*M: *(-?[0-9.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
}

const duration = (file) => Number(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file],
  { encoding: 'utf8' }).trim());

const LOG = path.join(DIR, 'spooler.log');

/** A spooler of analyze_clip tasks only, with the stack's settings; its log LOG. */
const runSpooler = () => startSpooler(LOG, { STINT_TEST_ANALYZER_DIR: DIR, STINT_SPOOL_TYPES: 'analyze_clip',
  STINT_SPOOL_LEASE_S: '30' }, ['--concurrency', '2']);

/** lib.mjs's until, every 200 ms for at most 60 s by default; on a timeout the error ends with the spooler's log. */
const until = (what, check, ms = 60000) => libUntil(what, check, ms,
  { every: 200, detail: () => `\n${readFileSync(LOG, 'utf8').slice(-3000)}` });

const owner = makeUser('coach');
const as = { token: owner.token };

async function ownSession(title) {
  const r = await api('POST', '/api/v1/sessions', { json: { title: `${TAG} ${title}` }, ...as });
  assert.equal(r.status, 201, r.text);
  return r.body.id;
}

async function upload(sid, file, kind, offset = 0) {
  const r = await api('POST', `/api/v1/sessions/${sid}/clips/upload?kind=${kind}&offset_sec=${offset}`,
    { body: readFileSync(file), headers: { 'content-type': 'application/octet-stream' }, ...as });
  assert.equal(r.status, 201, r.text);
  return r.body;
}

const byAnalyzerClip = (a, b) => a[0].localeCompare(b[0]) || a[1] - b[1];

/** The session's analyze_clip tasks, as the API lists them: [analyzer, clip_id, dedupe_key, status]. */
async function analyses(sid) {
  const r = await api('GET', `/api/v1/tasks?session=${sid}&type=analyze_clip&limit=100`, as);
  assert.equal(r.status, 200, r.text);
  return r.body.items.map((t) => [t.params.analyzer, t.params.clip_id, t.dedupe_key, t.status])
    .sort(byAnalyzerClip);
}

async function events(sid, type) {
  const r = await api('GET', `/api/v1/sessions/${sid}/events?limit=10000${type ? `&type=${type}` : ''}`, as);
  assert.equal(r.status, 200, r.text);
  return r.body.items;
}

/** Task id is done: completed, failed or cancelled, or its record already removed (remove_on). */
const done = (id) => {
  const [status] = sql(`SELECT status FROM tasks WHERE task_id = '${id}'`);
  return status === undefined || ['completed', 'failed', 'cancelled'].includes(status);
};
const taskIds = (sid) => sql(`SELECT task_id FROM tasks WHERE session_id = '${sid}' AND task_type = 'analyze_clip'`);
/** The last task_updated data of each task a subscriber heard. */
const lastUpdates = (sub) => {
  const last = new Map();
  for (const m of sub.messages) if (m.event === 'task_updated') last.set(m.data.data.task_id, m.data.data);
  return last;
};

before(() => {
  ffmpeg('-y', '-i', REAL, '-f', 'lavfi', '-i', 'anoisesrc=color=pink:amplitude=0.03:duration=15:seed=7',
    '-f', 'lavfi', '-i', 'sine=frequency=3150:sample_rate=44100:duration=15', '-filter_complex',
    '[0:v]trim=0:5,setpts=PTS-STARTPTS[a];[0:v]trim=5:10,setpts=PTS-STARTPTS,crop=320:180:0:0,scale=1280:720[b];' +
    '[0:v]trim=10:15,setpts=PTS-STARTPTS[c];[a][b][c]concat=n=3:v=1:a=0[v];' +
    `[2:a]volume='0.5*(${MADE_WHISTLES.map(([a, b]) => `between(t,${a},${b})`).join('+')})':eval=frame[w];` +
    '[1:a][w]amix=inputs=2:normalize=0[au]',
    '-map', '[v]', '-map', '[au]', '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-shortest', CUTS);
  ffmpeg('-y', '-i', CUTS, '-vn', '-c:a', 'copy', WHISTLES);
});

after(() => {
  killSpoolers();
  rmSync(DIR, { recursive: true, force: true });
});

test('adding a clip queues one analyze_clip task per analyzer that takes it, once, announced after clip_added', async () => {
  const sid = await ownSession('hook');
  const sub = await subscribe(sid, as);
  assert.equal(sub.status, 200);
  const video = await upload(sid, REAL, 'video');
  const audio = await upload(sid, WHISTLES, 'audio', 3);
  const ref = await api('POST', `/api/v1/sessions/${sid}/clips`,
    { json: { kind: 'video', uri: 'https://example.org/match.mp4', title: 'a reference' }, ...as });
  assert.equal(ref.status, 201, ref.text);
  // a registered file of the session is a stored clip too
  const again = await api('POST', `/api/v1/sessions/${sid}/clips`,
    { json: { kind: 'audio', file: audio.path.replace(/^media\//, ''), title: 'the same sound' }, ...as });
  assert.equal(again.status, 201, again.text);
  const queued = (analyzer, clip) => [analyzer, clip.id, `${analyzer}:${clip.id}`, 'queued'];
  assert.deepEqual(await analyses(sid), [
    queued('loudness', video), queued('loudness', audio), queued('loudness', again.body),
    queued('scene-cuts', video),
    queued('test-badline', audio), queued('test-badline', again.body),
    queued('test-exit', audio), queued('test-exit', again.body),
    queued('test-slow', audio), queued('test-slow', again.body),
  ].sort(byAnalyzerClip), 'none for the reference by uri');

  // the live order: each clip_added, then its tasks (in the configuration's order)
  await sub.waitFor(14);
  sub.close();
  const seen = sub.messages.map((m) => (m.event === 'clip_added' ? `clip ${m.data.data.id}`
    : `${m.data.data.params.analyzer} ${m.data.data.params.clip_id} ${m.data.data.status}`));
  assert.deepEqual(seen, [`clip ${video.id}`, `scene-cuts ${video.id} queued`, `loudness ${video.id} queued`,
    `clip ${audio.id}`, `loudness ${audio.id} queued`, `test-exit ${audio.id} queued`, `test-badline ${audio.id} queued`,
    `test-slow ${audio.id} queued`,
    `clip ${ref.body.id}`,
    `clip ${again.body.id}`, `loudness ${again.body.id} queued`, `test-exit ${again.body.id} queued`,
    `test-badline ${again.body.id} queued`, `test-slow ${again.body.id} queued`]);

  // eight concurrent requests for the same analysis while it is queued: the hook's task, no other
  const hooked = (await api('GET', `/api/v1/tasks?session=${sid}&type=analyze_clip&limit=100`, as)).body.items
    .find((t) => t.dedupe_key === `scene-cuts:${video.id}`);
  const answers = await Promise.all(Array.from({ length: 8 }, () => api('POST', `/api/v1/sessions/${sid}/analyze`,
    { json: { analyzer: 'scene-cuts', clip_id: video.id }, ...as })));
  assert.deepEqual(answers.map((r) => [r.status, r.body.items.map((t) => t.task_id)]),
    Array(8).fill([202, [hooked.task_id]]));
  assert.deepEqual(sql(`SELECT count(*) FROM tasks WHERE session_id = '${sid}' AND dedupe_key = 'scene-cuts:${video.id}'`), ['1']);

  // an import with a video: the imported session's clip gets its tasks too
  const video2 = video.path.replace(/^media\//, '');
  const imp = await api('POST', `/api/v1/imports?video=${encodeURIComponent(video2)}`,
    { body: readFileSync(path.join(DATA, 'volleyball', '190301_kats_beds-clip.dvw')),
      headers: { 'content-type': 'application/octet-stream' }, ...as });
  assert.equal(imp.status, 201, imp.text);
  const [clip] = (await api('GET', `/api/v1/sessions/${imp.body.session.id}/clips`, as)).body;
  assert.deepEqual(await analyses(imp.body.session.id), [queued('loudness', clip), queued('scene-cuts', clip)]);

  // nothing runs these: the spooler of the next tests takes only its own sessions' tasks
  sql(`UPDATE tasks SET status = 'cancelled', finished_at = now() WHERE session_id IN ('${sid}', '${imp.body.session.id}')
    AND status = 'queued'`);
});

test('analyze requests: an unknown analyzer, a clip it cannot take, another session\'s clip (422); a viewer (403)', async () => {
  const sid = await ownSession('refusals');
  const video = await upload(sid, REAL, 'video');
  const ref = await api('POST', `/api/v1/sessions/${sid}/clips`, { json: { kind: 'video', uri: 'https://example.org/a.mp4' }, ...as });
  const other = await ownSession('other');
  const post = (json, token = owner.token) => api('POST', `/api/v1/sessions/${sid}/analyze`, { json, token });
  const fields = (r) => [r.status, Object.keys(r.body.error?.fields ?? {})];
  assert.deepEqual(fields(await post({ analyzer: 'mind-reader' })), [422, ['analyzer']]);
  assert.deepEqual(fields(await post({ analyzer: 'Scene Cuts' })), [422, ['analyzer']]);
  assert.deepEqual(fields(await post({ analyzer: 'scene-cuts', colour: 'red' })), [422, ['colour']]);
  assert.deepEqual(fields(await post({ clip_id: video.id })), [422, ['analyzer']]);
  assert.deepEqual(fields(await post({ analyzer: 'scene-cuts', clip_id: ref.body.id })), [422, ['clip_id']]);
  assert.deepEqual(fields(await post({ analyzer: 'test-exit', clip_id: video.id })), [422, ['clip_id']], 'an audio analyzer, a video');
  assert.deepEqual(fields(await post({ analyzer: 'scene-cuts', clip_id: 0 })), [422, ['clip_id']]);
  const foreign = await upload(other, REAL, 'video');
  assert.deepEqual(fields(await post({ analyzer: 'scene-cuts', clip_id: foreign.id })), [422, ['clip_id']]);
  const viewer = makeUser('analyst');
  const share = await api('POST', `/api/v1/sessions/${sid}/shares`, { json: { email: viewer.email, role: 'viewer' }, ...as });
  assert.ok([200, 201].includes(share.status), share.text);
  assert.equal((await post({ analyzer: 'scene-cuts' }, viewer.token)).status, 403);
  // no clip an audio-only analyzer takes: nothing to do
  const none = await post({ analyzer: 'test-exit' });
  assert.deepEqual([none.status, none.body], [202, { items: [] }]);
  // the editor's Re-analyze form (no JavaScript) follows the same rules: the stored video only
  const b = await new Browser().login(owner.email, owner.password);
  await b.get(`/sessions/${sid}`);
  sql(`UPDATE tasks SET status = 'cancelled', finished_at = now() WHERE session_id = '${sid}' AND status = 'queued'`);
  const form = await b.post(`/sessions/${sid}/analyze`, { analyzer: 'scene-cuts' });
  assert.equal(form.status, 303, form.html);
  assert.equal(form.headers.get('location'), `/sessions/${sid}?flash=analyze_queued#tasks`);
  assert.deepEqual(sql(`SELECT params->>'analyzer', params->>'clip_id' FROM tasks WHERE session_id = '${sid}' AND status = 'queued'`),
    [`scene-cuts|${video.id}`]);
  assert.equal((await b.post(`/sessions/${sid}/analyze`, { analyzer: 'mind-reader' })).status, 422);
  sql(`UPDATE tasks SET status = 'cancelled', finished_at = now() WHERE session_id IN ('${sid}', '${other}') AND status = 'queued'`);
});

const run = {};

test('a spooler runs scene-cuts and loudness: the real clip and a made one, events with source and clip, rollups, live messages', async () => {
  const sid = await ownSession('analyzed');
  run.sid = sid;
  const sub = await subscribe(sid, as);
  run.sub = sub;
  run.real = await upload(sid, REAL, 'video', 2);
  run.cuts = await upload(sid, CUTS, 'video', 20);
  const ids = taskIds(sid);
  assert.equal(ids.length, 4);
  runSpooler();
  await until('the four analyses', () => ids.every(done));

  // scene cuts: what ffmpeg's own scene detection finds in each file
  const realCuts = sceneCuts(REAL);
  assert.deepEqual(realCuts, [], 'the real clip is one broadcast shot');
  assert.deepEqual(sceneCuts(CUTS), MADE_CUTS);
  const cuts = await events(sid, 'scene_cut');
  assert.deepEqual(cuts.map((e) => [e.t_sec, e.clip_id, e.source, e.actor_team, e.actor_number]),
    MADE_CUTS.map((t) => [20 + t, run.cuts.id, 'plugin:scene-cuts', null, null]));
  for (const e of cuts) assert.ok(e.payload.score > 0.3 && e.payload.score <= 1, JSON.stringify(e));

  // loudness: the real clip's sound is digital silence (so no peak); the made one has its two whistles
  assert.match(ffmpegStderr(['-i', REAL, '-vn', '-af', 'volumedetect']), /max_volume: -9\d\.\d dB/);
  const peaks = await events(sid, 'loudness_peak');
  assert.deepEqual(peaks.map((e) => [e.clip_id, e.source]), MADE_WHISTLES.map(() => [run.cuts.id, 'plugin:loudness']));
  const m = momentary(CUTS);
  const background = [...m.map(([, v]) => v)].sort((a, b) => a - b)[Math.floor(m.length / 2)];
  peaks.forEach((e, i) => {
    const [from, to] = MADE_WHISTLES[i];
    const t = e.t_sec - 20;
    assert.ok(t >= from - 0.2 && t <= to + 0.2, `peak ${i} at ${t} s, the whistle ${from}-${to} s`);
    // the loudest window of that whistle, as ffmpeg measured it here
    const loudest = Math.max(...m.filter(([end]) => end > from && end <= to + 0.4).map(([, v]) => v));
    assert.equal(e.payload.momentary_lufs, loudest);
    assert.ok(Math.abs(e.payload.background_lufs - background) <= 0.15, `${e.payload.background_lufs} v ${background}`);
    assert.ok(e.payload.above_lu >= 10, JSON.stringify(e.payload));
  });
  const all = await events(sid);
  assert.equal(all.length, 4);
  for (const e of all) {
    const clip = e.clip_id === run.cuts.id ? run.cuts : run.real;
    assert.ok(e.t_sec >= clip.offset_sec && e.t_sec <= clip.offset_sec + clip.duration_sec, JSON.stringify(e));
  }
  assert.ok(Math.abs(run.cuts.duration_sec - duration(CUTS)) < 0.01);

  const rollup = (await api('GET', `/api/v1/sessions/${sid}/rollup`, as)).body;
  assert.deepEqual(rollup.rows, [
    { team_side: null, number: null, event_type: 'loudness_peak', count: 2 },
    { team_side: null, number: null, event_type: 'scene_cut', count: 2 },
  ]);

  // live: each task queued, running with the analyzer's progress, completed with its result
  await until('the last live messages', () => [...lastUpdates(sub).values()].filter((t) => t.status === 'completed').length === 4, 10000);
  const results = [...lastUpdates(sub).values()].map((t) => [t.params.analyzer, t.params.clip_id, t.result])
    .sort(byAnalyzerClip);
  const result = (analyzer, clip, added) => [analyzer, clip.id, { analyzer, clip_id: clip.id, events_added: added, events_removed: 0 }];
  assert.deepEqual(results, [result('loudness', run.real, 0), result('loudness', run.cuts, 2),
    result('scene-cuts', run.real, 0), result('scene-cuts', run.cuts, 2)]);
  const progress = sub.messages.filter((x) => x.event === 'task_updated').map((x) => x.data.data.progress_message);
  assert.ok(progress.includes('Detecting scene cuts') && progress.includes('Adding 2 events'), progress.join(' | '));
  const added = sub.messages.filter((x) => x.event === 'event_added').flatMap((x) => x.data.data.events);
  assert.deepEqual(added.map((e) => e.id).sort(), all.map((e) => e.id).sort());
  assert.ok(sub.messages.some((x) => x.event === 'rollup_updated'));
  assert.deepEqual(sql(`SELECT action, detail->>'source', detail->>'inserted' FROM audit_log WHERE action = 'events.replace'
    AND target_id = '${run.cuts.id}' ORDER BY id`).sort(), ['events.replace|plugin:loudness|2', 'events.replace|plugin:scene-cuts|2']);
});

test('re-analysis through the API replaces the analyzer\'s events of each clip, never duplicates them', async () => {
  const { sid, sub } = run;
  const before = await events(sid, 'scene_cut');
  const peaksBefore = await events(sid, 'loudness_peak');
  const r = await api('POST', `/api/v1/sessions/${sid}/analyze`, { json: { analyzer: 'scene-cuts' }, ...as });
  assert.equal(r.status, 202, r.text);
  assert.deepEqual(r.body.items.map((t) => [t.params.clip_id, t.status]), [[run.real.id, 'queued'], [run.cuts.id, 'queued']]);
  await until('the re-analysis', () => r.body.items.every((t) => done(t.task_id)));
  const after = await events(sid, 'scene_cut');
  assert.deepEqual(after.map((e) => [e.t_sec, e.clip_id, e.source, e.payload]), before.map((e) => [e.t_sec, e.clip_id, e.source, e.payload]));
  assert.ok(after.every((e) => !before.some((b) => b.id === e.id)), 'new events replaced the old ones');
  assert.deepEqual(await events(sid, 'loudness_peak'), peaksBefore, "another analyzer's events stay");
  const rollup = (await api('GET', `/api/v1/sessions/${sid}/rollup`, as)).body;
  assert.deepEqual(rollup.rows.map((x) => [x.event_type, x.count]), [['loudness_peak', 2], ['scene_cut', 2]]);
  // one clip only, again
  const one = await api('POST', `/api/v1/sessions/${sid}/analyze`, { json: { analyzer: 'scene-cuts', clip_id: run.cuts.id }, ...as });
  assert.deepEqual(one.body.items.map((t) => t.params), [{ analyzer: 'scene-cuts', clip_id: run.cuts.id }]);
  await until('the second re-analysis', () => one.body.items.every((t) => done(t.task_id)));
  const third = await events(sid, 'scene_cut');
  assert.equal(third.length, 2);
  // live: the old events deleted, the new ones added
  await until('the live messages', () => sub.messages.filter((x) => x.event === 'event_deleted').length === 4, 10000);
  sub.close();
  const deleted = sub.messages.filter((x) => x.event === 'event_deleted').map((x) => x.data.data.id);
  assert.deepEqual(deleted.sort(), [...before, ...after].map((e) => e.id).sort());
  const added = sub.messages.filter((x) => x.event === 'event_added').flatMap((x) => x.data.data.events.map((e) => e.id));
  for (const e of [...after, ...third]) assert.ok(added.includes(e.id));
  const [last] = [...lastUpdates(sub).values()].filter((t) => t.task_id === one.body.items[0].task_id);
  assert.deepEqual(last.result, { analyzer: 'scene-cuts', clip_id: run.cuts.id, events_added: 2, events_removed: 2 });
});

test('a failing analyzer fails its task with the reason and adds nothing; the clip and the other analyses stay', async () => {
  const sid = await ownSession('failing');
  const audio = await upload(sid, WHISTLES, 'audio', 1);
  const tasks = Object.fromEntries((await api('GET', `/api/v1/tasks?session=${sid}&type=analyze_clip`, as)).body.items
    .map((t) => [t.params.analyzer, t.task_id]));
  assert.deepEqual(Object.keys(tasks).sort(), ['loudness', 'test-badline', 'test-exit', 'test-slow']);
  await until('the four analyses', () => Object.values(tasks).every(done));
  const row = (id) => sql(`SELECT status || '|' || attempts || '|' || replace(error, chr(10), ' / ') FROM tasks
    WHERE task_id = '${id}'`)[0];
  assert.equal(row(tasks['test-exit']), `failed|2|test-exit: the microphone of clip ${audio.id} is broken / ` +
    'stint-analyze: analyzer test-exit exited with status 1; no event was added', 'retried once, then failed');
  assert.match(row(tasks['test-badline']), /^failed\|1\|stint-analyze: analyzer test-badline: line 3: t_sec: must be a number; event_type: [^;]+; no event was added$/,
    'a bad line fails for good, naming the line and its fields');
  assert.equal(row(tasks['test-slow']), 'failed|2|stint-analyze: analyzer test-slow exceeded its time limit', 'twice');
  // the analyzer's process group was stopped: the script and the child it started
  const [script, sleeper] = readFileSync(path.join(DIR, `slow-${audio.id}`), 'utf8').trim().split(' ');
  await until('the slow analyzer and its child to be gone', () => !alive(script) && !alive(sleeper), 5000);
  const got = await events(sid);
  assert.deepEqual(got.map((e) => [e.source, e.clip_id, e.event_type]),
    MADE_WHISTLES.map(() => ['plugin:loudness', audio.id, 'loudness_peak']), 'only the analyzer that worked added events');
  const clip = await api('GET', `/api/v1/sessions/${sid}/clips/${audio.id}`, as);
  assert.equal(clip.status, 200);
  const file = await api('GET', `/media/sessions/${sid}/clips/${audio.id}`, as);
  assert.equal(file.status, 200);
  assert.equal(Number(file.headers.get('content-length')), readFileSync(WHISTLES).length);
});
