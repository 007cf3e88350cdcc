/** The URL as it may be printed: a password becomes "***". */
export function redactUrl(text: string): string {
  try {
    const url = new URL(text);
    if (url.password) url.password = '***';
    return url.href.replace(/\/+$/, '');
  } catch {
    return text;
  }
}

/** fetch refuses URLs with credentials: split them into the bare URL and a Basic Authorization header. */
export function withoutCredentials(text: string): { url: string; headers: Record<string, string> } {
  const url = new URL(text);
  if (!url.username && !url.password) return { url: text, headers: {} };
  const basic = Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64');
  url.username = '';
  url.password = '';
  return { url: url.href.replace(/\/+$/, ''), headers: { authorization: `Basic ${basic}` } };
}
