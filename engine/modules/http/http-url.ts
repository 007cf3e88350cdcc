/** What the http.url tagged template returns: the URL, and a name (the template with `${}` placeholders). */
export class HttpUrl {
  constructor(
    readonly url: string,
    readonly name: string,
  ) {
    Object.freeze(this);
  }

  toString(): string {
    return this.url;
  }
}

/** http.url`http://host/posts/${id}` */
export function urlTemplate(strings: TemplateStringsArray, ...values: unknown[]): HttpUrl {
  let name = '';
  let url = '';
  strings.forEach((part, index) => {
    name += part;
    url += part;
    if (index < values.length) {
      name += '${}';
      url += String(values[index]);
    }
  });
  return new HttpUrl(url, name);
}

/** A URL safe for tags and logs: credentials masked as k6 masks them (`http://****:****@host/`). */
export function cleanUrl(url: string): string {
  const at = url.indexOf('@');
  if (at < 0) return url;
  const schemeEnd = url.indexOf('://');
  if (schemeEnd < 0 || schemeEnd > at) return url;
  const slash = url.indexOf('/', schemeEnd + 3);
  if (slash >= 0 && slash < at) return url;
  const userinfo = url.slice(schemeEnd + 3, at);
  return `${url.slice(0, schemeEnd + 3)}${userinfo.includes(':') ? '****:****' : '****'}${url.slice(at)}`;
}
