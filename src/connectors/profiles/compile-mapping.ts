import { isRecord } from '../http/envelope.ts';
import { UnmappableFieldError, codeTable } from '../mapping/index.ts';
import { CONVERTERS, NORMALISERS } from './converters.ts';
import type { FieldRule, FieldSpec } from './profile-types.ts';

/** Maps one raw record to a domain value; throws `UnmappableFieldError` naming the failing field. */
export type RecordMapper<T = unknown> = (raw: unknown) => T;

type Read = (raw: unknown) => unknown;

/** A getter for a dotted path, compiled once: absent anywhere along the way reads as undefined. */
export function pathGetter(path: string): Read {
  const keys = path.split('.');
  if (keys.length === 1) {
    const [key = ''] = keys;
    return (raw) => (isRecord(raw) ? raw[key] : undefined);
  }
  return (raw) => {
    let value = raw;
    for (const key of keys) {
      if (!isRecord(value)) return undefined;
      value = value[key];
    }
    return value;
  };
}

type CodeTables = Record<string, Record<string, string>>;

/**
 * Compiles a profile's field rules into one closure per field, once per profile, so that
 * mapping a record costs about what a hand-written mapper does: no rule is interpreted per record.
 */
export function compileMapping<T>(fields: Record<string, FieldSpec>, tables: CodeTables): RecordMapper<T> {
  return compileObject(fields, tables, '') as RecordMapper<T>;
}

/**
 * Builds the object with one object literal, as a hand-written mapper would: V8 then gives every
 * result the same shape at once instead of growing a dictionary key by key, which measured about
 * a sixth slower. Only the (JSON-quoted) field names become code; every value comes from a
 * compiled reader closure, never from profile text.
 */
function compileObject(fields: Record<string, FieldSpec>, tables: CodeTables, prefix: string): Read {
  const names = Object.keys(fields);
  const readers = names.map((name) => compileField(fields[name] as FieldSpec, tables, prefix));
  const literal = names.map((name, index) => `${JSON.stringify(name)}: r[${index}](raw)`).join(', ');
  const build = new Function('r', `return function mapRecord(raw) { return { ${literal} }; };`) as (
    readers: Read[],
  ) => Read;
  return build(readers);
}

function compileField(spec: FieldSpec, tables: CodeTables, prefix: string): Read {
  const rule: FieldRule = typeof spec === 'string' ? { from: spec } : spec;
  if ('const' in rule) {
    const value = rule.const;
    return () => value;
  }
  if (rule.object && rule.from === undefined) {
    const build = compileObject(rule.object, tables, prefix);
    return rule.optional ? absentWhenEmpty(rule.object, build) : build;
  }
  if (rule.from === undefined) throw new Error('a field needs "from", "const" or "object"');
  const field = prefix + rule.from;
  const get = pathGetter(rule.from);
  const convert = compileValue(rule, tables, field);
  const fallback = rule.default ?? null;
  if (rule.optional) {
    return (raw) => {
      const value = get(raw);
      return value === null || value === undefined ? fallback : convert(value);
    };
  }
  return (raw) => convert(get(raw));
}

/** The conversion of a value already read, named by its full dotted path. */
function compileValue(rule: FieldRule, tables: CodeTables, field: string): (value: unknown) => unknown {
  const normalise = compileNormalise(rule);
  if (rule.object) {
    const build = compileObject(rule.object, tables, `${field}.`);
    return (value) => {
      if (!isRecord(value)) throw new UnmappableFieldError(field, value);
      return build(value);
    };
  }
  if (rule.items) {
    const build = compileObject(rule.items, tables, `${field}.`);
    return (value) => {
      if (!Array.isArray(value)) throw new UnmappableFieldError(field, value);
      return value.map((item: unknown) => {
        if (!isRecord(item)) throw new UnmappableFieldError(field, item);
        return build(item);
      });
    };
  }
  if (rule.code !== undefined) {
    const lookup = codeTable(field, table(tables, rule.code));
    return (value) => lookup(normalise(value));
  }
  if (rule.codes !== undefined) {
    const lookup = codeTable(field, table(tables, rule.codes));
    const separator = rule.separator ?? ',';
    const allowEmpty = rule.allowEmpty === true;
    return (value) => {
      const written = normalise(value);
      if (allowEmpty && written === '') return [];
      if (typeof written !== 'string' || written === '') throw new UnmappableFieldError(field, value);
      return written.split(separator).map((code) => lookup(code.trim()));
    };
  }
  const converter = CONVERTERS[rule.convert ?? 'text'];
  return (value) => converter(field, normalise(value));
}

/**
 * An optional object gathered from the record's own fields (an informant's name and phone):
 * null when every field it reads is null or absent, built otherwise.
 */
function absentWhenEmpty(fields: Record<string, FieldSpec>, build: Read): Read {
  const reads = sourcePaths(fields).map(pathGetter);
  const absent = (raw: unknown, get: Read) => {
    const value = get(raw);
    return value === null || value === undefined;
  };
  return (raw) => (reads.every((get) => absent(raw, get)) ? null : build(raw));
}

/** The raw paths an object's fields read, through nested objects that have no `from` of their own. */
function sourcePaths(fields: Record<string, FieldSpec>): string[] {
  return Object.values(fields).flatMap((spec) => {
    if (typeof spec === 'string') return [spec];
    if (spec.from !== undefined) return [spec.from];
    return spec.object ? sourcePaths(spec.object) : [];
  });
}

function compileNormalise(rule: FieldRule): (value: unknown) => unknown {
  const steps = (rule.normalize ?? []).map((name) => NORMALISERS[name]);
  if (steps.length === 0) return (value) => value;
  return (value) => {
    if (typeof value !== 'string') return value;
    let text = value;
    for (const step of steps) text = step(text);
    return text;
  };
}

function table(tables: CodeTables, name: string): Record<string, string> {
  const entries = tables[name];
  if (!entries) throw new Error(`code table "${name}" is not defined in codeTables`);
  return entries;
}
