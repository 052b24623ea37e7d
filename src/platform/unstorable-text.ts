/**
 * C0 control characters other than tab, line feed and carriage return (which multi-line text
 * such as a transfer's findings may hold). NUL in particular: PostgreSQL text cannot store it.
 */
export const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;

/** A UTF-16 surrogate without its pair: ill-formed Unicode, stored (if at all) as U+FFFD. */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
