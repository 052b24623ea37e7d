/**
 * A value kept on a short-lived object (a request, a response, one request's permissions), under a
 * symbol of its own, where a WeakMap keyed by that object would have kept it.
 *
 * Why not a WeakMap: V8's young-generation collector (the scavenger) treats the entries of a
 * WeakMap or WeakSet that lives in the old generation, like every long-lived map, as alive.
 * Every request's key, its value and all they reach (the request, its response, its parsed
 * document) were copied at each scavenge and promoted, and only freed by the next full
 * collection. Measured in plain Node 20 (bench/notes/young-generation-retention.md): 300,000 short-lived
 * keys in an old WeakMap made each scavenge copy 18.6 MB, against nothing with a symbol property.
 * A property dies with its object.
 *
 * Never `delete`d (that would turn the object into a slow dictionary): cleared to undefined. Not
 * enumerable, so a spread, `Object.assign` or `util.inspect` of a request does not carry or show
 * what it holds (a request's verified caller).
 */
export class ObjectSlot<Owner extends object, Value> {
  readonly #key: symbol;
  readonly #description: string;

  constructor(description: string) {
    this.#key = Symbol(description);
    this.#description = description;
  }

  get(owner: Owner): Value | undefined {
    return Reflect.get(owner, this.#key) as Value | undefined;
  }

  has(owner: Owner): boolean {
    return Reflect.get(owner, this.#key) !== undefined;
  }

  set(owner: Owner, value: Value): void {
    const kept = Object.hasOwn(owner, this.#key)
      ? Reflect.set(owner, this.#key, value)
      : Reflect.defineProperty(owner, this.#key, { value, writable: true, configurable: true, enumerable: false });
    // A frozen or sealed owner would lose the value silently, and look to its readers as never set.
    if (!kept) throw new Error(`ObjectSlot "${this.#description}": the object cannot hold it`);
  }

  clear(owner: Owner): void {
    if (this.has(owner)) Reflect.set(owner, this.#key, undefined);
  }
}
