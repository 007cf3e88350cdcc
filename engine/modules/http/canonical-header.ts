/** Characters Go accepts in a header name; a name with any other character is left as it is. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const CACHE_LIMIT = 4096;
const cache = new Map<string, string>();

/** A header name the way Go's CanonicalHeaderKey writes it: `content-type` → `Content-Type`. */
export function canonicalHeaderKey(name: string): string {
  const known = cache.get(name);
  if (known !== undefined) return known;
  const canonical = TOKEN.test(name) ? canonicalize(name) : name;
  if (cache.size < CACHE_LIMIT) cache.set(name, canonical);
  return canonical;
}

function canonicalize(name: string): string {
  let out = '';
  let upper = true;
  for (let i = 0; i < name.length; i++) {
    const ch = name[i]!;
    out += upper ? ch.toUpperCase() : ch.toLowerCase();
    upper = ch === '-';
  }
  return out;
}
