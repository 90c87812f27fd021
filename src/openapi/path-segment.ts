/**
 * Why a value may not go into a REST path template as it is, or null when it may.
 *
 * The REST transport interpolates path parameters into the URL unencoded, and the URL parser
 * then acts on what they spell: "/" and "\" start a new segment, "." and ".." climb the path
 * (so does ".. " once the parser strips the trailing space), "?" and "#" end it, "%" escapes
 * are decoded upstream (%2F, %2e%2e), ";" starts the matrix parameters some servers route on,
 * tabs and newlines are dropped, and an empty value leaves an empty segment. The transport's
 * own machinery reads more: "{...}" is another placeholder to its interpolator, "$&", "$`",
 * "$'" and "$$" are String.replace patterns that paste parts of the template, and url-join
 * drops the "/" before a leading "&". Such values are refused rather than encoded: dot segments
 * cannot be encoded away (%2e is a dot to the parser too), and an encoded "%2F" still climbs on
 * upstreams that decode before routing.
 */
export function pathSegmentProblem(value: unknown): string | null {
  const text = interpolatedText(value);
  if (text === undefined) return null;
  if (text === '') return 'must not be empty (it is a URL path segment)';
  if (text === '.' || text === '..') return 'must not be "." or ".." (it is a URL path segment)';
  if (text.startsWith(' ') || text.endsWith(' ')) return 'must not start or end with a space (it is a URL path segment)';
  if (/[\u0000-\u001f\u007f]/.test(text)) return 'must not contain control characters (it is a URL path segment)';
  const reserved = /[/\\?#%;{}]/.exec(text)?.[0];
  if (reserved !== undefined) return `must not contain "${reserved}" (it is a URL path segment)`;
  if (/\$[$&'`]/.test(text)) return 'must not contain "$$", "$&", "$\'" or "$`" (it is a URL path segment)';
  if (text.startsWith('&')) return 'must not start with "&" (it is a URL path segment)';
  return null;
}

/**
 * The text the interpolator puts in the URL: strings as they are, lists and objects as JSON
 * (which brings its own quotes and backslashes). Numbers, booleans and dates spell nothing that
 * moves a path; null and undefined are for the `required` rule.
 */
function interpolatedText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object' || value instanceof Date) return undefined;
  return JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/**
 * Argument paths a URL template reads, e.g. `/user/{args.username}` -> [['username']]. Only
 * `{args...}` placeholders come from the client; `:default` and `|modifier` are cut off as the
 * interpolator does, and a JSON pointer (`#/...`) is dropped, so its whole argument is checked.
 */
export function templateArgumentPaths(template: string): string[][] {
  const paths: string[][] = [];
  const seen = new Set<string>();
  for (const match of template.matchAll(/\{([^}]+)\}/g)) {
    const key = match[1]!.split(/[:|#]/, 1)[0]!.trim();
    if (!key.startsWith('args.') || seen.has(key)) continue;
    seen.add(key);
    paths.push(key.slice(5).split('.'));
  }
  return paths;
}

/**
 * Why a value may not go into an HTTP header the REST transport sends (`{args.x}` in
 * `operationSpecificHeaders`), or null when it may. Fetch refuses CR, LF and NUL and characters
 * beyond Latin-1 (the call would fail and look like an upstream outage); other control
 * characters split or confuse headers in proxies. Tabs are allowed, as HTTP allows them.
 */
export function headerValueProblem(value: unknown): string | null {
  const text = interpolatedText(value);
  if (text === undefined) return null;
  if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(text)) return 'must not contain control characters (it is sent as an HTTP header)';
  if (/[^\u0000-\u00ff]/.test(text)) return 'must only contain Latin-1 characters (it is sent as an HTTP header)';
  return null;
}
