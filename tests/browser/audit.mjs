// The GraphQL over HTTP conformance audit (graphql-http's auditServer) against a running
// Concord. Usage: CONCORD_URL=http://127.0.0.1:PORT CONCORD_TOKEN=<jwt> node audit.mjs
//
// Concord in production mode refuses requests without a token (401) before looking at
// them, which the audit would read as failures of everything else; so every request of the
// audit carries a valid token, as a real client's would. Prints one line per audit and a
// JSON summary last; exits 1 when any MUST or SHOULD is not met.
import { auditServer } from 'graphql-http';

const base = process.env.CONCORD_URL;
const token = process.env.CONCORD_TOKEN;
if (!base || !token) {
  console.error('set CONCORD_URL and CONCORD_TOKEN');
  process.exit(2);
}

function withToken(input, init = {}) {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${token}`);
  return fetch(input, { ...init, headers });
}

const results = await auditServer({ url: `${base}/graphql`, fetchFn: withToken });
const failed = [];
for (const result of results) {
  const level = result.name.startsWith('MUST')
    ? 'MUST'
    : result.name.startsWith('SHOULD')
      ? 'SHOULD'
      : 'MAY';
  console.log(`${result.status.padEnd(6)} ${result.id} ${result.name}`);
  if (result.status !== 'ok' && level !== 'MAY') {
    const body = result.response ? await result.response.text().catch(() => '') : '';
    failed.push({ id: result.id, name: result.name, reason: result.reason, body });
  }
}
const ok = results.filter((r) => r.status === 'ok').length;
console.log(JSON.stringify({ total: results.length, ok, failed }));
process.exit(failed.length === 0 ? 0 : 1);
