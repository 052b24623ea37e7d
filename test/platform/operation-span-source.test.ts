import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { maskedSource } from '../../src/platform/operation-span.ts';

describe("the operation span's graphql.source", () => {
  it('keeps the document as written but for literal values, which become * ("*" for strings), and comments, which go', () => {
    const document = parse(
      `query Check($page: Int) {\n  # 91330381MA2A5K6X7Y\n  subject(uscc: "91330381MA2A5K6X7Y") { permits(first: 20, minScore: 1.5) { note(text: """secret""") } }\n  other(page: $page, on: true, kind: ACTIVE)\n}`,
    );
    expect(maskedSource(document)).toBe(
      `query Check($page: Int) {\n  \n  subject(uscc: "*") { permits(first: *, minScore: *) { note(text: "*") } }\n  other(page: $page, on: true, kind: ACTIVE)\n}`,
    );
  });

  it('is the text as sent when the document has no literal values', () => {
    const text = `query Traced($uscc: USCC!) { subject(uscc: $uscc) { name permits { permitNo } } }`;
    expect(maskedSource(parse(text))).toBe(text);
  });
});
