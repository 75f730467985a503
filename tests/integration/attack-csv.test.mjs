// CSV injection (issue 17, item 3): text a user or a .dvw file supplies must
// not open as a formula when an export is opened in a spreadsheet. Every text
// cell of every CSV Stint writes that starts with = + - @ tab or carriage
// return gets a leading ' (OWASP's CSV-injection guidance), keeps its RFC 4180
// quoting, and is quoted when it holds a ; (a separator in some locales);
// numbers stay numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { api, createSession, REPO, stint } from './lib.mjs';

const DATA = process.env.STINT_DATA_DIR ?? path.join(REPO, '..', 'shared', 'data');
const DANGEROUS = /^[=+\-@\t\r]/;

/** RFC 4180: the raw text of each cell (quotes kept) and its value, per row. */
function parseCsv(text) {
  const rows = [];
  let i = 0;
  while (i < text.length) {
    const row = [];
    for (;;) {
      const start = i;
      let value = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          const q = text.indexOf('"', i);
          assert.ok(q >= 0, `unterminated quoted cell at ${start}`);
          value += text.slice(i, q);
          i = q + 1;
          if (text[i] !== '"') break;
          value += '"';
          i++;
        }
      } else {
        while (i < text.length && text[i] !== ',' && text[i] !== '\r') i++;
        value = text.slice(start, i);
        assert.ok(!value.includes('"') && !value.includes('\n'), `bare quote or LF in an unquoted cell: ${value}`);
      }
      row.push({ raw: text.slice(start, i), value });
      if (text[i] === ',') { i++; continue; }
      assert.equal(text.slice(i, i + 2), '\r\n', `a row ends in CRLF at ${i}`);
      i += 2;
      break;
    }
    rows.push(row);
  }
  return rows;
}

const sql = (q) => stint('psql', '-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1', '-c', q).trim();

/** Checks a whole export: header, no dangerous cell, numbers unquoted; returns rows as objects. */
function checkExport(text, header, numeric) {
  const rows = parseCsv(text);
  assert.deepEqual(rows[0].map((c) => c.value), header);
  for (const row of rows.slice(1)) {
    assert.equal(row.length, header.length, JSON.stringify(row));
    row.forEach((cell, k) => {
      assert.doesNotMatch(cell.value, DANGEROUS, `${header[k]} cell ${JSON.stringify(cell.raw)} opens as a formula`);
      if (numeric.includes(header[k]) && cell.value !== '') {
        assert.equal(cell.raw, cell.value, `${header[k]} is written bare`);
        assert.ok(Number.isFinite(Number(cell.value)), `${header[k]} ${cell.value} is a number`);
      }
    });
  }
  return rows.slice(1).map((row) => Object.fromEntries(row.map((c, k) => [header[k], c])));
}

const HOSTILE = {
  1: `=cmd|' /C calc'!A0`,
  4: '+1+1',
  6: '-5',
  9: `@SUM(1+1)*cmd|' /C calc'!A0`,
};

/** example_data.dvw with the home players' names above (last name, no first name). */
function hostileDvw() {
  let text = readFileSync(path.join(DATA, 'volleyball', 'example_data.dvw')).toString('latin1');
  for (const [number, name] of Object.entries(HOSTILE)) {
    const line = new RegExp(`^(0;${number};(?:[^;\\r\\n]*;){7})[^;\\r\\n]*;[^;\\r\\n]*;`, 'm');
    assert.match(text, line, `home player ${number}`);
    text = text.replace(line, (_, head) => `${head}${name};;`);
  }
  return Buffer.from(text, 'latin1');
}

test('events.csv after a .dvw import: formula names get a leading quote, numbers stay numbers', async () => {
  const r = await api('POST', '/api/v1/imports', { body: hostileDvw(), headers: { 'content-type': 'application/octet-stream' } });
  assert.equal(r.status, 201, r.text);
  const s = r.body.session;
  const home = s.teams.find((t) => t.side === 'A').roster;
  for (const [number, name] of Object.entries(HOSTILE))
    assert.equal(home.find((p) => p.number === number).player_name, name, 'the name is stored verbatim');
  // a tab, a carriage return and a ; cannot travel in a .dvw line: set them straight in the roster
  const more = { 10: '\t=1+1', 15: '\r=1+1', 12: 'Smith;=2+2' };
  for (const [number, name] of Object.entries(more)) {
    const literal = `E'${name.replace('\t', '\\t').replace('\r', '\\r')}'`;
    sql(`UPDATE roster SET player_name = ${literal} WHERE session_id = '${s.id}' AND side = 'A' AND number = '${number}'`);
  }
  const names = { ...HOSTILE, ...more };

  const csv = await api('GET', `/api/v1/sessions/${s.id}/export/events.csv`);
  assert.equal(csv.status, 200);
  assert.ok(!csv.text.includes(`,=cmd|' /C calc'!A0`), 'the payload comes out verbatim');
  const rows = checkExport(csv.text,
    ['clip_id', 't_sec', 'event_type', 'actor_team', 'actor_number', 'actor_name', 'payload'],
    ['clip_id', 't_sec', 'actor_number']);
  assert.equal(rows.length, r.body.events);
  for (const [number, name] of Object.entries(names)) {
    const mine = rows.filter((e) => e.actor_team.value === 'A' && e.actor_number.value === number);
    assert.ok(mine.length > 0, `home #${number} has events`);
    const text = DANGEROUS.test(name) ? `'${name}` : name;
    for (const e of mine) assert.equal(e.actor_name.value, text, `home #${number}: the name, read as text`);
  }
  const raw = (number) => rows.find((e) => e.actor_team.value === 'A' && e.actor_number.value === number).actor_name.raw;
  assert.equal(raw('1'), `'=cmd|' /C calc'!A0`, 'no quoting needed');
  assert.equal(raw('6'), `'-5`, 'a name that looks like a number is text');
  assert.equal(raw('12'), '"Smith;=2+2"', 'a ; is quoted: one cell where ; separates');
  assert.equal(raw('15'), `"'\r=1+1"`, 'a carriage return keeps its RFC 4180 quoting');
  // numbers are numbers (checkExport): bare, no leading quote
  assert.ok(rows.every((e) => /^\d+(\.\d+)?$/.test(e.t_sec.raw) && /^\d*$/.test(e.actor_number.raw)));

  // the import reads the export back (actor_name is not read), events unchanged
  const copy = await createSession();
  const back = await api('POST', `/api/v1/sessions/${copy.id}/import/events.csv`, {
    body: csv.text, headers: { 'content-type': 'text/csv' } });
  assert.equal(back.status, 201, back.text);
  assert.equal(back.body.inserted, r.body.events);
});

test('events.csv after an events POST: a payload and a looked-up name stay text', async () => {
  const s = await createSession();
  const post = await api('POST', `/api/v1/sessions/${s.id}/events`, {
    json: [{ t_sec: 2.5, event_type: 'serve', actor_team: 'B', actor_number: 7, payload: { note: '=1+1' } },
      { t_sec: 0, event_type: 'note', actor_team: null, actor_number: null, payload: {} }] });
  assert.equal(post.status, 201, post.text);
  sql(`INSERT INTO teams (session_id, side, name) VALUES ('${s.id}', 'B', 'Away') ON CONFLICT DO NOTHING`);
  sql(`INSERT INTO roster (session_id, side, number, player_name) VALUES ('${s.id}', 'B', '7', '-2+3')`);
  const csv = await api('GET', `/api/v1/sessions/${s.id}/export/events.csv`);
  assert.equal(csv.status, 200);
  assert.equal(csv.text, 'clip_id,t_sec,event_type,actor_team,actor_number,actor_name,payload\r\n'
    + ',0,note,,,,{}\r\n'
    + `,2.5,serve,B,7,'-2+3,"{""note"": ""=1+1""}"\r\n`);
});

test('rollup.csv: counts stay numbers and every text cell is neutralised', async () => {
  const s = await createSession();
  assert.equal((await api('POST', `/api/v1/sessions/${s.id}/events`, {
    json: [{ t_sec: 1, event_type: 'serve', actor_team: 'A', actor_number: 3 },
      { t_sec: 2, event_type: 'serve', actor_team: 'A', actor_number: 3 }] })).status, 201);
  // no API writes such a rollup row today (event types are identifiers, teams A or B);
  // the export must not rely on that: write one straight into the table
  sql(`INSERT INTO rollups (session_id, team_side, number, event_type, count)
       VALUES ('${s.id}', '@', '5', '=HYPERLINK("http://evil.example","x")', 1),
              ('${s.id}', '-', NULL, E'\\tplain', 2)`);
  const csv = await api('GET', `/api/v1/sessions/${s.id}/export/rollup.csv`);
  assert.equal(csv.status, 200);
  const rows = checkExport(csv.text, ['team_side', 'number', 'event_type', 'count'], ['number', 'count']);
  const cells = rows.map((x) => [x.team_side.raw, x.number.raw, x.event_type.raw, x.count.raw]);
  assert.deepEqual(cells.sort((a, b) => (a.join() < b.join() ? -1 : 1)), [
    ["'-", '', `"'\tplain"`, '2'],
    ["'@", '5', `"'=HYPERLINK(""http://evil.example"",""x"")"`, '1'],
    ['A', '3', 'serve', '2'],
  ]);
});
