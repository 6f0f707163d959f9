/**
 * Which credential a client sends: an explicit `apiKey`, else `APPMETA_API_KEY` from
 * `process.env` (Node, and workerd with nodejs_compat, where these tests run), never the
 * environment's key when the client acts for a user through OAuth.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Appmeta } from '../../packages/client/src/index';
import { createUser, personalKey } from '../helpers/factories';
import { REDIRECT_URI } from '../helpers/oauth-flow';
import { ORIGIN } from '../helpers/worker';
import { collect, recordingFetch } from './helpers';

const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env;

afterEach(() => {
  if (env !== undefined) delete env.APPMETA_API_KEY;
});

describe('the credential a client sends', () => {
  it('sends an explicit apiKey as a bearer token', async () => {
    const { token } = await personalKey(await createUser());
    const { fetch, log } = recordingFetch();
    const client = new Appmeta({ baseUrl: ORIGIN, apiKey: token, fetch });
    expect(await collect(client.activities.list())).toStrictEqual([]);
    expect(log[0]!.headers.get('Authorization')).toBe(`Bearer ${token}`);
  });

  it('picks APPMETA_API_KEY from process.env when no apiKey is given', async () => {
    const { token } = await personalKey(await createUser());
    env!.APPMETA_API_KEY = token;
    const { fetch, log } = recordingFetch();
    const client = new Appmeta({ baseUrl: ORIGIN, fetch });
    expect(await collect(client.activities.list())).toStrictEqual([]);
    expect(log[0]!.headers.get('Authorization')).toBe(`Bearer ${token}`);
  });

  it('prefers an explicit apiKey to APPMETA_API_KEY', async () => {
    env!.APPMETA_API_KEY = 'from-the-environment';
    const { fetch, log } = recordingFetch();
    const client = new Appmeta({ baseUrl: ORIGIN, apiKey: 'explicit', fetch });
    await client.activities.get('act_1').catch(() => undefined);
    expect(log[0]!.headers.get('Authorization')).toBe('Bearer explicit');
  });

  it('ignores APPMETA_API_KEY for a client acting through OAuth', async () => {
    env!.APPMETA_API_KEY = 'from-the-environment';
    const { fetch, log } = recordingFetch();
    const client = new Appmeta({
      baseUrl: ORIGIN,
      fetch,
      oauth: { clientId: 'app_x', redirectUri: REDIRECT_URI },
    });
    await client.activities.get('act_1').catch(() => undefined);
    expect(log[0]!.headers.get('Authorization')).toBeNull();
  });
});
