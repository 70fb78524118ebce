import type { ConfigurationIssue } from './configuration-error.js';

/**
 * How a refused value is quoted back: `value` as written; `scheme` only a URL's scheme (a URL
 * may carry a password); `length` only its length (a token); `omitted` not at all (settings that
 * may hold a credential anywhere inside).
 */
export type Shown = 'value' | 'scheme' | 'length' | 'omitted';

interface Requirement {
  readonly text: string;
  readonly shown: Shown;
}

/** Per configuration class, per property. */
const REQUIREMENTS = new WeakMap<object, Map<string, Requirement>>();

/**
 * What a configuration setting must be, in words completing "<setting> must be …": the line an
 * operator reads when the validation rules on the same property refuse its value. Kept next to
 * those rules so that the two are written (and changed) together.
 */
export function Must(text: string, shown: Shown = 'value'): PropertyDecorator {
  return (prototype, property) => {
    const ofClass = REQUIREMENTS.get(prototype) ?? new Map<string, Requirement>();
    ofClass.set(String(property), { text, shown });
    REQUIREMENTS.set(prototype, ofClass);
  };
}

/**
 * The issue to report when `property` of `instance` (a configuration object) was refused with the
 * raw `value` it was given (undefined: none). `setting` names it for the operator.
 */
export function issueOf(
  instance: object,
  property: string,
  value: unknown,
  setting = property,
): ConfigurationIssue {
  const requirement = requirementOf(Object.getPrototypeOf(instance) as object, property);
  const shown = requirement.shown === 'omitted' ? undefined : show(value, requirement.shown);
  return { setting, requirement: requirement.text, ...(shown === undefined ? {} : { shown }) };
}

function requirementOf(prototype: object | null, property: string): Requirement {
  for (let p = prototype; p; p = Object.getPrototypeOf(p) as object | null) {
    const found = REQUIREMENTS.get(p)?.get(property);
    if (found) return found;
  }
  return { text: 'valid', shown: 'value' };
}

function show(value: unknown, how: Exclude<Shown, 'omitted'>): string {
  if (value === undefined) return 'nothing';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  switch (how) {
    case 'value':
      return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
    case 'scheme': {
      const scheme = /^([a-z][a-z0-9+.-]{0,20}:)\/\//i.exec(text)?.[1];
      return scheme ? `a URL of scheme ${JSON.stringify(scheme)}` : 'a value that is not a URL';
    }
    case 'length':
      return `${text.length} characters`;
  }
}
