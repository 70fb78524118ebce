// Runs one stock-JIFF baseline measurement and prints its result as JSON.
// Usage (after `npm run build`):
//   node dist/test/bench/jiff-baseline-run.js --work sum --m 1000 --variant default-prime [--timeout-ms 60000]
import { parseArgs } from 'node:util';
import { benchStockJiff, type StockJiffVariant, type StockJiffWork } from './jiff-baseline.js';

const WORKS: readonly StockJiffWork[] = ['sum', 'multiply'];
const VARIANTS: readonly StockJiffVariant[] = ['default-prime', 'bignumber-2^61'];

const { values } = parseArgs({
  options: {
    work: { type: 'string' },
    m: { type: 'string' },
    variant: { type: 'string', default: 'default-prime' },
    'timeout-ms': { type: 'string', default: '60000' },
  },
});

const work = WORKS.find((w) => w === values.work);
const variant = VARIANTS.find((v) => v === values.variant);
const m = Number(values.m);
const timeoutMs = Number(values['timeout-ms']);
if (work === undefined || variant === undefined || !Number.isSafeInteger(m) || m < 1) {
  process.stderr.write(
    `usage: jiff-baseline-run --work ${WORKS.join('|')} --m <count> [--variant ${VARIANTS.join('|')}] [--timeout-ms <ms>]\n`,
  );
  process.exit(2);
}

const result = await benchStockJiff({ work, m, variant, timeoutMs });
process.stdout.write(`${JSON.stringify({ work, variant, m, ...result })}\n`);
