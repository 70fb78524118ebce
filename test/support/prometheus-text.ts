/** One sample of a scrape: `name{labels} value`. */
export interface PromSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** A parsed scrape: the samples and each family's declared type. */
export interface PromScrape {
  readonly samples: readonly PromSample[];
  readonly types: ReadonlyMap<string, string>;
  /**
   * The value of the one sample named `name` whose labels include `labels`; the sum of them when
   * several match; 0 when none does (an unlabelled counter that never moved is absent).
   */
  value(name: string, labels?: Readonly<Record<string, string>>): number;
  /** Every sample named `name` whose labels include `labels`. */
  find(name: string, labels?: Readonly<Record<string, string>>): PromSample[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})?\s+(\S+)(\s+-?\d+)?$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(,|$)/y;

/**
 * Parses the Prometheus text exposition format (0.0.4) strictly enough for tests: a line that is
 * not a comment, a blank or a well-formed sample throws, so a malformed scrape fails the test.
 */
export function parsePrometheusText(text: string): PromScrape {
  const samples: PromSample[] = [];
  const types = new Map<string, string>();
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    if (line.startsWith('# TYPE ')) {
      const type = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line);
      if (!type) throw new Error(`line ${i + 1}: bad TYPE line: ${line}`);
      types.set(type[1], type[2]);
      continue;
    }
    if (line.startsWith('#')) continue;
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`line ${i + 1}: not a sample: ${line}`);
    const value = parseValue(m[3]);
    if (value === undefined) throw new Error(`line ${i + 1}: bad value: ${line}`);
    samples.push({ name: m[1], labels: parseLabels(m[2] ?? '', i + 1), value });
  }
  const find = (name: string, labels: Readonly<Record<string, string>> = {}) =>
    samples.filter(
      (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
    );
  return {
    samples,
    types,
    find,
    value: (name, labels) => find(name, labels).reduce((sum, s) => sum + s.value, 0),
  };
}

function parseLabels(block: string, line: number): Record<string, string> {
  const labels: Record<string, string> = {};
  const inner = block.slice(1, -1);
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < inner.length) {
    const m = LABEL.exec(inner);
    if (!m) throw new Error(`line ${line}: bad labels: ${block}`);
    labels[m[1]] = m[2].replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
  }
  return labels;
}

/** Floats as Prometheus reads them (Go's ParseFloat: Inf and NaN in any case; prom-client
 * writes `Nan` for an empty event-loop histogram). */
function parseValue(text: string): number | undefined {
  if (/^\+?inf$/i.test(text)) return Infinity;
  if (/^-inf$/i.test(text)) return -Infinity;
  if (/^nan$/i.test(text)) return NaN;
  const n = Number(text);
  return Number.isNaN(n) ? undefined : n;
}
