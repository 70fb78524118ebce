import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateIdentitySigner, seededRandom } from '#concord/crypto';
import { type InProcessParty, outputValues, runSessionInProcess } from '#concord/engine';
import {
  type CatalogueEntry,
  compileSessionPlan,
  MAX_PLAN_ELEMENTS,
  PRIVACY_WINDOWS,
  planAxisValues,
  ProtocolError,
  readCatalogueDirectory,
  type SessionPlan,
} from '#concord/protocol';
import { type City, generateCity, writeCity } from '#concord/synth';
import { pino } from 'pino';
import { CONNECTORS, TOKEN_CONNECTORS } from '../../apps/agency-node/src/connectors/connectors.js';
import { CATALOGUE_TRUTH } from '../../apps/agency-node/src/demo/catalogue-truth.js';
import { syntheticConnectorData } from '../../apps/agency-node/src/demo/synthetic-consortium.js';
import { isJoinInput, readJoinMaterial } from '../../apps/agency-node/src/node/plan-join.js';
import { CoordinatorConfig } from '../../apps/coordinator/src/config/coordinator-config.js';
import { PublicDataService } from '../../apps/coordinator/src/catalogue/public-data.service.js';

/**
 * The catalogue against the synthetic city's exact answers: for every protocol, the real
 * connectors read the agencies' files, the coordinator's public-data reader builds the grid from
 * the city's public folder, the real engine runs the session in process with zero noise, and
 * every opened value must equal the oracle's, cell for cell.
 */
const catalogue = readCatalogueDirectory('protocols');
const parties = { transit: 1, payments: 2, planning: 3 } as const;
const identities = [1, 2, 3].map((i) => generateIdentitySigner(seededRandom(`catalogue-${i}`)));

/** What the coordinator's catalogue service does: every public axis from the public folder. */
function axisValuesOf(
  entry: CatalogueEntry,
  publicData: PublicDataService,
): Record<string, string[]> {
  const values: Record<string, string[]> = {};
  for (const a of entry.analysis.definition.axes)
    if ('public' in a.source) values[a.name] = publicData.values(a.source.public);
  return values;
}

const sum = (values: readonly bigint[]): bigint => values.reduce((a, b) => a + b, 0n);

/** `2026-03-10` plus `days` days, as an ISO date. */
const addDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

function axis(plan: SessionPlan, name: string): readonly string[] {
  return planAxisValues(plan.axes.find((a) => a.name === name)!);
}

describe.each([
  { scale: 'small', seed: 31 },
  { scale: 'medium', seed: 2026 },
] as const)('the catalogue on a $scale synthetic city (seed $seed)', ({ scale, seed }) => {
  let dir: string;
  let city: City;
  let publicData: PublicDataService;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'concord-catalogue-'));
    // The weekly protocol (reduced-fare-capping) needs the processor's seven days and the 30-day
    // one (revenue-per-boarding-30-days) thirty days of fares and APC counts: the small city
    // holds them (about 0.3 s more to simulate). The medium city holds its one day: thirty would
    // take about a minute to simulate, so the 30-day protocol runs on the small city only
    // (`singleDay` below), and the weekly one's grid is too large there anyway.
    const days = scale === 'small' ? 30 : 1;
    city = generateCity({ seed, scale, fareDays: days, apcDays: days });
    writeCity(city, dir);
    publicData = new PublicDataService(
      Object.assign(new CoordinatorConfig(), { PUBLIC_DATA_DIR: join(dir, 'public') }),
    );
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has an oracle for every protocol, and every budget in its range compiles', () => {
    expect(
      catalogue
        .entries()
        .map((e) => e.analysis.definition.id)
        .sort(),
    ).toEqual(Object.keys(CATALOGUE_TRUTH).sort());
    for (const entry of catalogue.entries()) {
      const d = entry.analysis.definition;
      for (const budget of [d.privacy.minBudget, d.privacy.maxBudget]) {
        const compile = (): unknown =>
          compileSessionPlan(entry.analysis, {
            sessionId: 'budget-range',
            parameters: { serviceDate: '2026-03-10' },
            axisValues: axisValuesOf(entry, publicData),
            budget,
            parties,
          });
        if (tooLarge(d.id)) expect(compile, d.id).toThrow(/plan-too-large|shared field elements/);
        else compile();
      }
    }
  });

  // Dense per-card rows by zone (65,536 × zones) and zone pair (65,536 × zones²): the small
  // city's 6 zones fit; the medium city's 250 zones are refused before any charge.
  const tooLarge = (id: string): boolean =>
    scale === 'medium' && (id === 'reduced-fare-od-flows' || id === 'reduced-fare-capping');
  it('compiles the zone-pair join grid only where it fits, else refuses it naming its size and the limit', () => {
    const entry = catalogue.find('reduced-fare-od-flows')!;
    const zones = publicData.values('zones').length;
    const compile = () =>
      compileSessionPlan(entry.analysis, {
        sessionId: 'zone-pairs',
        parameters: { serviceDate: '2026-03-10' },
        axisValues: axisValuesOf(entry, publicData),
        budget: '1/2',
        parties,
      });
    if (!tooLarge(entry.analysis.definition.id)) {
      expect(zones).toBeLessThanOrEqual(15);
      expect(compile().inputs.find((i) => i.name === 'card_flows')!.length).toBe(
        65536 * zones * zones,
      );
      return;
    }
    let error: unknown;
    try {
      compile();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).code).toBe('plan-too-large');
    const perCard = (65536 * zones * zones).toLocaleString('en-US');
    expect((error as ProtocolError).message).toContain(`= ${perCard})`);
    expect((error as ProtocolError).message).toContain(
      `limit of ${MAX_PLAN_ELEMENTS.toLocaleString('en-US')}`,
    );
  });

  // The private join's blinding costs about 3 ms per card in one process (docs/performance.md):
  // its protocols run on the small city here, the medium city is the benchmark's (`--join`).
  // The medium city holds one day of data (see beforeAll): a protocol of several days is read
  // whole on the small city only.
  const singleDay = (e: CatalogueEntry): boolean =>
    PRIVACY_WINDOWS[e.analysis.definition.privacyUnit.window] === 1;
  const cityEntries = catalogue
    .entries()
    .filter((e) => scale === 'small' || e.analysis.definition.join === undefined)
    .filter((e) => scale === 'small' || singleDay(e))
    .filter((e) => !tooLarge(e.analysis.definition.id));

  it.each(cityEntries.map((e) => [e.analysis.definition.id, e] as const))(
    '%s: the connectors and the engine, without noise, open exactly the oracle',
    async (_id, entry) => {
      const d = entry.analysis.definition;
      const axisValues = axisValuesOf(entry, publicData);
      const serviceDate = `${city.serviceDate.slice(0, 4)}-${city.serviceDate.slice(4, 6)}-${city.serviceDate.slice(6)}`;
      const plan = compileSessionPlan(entry.analysis, {
        sessionId: `catalogue-${d.id}`,
        parameters: { serviceDate },
        axisValues,
        budget: '1/2',
        parties,
      });

      const data = syntheticConnectorData(dir);
      const inputs = [new Map<string, Float64Array>(), new Map(), new Map()];
      for (const input of plan.inputs.filter((i) => !isJoinInput(plan, i))) {
        const { values, report } = await CONNECTORS[input.connector]({
          plan,
          input,
          files: data[input.role][input.connector],
        });
        expect(report.rowsUsed, `${input.name} reads rows`).toBeGreaterThan(0);
        inputs[input.party - 1].set(input.name, values);
      }
      const roles = Object.keys(parties) as (keyof typeof parties)[];
      const joins = await Promise.all(
        roles.map((role) =>
          readJoinMaterial(plan, parties[role], {
            connectors: CONNECTORS,
            tokenConnectors: TOKEN_CONNECTORS,
            data: data[role],
            logger: pino({ level: 'silent' }),
          }),
        ),
      );
      const zero = plan.outputs.map((o) => new Array<bigint>(o.length).fill(0n));
      const party = (i: number): InProcessParty => {
        const join = joins[roles.findIndex((r) => parties[r] === i + 1)];
        return {
          identity: identities[i],
          inputs: inputs[i],
          noise: zero,
          rng: seededRandom(`catalogue-party-${i}`),
          ...(join ? { join } : {}),
        };
      };
      const run = runSessionInProcess(plan, [party(0), party(1), party(2)]);
      expect([...run.errors.values()]).toEqual([]);
      expect(run.results).toHaveLength(3);
      expect(new Set(run.results.map((r) => r.digest)).size).toBe(1);

      const truth = CATALOGUE_TRUTH[d.id](city, entry);
      const windowDays = PRIVACY_WINDOWS[d.privacyUnit.window];
      if (windowDays > 1) {
        // Equality means the connectors read the whole window: its first day alone gives less,
        // and every day of it holds data.
        const onFirstDay = <T extends { serviceDate: string }>(rows: readonly T[]): T[] =>
          rows.filter((r) => r.serviceDate === city.serviceDate);
        const firstDay = CATALOGUE_TRUTH[d.id](
          {
            ...city,
            payments: { fareTransactions: onFirstDay(city.payments.fareTransactions) },
            transit: { ...city.transit, boardAlight: onFirstDay(city.transit.boardAlight) },
          },
          entry,
        );
        for (const name of Object.keys(truth.outputs))
          expect(sum(truth.outputs[name]), name).toBeGreaterThan(sum(firstDay.outputs[name]));
        const last = addDays(serviceDate, windowDays - 1);
        expect(plan.privacyUnit.window).toBe(`${serviceDate}..${last}`);
        expect(new Set(city.payments.fareTransactions.map((r) => r.serviceDate)).size).toBe(30);
        if (d.id === 'revenue-per-boarding-30-days') {
          expect(new Set(city.transit.boardAlight.map((r) => r.serviceDate)).size).toBe(30);
          // Each day's bound (8 boardings, 500 cents) 30 times: the window's own bounds.
          expect(plan.inputs.map((i) => [i.name, i.contribution?.perDay])).toEqual([
            ['boardings', { total: 8 }],
            ['revenue', { total: 500, rows: 8 }],
          ]);
        }
      }
      for (const [name, keys] of Object.entries(truth.axes))
        expect(axis(plan, name), name).toEqual(keys);
      const expected = truth.outputs;
      if (d.id === 'ridership-per-capita') {
        // The connector also clips zone sums to the cell bound; equality holds while none reaches it.
        const bound = BigInt(d.inputs.find((i) => i.name === 'boardings')!.cell.max);
        expect(expected.boardings.every((b) => b < bound)).toBe(true);
      }
      const opened = Object.fromEntries(
        run.results[0].outputs.map((o) => [o.name, outputValues(o)]),
      );
      expect(Object.keys(opened).sort()).toEqual(Object.keys(expected).sort());
      for (const [name, values] of Object.entries(expected)) {
        expect(opened[name], name).toEqual(values);
        expect(
          values.some((v) => v > 0n),
          `${name} is not all zeros`,
        ).toBe(true);
      }
    },
    60_000,
  );
});
