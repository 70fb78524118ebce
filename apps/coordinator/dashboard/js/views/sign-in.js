/**
 * Sign in with an API token. The token is checked against the coordinator before it is kept.
 */
import { ApiError } from '../api.js';
import { h, on, replace } from '../dom.js';
import { problemAlert } from './parts.js';

/**
 * @param {object} options
 * @param {(token: string) => Promise<void>} options.signIn  resolves when signed in
 * @param {string | null} [options.notice]  why the user is here (for example a revoked token)
 * @returns {{ title: string, element: HTMLElement, heading: HTMLElement }}
 */
export function signInView({ signIn, notice }) {
  const heading = h('h1', { tabindex: -1 }, 'Sign in');
  const status = h('div', { 'aria-live': 'polite' });
  const input = h('input', {
    id: 'token',
    name: 'token',
    type: 'password',
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
    'aria-describedby': 'token-hint',
  });
  const button = h('button', { type: 'submit', class: 'button' }, 'Sign in');
  const form = h(
    'form',
    { class: 'card sign-in', novalidate: true },
    heading,
    notice ? h('div', { class: 'alert info', role: 'status' }, notice) : null,
    h(
      'p',
      null,
      'Concord releases joint transit figures computed by three agencies without any of them seeing the others’ records. Every figure is released with privacy noise and an error bar.',
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'token' }, 'API token'),
      input,
      h(
        'span',
        { class: 'hint', id: 'token-hint' },
        'The token an administrator issued to you. It is kept only in this browser tab and sent only to this coordinator.',
      ),
    ),
    status,
    button,
  );
  on(form, 'submit', (event) => {
    event.preventDefault();
    const token = /** @type {HTMLInputElement} */ (input).value.trim();
    if (!token) {
      input.setAttribute('aria-invalid', 'true');
      replace(status, h('p', { class: 'field-error', role: 'alert' }, 'Paste your API token.'));
      input.focus();
      return;
    }
    button.setAttribute('disabled', '');
    replace(status, h('p', { class: 'muted' }, 'Checking the token…'));
    signIn(token).catch((error) => {
      button.removeAttribute('disabled');
      input.setAttribute('aria-invalid', 'true');
      replace(
        status,
        error instanceof ApiError && error.status === 401
          ? h(
              'div',
              { class: 'alert bad', role: 'alert' },
              h('p', { class: 'alert-title' }, 'This token was not accepted.'),
              h(
                'p',
                null,
                'Check that you pasted the whole token. Tokens can also be revoked by an administrator.',
              ),
            )
          : problemAlert(error, 'Signing in failed'),
      );
      input.focus();
    });
  });
  return { title: 'Sign in', element: form, heading };
}
