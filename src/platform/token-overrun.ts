/**
 * Where graphql-js's parser would stop a document for having more than `maxTokens` tokens, found
 * without parsing it: a scan of the text that counts tokens exactly as graphql-js 16's lexer reads
 * them (comments, commas and white space are not tokens) and allocates nothing. Parsing the
 * 3,000 tokens before the limit built tokens and AST nodes that, at two concurrent refusals,
 * made the garbage collector most of a refused document's CPU (bench/RESULTS-fixedcost.notes.md).
 *
 * Returns the position, line and column of the first token past the limit — where graphql-js
 * reports "Document contains more that N tokens" — or undefined when the document has no more
 * than `maxTokens` tokens, or when the scan meets anything it does not read exactly as graphql-js
 * does (a character outside a token, a `\u` escape, a malformed number, an unterminated string):
 * then the parser decides, as before. So a document graphql-js accepts is never refused here.
 * A document past the limit is refused for its size even if it has a grammar error before it
 * (graphql-js would name that error instead), as an over-limit document is refused for the
 * limits it breaks only (query-limits.ts).
 */
export interface TokenOverrun {
  position: number;
  line: number;
  column: number;
}

export function tokenOverrun(body: string, maxTokens: number): TokenOverrun | undefined {
  const found = scan(body, maxTokens);
  return found && { position: found.position, line: found.line, column: found.column };
}

/**
 * The same for the first part of a longer document: the overrun only when the token past the limit
 * also ends within `prefix`, so that graphql-js, reading the whole document, would read it alike.
 * Undefined otherwise, and whenever `tokenOverrun` would be.
 */
export function tokenOverrunInPrefix(prefix: string, maxTokens: number): TokenOverrun | undefined {
  const found = scan(prefix, maxTokens);
  // Reading a token looks no further than the character after it, which must be in the prefix too.
  return found && found.end < prefix.length
    ? { position: found.position, line: found.line, column: found.column }
    : undefined;
}

function scan(body: string, maxTokens: number): (TokenOverrun & { end: number }) | undefined {
  const length = body.length;
  let position = 0;
  let line = 1;
  let lineStart = 0;
  let tokens = 0;
  while (position < length) {
    const code = body.charCodeAt(position);
    // Ignored: BOM, tab, space, comma.
    if (code === 0xfeff || code === 0x09 || code === 0x20 || code === 0x2c) {
      position++;
      continue;
    }
    if (code === 0x0a || code === 0x0d) {
      position += code === 0x0d && body.charCodeAt(position + 1) === 0x0a ? 2 : 1;
      line++;
      lineStart = position;
      continue;
    }
    if (code === 0x23) {
      // A comment runs to the end of its line; a lone surrogate would end it, then be an error.
      position++;
      while (position < length) {
        const c = body.charCodeAt(position);
        if (c === 0x0a || c === 0x0d) break;
        if (c >= 0xd800 && c <= 0xdfff) {
          if (!isSurrogatePair(body, position)) return undefined;
          position += 2;
        } else position++;
      }
      continue;
    }
    // A token starts here. graphql-js reads it whole before counting it, so one it cannot read is its error.
    const end = tokenEnd(body, position, code);
    if (end < 0) return undefined;
    if (tokens === maxTokens) return { position, line, column: position + 1 - lineStart, end };
    tokens++;
    if (code === 0x22 && end - position >= 6 && body.charCodeAt(position + 1) === 0x22) {
      // A block string may span lines: count them as graphql-js's locations do.
      for (let i = position + 3; i < end; i++) {
        const c = body.charCodeAt(i);
        if (c === 0x0a || c === 0x0d) {
          if (c === 0x0d && body.charCodeAt(i + 1) === 0x0a) i++;
          line++;
          lineStart = i + 1;
        }
      }
    }
    position = end;
  }
  return undefined;
}

/** The end of the token starting at `start`, or -1 when it is not read here exactly as graphql-js would. */
function tokenEnd(body: string, start: number, code: number): number {
  switch (code) {
    // Punctuators: ! $ & ( ) : = @ [ ] { | }
    case 0x21:
    case 0x24:
    case 0x26:
    case 0x28:
    case 0x29:
    case 0x3a:
    case 0x3d:
    case 0x40:
    case 0x5b:
    case 0x5d:
    case 0x7b:
    case 0x7c:
    case 0x7d:
      return start + 1;
    case 0x2e:
      return body.charCodeAt(start + 1) === 0x2e && body.charCodeAt(start + 2) === 0x2e ? start + 3 : -1;
    case 0x22:
      return body.charCodeAt(start + 1) === 0x22 && body.charCodeAt(start + 2) === 0x22
        ? blockStringEnd(body, start)
        : stringEnd(body, start);
  }
  if (isDigit(code) || code === 0x2d) return numberEnd(body, start);
  if (isNameStart(code)) {
    let position = start + 1;
    while (isNameContinue(body.charCodeAt(position))) position++;
    return position;
  }
  return -1;
}

function numberEnd(body: string, start: number): number {
  let position = start;
  if (body.charCodeAt(position) === 0x2d) position++;
  if (body.charCodeAt(position) === 0x30) {
    position++;
    if (isDigit(body.charCodeAt(position))) return -1;
  } else {
    position = digitsEnd(body, position);
    if (position < 0) return -1;
  }
  if (body.charCodeAt(position) === 0x2e) {
    position = digitsEnd(body, position + 1);
    if (position < 0) return -1;
  }
  const e = body.charCodeAt(position);
  if (e === 0x45 || e === 0x65) {
    position++;
    const sign = body.charCodeAt(position);
    if (sign === 0x2b || sign === 0x2d) position++;
    position = digitsEnd(body, position);
    if (position < 0) return -1;
  }
  const next = body.charCodeAt(position);
  return next === 0x2e || isNameStart(next) ? -1 : position;
}

function digitsEnd(body: string, start: number): number {
  if (!isDigit(body.charCodeAt(start))) return -1;
  let position = start + 1;
  while (isDigit(body.charCodeAt(position))) position++;
  return position;
}

function stringEnd(body: string, start: number): number {
  const length = body.length;
  let position = start + 1;
  while (position < length) {
    const code = body.charCodeAt(position);
    if (code === 0x22) return position + 1;
    if (code === 0x5c) {
      // \" \\ \/ \b \f \n \r \t; a \u escape is left to graphql-js.
      if (!isSimpleEscape(body.charCodeAt(position + 1))) return -1;
      position += 2;
      continue;
    }
    if (code === 0x0a || code === 0x0d) return -1;
    if (code >= 0xd800 && code <= 0xdfff) {
      if (!isSurrogatePair(body, position)) return -1;
      position += 2;
    } else position++;
  }
  return -1;
}

function blockStringEnd(body: string, start: number): number {
  const length = body.length;
  let position = start + 3;
  while (position < length) {
    const code = body.charCodeAt(position);
    if (code === 0x22 && body.charCodeAt(position + 1) === 0x22 && body.charCodeAt(position + 2) === 0x22)
      return position + 3;
    if (
      code === 0x5c &&
      body.charCodeAt(position + 1) === 0x22 &&
      body.charCodeAt(position + 2) === 0x22 &&
      body.charCodeAt(position + 3) === 0x22
    ) {
      position += 4;
      continue;
    }
    if (code >= 0xd800 && code <= 0xdfff) {
      if (!isSurrogatePair(body, position)) return -1;
      position += 2;
    } else position++;
  }
  return -1;
}

function isSimpleEscape(code: number): boolean {
  return (
    code === 0x22 ||
    code === 0x5c ||
    code === 0x2f ||
    code === 0x62 ||
    code === 0x66 ||
    code === 0x6e ||
    code === 0x72 ||
    code === 0x74
  );
}

function isSurrogatePair(body: string, position: number): boolean {
  const lead = body.charCodeAt(position);
  const trail = body.charCodeAt(position + 1);
  return lead >= 0xd800 && lead <= 0xdbff && trail >= 0xdc00 && trail <= 0xdfff;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function isNameStart(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || code === 0x5f;
}

function isNameContinue(code: number): boolean {
  return isNameStart(code) || isDigit(code);
}
