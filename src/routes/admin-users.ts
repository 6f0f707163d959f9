/**
 * /api/v1/admin/users: provisioning and finding users (spec §7, §15), behind ADMIN_TOKEN.
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { normalizeEmail } from '../auth/email';
import { hashPassword } from '../auth/password';
import { requireAdmin } from '../auth/require-admin';
import { ADMIN_BODY_MAX_BYTES } from '../config';
import type { AppEnv } from '../env';
import { ApiError } from '../errors';
import { readJsonBody } from '../http/json-request';
import { documented, errorResponses } from '../http/openapi';
import { newId } from '../ids';
import { toProfile } from '../entities/profile';
import { ProfileSchema } from '../entities/schemas';
import { insertUser } from '../storage/profiles';
import { validate } from '../validate';

const adminSecurity = [{ adminAuth: [] }];
const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });

const UserInputSchema = z
  .object({
    email: z.email().max(254),
    password: z.string().min(8).max(256),
    first_name: z.string().trim().min(1).max(100),
    last_name: z.string().trim().max(100).optional().openapi({ description: 'default ""' }),
  })
  .openapi('UserInput');

export const adminUsersApp = new OpenAPIHono<AppEnv>();
adminUsersApp.use('/api/v1/admin/*', requireAdmin);

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
