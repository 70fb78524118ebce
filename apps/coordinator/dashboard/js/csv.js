/**
 * CSV downloads of released cells, built in the browser (a Blob URL, revoked after use).
 */

/**
 * @param {(string | number | bigint | null | undefined)[][]} rows
 * @returns {string}
 */
function toCsv(rows) {
  return rows
    .map((row) =>
      row
        .map((cell) => {
          const text = formulaSafe(cell === null || cell === undefined ? '' : String(cell));
          return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
        })
        .join(','),
    )
    .join('\r\n');
}

/**
 * Text a spreadsheet would run as a formula (=, +, -, @, tab or carriage return first: axis
 * values come from agencies' files) gets a leading apostrophe; numbers, negative ones included,
 * are left as they are. The coordinator's CSV download applies the same rule.
 * @param {string} text
 */
function formulaSafe(text) {
  if (/^-?\d+(\.\d+)?(e[+-]?\d+)?%?$/i.test(text)) return text;
  return /^[=+\-@\t\r\uFF1D]/.test(text) ? `'${text}` : text;
}

/**
 * Every cell of a result group: axis values, each output's released value and 95% interval
 * half-width (the API's exact figure), and the derived ratios, each with its range (at least
 * 90%) or the reason it has none.
 * @param {import('./grid.js').ResultGroup} group
 * @returns {string}
 */
export function groupCsv(group) {
  const header = [
    ...group.axes.map((a) => a.name),
    ...group.outputs.flatMap((o) => [o.name, `${o.name}_interval_half_width`]),
    ...group.derived.flatMap((d) => [
      d.name,
      `${d.name}_low`,
      `${d.name}_high`,
      `${d.name}_reason`,
    ]),
  ];
  const sizes = group.axes.map((a) => a.values.length);
  const strides = sizes.map((_, i) => sizes.slice(i + 1).reduce((n, s) => n * s, 1));
  const orders = group.axes.map((a) => a.order ?? a.values.map((_, i) => i));
  /** @type {(string | null)[][]} */
  const rows = [];
  // Rows in display order (each axis in its natural order, "9" before "10"); `cell` is the
  // API's row-major index of the same cell.
  for (let position = 0; position < group.cells; position += 1) {
    let rest = position;
    let cell = 0;
    const coordinates = sizes.map((_, i) => {
      const index = orders[i][Math.floor(rest / strides[i])];
      rest %= strides[i];
      cell += index * strides[i];
      return group.axes[i].values[index];
    });
    rows.push([
      ...coordinates,
      ...group.outputs.flatMap((o) => [o.values[cell], o.intervalHalfWidth]),
      ...group.derived.flatMap((d) => {
        const range = d.intervals?.[cell] ?? null;
        return [
          d.values[cell] ?? null,
          range?.[0] ?? null,
          range?.[1] ?? null,
          range ? null : (d.reasons?.[cell] ?? null),
        ];
      }),
    ]);
  }
  return toCsv([header, ...rows]);
}

/**
 * Starts a download of `content` (text, or a file the coordinator served) as `filename`.
 * @param {string} filename
 * @param {string | Blob} content
 * @param {string} [type]
 */
export function download(filename, content, type = 'text/csv') {
  const url = URL.createObjectURL(
    typeof content === 'string' ? new Blob([content], { type }) : content,
  );
  const link = document.createElement('a');
  link.setAttribute('href', url);
  link.setAttribute('download', filename);
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
