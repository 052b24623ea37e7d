import { randomUUID } from 'node:crypto';
import { parse, protocol } from '@electric-sql/pglite';
import type { ExecProtocolResult, PGlite } from '@electric-sql/pglite';
import { MOST_PREPARED_STATEMENTS, type ExecuteStatement } from './execute-statement.ts';

/**
 * `ExecuteStatement` on PGlite with each statement text parsed and planned once, as a named
 * prepared statement, and then only bound and executed: one trip into the WebAssembly
 * (Bind, Execute, Sync in one message) where `PGlite.query` makes six (Parse, Describe, Bind,
 * Describe, Execute, Sync) and Postgres parses and plans the text every time.
 *
 * It keeps `query`'s discipline: it waits for any open transaction (PGlite's transaction mutex;
 * Prisma's adapter opens its transactions with `PGlite.transaction`), so a statement never slips
 * into someone else's transaction, and values are serialised by PGlite's own serialisers for the
 * parameter types Postgres described, so what is stored is what `query` would store. A failed
 * statement rejects (its Sync has already ended the implicit transaction, so nothing of it stays)
 * and its prepared statement is forgotten and closed, so the next call prepares it afresh: a
 * broken prepared statement costs at most one failure (which the access log's careful way
 * absorbs), never a stuck append. One the server no longer has (`DISCARD ALL`) is prepared again
 * at once, as nothing of the statement ran.
 */
export function preparedStatementsOn(db: PGlite): ExecuteStatement {
  const prepared = new Map<string, PreparedStatement>();
  // Unique to this instance: two on one database must never take each other's statements.
  const prefix = `execute_statement_${randomUUID().slice(0, 8)}`;
  let named = 0;

  const prepare = async (sql: string): Promise<PreparedStatement | null> => {
    const known = prepared.get(sql);
    if (known) return known;
    if (prepared.size >= MOST_PREPARED_STATEMENTS) return null;
    named += 1;
    const name = `${prefix}_${named}`;
    const { messages } = await db.execProtocol(
      concat([
        protocol.serialize.parse({ name, text: sql }),
        protocol.serialize.describe({ type: 'S', name }),
        protocol.serialize.sync(),
      ]),
      { syncToFs: false },
    );
    const statement = { name, parameterTypes: parse.parseDescribeStatementResults(messages) };
    prepared.set(sql, statement);
    return statement;
  };

  const run = async (statement: PreparedStatement, values: readonly unknown[]): Promise<number> => {
    const { messages } = await db.execProtocol(
      concat([
        protocol.serialize.bind({
          statement: statement.name,
          values: values.map((value, i) => serialised(db, statement.parameterTypes[i], value)),
        }),
        protocol.serialize.execute({}),
        protocol.serialize.sync(),
      ]),
    );
    // An answer that did not reach ReadyForQuery is no answer: what ran is unknown, so it counts as failed.
    if (!messages.some((message) => message instanceof protocol.messages.ReadyForQueryMessage))
      throw new Error('PGlite gave no complete answer to the statement');
    return rowsChanged(messages);
  };

  const forget = async (sql: string, statement: PreparedStatement): Promise<void> => {
    prepared.delete(sql);
    await db
      .execProtocol(
        concat([protocol.serialize.close({ type: 'S', name: statement.name }), protocol.serialize.sync()]),
        {
          syncToFs: false,
        },
      )
      .catch(() => undefined);
  };

  return async (sql, values) => {
    // As `query` does before taking its turn: a closed or closing database refuses at once.
    await db._checkReady();
    const changed = await db._runExclusiveTransaction(() =>
      db._runExclusiveQuery(async () => {
        // Again with the turn: `close()` holds these locks only to mark itself closing and then
        // tears down outside them, where a statement would commit with no answer to read.
        await db._checkReady();
        const statement = await prepare(sql);
        if (!statement) return UNPREPARED;
        try {
          return await run(statement, values);
        } catch (error) {
          await forget(sql, statement);
          // Gone from the server (`DISCARD ALL`, `DEALLOCATE`): nothing ran, so prepare it again once.
          if (!(error instanceof protocol.messages.DatabaseError && error.code === UNDEFINED_PREPARED_STATEMENT))
            throw error;
          const again = (await prepare(sql))!;
          try {
            return await run(again, values);
          } catch (failure) {
            await forget(sql, again);
            throw failure;
          }
        }
      }),
    );
    // Past the limit of prepared texts: PGlite's own `query`, once the locks it takes itself are free.
    return changed === UNPREPARED ? ((await db.query(sql, [...values])).affectedRows ?? 0) : changed;
  };
}

/** What a turn answers when the statement is not to be prepared: it runs after the turn. */
const UNPREPARED = Symbol('unprepared');

/** SQLSTATE invalid_sql_statement_name: Bind named a statement the server does not have. */
const UNDEFINED_PREPARED_STATEMENT = '26000';

interface PreparedStatement {
  name: string;
  /** The type oid of each parameter, as Postgres described the statement. */
  parameterTypes: number[];
}

/** A parameter's text, as `PGlite.query` makes it: by PGlite's serialiser for its type. */
function serialised(db: PGlite, type: number | undefined, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const serialise = type === undefined ? undefined : db.serializers[type];
  return serialise ? serialise(value) : String(value);
}

/** The rows an INSERT, UPDATE, DELETE, COPY or MERGE changed, from its command tag ("INSERT 0 16"). */
function rowsChanged(messages: ExecProtocolResult['messages']): number {
  let rows = 0;
  for (const message of messages) {
    if (!(message instanceof protocol.messages.CommandCompleteMessage)) continue;
    const [command] = message.text.split(' ');
    if (command && COUNTED_COMMANDS.has(command)) rows += Number.parseInt(message.text.split(' ').at(-1)!, 10);
  }
  return rows;
}

const COUNTED_COMMANDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'COPY', 'MERGE']);

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const whole = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    whole.set(part, offset);
    offset += part.length;
  }
  return whole;
}
