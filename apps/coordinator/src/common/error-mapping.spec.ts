import { BadRequestException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { DpError } from '#concord/dp';
import { FieldError } from '#concord/field';
import { ProtocolError } from '#concord/protocol';
import { WireError } from '#concord/wire';
import { StaleSessionError } from '../database/database-errors.js';
import { CoordinatorError } from './coordinator-error.js';
import { problemOf } from './error-mapping.js';

const statusAndCode = (e: unknown) => {
  const p = problemOf(e);
  return [p.status, p.code];
};

describe('every error an HTTP handler can raise, mapped once', () => {
  it('maps a library’s refusal of the request’s parameters to 422, never 500', () => {
    expect(statusAndCode(new DpError('invalid-rational', 'budget "x" is not a rational'))).toEqual([
      422,
      'invalid-rational',
    ]);
    expect(statusAndCode(new FieldError('field-too-small', 'no field holds it'))).toEqual([
      422,
      'field-too-small',
    ]);
    expect(statusAndCode(new ProtocolError('invalid-parameters', 'serviceDate'))).toEqual([
      422,
      'invalid-parameters',
    ]);
  });

  it('maps the database being away to 503, whatever the driver wrapped it in', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
      code: 'ECONNREFUSED',
    });
    expect(statusAndCode(refused)).toEqual([503, 'database-unavailable']);
    const wrapped = Object.assign(new Error('query failed'), { driverError: refused });
    expect(statusAndCode(wrapped)).toEqual([503, 'database-unavailable']);
    expect(statusAndCode(new Error('Connection terminated unexpectedly'))).toEqual([
      503,
      'database-unavailable',
    ]);
    expect(statusAndCode(Object.assign(new Error('admin shutdown'), { code: '57P01' }))).toEqual([
      503,
      'database-unavailable',
    ]);
  });

  it('maps the coordinator’s own codes and Nest’s validation', () => {
    expect(statusAndCode(new CoordinatorError('unavailable', 'draining'))).toEqual([
      503,
      'unavailable',
    ]);
    expect(statusAndCode(new StaleSessionError('s', 'running'))).toEqual([409, 'conflict']);
    expect(statusAndCode(new CoordinatorError('not-released', 'running'))).toEqual([
      409,
      'not-released',
    ]);
    expect(statusAndCode(new WireError('invalid-message', 'bad'))).toEqual([
      400,
      'invalid-message',
    ]);
    expect(statusAndCode(new BadRequestException(['budget must be a string']))).toEqual([
      400,
      'invalid-request',
    ]);
  });

  it('says nothing about anything else but that it failed', () => {
    const p = problemOf(new TypeError('secret detail'));
    expect([p.status, p.code]).toEqual([500, 'internal-error']);
    expect(JSON.stringify(p)).not.toContain('secret detail');
    // A constraint violation is not the database being away.
    expect(statusAndCode(Object.assign(new Error('duplicate key'), { code: '23505' }))).toEqual([
      500,
      'internal-error',
    ]);
  });
});
