// server.mjs: the S3 test server: npm's @20minutes/s3rver (4.0.4), which verifies Signature Version 4
// (Authorization header and presigned query, with expiry), behind two changes for Stint's tests
// (../shared/NOTES.md, "S3 for tests"):
//   - its built-in key pair (S3RVER / S3RVER) is revoked and replaced by the one in the environment
//     (S3_ACCESS_KEY, and S3_SECRET_KEY or S3_SECRET_KEY_FILE naming a file whose first line is the
//     secret: never on the command line, where ps would show it);
//   - an anonymous request (no Authorization header, no X-Amz-Algorithm or Signature query) gets 403
//     AccessDenied, where s3rver would serve it.
// Each request is written to standard output as one JSON line {"method","path","query","status"}
// (the query without X-Amz-Signature and X-Amz-Credential), which the tests and bench/recorder count.
// Run with `node --openssl-legacy-provider` (s3rver's continuation tokens use a legacy cipher).
//
// Usage: S3_ACCESS_KEY=... S3_SECRET_KEY[_FILE]=... node --openssl-legacy-provider tests/s3/server.mjs
//          --port 19080 --dir DIR [--bucket NAME]...
// Prints "s3 ready on http://127.0.0.1:PORT" on standard error once it listens.
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const S3rver = require('@20minutes/s3rver');
const AWSAccount = require('@20minutes/s3rver/lib/models/account');

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    address: { type: 'string', default: '127.0.0.1' },
    dir: { type: 'string' },
    bucket: { type: 'string', multiple: true, default: [] },
  },
});
const accessKey = process.env.S3_ACCESS_KEY;
const secretKey = process.env.S3_SECRET_KEY_FILE
  ? readFileSync(process.env.S3_SECRET_KEY_FILE, 'utf8').split('\n')[0].trim() : process.env.S3_SECRET_KEY;
if (!values.port || !values.dir || !accessKey || !secretKey) {
  console.error('usage: S3_ACCESS_KEY=.. S3_SECRET_KEY=.. server.mjs --port N --dir DIR [--bucket NAME]...');
  process.exit(2);
}
delete process.env.S3_SECRET_KEY;
delete process.env.S3_SECRET_KEY_FILE;

AWSAccount.DUMMY_ACCOUNT.revokeAccessKey('S3RVER');
AWSAccount.DUMMY_ACCOUNT.createKeyPair(accessKey, secretKey);

// Browsers read waveform.dat and overview.png from presigned URLs with fetch(): allow any origin to GET.
const cors = `<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>
<AllowedMethod>HEAD</AllowedMethod><AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader>
<ExposeHeader>Content-Range</ExposeHeader><MaxAgeSeconds>600</MaxAgeSeconds></CORSRule></CORSConfiguration>`;

mkdirSync(values.dir, { recursive: true });
const server = new S3rver({
  port: Number(values.port),
  address: values.address,
  directory: values.dir,
  silent: true,
  configureBuckets: values.bucket.map((name) => ({ name, configs: [cors] })),
});

const signed = (ctx) =>
  'authorization' in ctx.headers || 'X-Amz-Algorithm' in ctx.query || 'Signature' in ctx.query;

function logLine(ctx) {
  const query = { ...ctx.query };
  delete query['X-Amz-Signature'];
  delete query['X-Amz-Credential'];
  delete query.Signature;
  process.stdout.write(`${JSON.stringify({ method: ctx.method, path: ctx.path, query, status: ctx.status })}\n`);
}

// In front of s3rver's own middleware: log every request, refuse anonymous ones.
server.middleware.unshift(async (ctx, next) => {
  try {
    if (ctx.method !== 'OPTIONS' && !signed(ctx)) {
      ctx.status = 403;
      ctx.type = 'application/xml';
      ctx.body = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code>' +
        '<Message>Anonymous requests are refused by this test server</Message></Error>';
      return;
    }
    await next();
  } finally {
    logLine(ctx);
  }
});

const { port } = await server.run();
console.error(`s3 ready on http://${values.address}:${port}`);
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => server.close(() => process.exit(0)));
