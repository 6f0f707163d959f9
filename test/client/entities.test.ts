import { describe, expect, it } from 'vitest';
import { createUser, personalKey } from '../helpers/factories';
import { clientWithKey } from './helpers';

const ride = { sport: 'cycling.road' as const, start: '2026-05-01T10:00:00Z', duration: 3600 };

describe('entities through @appmeta/client', () => {
  it('creates an activity and reads it back with a personal key', async () => {
    const { token } = await personalKey(await createUser());
    const { client } = clientWithKey(token);
    const created = await client.activities.create({ ...ride, name: 'Morning ride' });
    expect(await client.activities.get(created.id)).toStrictEqual(created);
  });
});
