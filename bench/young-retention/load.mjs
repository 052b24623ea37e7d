/**
 * `node bench/young-retention/load.mjs http express express:born apollo apollo:born`: the bytes V8's
 * scavenges copy per request in each server (server.mjs), 2 connections, 20,000 requests after
 * 2,000 unmeasured. A request's objects die with it; bytes copied per request well above zero mean
 * something keeps every request alive past its end (bench/notes/young-generation-retention.md).
 * `apollo-gw`, `apollo-ctx` and `apollo-gw-ctx` add Apollo's `gateway` executor, a context with
 * closures over the request, or both (bench/notes/answered-requests.md).
 */
import { fork } from 'node:child_process';
import { URL } from 'node:url';
import { Pool } from 'undici';

const REQUESTS = 20_000;
const body = JSON.stringify({ query: '{ x }' });

for (const mode of process.argv.slice(2)) {
  const child = fork(new URL('./server.mjs', import.meta.url), [mode], { execArgv: ['--max-semi-space-size=32'] });
  const [port] = await new Promise((resolve) => child.once('message', (m) => resolve([m])));
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 2 });
  const send = async (count) => {
    let sent = 0;
    const client = async () => {
      while (sent++ < count) {
        const response = await pool.request({
          path: '/graphql',
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        await response.body.text();
      }
    };
    await Promise.all([client(), client()]);
  };
  await send(2_000);
  child.send('start');
  await send(REQUESTS);
  child.send('stop');
  const { scavenges, copied } = await new Promise((resolve) => child.once('message', resolve));
  console.log(`${mode}: ${scavenges} scavenges, ${(copied / REQUESTS / 1024).toFixed(2)} KB copied a request`);
  await pool.close();
}
