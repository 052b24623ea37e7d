/**
 * Characters that are not seen, one definition for every check that text must read as it
 * compares (a matter reference, a caller's identifiers, a reason that must say something): every
 * format character (Cf: bidirectional marks and controls, zero-width spaces and joiners, the soft
 * hyphen, a BOM, tag characters), the line and paragraph separators, and every other
 * default-ignorable code point, which renderers draw as nothing although it is no format
 * character: the Hangul fillers (U+3164, U+115F, U+1160, U+FFA0), the combining grapheme joiner
 * (U+034F), variation selectors. With one, two strings that display alike differ.
 */
export const INVISIBLE_CHARACTER = /[\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;

/** Whether a reader would see nothing in `text`: only white space and invisible characters. */
export function looksBlank(text: string): boolean {
  return /^[\s\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]*$/u.test(text);
}
