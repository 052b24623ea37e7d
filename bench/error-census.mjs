/**
 * Which code makes Error objects in a bench child, and how many per request: a preload for the
 * gateway child of bench/profile-request.ts (one query per run reads best).
 *
 *   npx tsx bench/profile-request.ts --variant shipped --query large-list --profile off \
 *     "--flags=--import $PWD/bench/error-census.mjs" --env '{"ERROR_CENSUS_OUT":"/tmp/census.txt"}'
 *
 * Counted: constructions of Error and its kin made from JavaScript (`new Error`, any
 * `class … extends Error` such as GraphQLError, `Error()`), Error.captureStackTrace calls (graphql-js
 * captures a second stack in every GraphQLError), and graphql-jit's own GraphQLError, a plain
 * function that never calls Error. Not seen: V8's own throws (`undefined.x`) and Node's internal
 * errors (made from primordials). Each is keyed by its class lineage and the first frames of the
 * stack that made it (ERROR_CENSUS_FRAMES, default 6).
 *
 * The tally is cut into windows at the parent's IPC `read` probes (profile-request reads before
 * and after each idle spell and each measured load), and written when the parent closes the
 * child: every window that served requests or made errors, then how many of the last window's
 * errors are still alive after two full collections (retained beyond their requests).
 * Counting takes a stack per error, so CPU figures from such a run are not the gateway's.
 */
import { writeFileSync } from 'node:fs';
import diagnosticsChannel from 'node:diagnostics_channel';

const OUT = process.env.ERROR_CENSUS_OUT ?? `/tmp/error-census-${process.pid}.txt`;
const FRAMES = Number(process.env.ERROR_CENSUS_FRAMES ?? 6);
const NativeError = globalThis.Error;
const nativeCapture = NativeError.captureStackTrace;
const nativeDefineProperties = Object.defineProperties;

let window = newWindow();
const windows = [];
// Off while a record is being made: taking its stack must not count itself.
let counting = true;

function newWindow() {
  return { requests: 0, counts: new Map(), made: [] };
}

diagnosticsChannel.subscribe('http.server.request.start', () => {
  window.requests += 1;
});

function record(kind, below, made) {
  if (!counting) return;
  counting = false;
  try {
    const key = `${kind} | ${stackBelow(below)}`;
    window.counts.set(key, (window.counts.get(key) ?? 0) + 1);
    if (made && typeof made === 'object' && window.made.length < 200_000) window.made.push([key, new WeakRef(made)]);
  } finally {
    counting = true;
  }
}

/** The first frames under `below` (a function on the stack), as `name@package/file:line`. */
function stackBelow(below) {
  const holder = {};
  const { prepareStackTrace, stackTraceLimit } = NativeError;
  NativeError.prepareStackTrace = (_error, sites) => sites;
  NativeError.stackTraceLimit = FRAMES;
  nativeCapture(holder, below);
  const sites = holder.stack;
  NativeError.prepareStackTrace = prepareStackTrace;
  NativeError.stackTraceLimit = stackTraceLimit;
  return Array.isArray(sites) ? sites.map(frameName).join(' < ') : String(sites);
}

function frameName(site) {
  const file = String(site.getFileName() ?? '?').replace(/^file:\/\//, '');
  const inPackage = file.lastIndexOf('node_modules/');
  const short =
    inPackage >= 0 ? file.slice(inPackage + 'node_modules/'.length) : file.replace(/^.*\/(dist|src)\//, '$1/');
  const name = site.getFunctionName() ?? site.getMethodName() ?? '<anonymous>';
  return `${site.isConstructor() ? 'new ' : ''}${name}@${short}:${site.getLineNumber()}`;
}

/** `UpstreamTimeoutError<UpstreamError<GraphQLError<Error`. */
function lineage(constructor) {
  const names = [];
  for (let c = constructor; c && c !== Function.prototype; c = Object.getPrototypeOf(c)) names.push(c.name || '?');
  return names.join('<');
}

// Classes defined after this preload extend the proxy, so their constructions pass its trap too.
for (const name of [
  'Error',
  'TypeError',
  'RangeError',
  'SyntaxError',
  'ReferenceError',
  'URIError',
  'EvalError',
  'AggregateError',
]) {
  const handler = {
    construct(target, args, newTarget) {
      const constructor = newTarget === proxy ? target : newTarget;
      const made = Reflect.construct(target, args, constructor);
      record(`new ${lineage(constructor)}`, handler.construct, made);
      return made;
    },
    apply(target, self, args) {
      const made = Reflect.apply(target, self, args);
      record(`${target.name}()`, handler.apply, made);
      return made;
    },
  };
  const proxy = new Proxy(globalThis[name], handler);
  globalThis[name] = proxy;
}

NativeError.captureStackTrace = function captureStackTrace(object, below) {
  record(
    `captureStackTrace ${object?.constructor ? lineage(object.constructor) : typeof object}`,
    captureStackTrace,
    null,
  );
  return nativeCapture(object, below);
};

// graphql-jit's GraphQLError sets its fields with Object.defineProperties on an object whose
// prototype (its own, with an own `name`) inherits graphql-js's.
Object.defineProperties = function defineProperties(object, properties) {
  const prototype = object !== null && typeof object === 'object' ? Object.getPrototypeOf(object) : null;
  if (
    prototype &&
    Object.hasOwn(prototype, 'name') &&
    prototype.constructor?.name === 'GraphQLError' &&
    'originalError' in properties
  ) {
    record('new graphql-jit GraphQLError', defineProperties, object);
  }
  return nativeDefineProperties(object, properties);
};

process.on('message', (message) => {
  if (message?.kind === 'read') {
    windows.push(window);
    // Only the last window's errors are checked for being retained.
    if (windows.length > 1) windows.at(-2).made = [];
    window = newWindow();
  }
  if (message?.kind === 'close') writeFileSync(OUT, report());
});

function report() {
  const lines = [];
  windows.forEach((w, index) => {
    const errors = [...w.counts.values()].reduce((sum, n) => sum + n, 0);
    if (w.requests === 0 && errors === 0) return;
    const perRequest = w.requests > 0 ? `, ${(errors / w.requests).toFixed(3)} per request` : '';
    lines.push(`window ${index} (up to read ${index + 1}): ${w.requests} requests, ${errors} errors${perRequest}`);
    for (const [key, n] of [...w.counts.entries()].sort((a, b) => b[1] - a[1]))
      lines.push(`  ${String(n).padStart(7)}  ${key}`);
  });
  globalThis.gc?.();
  globalThis.gc?.();
  const alive = new Map();
  for (const [key, ref] of windows.at(-1)?.made ?? []) if (ref.deref()) alive.set(key, (alive.get(key) ?? 0) + 1);
  lines.push(
    `alive after two full collections, of the last window's errors: ${[...alive.values()].reduce((a, b) => a + b, 0)}`,
  );
  for (const [key, n] of alive) lines.push(`  ${String(n).padStart(7)}  ${key}`);
  return `${lines.join('\n')}\n`;
}
