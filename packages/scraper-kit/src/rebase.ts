/** `url` on `baseUrl`'s origin (and path prefix), keeping its path and query. */
export function rebase(url: string, baseUrl: string | undefined): string {
  if (baseUrl === undefined) return url;
  const page = new URL(url);
  const base = new URL(baseUrl);
  return `${base.origin}${base.pathname.replace(/\/+$/, '')}${page.pathname}${page.search}`;
}
