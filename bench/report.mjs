/**
 * Summarises the rounds: medians per target (req/s, p50, p99), totals of errors, non-2xx and
 * unexpected responses, the headline ratio, a printed table, and the raw JSON record.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const RATIO_TARGET = 0.9;

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function sum(rounds, field) {
  return rounds.reduce((total, round) => total + round[field], 0);
}

/** One summary row per measured target. */
export function summarise(target, rounds) {
  return {
    id: target.id,
    name: target.name,
    rps: median(rounds.map((round) => round.rps)),
    p50: median(rounds.map((round) => round.p50)),
    p99: median(rounds.map((round) => round.p99)),
    requests: sum(rounds, 'requests'),
    errors: sum(rounds, 'errors'),
    non2xx: sum(rounds, 'non2xx'),
    unexpected: sum(rounds, 'unexpected'),
  };
}

/**
 * The headline: median req/s of the measured target over the floor's, plus the ratio of each
 * round's adjacent pair (the two ran seconds apart, so machine noise mostly cancels).
 */
export function pairRatio(rows, roundsById, pair) {
  const floor = rows.find((row) => row.id === pair.floor);
  const measured = rows.find((row) => row.id === pair.measured);
  if (!floor || !measured) return null;
  const perRound = roundsById[pair.measured].map(
    (round, index) => round.rps / roundsById[pair.floor][index].rps,
  );
  return { ratio: measured.rps / floor.rps, perRound, medianOfPairs: median(perRound) };
}

export function formatTable(rows) {
  const header = ['target', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'non-2xx', 'unexpected'];
  const lines = rows.map((row) => [
    `(${row.id}) ${row.name}`,
    row.rps.toFixed(0),
    row.p50.toFixed(1),
    row.p99.toFixed(1),
    String(row.errors),
    String(row.non2xx),
    String(row.unexpected),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...lines.map((line) => line[column].length)),
  );
  const format = (cells) =>
    `| ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join(' | ')} |`;
  const rule = `| ${widths.map((width, column) => (column === 0 ? '-'.repeat(width) : `${'-'.repeat(width - 1)}:`)).join(' | ')} |`;
  return [format(header), rule, ...lines.map(format)].join('\n');
}

export function formatRatio(headline, label = 'hot/reference') {
  if (!headline) return `ratio ${label} = n/a (a target of the pair did not run)`;
  const rounds = headline.perRound.map((value) => value.toFixed(2)).join(', ');
  return (
    `ratio ${label} = ${headline.ratio.toFixed(2)} (target ≥ ${RATIO_TARGET.toFixed(2)})` +
    `\n  per-round pairs: ${rounds}; median of pairs ${headline.medianOfPairs.toFixed(2)}`
  );
}

/** Writes bench/results/<timestamp>.json and returns its path. */
export async function writeRecord(root, record) {
  const dir = path.join(root, 'bench', 'results');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${record.startedAt.replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify(record, null, 2)}\n`);
  return file;
}
