/// <reference lib="dom" />
// WebAssembly.Memory and its kin are typed only in the DOM library; @types/node declares the namespace without them.
/**
 * Counts the WebAssembly memory a process holds, to report PGlite's share of a gateway's RSS
 * apart from the gateway's own. PGlite builds its Postgres heap with `new WebAssembly.Memory`;
 * modules that export their memory instead (Prisma's query compiler) are caught at instantiation.
 * Imported for its effect before anything creates a memory; the gateway's code is untouched.
 */
const memories: Array<WeakRef<WebAssembly.Memory>> = [];
const track = (memory: WebAssembly.Memory) => {
  if (!memories.some((known) => known.deref() === memory)) memories.push(new WeakRef(memory));
};
const trackExports = (exports: WebAssembly.Exports) => {
  for (const value of Object.values(exports)) if (value instanceof WebAssembly.Memory) track(value);
};

WebAssembly.Memory = new Proxy(WebAssembly.Memory, {
  construct(target, args: [WebAssembly.MemoryDescriptor]) {
    const memory = new target(...args);
    track(memory);
    return memory;
  },
});
const instantiate = WebAssembly.instantiate.bind(WebAssembly);
WebAssembly.instantiate = (async (source: BufferSource | WebAssembly.Module, imports?: WebAssembly.Imports) => {
  const result = await instantiate(source as BufferSource, imports);
  trackExports(result instanceof WebAssembly.Instance ? result.exports : result.instance.exports);
  return result;
}) as typeof WebAssembly.instantiate;

/** Bytes of every live WebAssembly memory in this process. */
export function wasmMemoryBytes(): number {
  return memories.reduce((sum, ref) => sum + (ref.deref()?.buffer.byteLength ?? 0), 0);
}
