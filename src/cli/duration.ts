const UNIT_SECONDS: Readonly<Record<string, number>> = {
  s: 1,
  m: 60,
  h: 3600,
  d: 86_400,
  w: 604_800,
};

/** Parses a delay such as `90s`, `15m`, `2d` or `1h30m` into whole seconds; throws on anything else. */
export function parseDuration(text: string): number {
  const parts = text.trim().match(/^(\d+[smhdw])+$/) ? text.trim().match(/\d+[smhdw]/g) : null;
  if (parts === null) {
    throw new Error(
      `A duration is digits with a unit s, m, h, d or w, like 90s, 15m, 2d or 1h30m; received "${text}"`,
    );
  }
  return parts.reduce(
    (total, part) => total + Number(part.slice(0, -1)) * (UNIT_SECONDS[part.slice(-1)] ?? 0),
    0,
  );
}

/** Formats a lateness in milliseconds for people: `+12 ms`, `-3 ms`, `+1.52 s`. */
export function formatLateness(ms: number): string {
  const sign = ms < 0 ? '-' : '+';
  const size = Math.abs(ms);
  return size < 1000 ? `${sign}${size} ms` : `${sign}${(size / 1000).toFixed(2)} s`;
}
