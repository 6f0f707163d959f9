/**
 * A binding's limit lives in wrangler.toml, and the quota the responses announce lives in
 * src/auth/rate-limits.ts: they must agree, in every environment (ratelimits are not inherited
 * by [env.*]), and no two bindings may share a namespace (they would share counters).
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { POLICIES, apiPolicy, oauthPolicy, secondsToWindowEnd } from '../../src/auth/rate-limits';

interface Declared {
  name: string;
  namespaceId: string;
  limit: number;
  period: number;
}

/** The `[[<prefix>ratelimits]]` blocks of wrangler.toml (this file's own flat layout). */
function declaredLimits(prefix: string): Declared[] {
  const header = `[[${prefix}ratelimits]]`;
  return env.WRANGLER_TOML.split('\n[')
    .map((block) => `[${block}`)
    .filter((block) => block.startsWith(header))
    .map((block) => {
      const simple = /simple = \{ limit = (\d+), period = (\d+) \}/.exec(block);
      return {
        name: /name = "(\w+)"/.exec(block)?.[1] ?? '',
        namespaceId: /namespace_id = "(\d+)"/.exec(block)?.[1] ?? '',
        limit: Number(simple?.[1]),
        period: Number(simple?.[2]),
      };
    });
}

const expected = Object.values(POLICIES)
  .map((policy) => ({ name: policy.binding, limit: policy.quota, period: policy.windowSeconds }))
  .sort((a, b) => a.name.localeCompare(b.name));

describe('the rate-limit bindings', () => {
  it.each([
    ['the top level', ''],
    ['staging', 'env.staging.'],
    ['production', 'env.production.'],
  ])('declares every policy with its quota and window in %s', (_, prefix) => {
    const declared = declaredLimits(prefix)
      .map(({ name, limit, period }) => ({ name, limit, period }))
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(declared).toStrictEqual(expected);
  });

  it('gives every binding of every environment its own namespace', () => {
    const ids = ['', 'env.staging.', 'env.production.'].flatMap((prefix) =>
      declaredLimits(prefix).map((limit) => limit.namespaceId),
    );
    expect(ids).toHaveLength(3 * expected.length);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('tiers', () => {
  it.each([
    ['standard', 'standard', 'oauth-standard'],
    ['high', 'high', 'oauth-high'],
    ['unlimited', null, null],
  ] as const)('maps %s to its API and OAuth policies', (tier, api, oauth) => {
    expect(apiPolicy(tier)?.name ?? null).toBe(api);
    expect(oauthPolicy(tier)?.name ?? null).toBe(oauth);
  });

  it('gives the OAuth endpoints twice the API quota of the same tier (spec §15)', () => {
    expect(POLICIES.oauthStandard.quota).toBe(2 * POLICIES.appStandard.quota);
    expect(POLICIES.oauthHigh.quota).toBe(2 * POLICIES.appHigh.quota);
  });
});

describe('secondsToWindowEnd', () => {
  it.each([
    [1_800_000_000, 60],
    [1_800_000_001, 59],
    [1_800_000_059, 1],
  ])('at %i is %i', (now, seconds) => {
    expect(secondsToWindowEnd(now, 60)).toBe(seconds);
  });
});
