/* String helpers of util that follow Java's behaviour (AppSync's own runtime is Java-backed). */

const ECMA_ESCAPES: Record<string, string> = {
  "'": "\\'",
  '"': '\\"',
  '\\': '\\\\',
  '/': '\\/',
  '\b': '\\b',
  '\n': '\\n',
  '\t': '\\t',
  '\f': '\\f',
  '\r': '\\r',
};

/** util.escapeJavaScript: escapes quotes, backslash, slash, control and non-ASCII characters. */
export function escapeJavaScript(value: string): string {
  let out = '';
  for (const ch of String(value)) {
    const code = ch.codePointAt(0) ?? 0;
    const known = ECMA_ESCAPES[ch];
    if (known !== undefined) out += known;
    else if (code < 0x20 || code > 0x7e) {
      for (const unit of code > 0xffff ? [ch.charCodeAt(0), ch.charCodeAt(1)] : [code]) {
        out += `\\u${unit.toString(16).toUpperCase().padStart(4, '0')}`;
      }
    } else out += ch;
  }
  return out;
}

/** util.urlEncode: application/x-www-form-urlencoded, like java.net.URLEncoder. */
export function urlEncode(value: string): string {
  return encodeURIComponent(String(value))
    .replace(/%20/g, '+')
    .replace(/[!'()~]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** util.urlDecode: the inverse of {@link urlEncode}. */
export function urlDecode(value: string): string {
  return decodeURIComponent(String(value).replace(/\+/g, ' '));
}

/** util.base64Encode: UTF-8 bytes of the text, base64. */
export function base64Encode(value: string): string {
  return Buffer.from(String(value), 'utf8').toString('base64');
}

/** util.base64Decode: base64 to UTF-8 text. */
export function base64Decode(value: string): string {
  return Buffer.from(String(value), 'base64').toString('utf8');
}

/** util.typeOf: the AppSync type name of a value. */
export function typeOf(value: unknown): string {
  if (value === null || value === undefined) return 'Null';
  if (Array.isArray(value)) return 'List';
  switch (typeof value) {
    case 'string':
      return 'String';
    case 'number':
      return 'Number';
    case 'boolean':
      return 'Boolean';
    case 'object':
      return 'Map';
    default:
      return 'Object';
  }
}
