import { it } from 'vitest';
import { createAccount, Browser, hiddenValue, signedInBrowser } from '../helpers/browser';
import { createApp, createUser, personalKey, appToken, userWithApp } from '../helpers/factories';
import { REDIRECT_URI, obtainCallback, authorizeUrl } from '../helpers/oauth-flow';
import { call } from '../helpers/worker';

const form = (body: BodyInit, headers: Record<string, string> = {}) => ({
  method: 'POST',
  body,
  headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
});
async function show(name: string, res: Response) {
  const text = await res.text();
  console.log(`${name} -> ${res.status} cc=${res.headers.get('Cache-Control')} www=${res.headers.get('WWW-Authenticate')} loc=${res.headers.get('Location')} ${text.slice(0, 160).replace(/\n/g, ' ')}`);
}

it('probe', async () => {
  const app = await createApp({ confidential: false });
  const capp = await createApp({ confidential: true });
  await show('big token form', await call('/oauth/token', form('a=' + 'x'.repeat(10 * 1024 * 1024))));
  await show('dup grant_type', await call('/oauth/token', form('grant_type=a&grant_type=b')));
  await show('non-utf8', await call('/oauth/token', form(new Uint8Array([0x67, 0x3d, 0xff, 0xfe]))));
  await show('basic empty', await call('/oauth/token', form(`grant_type=authorization_code&client_id=${app.clientId}&code=x&redirect_uri=x&code_verifier=x`, { Authorization: 'Basic' })));
  await show('basic junk', await call('/oauth/token', form(`grant_type=authorization_code`, { Authorization: 'Basic !!!' })));
  await show('basic non-utf8 id', await call('/oauth/token', form(`grant_type=authorization_code`, { Authorization: 'Basic ' + btoa('%ff%fe:x') })));
  await show('no ct', await call('/oauth/token', { method: 'POST', body: 'grant_type=x' }));
  await show('json ct', await call('/oauth/token', { method: 'POST', body: '{}', headers: {'Content-Type':'application/json'} }));
  await show('unknown client', await call('/oauth/token', form(`grant_type=authorization_code&client_id=nope`)));
  await show('conf in body', await call('/oauth/token', form(`grant_type=authorization_code&client_id=${capp.clientId}`)));
  await show('revoke dup', await call('/oauth/revoke', form(`token=a&token=b&client_id=${app.clientId}`)));
  await show('revoke huge hint', await call('/oauth/revoke', form(`token=a&client_id=${app.clientId}&token_type_hint=zzz`)));
  await show('big login', await call('/login', form('a=' + 'x'.repeat(10 * 1024 * 1024))));
  await show('big consent', await call('/oauth/consent', form('a=' + 'x'.repeat(1024 * 1024))));
  await show('cookie junk', await call('/settings', { headers: { Cookie: 'am_session=%ZZ; am_browser=' + 'a'.repeat(5000) } }));
  await show('auth huge', await call('/api/v1/profile', { headers: { Authorization: 'Bearer ' + 'a'.repeat(100000) } }));
  await show('auth huge export', await call('/api/v1/profile/export', { headers: { Authorization: 'Bearer ' + 'a.b.c' } }));
  await show('auth basic export', await call('/api/v1/profile/export', { headers: { Authorization: 'Basic abc' } }));
  await show('auth empty export', await call('/api/v1/profile/export', { headers: { Authorization: '' } }));
  await show('authorize huge', await call('/oauth/authorize?client_id=' + 'a'.repeat(20000)));
  await show('authorize bad pct', await call('/oauth/authorize?client_id=%ZZ&redirect_uri=%'));
  const { path } = await authorizeUrl({ app, scopes: ['profile'] });
  await show('authorize ok anon', await call(path));
  await show('authorize dup client', await call(path + '&client_id=' + app.clientId));
  await show('authorize code_challenge_method=plain', await call(path.replace('S256', 'plain')));
  await show('authorize dup scope', await call(path + '&scope=profile'));
  await show('authorize dup redirect', await call(path + '&redirect_uri=x'));
  await show('authorize dup response_type', await call(path + '&response_type=code'));
  await show('authorize scope junk', await call(path.replace('scope=profile', 'scope=profile%00')));
  await show('authorize resource', await call(path + '&request=abc'));
  await show('admin bad token', await call('/api/v1/admin/applications', { headers: { Authorization: 'Bearer x' } }));
  const user = await createUser();
  const pk = await personalKey(user, ['profile', 'data:read']);
  await show('pk profile', await call('/api/v1/profile', { token: pk }));
  await show('pk app-metadata', await call('/api/v1/profile/app-metadata', { token: pk }));
  await show('login GET tx junk', await call('/login?tx=<script>'));
  await show('consent GET junk', await call('/oauth/consent?tx=' + 'a'.repeat(43)));
  await show('logout no csrf', await call('/logout', form('x=1')));
  await show('signup dup', await call('/signup', form('x=1')));
}, 60000);
