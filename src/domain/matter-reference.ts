import { INVISIBLE_CHARACTER } from './invisible-characters.ts';

/**
 * A purpose is a matter reference (事项/案件编号 such as 瑞综执立〔2026〕777号): the one thing a
 * grant is bound to and the access log records. It must be something a person could have typed
 * and an auditor can read back: trimmed, non-empty, at most 100 characters, well-formed Unicode,
 * with no control characters and no invisible characters (a bidirectional mark, a zero-width
 * space: each would make one matter number display as another in the log).
 */
export const MAX_MATTER_REFERENCE_LENGTH = 100;

export type MatterReferenceProblem = 'blank' | 'too_long' | 'control_character' | 'ill_formed_unicode';

export type MatterReference = { ok: true; value: string } | { ok: false; problem: MatterReferenceProblem };

/**
 * C0 and C1 controls and DEL. Invisible characters are refused as `INVISIBLE_CHARACTER` defines
 * them: with one, two matter numbers that display alike are different strings, so a log entry
 * would read as a matter it is not, and a search for that matter would not find it.
 */
const CONTROL = /\p{Cc}/u;
/**
 * The embedding, override and isolate controls: they reorder what follows them, so a case number
 * stored with one displays as another (瑞综执立〔2026〕901号 for 109). The marks LRM, RLM and ALM only
 * steer neutral characters and are typed by Uyghur input methods and pasted from Windows, so free
 * text keeps them (a matter reference refuses every invisible character, marks included).
 */
export const BIDI_MARK = /[\u202A-\u202E\u2066-\u2069]/u;
/** With the u flag only an unpaired surrogate matches: a pair is one code point outside the range. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** The text trimmed, if it is a matter reference; otherwise the rule it breaks. */
export function toMatterReference(text: string): MatterReference {
  if (LONE_SURROGATE.test(text)) return { ok: false, problem: 'ill_formed_unicode' };
  // A byte-order mark at either end (a matter number pasted from a UTF-8 CSV export carries one)
  // is not kept, trim drops it with the spaces; anywhere else it is refused like any invisible mark.
  if (CONTROL.test(text) || INVISIBLE_CHARACTER.test(text.replace(/^\uFEFF|\uFEFF$/gu, '')))
    return { ok: false, problem: 'control_character' };
  const value = text.trim();
  if (value === '') return { ok: false, problem: 'blank' };
  // Counted in code points, as a person counts characters: 〔 is one, so is 𠀀.
  if ([...value].length > MAX_MATTER_REFERENCE_LENGTH) return { ok: false, problem: 'too_long' };
  return { ok: true, value };
}

/** A clause for each problem, for error messages ("x-purpose must …"). */
export function describeMatterReferenceProblem(problem: MatterReferenceProblem): string {
  switch (problem) {
    case 'blank':
      return 'must name a matter: it is empty or only blanks';
    case 'too_long':
      return `must be at most ${MAX_MATTER_REFERENCE_LENGTH} characters`;
    case 'control_character':
      return 'must not contain control characters (CR, LF, NUL, …), bidirectional marks or invisible characters (zero-width spaces, …)';
    case 'ill_formed_unicode':
      return 'must be well-formed Unicode (no lone surrogates)';
  }
}
