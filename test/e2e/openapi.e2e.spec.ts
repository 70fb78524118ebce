import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReportClient } from '../../apps/agency-node/src/demo/report-client.js';
import { type RunningConsortium, startRunningConsortium } from '../support/running-consortium.js';

interface Schema {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  oneOf?: Schema[];
  nullable?: boolean;
}

interface Operation {
  parameters?: { name: string; in: string; required?: boolean }[];
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, Schema>;
    securitySchemes: Record<
      string,
      { type: string; scheme?: string; bearerFormat?: string; description?: string }
    >;
  };
}

/** Query parameters a caller may leave out (each has a default or is one of a choice). */
const OPTIONAL_QUERY = new Set([
  'limit',
  'offset',
  'values',
  'budget',
  'halfWidth',
  'output',
  'version',
]);

/** Operations that answer with a file (CSV, Arrow), not a JSON document. */
const FILE_RESPONSES = new Set(['GET /reports/{id}/download']);

/**
 * The OpenAPI document the coordinator serves at /api/docs.json, as a client generator reads it:
 * every operation documents what a success returns, optional inputs say so, and the bearer token
 * is described.
 */
describe('the OpenAPI document', { timeout: 60_000 }, () => {
  let run: RunningConsortium;
  let doc: OpenApiDocument;

  beforeAll(async () => {
    run = await startRunningConsortium({ seed: '12', startNodes: false });
    const response = await new ReportClient(run.coordinator.url).request<OpenApiDocument>(
      'GET',
      '/api/docs.json',
    );
    expect(response.status).toBe(200);
    doc = response.body;
  }, 120_000);
  afterAll(async () => {
    await run?.stop();
  });

  const operations = (): [string, Operation][] =>
    Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]): [string, Operation] => [
        `${method.toUpperCase()} ${path}`,
        op,
      ]),
    );

  /** A schema, following a $ref into components. */
  const resolve = (schema: Schema): Schema =>
    schema.$ref ? doc.components.schemas[schema.$ref.replace('#/components/schemas/', '')] : schema;

  it('gives every operation a success response, with a schema unless it has no body', () => {
    expect(operations().length).toBeGreaterThanOrEqual(15);
    expect(doc.paths['/reports/{id}/download']?.get, 'the download is documented').toBeDefined();
    for (const [name, op] of operations()) {
      const success = Object.entries(op.responses).filter(([status]) => /^2\d\d$/.test(status));
      expect(success.length, `${name} documents a 2xx response`).toBeGreaterThan(0);
      for (const [status, response] of success) {
        if (status === '204') continue;
        // A file download documents each media type it serves instead of a JSON schema.
        if (FILE_RESPONSES.has(name)) {
          const types = Object.entries(response.content ?? {});
          expect(types.length, `${name} ${status} lists its media types`).toBeGreaterThan(0);
          for (const [type, media] of types)
            expect(media.schema?.type, `${name} ${status} ${type}`).toBe('string');
          continue;
        }
        const schema = response.content?.['application/json']?.schema;
        expect(schema, `${name} ${status} has a JSON schema`).toBeDefined();
        const resolved = resolve(schema!);
        // Not an empty placeholder: an object with fields, a list of them, or a choice of them.
        const described =
          resolved.items !== undefined ||
          resolved.oneOf !== undefined ||
          Object.keys(resolved.properties ?? {}).length > 0;
        expect(described, `${name} ${status} schema describes its fields`).toBe(true);
      }
    }
  });

  it('documents the report with its grid, outputs and derived ratios, and problems for errors', () => {
    const report = resolve(
      doc.paths['/reports/{id}'].get.responses['200'].content!['application/json'].schema!,
    );
    expect(Object.keys(report.properties!)).toEqual(
      expect.arrayContaining(['id', 'state', 'privacy', 'grid', 'outputs', 'derived']),
    );
    // Always present but sometimes null: required and nullable; present only sometimes: optional.
    expect(report.required).toEqual(expect.arrayContaining(['queuePosition', 'completedAt']));
    expect(report.properties!.queuePosition).toMatchObject({ nullable: true });
    const axis = resolve(resolve(report.properties!.grid).items!);
    expect(axis.required).toEqual(['name']);
    const problem =
      doc.paths['/reports'].post.responses['400']?.content?.['application/problem+json']?.schema;
    expect(problem && Object.keys(resolve(problem).properties!)).toEqual(
      expect.arrayContaining(['type', 'title', 'status', 'code', 'detail']),
    );
  });

  it('marks every optional query parameter as not required', () => {
    let seen = 0;
    for (const [name, op] of operations()) {
      for (const p of op.parameters ?? []) {
        if (p.in === 'path') expect(p.required, `${name} ${p.name}`).toBe(true);
        if (p.in === 'query' && OPTIONAL_QUERY.has(p.name)) {
          seen += 1;
          expect(p.required, `${name} ?${p.name} is optional`).toBe(false);
        }
      }
    }
    // The list's and a report page's ?limit, the page's ?offset, ?values, the accuracy query's
    // four and the download's ?output.
    expect(seen).toBe(9);
  });

  it('describes the bearer token as an opaque token', () => {
    const schemes = Object.values(doc.components.securitySchemes);
    expect(schemes).toHaveLength(1);
    const [bearer] = schemes;
    expect([bearer.type, bearer.scheme]).toEqual(['http', 'bearer']);
    expect(bearer.description).toMatch(/opaque/i);
    expect(bearer.bearerFormat).toBe('opaque');
  });
});
