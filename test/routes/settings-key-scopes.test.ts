/** /settings offers a personal key only the scopes a personal key can use (spec §2, §11). */
import { describe, expect, it } from 'vitest';
import { createAccount, hiddenValue, signedInBrowser } from '../helpers/browser';

describe('the personal-key form in /settings', () => {
  it('offers profile, data and account scopes and no application-only scope', async () => {
    const browser = await signedInBrowser(await createAccount());
    const page = await (await browser.get('/settings')).text();
    const offered = [...page.matchAll(/name="scope\.([^"]+)"/g)].map((match) => match[1]);
    expect(offered).toStrictEqual(['profile', 'data:read', 'data:write', 'account']);
  });

  it.each(['metadata.read', 'metadata.write'])(
    'a posted %s box is ignored, so a key of only that scope is refused',
    async (scope) => {
      const browser = await signedInBrowser(await createAccount());
      const page = await (await browser.get('/settings')).text();
      const response = await browser.post('/settings/api-keys', {
        csrf: hiddenValue(page, 'csrf'),
        name: 'metadata only',
        [`scope.${scope}`]: 'on',
        expires_in_days: '30',
      });
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).toContain('choose at least one scope');
      expect(html).not.toContain('id="new-key"');
    },
  );
});
