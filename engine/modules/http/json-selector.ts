/**
 * The part of gjson's path syntax k6 scripts use with Response.json(selector): dotted keys (`a.b.c`), array indexes
 * (`items.0.id`), `#` for an array's length, `#.key` to collect a key from every element, `*` and `?` wildcards in
 * keys, and `\` to escape a dot or a wildcard. Returns undefined where gjson finds nothing.
 */
export function selectJson(root: unknown, path: string): unknown {
  return select(root, splitPath(path), 0);
}

interface PathPart {
  key: string;
  wildcard: boolean;
}

function select(value: unknown, parts: readonly PathPart[], at: number): unknown {
  if (at === parts.length) return value;
  const part = parts[at]!;
  if (Array.isArray(value)) {
    if (part.key === '#' && !part.wildcard) {
      if (at + 1 === parts.length) return value.length;
      const collected: unknown[] = [];
      for (const element of value) {
        const found = select(element, parts, at + 1);
        if (found !== undefined) collected.push(found);
      }
      return collected;
    }
    if (!/^\d+$/.test(part.key)) return undefined;
    return select(value[Number(part.key)], parts, at + 1);
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const object = value as Record<string, unknown>;
  if (part.wildcard) {
    const pattern = wildcardPattern(part.key);
    for (const key of Object.keys(object)) if (pattern.test(key)) return select(object[key], parts, at + 1);
    return undefined;
  }
  return Object.hasOwn(object, part.key) ? select(object[part.key], parts, at + 1) : undefined;
}

function splitPath(path: string): PathPart[] {
  const parts: PathPart[] = [];
  let key = '';
  let wildcard = false;
  for (let i = 0; i < path.length; i++) {
    const ch = path[i]!;
    if (ch === '\\' && i + 1 < path.length) {
      key += ch + path[++i];
      continue;
    }
    if (ch === '.') {
      parts.push(finish(key, wildcard));
      key = '';
      wildcard = false;
      continue;
    }
    if (ch === '*' || ch === '?') wildcard = true;
    key += ch;
  }
  parts.push(finish(key, wildcard));
  return parts;
}

/** The key with its escapes resolved, unless wildcards still need them to tell `\*` from `*`. */
function finish(key: string, wildcard: boolean): PathPart {
  return { key: wildcard ? key : key.replace(/\\(.)/g, '$1'), wildcard };
}

function wildcardPattern(key: string): RegExp {
  let source = '';
  for (let i = 0; i < key.length; i++) {
    const ch = key[i]!;
    if (ch === '\\' && i + 1 < key.length) source += escapeRegExp(key[++i]!);
    else if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else source += escapeRegExp(ch);
  }
  return new RegExp(`^${source}$`, 's');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
