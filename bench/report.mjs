/**
 * Summarises the rounds: medians per target (req/s, p50, p99), totals of errors, non-2xx and
 * unexpected responses, the headline ratio, a printed table, and the raw JSON record.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const RATIO_TARGET = 1.0;
/** The Free plan's CPU limit per request (Workers limits), in microseconds. */
export const CPU_LIMIT_US = 10_000;

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function sum(rounds, field) {
  return rounds.reduce((total, round) => total + round[field], 0);
}

function percentile(values, fraction) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

/** p50, p99 and max of the sequential per-request CPU samples (µs), or null without samples. */
export function cpuStats(samples) {
  if (!samples || samples.length === 0) return null;
  return {
    count: samples.length,
    p50: percentile(samples, 0.5),
    p99: percentile(samples, 0.99),
    max: Math.max(...samples),
    overLimit: samples.filter((value) => value > CPU_LIMIT_US).length,
  };
}

/**
 * One summary row per measured target. `cpuUs` is the median over rounds of each round's mean
 * server CPU per request (CPU delta of the workerd process over the round / requests).
 */
export function summarise(target, rounds, samples) {
  const cpuRounds = rounds.map((round) => round.cpuUs).filter((value) => value !== null);
  return {
    cpuUs: cpuRounds.length > 0 ? median(cpuRounds) : null,
    cpuSamples: cpuStats(samples),
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
  const header = [
    'target',
    'req/s',
    'p50 ms',
    'p99 ms',
    'CPU µs/req',
    'CPU p99 µs',
    'CPU max µs',
    'errors',
    'non-2xx',
    'unexpected',
  ];
  const us = (value) => (value === null || value === undefined ? '–' : value.toFixed(0));
  const lines = rows.map((row) => [
    `(${row.id}) ${row.name}`,
    row.rps.toFixed(0),
    row.p50.toFixed(1),
    row.p99.toFixed(1),
    us(row.cpuUs),
    us(row.cpuSamples?.p99),
    us(row.cpuSamples?.max),
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

export function formatRatio(headline, label = 'hot/reference', target = RATIO_TARGET) {
  if (!headline) return `ratio ${label} = n/a (a target of the pair did not run)`;
  const rounds = headline.perRound.map((value) => value.toFixed(2)).join(', ');
  const goal = target === null ? '' : ` (target ≥ ${target.toFixed(2)})`;
  return (
    `ratio ${label} = ${headline.ratio.toFixed(2)}${goal}` +
    `\n  per-round pairs: ${rounds}; median of pairs ${headline.medianOfPairs.toFixed(2)}`
  );
}

/**
 * Server CPU lines: the hot read's mean CPU per request beside the two floors', and whether
 * any sampled request went over the Free plan's 10 ms.
 */
export function formatCpu(rows, source) {
  const cpu = (id) => rows.find((row) => row.id === id)?.cpuUs;
  const lines = [`server CPU per request (mean over each round, median of rounds; ${source}):`];
  const [b, b0, c] = [cpu('b'), cpu('b0'), cpu('c')];
  if (c != null && b != null) {
    const floor0 = b0 == null ? '' : `, b0 ${b0.toFixed(0)} µs (c/b0 ${(c / b0).toFixed(2)})`;
    lines.push(
      `  hot read c ${c.toFixed(0)} µs vs reference b ${b.toFixed(0)} µs (c/b ${(c / b).toFixed(2)})${floor0}`,
    );
  }
  const sampled = rows.filter((row) => row.cpuSamples);
  if (sampled.length > 0) {
    const over = sampled.reduce((sum, row) => sum + row.cpuSamples.overLimit, 0);
    const total = sampled.reduce((sum, row) => sum + row.cpuSamples.count, 0);
    const worst = Math.max(...sampled.map((row) => row.cpuSamples.max));
    lines.push(
      `  sequential samples: ${over} of ${total} requests over ${CPU_LIMIT_US / 1000} ms CPU` +
        ` (largest ${(worst / 1000).toFixed(2)} ms; whole workerd process, simulators included)`,
    );
  }
  return lines.join('\n');
}

/** Writes bench/results/<timestamp>.json and returns its path. */
export async function writeRecord(root, record) {
  const dir = path.join(root, 'bench', 'results');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${record.startedAt.replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify(record, null, 2)}\n`);
  return file;
}
