import { ConcordError } from './concord-error.js';

/** One setting refused: "<setting> must be <requirement> (got <shown>)". */
export interface ConfigurationIssue {
  /** The variable, field or option, as the operator wrote it: `PORT`, `ledger.capRho`, `--port`. */
  readonly setting: string;
  /** What it must be, completing "<setting> must be …": `an integer between 1 and 65535`. */
  readonly requirement: string;
  /**
   * What the message quotes of the value: given only for settings that cannot hold a secret (a
   * port, a level), a neutral description otherwise (a URL's scheme), or nothing.
   */
  readonly shown?: string;
}

/**
 * Settings a process was started with that it cannot run with: environment variables, fields of a
 * configuration file, command-line options. Entry points print `message` as the process's only
 * line on stderr and exit with EX_CONFIG, so an operator reads what to fix, not a stack.
 */
export class ConfigurationError extends ConcordError<'invalid-configuration'> {
  readonly domain = 'configuration';
  readonly issues: readonly ConfigurationIssue[];

  constructor(issue: ConfigurationIssue, ...more: readonly ConfigurationIssue[]) {
    const issues = [issue, ...more];
    super('invalid-configuration', `configuration error: ${issues.map(describeIssue).join('; ')}`);
    this.issues = issues;
  }
}

function describeIssue(issue: ConfigurationIssue): string {
  const got = issue.shown === undefined ? '' : ` (got ${issue.shown})`;
  // One line whatever a value holds: a newline in it would split the message.
  return `${issue.setting} must be ${issue.requirement}${got}`.replace(/[\r\n]+/g, ' ');
}

/** The exit code of a process refused its configuration (sysexits.h EX_CONFIG). */
export const EX_CONFIG = 78;
