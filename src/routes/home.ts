/** GET /: the front door, a page for people (spec §15). */
import { Hono } from 'hono';
import type { AppEnv } from '../env';
import { HomePage } from '../pages/home-page';
import { page } from '../pages/layout';

export const homeApp = new Hono<AppEnv>();

homeApp.get('/', (c) => {
  return page(c, HomePage());
});
