/**
 * The only way the dashboard builds DOM. Elements come from tag names, attributes are set with
 * setAttribute from an allow-list of name shapes, and every string child becomes a text node:
 * nothing from the API is ever parsed as HTML (the page's CSP also forbids it: Trusted Types).
 */

/** @typedef {Node | string | number | bigint | null | undefined | false} Child */
/** @typedef {Record<string, string | number | boolean | null | undefined>} Attrs */

const TAG = /^[a-z][a-z0-9]*$/;
const ATTR = /^(?:[a-z][a-z0-9]*(?:-[a-z0-9]+)*)$/;
const FORBIDDEN_TAGS = new Set(['script', 'style', 'iframe', 'object', 'embed', 'template']);
const URL_ATTRS = new Set(['href', 'src', 'action', 'formaction']);
/** Same-origin paths, in-page routes and blob downloads the dashboard made itself. */
const SAFE_URL = /^(?:#|\/(?!\/)|blob:)/;

/**
 * Creates an element.
 * @param {string} tag
 * @param {Attrs | null} [attrs]
 * @param {...(Child | Child[])} children
 * @returns {HTMLElement}
 */
export function h(tag, attrs, ...children) {
  if (!TAG.test(tag) || FORBIDDEN_TAGS.has(tag)) throw new Error(`element not allowed: ${tag}`);
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) setAttribute(element, name, value);
  append(element, children);
  return element;
}

/**
 * Sets one attribute; `false`, null and undefined leave it unset, `true` sets it empty.
 * @param {Element} element
 * @param {string} name
 * @param {string | number | boolean | null | undefined} value
 */
export function setAttribute(element, name, value) {
  if (!ATTR.test(name) || name.startsWith('on') || name === 'style' || name === 'srcdoc') {
    throw new Error(`attribute not allowed: ${name}`);
  }
  if (value === false || value === null || value === undefined) {
    element.removeAttribute(name);
    return;
  }
  const text = value === true ? '' : String(value);
  if (URL_ATTRS.has(name) && !SAFE_URL.test(text)) throw new Error(`unsafe URL in ${name}`);
  element.setAttribute(name, text);
}

/**
 * Appends children: nodes as they are, everything else as text.
 * @param {Node} parent
 * @param {(Child | Child[])[]} children
 */
export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/**
 * Replaces all children of `parent`.
 * @param {Node & ParentNode} parent
 * @param {...(Child | Child[])} children
 */
export function replace(parent, ...children) {
  parent.replaceChildren();
  append(parent, children);
}

/**
 * Adds an event listener and returns the element (for building and wiring in one expression).
 * @template {EventTarget} T
 * @param {T} target
 * @param {string} type
 * @param {(event: Event) => void} listener
 * @param {AddEventListenerOptions} [options]
 * @returns {T}
 */
export function on(target, type, listener, options) {
  target.addEventListener(type, listener, options);
  return target;
}

/** A counter for unique ids (labels, aria-describedby). */
let nextId = 0;

/**
 * @param {string} prefix
 * @returns {string}
 */
export function uniqueId(prefix) {
  nextId += 1;
  return `${prefix}-${nextId}`;
}
