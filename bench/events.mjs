// bench/events.mjs: posts N events in batches through the API (the client
// side of bench/events). Prints one JSON line: {"rows", "seconds"}.
// Env: URL, TOKEN, SESSION, TOTAL, BATCH, CLIENTS.
const { URL: base, TOKEN: token, SESSION: sid } = process.env;
const total = Number(process.env.TOTAL ?? 100000);
const batch = Number(process.env.BATCH ?? 1000);
const clients = Number(process.env.CLIENTS ?? 2);
const types = ['serve', 'reception', 'set', 'attack', 'block', 'dig'];
const evals = ['#', '+', '!', '-', '/', '='];

// The same rows bench/events writes for COPY: event i of the whole run.
export function event(i) {
  return {
    t_sec: i / 10, event_type: types[i % 6], actor_team: i % 2 ? 'A' : 'B', actor_number: 1 + (i % 12),
    payload: { skill: types[i % 6][0].toUpperCase(), evaluation: evals[i % 6], zone: 1 + (i % 6) },
  };
}

if (process.argv[2] === 'csv') {
  // the COPY input: session_id,t_sec,event_type,actor_team,actor_number,payload,source
  const out = [];
  for (let i = 0; i < total; i++) {
    const e = event(i);
    out.push([sid, e.t_sec, e.event_type, e.actor_team, e.actor_number,
      `"${JSON.stringify(e.payload).replaceAll('"', '""')}"`, 'manual'].join(','));
  }
  process.stdout.write(`${out.join('\n')}\n`);
} else {
  const batches = Array.from({ length: Math.ceil(total / batch) }, (_, b) => b);
  const started = process.hrtime.bigint();
  async function client() {
    for (let b = batches.shift(); b !== undefined; b = batches.shift()) {
      const events = [];
      for (let i = b * batch; i < Math.min(total, (b + 1) * batch); i++) events.push(event(i));
      const res = await fetch(`${base}/api/v1/sessions/${sid}/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': `bench-${b}` },
        body: JSON.stringify({ events }),
      });
      if (res.status !== 201) throw new Error(`batch ${b}: HTTP ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    }
  }
  await Promise.all(Array.from({ length: clients }, client));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(JSON.stringify({ rows: total, seconds }));
}
