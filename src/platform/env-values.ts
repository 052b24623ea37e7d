import { accessSync, constants, mkdtempSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { makeFolderSync } from './make-folder.ts';

/**
 * Strict readers of environment values, shared by every settings schema (config.ts, auth, webhooks,
 * outboxes). zod's `coerce.number()` goes through `Number()`, which reads `''` and `' '` as 0 (an
 * empty `PORT=` listened on a random port), `0x10` as 16, `1e3` as 1000 and `2.0` as 2: a typo
 * became a setting nobody chose. Here a number is decimal digits and nothing else, its range is
 * said in the refusal, and nothing is clamped or wrapped.
 */

const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

function formatRange(min: number, max: number): string {
  if (max === Number.MAX_SAFE_INTEGER) return min === 0 ? '0 or more' : `${min} or more`;
  return `from ${min} to ${max}`;
}

/** A whole number from `min` to `max`, written in decimal digits. */
export function integerSetting(min: number, max: number = Number.MAX_SAFE_INTEGER) {
  const accepted = `a whole number ${formatRange(min, max)}`;
  return z.string().transform((text, context) => {
    const value = Number(text);
    if (!INTEGER.test(text) || !Number.isSafeInteger(value) || value < min || value > max) {
      context.addIssue({ code: 'custom', message: `must be ${accepted}` });
      return z.NEVER;
    }
    return value;
  });
}

/** A number above 0 (fractions allowed) up to `max`, written in decimal digits. */
export function positiveDecimalSetting(max: number) {
  return z.string().transform((text, context) => {
    const value = Number(text);
    if (!DECIMAL.test(text) || !(value > 0) || value > max) {
      context.addIssue({ code: 'custom', message: `must be a decimal number above 0 and at most ${max}` });
      return z.NEVER;
    }
    return value;
  });
}

/** One of `values`, exactly as written (`TRUE` is not `true`: one spelling per setting). */
export function choiceSetting<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `must be one of ${values.join(', ')}` });
}

/** `true` or `false`, as a boolean. */
export const booleanSetting = choiceSetting(['true', 'false']).transform((value) => value === 'true');

/** Text that must not be empty nor carry spaces at its ends (a pasted value's stray space). */
export const textSetting = z.string().refine((text) => text !== '' && text.trim() === text, {
  message: 'must be non-empty, without spaces at either end',
});

/** A URL whose scheme is one of `schemes` (e.g. `['http', 'https']`), with a host. */
export function urlSetting(schemes: readonly string[]) {
  const accepted = `a URL starting ${schemes.map((scheme) => `${scheme}://`).join(' or ')} with a host`;
  return z.string().refine(
    (text) => {
      // The URL parser drops spaces at the ends; a value carrying them is refused, not tidied.
      if (text.trim() !== text || !URL.canParse(text)) return false;
      const parsed = new URL(text);
      return schemes.includes(parsed.protocol.slice(0, -1)) && parsed.hostname !== '';
    },
    { message: `must be ${accepted}` },
  );
}

/** The path of a file the gateway can read. Checked at start so the refusal names the variable. */
export const readableFileSetting = textSetting.superRefine((path, context) => {
  try {
    if (!statSync(path).isFile()) {
      context.addIssue({ code: 'custom', message: 'must name a file (this is a folder or a device)' });
      return;
    }
    accessSync(path, constants.R_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    context.addIssue({ code: 'custom', message: `must name a readable file (${code})` });
  }
});

/** TCP ports `from` to `to`, both included (one port: `from === to`). */
export interface PortRange {
  from: number;
  to: number;
}

const PORT_ITEM = /^(\d{1,5})(?:-(\d{1,5}))?$/;

/**
 * Comma-separated TCP ports and ranges (`443,8443,9000-9099`), each from 1 to 65535, a range
 * written low to high; blank items are skipped, as in the other lists. Port 0 is no port to connect
 * to. A value naming no port is refused rather than read as "no port at all": unset the variable
 * to get the default.
 */
export const portListSetting = z.string().transform((text, context) => {
  const items = text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  if (items.length === 0) {
    context.addIssue({ code: 'custom', message: 'names no port: set ports (443,8443) or leave it unset' });
    return z.NEVER;
  }
  const ranges: PortRange[] = [];
  const bad: string[] = [];
  for (const item of items) {
    const match = PORT_ITEM.exec(item);
    const from = Number(match?.[1]);
    const to = match?.[2] === undefined ? from : Number(match[2]);
    if (match && from >= 1 && to <= 65535 && from <= to) ranges.push({ from, to });
    else bad.push(JSON.stringify(item));
  }
  if (bad.length > 0) {
    context.addIssue({
      code: 'custom',
      message: `must be ports from 1 to 65535 or ranges low-high (443,8443,9000-9099), comma-separated; ${bad.join(', ')} ${bad.length === 1 ? 'is' : 'are'} neither`,
    });
    return z.NEVER;
  }
  return ranges;
});

function isFile(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isDirectory() === false;
  } catch {
    return false; // a file further up (ENOTDIR): making the folder says so
  }
}

/**
 * Why `folder` cannot hold the gateway's files, or null: made (0700, with its missing parents) when
 * missing, then written in once (a folder made and removed again), since a mode check alone would pass
 * for root where the file system still refuses (procfs, sysfs, a read-only mount).
 */
function writableFolderProblem(folder: string): string | null {
  if (isFile(folder)) return 'must name a folder (this is a file)';
  try {
    makeFolderSync(folder, 0o700);
  } catch (error) {
    return `must name a writable folder: cannot create it (${(error as Error).message})`;
  }
  try {
    rmdirSync(mkdtempSync(join(folder, '.write-probe-')));
  } catch (error) {
    return `must name a writable folder: cannot write in it (${(error as NodeJS.ErrnoException).code ?? 'refused'})`;
  }
  return null;
}

/**
 * A folder the gateway keeps files in, made when missing. Checked at start so the refusal names the
 * variable, and promptly: Node's own recursive mkdir never returns on some paths (make-folder.ts).
 */
export const writableFolderSetting = textSetting.superRefine((folder, context) => {
  const problem = writableFolderProblem(folder);
  if (problem !== null) context.addIssue({ code: 'custom', message: problem });
});
