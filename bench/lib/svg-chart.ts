/** One line of a CDF chart: a name and its lateness samples in ms (any order). */
export interface ChartSeries {
  readonly name: string;
  readonly samples: readonly number[];
}

const WIDTH = 720;
const HEIGHT = 420;
const MARGIN = { top: 48, right: 24, bottom: 56, left: 64 };
const COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'];
const MAX_POINTS = 400;

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** A "nice" upper bound for an axis: 1, 2 or 5 times a power of ten, at least `value`. */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find((factor) => factor * power >= value) ?? 10;
  return step * power;
}

function cdfPath(
  samples: readonly number[],
  xOf: (v: number) => number,
  yOf: (f: number) => number,
) {
  const sorted = [...samples].sort((a, b) => a - b);
  const stride = Math.max(1, Math.floor(sorted.length / MAX_POINTS));
  const points: string[] = [];
  for (let index = 0; index < sorted.length; index += stride) {
    points.push(
      `${xOf(sorted[index] as number).toFixed(1)},${yOf((index + 1) / sorted.length).toFixed(1)}`,
    );
  }
  const last = sorted[sorted.length - 1] as number;
  points.push(`${xOf(last).toFixed(1)},${yOf(1).toFixed(1)}`);
  return `M${points.join(' L')}`;
}

function axes(xMax: number, xMin: number, xOf: (v: number) => number, yOf: (f: number) => number) {
  const parts: string[] = [];
  const bottom = HEIGHT - MARGIN.bottom;
  for (const fraction of [0, 0.25, 0.5, 0.75, 0.9, 1]) {
    const y = yOf(fraction).toFixed(1);
    parts.push(
      `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y}" y2="${y}" stroke="#ddd"/>`,
      `<text x="${MARGIN.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${fraction * 100}%</text>`,
    );
  }
  for (let tick = 0; tick <= 5; tick += 1) {
    const value = xMin + ((xMax - xMin) * tick) / 5;
    const x = xOf(value).toFixed(1);
    parts.push(
      `<line x1="${x}" x2="${x}" y1="${MARGIN.top}" y2="${bottom}" stroke="#eee"/>`,
      `<text x="${x}" y="${bottom + 18}" text-anchor="middle">${Math.round(value)}</text>`,
    );
  }
  parts.push(
    `<text x="${(MARGIN.left + WIDTH - MARGIN.right) / 2}" y="${HEIGHT - 14}" text-anchor="middle">lateness (ms)</text>`,
  );
  return parts.join('\n');
}

/**
 * Renders the cumulative distribution of each series' lateness as a self-contained SVG
 * document (no scripts, no external fonts). Empty series are listed but not drawn.
 */
export function renderCdfSvg(title: string, series: readonly ChartSeries[]): string {
  const all = series.flatMap((line) => [...line.samples]);
  const xMin = Math.min(0, ...all);
  const xMax = niceCeiling(Math.max(1, ...all));
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const xOf = (value: number) => MARGIN.left + ((value - xMin) / (xMax - xMin)) * plotWidth;
  const yOf = (fraction: number) => MARGIN.top + (1 - fraction) * plotHeight;
  const lines = series.map((line, index) => {
    const colour = COLOURS[index % COLOURS.length] as string;
    const legendY = MARGIN.top + 16 + index * 16;
    const legend = `<text x="${WIDTH - MARGIN.right - 8}" y="${legendY}" text-anchor="end" fill="${colour}">${escapeXml(line.name)} (n=${line.samples.length})</text>`;
    if (line.samples.length === 0) return legend;
    const path = cdfPath(line.samples, xOf, yOf);
    return `<path d="${path}" fill="none" stroke="${colour}" stroke-width="2"/>\n${legend}`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    `<text x="${WIDTH / 2}" y="24" text-anchor="middle" font-size="15">${escapeXml(title)}</text>`,
    axes(xMax, xMin, xOf, yOf),
    ...lines,
    '</svg>',
    '',
  ].join('\n');
}
