/**
 * /api/v1/admin/users: provisioning, finding and erasing users (spec §7, §15, §17), behind
 * ADMIN_TOKEN. Erasure is the same service as the user's own (services/account-erasure.ts).
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { isEmailShaped, normalizeEmail } from '../auth/email';
import { hashPassword } from '../auth/password';
import { ADMIN_BODY_MAX_BYTES } from '../config';
import type { AppEnv } from '../env';
import { ApiError } from '../errors';
import { readJsonBody } from '../http/json-request';
import { documented, errorResponses, jsonContent as json } from '../http/openapi';
import { ADMIN_SECURITY as adminSecurity } from '../http/openapi-security';
import { isId, newId } from '../ids';
import { toProfile } from '../entities/profile';
import { ProfileSchema } from '../entities/schemas';
import { eraseAccount, findUserByEmail } from '../services/account-erasure';
import { insertUser } from '../storage/profiles';
import { validate } from '../validate';
import { notFound } from './path-params';

const UserInputSchema = z
  .object({
    email: z.email().max(254),
    password: z.string().min(8).max(256),
    first_name: z.string().trim().min(1).max(100),
    last_name: z.string().trim().max(100).optional().openapi({ description: 'default ""' }),
  })
  .openapi('UserInput');

export const adminUsersApp = new OpenAPIHono<AppEnv>();

documented(
  adminUsersApp,
  createRoute({
    method: 'post',
    path: '/api/v1/admin/users',
    operationId: 'createUser',
    tags: ['admin'],
    security: adminSecurity,
    summary: 'Create a user',
    request: { body: { required: true, ...json(UserInputSchema) } },
    responses: {
      201: { description: 'The profile', ...json(ProfileSchema) },
      ...errorResponses(400, 401, 409),
    },
  }),
  async (c) => {
    const { value } = await readJsonBody(c, { maxBytes: ADMIN_BODY_MAX_BYTES, maxDepth: 2 });
    const input = validate(UserInputSchema, value);
    const user = await insertUser(c.var.db, {
      id: newId('usr'),
      email: normalizeEmail(input.email),
      passwordHash: await hashPassword(input.password),
      firstName: input.first_name,
      lastName: input.last_name ?? '',
      now: c.var.now,
    });
    if (user === null) throw new ApiError('conflict', 'A user with this email already exists.');
    return c.json(toProfile(user), 201);
  },
);

/** `?email=`: required, and an address once normalised (src/auth/email.ts). */
const EmailQuerySchema = z.object({
  email: z
    .string()
    .max(1024)
    .transform(normalizeEmail)
    .refine(isEmailShaped, 'Must be an email address.')
    .openapi({ param: { name: 'email', in: 'query' }, example: 'ada@example.com' }),
});

documented(
  adminUsersApp,
  createRoute({
    method: 'get',
    path: '/api/v1/admin/users',
    operationId: 'findUsers',
    tags: ['admin'],
    security: adminSecurity,
    summary: 'Find a user by email (normalised as at signup)',
    request: { query: EmailQuerySchema },
    responses: {
      200: {
        description: '`{"data":[profile]}`, or `{"data":[]}` when nobody has this email',
        ...json(z.object({ data: z.array(ProfileSchema) })),
      },
      ...errorResponses(400, 401),
    },
  }),
  async (c) => {
    const { email } = validate(EmailQuerySchema, { email: c.req.query('email') });
    const user = await findUserByEmail(c.var, email);
    return c.json({ data: user === null ? [] : [toProfile(user)] });
  },
);

documented(
  adminUsersApp,
  createRoute({
    method: 'delete',
    path: '/api/v1/admin/users/{id}',
    operationId: 'deleteUser',
    tags: ['admin'],
    security: adminSecurity,
    summary: 'Erase a user and everything they own; their apps get authorization.revoked',
    request: { params: z.object({ id: z.string() }) },
    responses: { 204: { description: 'Erased' }, ...errorResponses(401, 404) },
  }),
  async (c) => {
    const id = c.req.param('id') ?? '';
    if (!isId(id) || !(await eraseAccount(c.var, id))) throw notFound('user');
    return c.body(null, 204);
  },
);
