import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { ErrorRegistry, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';

// eslint-disable-next-line @typescript-eslint/consistent-type-imports -- the module's namespace type, for a dynamic import
type SchemaEngineModule = typeof import('@prisma/schema-engine-wasm/schema_engine_bg');

/** The slice of the WebAssembly global we use; the project's `lib` setting does not declare it. */
interface WebAssemblyApi {
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }>;
}

/**
 * The wasm glue keeps its instance in module state, so the engine module can be initialised only
 * once per process; a second `__wbg_set_wasm` would pull the memory out from under live engines.
 * Hence this one cached promise, the only process-wide state in the store.
 */
let loading: Promise<SchemaEngineModule> | undefined;

/**
 * Loads Prisma's schema engine compiled to wasm. Its package entry imports the `.wasm` file as an
 * ES module, which Node refuses, so we instantiate it by hand the way Prisma's own CLI does. This
 * is what lets migrations run without the native engine binary Prisma would download.
 */
export function loadSchemaEngineModule(): Promise<SchemaEngineModule> {
  loading ??= instantiate();
  return loading;
}

async function instantiate(): Promise<SchemaEngineModule> {
  const glue = await import('@prisma/schema-engine-wasm/schema_engine_bg');
  const gluePath = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const bytes = await readFile(join(dirname(gluePath), 'schema_engine_bg.wasm'));
  const { WebAssembly: wasmApi } = globalThis as unknown as { WebAssembly: WebAssemblyApi };
  const { instance } = await wasmApi.instantiate(bytes, { './schema_engine_bg.js': glue });
  glue.__wbg_set_wasm(instance.exports);
  // The glue reports engine panics through this registry, which Prisma's client runtime defines.
  const holder = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: { set_message(message: string): void } };
  holder.PRISMA_WASM_PANIC_REGISTRY ??= { set_message: () => undefined };
  const start = instance.exports['__wbindgen_start'];
  if (typeof start === 'function') start();
  return glue;
}

export interface SchemaFile {
  path: string;
  content: string;
}

/** Runs `use` with a schema engine connected through `adapterFactory`, then frees the engine. */
export async function withSchemaEngine<T>(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  schema: SchemaFile,
  use: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const { SchemaEngine: Engine } = await loadSchemaEngineModule();
  const driver = bindMigrationAwareSqlAdapterFactory(adapterFactory);
  const engine = await Engine.new(
    { datamodels: [[schema.path, schema.content]] },
    // The engine logs JSON lines at info level on every step; nothing there we need to keep.
    () => undefined,
    driver,
  ).catch((error: unknown) => {
    throw withDriverError(error, driver.errorRegistry);
  });
  try {
    return await use(engine);
  } catch (error) {
    throw withDriverError(error, driver.errorRegistry);
  } finally {
    engine.free();
  }
}

/**
 * The engine reports a failure of the driver below it only as "External error id#N", and keeps
 * the driver's own error (pg's timeout, a SQLSTATE) in the registry: made the cause, it lets a
 * caller tell a server that stopped answering from a migration that is wrong.
 */
function withDriverError(error: unknown, registry: ErrorRegistry): unknown {
  const id = error instanceof Error ? /External error id#(\d+)/.exec(error.message)?.[1] : undefined;
  const driverError = id === undefined ? undefined : registry.consumeError(Number(id))?.error;
  return driverError === undefined ? error : new Error((error as Error).message, { cause: driverError });
}
