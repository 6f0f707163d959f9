/** Request and response schemas of the webhook endpoints (spec §13, §17), for both mounts. */
import { z } from '@hono/zod-openapi';
import { EVENT_TYPES } from '../events/feed';

export const EndpointInputSchema = z.object({
  url: z.string().max(2048).openapi({ example: 'https://coach.example.com/hooks/appmeta' }),
  events: z
    .array(z.string().max(64))
    .min(1)
    .max(64)
    .optional()
    .openapi({ description: 'Event types to deliver; absent: every type' }),
});

export const EndpointStatusInputSchema = z.object({ status: z.enum(['active', 'disabled']) });

export const EndpointSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.enum(EVENT_TYPES)),
    created_at: z.string(),
    status: z.enum(['active', 'disabled']),
  })
  .openapi('WebhookEndpoint');

export const EndpointWithSecretSchema = EndpointSchema.extend({
  secret: z.string().openapi({ description: 'whsec_…: shown once; signs every delivery' }),
}).openapi('WebhookEndpointWithSecret');

export const DeliverySchema = z
  .object({
    event_id: z.string(),
    status: z.enum(['delivered', 'failed', 'pending']),
    http_status: z.number().int().nullable(),
    duration_ms: z.number().int(),
    attempt: z.number().int().openapi({ description: 'Counts from 1' }),
    next_retry_at: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi('WebhookDelivery');

export const RetryAcceptedSchema = z
  .object({ event_id: z.string(), status: z.literal('pending') })
  .openapi('WebhookRetryAccepted');

export { jsonContent as json } from '../http/openapi';

export const idParam = z.object({ id: z.string().openapi({ example: 'whep_…' }) });
export const eventParam = idParam.extend({ event_id: z.string() });
