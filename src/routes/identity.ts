/** The identity half of appmeta in one sub-app: OAuth endpoints, account pages, settings, user API. */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../env';
import { accountErasureApp } from './account-erasure';
import { accountsApp } from './accounts';
import { oauthAuthorizeApp } from './oauth-authorize';
import { oauthTokenApp } from './oauth-token';
import { settingsApp } from './settings';
import { settingsAccountApp } from './settings-account';
import { userApiApp } from './user-api';

export const identityApp = new OpenAPIHono<AppEnv>();
identityApp.route('/', oauthTokenApp);
identityApp.route('/', oauthAuthorizeApp);
identityApp.route('/', accountsApp);
identityApp.route('/', settingsApp);
identityApp.route('/', settingsAccountApp);
identityApp.route('/', userApiApp);
identityApp.route('/', accountErasureApp);
