/**
 * `openStore`'s `onStartWait` for a benchmark: each time the start waits for a database that
 * refused or dropped it, the line saying why and for how long goes to stderr, so a run waiting on
 * PostgreSQL says so instead of seeming to hang, and the report on stdout stays whole.
 */
export function printStoreWait(said: string): void {
  process.stderr.write(`${said}\n`);
}
