/**
 * Entity and metadata helpers for route tests: create an entity through the API, write a
 * document, read D1 directly to check what storage holds.
 */
import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import { appToken, createApp, createUser } from './factories';
import { call, type CallOptions } from './worker';

export type Kind = 'activities' | 'traces' | 'tests';
export const KINDS: Kind[] = ['activities', 'traces', 'tests'];

export const sampleBodies: Record<Kind, Record<string, unknown>> = {
  activities: {
    sport: 'cycling.road',
    start: '2026-05-01T08:00:00Z',
    end: '2026-05-01T10:00:00Z',
    distance: 60000,
    name: 'Morning ride',
    description: 'Easy spin',
    tags: ['endurance'],
  },
  traces: {
    timestamp: '2026-05-01T08:30:00Z',
    sport: 'running',
    lactate: 2.1,
    rpe: 5,
    power: 250,
    speed: 4.2,
    heart_rate: 150,
    notes: 'steady',
    tags: ['lab'],
  },
  tests: {
    sport: 'cycling',
    start: '2026-05-01T08:00:00Z',
    title: 'Ramp test',
    results: { ftp: 300 },
    tags: ['ftp'],
  },
};

export const sampleActivity = sampleBodies.activities;

/** Creates an entity through the API (201 asserted) and returns its JSON. */
export async function createEntity(
  token: string,
  kind: Kind = 'activities',
  overrides: Record<string, unknown> = {},
): Promise<Record<string, unknown> & { id: string }> {
  const res = await call(`/api/v1/${kind}`, {
    method: 'POST',
    token,
    json: { ...sampleBodies[kind], ...overrides },
  });
  expect(res.status).toBe(201);
  return (await res.json()) as Record<string, unknown> & { id: string };
}

export function metadataPath(kind: Kind | 'profile', id?: string): string {
  return kind === 'profile' ? '/api/v1/profile/app-metadata' : `/api/v1/${kind}/${id}/app-metadata`;
}

/**
 * One user of two applications, a token for each, and an activity created with the first:
 * the starting point of every check that one application's document stays its own.
 */
export async function activityOfTwoApps() {
  const user = await createUser();
  const [first, second] = [await createApp(), await createApp()];
  const tokenA = await appToken(user, first);
  const tokenB = await appToken(user, second);
  const entity = await createEntity(tokenA);
  return {
    user,
    first,
    second,
    tokenA,
    tokenB,
    entity,
    path: metadataPath('activities', entity.id),
  };
}

/** PUT a metadata document (JSON) with optional extra headers. */
export function putMetadata(
  path: string,
  token: string,
  document: unknown,
  options: Omit<CallOptions, 'method' | 'token' | 'json'> = {},
): Promise<Response> {
  return call(path, { ...options, method: 'PUT', token, json: document });
}

/** PATCH with application/merge-patch+json. */
export function patchMetadata(
  path: string,
  token: string,
  patch: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return call(path, {
    method: 'PATCH',
    token,
    body: typeof patch === 'string' ? patch : JSON.stringify(patch),
    headers: { 'Content-Type': 'application/merge-patch+json', ...headers },
  });
}

/** Rows of app_metadata on one entity, straight from D1. */
export async function metadataRows(entityType: string, entityId: string) {
  const { results } = await env.DB.prepare(
    'SELECT user_id, client_id, document, version FROM app_metadata WHERE entity_type = ? AND entity_id = ?',
  )
    .bind(entityType, entityId)
    .all<{ user_id: string; client_id: string; document: string; version: string }>();
  return results;
}

/** A JSON object of exactly `bytes` UTF-8 bytes: `{"a":"xxx…"}`. */
export function documentOfBytes(bytes: number, filler = 'x'): string {
  const overhead = '{"a":""}'.length;
  const fillerBytes = new TextEncoder().encode(filler).length;
  const count = Math.floor((bytes - overhead) / fillerBytes);
  const pad = 'y'.repeat(bytes - overhead - count * fillerBytes);
  const text = `{"a":"${filler.repeat(count)}${pad}"}`;
  if (new TextEncoder().encode(text).length !== bytes) throw new Error('bad size');
  return text;
}

/** `{"a":{"a":…{}}}` of the given depth (top-level object is depth 1). */
export function nestedObject(depth: number): string {
  return '{"a":'.repeat(depth - 1) + '{}' + '}'.repeat(depth - 1);
}
