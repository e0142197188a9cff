/** The `Cookie` header a browser would send back for a response's `Set-Cookie` header(s). */
export const cookiesOf = (setCookie: string | string[] | undefined): string =>
  (Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []).map((c) => c.split(';')[0]!).join('; ');
