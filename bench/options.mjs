/**
 * Benchmark options from flags or environment variables (flags win). Defaults keep the whole
 * `npm run bench` under about three minutes on a 2-core machine.
 */
import { parseArgs } from 'node:util';

const SPEC = {
  duration: { env: 'BENCH_DURATION', fallback: 4, help: 'seconds per round and target' },
  rounds: { env: 'BENCH_ROUNDS', fallback: 5, help: 'measured rounds per target' },
  connections: { env: 'BENCH_CONNECTIONS', fallback: 10, help: 'concurrent connections' },
  warmup: { env: 'BENCH_WARMUP', fallback: 1, help: 'seconds of unmeasured warm-up per target' },
  'cold-ids': { env: 'BENCH_COLD_IDS', fallback: 30000, help: 'activities seeded for cold reads' },
  'cpu-samples': {
    env: 'BENCH_CPU_SAMPLES',
    fallback: 100,
    help: 'sequential requests per target whose CPU is read one by one (0 = none)',
  },
  'inspector-port': {
    env: 'BENCH_INSPECTOR_PORT',
    fallback: 9321,
    help: 'inspector port for --profile (127.0.0.1)',
  },
};

const MAY_BE_ZERO = new Set(['warmup', 'cpu-samples']);
const camel = (name) => name.replace(/-([a-z])/g, (_, letter) => letter.toUpperCase());

const USAGE = `npm run bench -- [options]
${Object.entries(SPEC)
  .map(
    ([name, o]) => `  --${name} <n>`.padEnd(24) + `${o.help} (env ${o.env}, default ${o.fallback})`,
  )
  .join('\n')}
  --only <ids>            comma-separated target ids to run, e.g. b,c (env BENCH_ONLY)
  --variants              also run the profiling variants of the reference worker
  --profile <id>          record a V8 CPU profile of target <id> under load for --duration
                          seconds and print the top self-time functions (no rounds)
  --help`;

export function readOptions(argv = process.argv.slice(2), env = process.env) {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...Object.fromEntries(Object.keys(SPEC).map((name) => [name, { type: 'string' }])),
      only: { type: 'string' },
      variants: { type: 'boolean', default: false },
      profile: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const options = { variants: values.variants, profile: values.profile ?? null };
  for (const [name, { env: variable, fallback }] of Object.entries(SPEC)) {
    const raw = values[name] ?? env[variable];
    const value = raw === undefined ? fallback : Number(raw);
    if (!Number.isInteger(value) || value < (MAY_BE_ZERO.has(name) ? 0 : 1)) {
      throw new Error(`--${name} must be a positive integer, got ${raw}`);
    }
    options[camel(name)] = value;
  }
  const only = values.only ?? env.BENCH_ONLY;
  options.only = only ? new Set(only.split(',').map((id) => id.trim())) : null;
  return options;
}
