/**
 * How deeply a JSON body or message payload may nest objects and arrays, at every edge: the
 * gateway's body parser and both transports' message decoding refuse anything deeper as
 * malformed. No contract DTO comes near it, and what walks a payload afterwards (validation,
 * class-transformer, `JSON.stringify` on the way to the next hop) recurses once per level, so
 * an unbounded depth is a stack overflow one request away.
 */
export const MAX_JSON_NESTING = 32;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/**
 * Whether `json` opens more than `limit` objects and arrays inside one another, found in one
 * pass over the text without parsing it (brackets inside strings do not count). Text that is
 * not JSON gives some answer; its parser refuses it either way.
 */
export function nestsDeeperThan(json: string, limit: number): boolean {
  // Every level opens with one character: text this short cannot be deeper.
  if (json.length <= limit) return false;
  let depth = 0;
  let inString = false;
  for (let index = 0; index < json.length; index++) {
    const char = json.charCodeAt(index);
    if (inString) {
      if (char === BACKSLASH) index++;
      else if (char === QUOTE) inString = false;
    } else if (char === QUOTE) {
      inString = true;
    } else if (char === OPEN_BRACE || char === OPEN_BRACKET) {
      if (++depth > limit) return true;
    } else if (char === CLOSE_BRACE || char === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}
