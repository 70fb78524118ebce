/**
 * The API token lives in sessionStorage: it survives a reload of this tab and is gone when the
 * tab closes. It is never written to localStorage, cookies or the URL.
 */
const KEY = 'concord.dashboard.token';

/** @returns {string | null} */
export function loadToken() {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

/** @param {string} token */
export function saveToken(token) {
  try {
    sessionStorage.setItem(KEY, token);
  } catch {
    // Storage can be disabled; the token then lasts until the page reloads.
  }
}

export function clearToken() {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // Nothing stored.
  }
}
