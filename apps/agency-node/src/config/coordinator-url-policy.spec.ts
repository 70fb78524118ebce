import { describe, expect, it } from 'vitest';
import { insecureCoordinatorUrlProblem } from './coordinator-url-policy.js';

describe('the coordinator URL a node may use', () => {
  it('allows https:// anywhere and http:// on loopback', () => {
    for (const url of [
      'https://concord.example.org',
      'https://10.0.0.5:3000/',
      'http://127.0.0.1:3000',
      'http://localhost:3000',
      'http://[::1]:3000',
    ])
      expect(insecureCoordinatorUrlProblem(url, false), url).toBeUndefined();
  });

  it('refuses http:// to any other host in one line that names the way out', () => {
    for (const url of [
      'http://concord.example.org',
      'http://10.0.0.5:3000',
      'http://0.0.0.0:3000',
      'http://coordinator:3000',
    ]) {
      const problem = insecureCoordinatorUrlProblem(url, false);
      expect(problem, url).toMatch(/is plain HTTP to a host that is not loopback/);
      expect(problem).toMatch(/https:\/\/.*--allow-insecure-http/);
      expect(problem).not.toMatch(/\n/);
    }
  });

  it('allows it with the explicit opt-in', () => {
    expect(insecureCoordinatorUrlProblem('http://coordinator:3000', true)).toBeUndefined();
  });

  it('refuses a scheme other than http and https', () => {
    expect(insecureCoordinatorUrlProblem('ws://coordinator:3000', true)).toMatch(/https:\/\//);
  });
});
