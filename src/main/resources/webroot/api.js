// The public API, called with the key kept in sessionStorage (this tab only; never a cookie or the address).
const STORE = 'actionlog.credential';

export function credential() {
  try {
    const c = JSON.parse(sessionStorage.getItem(STORE));
    return c && typeof c.key === 'string' ? c : null;
  } catch {
    return null;
  }
}

export function remember(name, key) {
  sessionStorage.setItem(STORE, JSON.stringify({ name, key }));
}

export function forget() {
  sessionStorage.removeItem(STORE);
}

/** ApiKey name:key when a name was given, Token key otherwise: two of the forms every endpoint accepts. */
export function authorization(c = credential()) {
  return c.name ? `ApiKey ${c.name}:${c.key}` : `Token ${c.key}`;
}

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function call(method, path, params, c) {
  const query = params ? '?' + new URLSearchParams(params).toString() : '';
  // X-Requested-With: the server then challenges with its API key scheme, not Basic, which would open the
  // browser's own prompt.
  const response = await fetch(path + query, {
    method,
    headers: { Authorization: authorization(c), 'X-Requested-With': 'actionlog-viewer', Accept: 'application/json' },
    cache: 'no-store',
    credentials: 'omit',
  });
  // The text too: numbers in it may be more exact than JSON.parse keeps them (json-text.js).
  const text = await response.text();
  let body = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  if (!response.ok) {
    throw new ApiError(response.status, (body && (body.error || body.detail)) || `HTTP ${response.status}`);
  }
  return { body, text, date: response.headers.get('Date') };
}

/**
 * GET as a file: the body as a Blob (the key must travel in a header, so the browser cannot fetch the file
 * itself), with the file name the server gives in Content-Disposition, else `fallback`.
 */
export async function download(path, params, fallback) {
  const response = await fetch(`${path}?${new URLSearchParams(params)}`, {
    headers: { Authorization: authorization(), 'X-Requested-With': 'actionlog-viewer' },
    cache: 'no-store',
    credentials: 'omit',
  });
  if (!response.ok) {
    let message = `HTTP ${response.status}`;
    try {
      message = (await response.json()).error || message;
    } catch {
      // not JSON: the status says enough
    }
    throw new ApiError(response.status, message);
  }
  const name = /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') || '');
  return { blob: await response.blob(), name: name ? name[1] : fallback };
}

export const get = (path, params, c = credential()) => call('GET', path, params, c);

/** A public text resource (the verifier key): no credential is sent. */
export async function text(path) {
  const response = await fetch(path, { cache: 'no-store', credentials: 'omit' });
  if (!response.ok) throw new ApiError(response.status, `HTTP ${response.status}`);
  return response.text();
}
export const post = (path) => call('POST', path, null, credential());

/** The query of a WebSocket: browsers cannot set its headers, so the streams take the key as ?user=&token=. */
export function streamQuery(c = credential()) {
  const q = new URLSearchParams();
  if (c.name) q.set('user', c.name);
  q.set('token', c.key);
  return q;
}
