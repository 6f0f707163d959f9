/**
 * How the client reads every error shape the platform answers with (spec §9, RFC 6749 §5.2,
 * §15's 429) into AppmetaError. Responses built here stand for ones the Worker sends where a
 * test cannot provoke them cheaply (a rate limit); the other cases run against the Worker in
 * the resource tests.
 */
import { describe, expect, it } from 'vitest';
import { AppmetaError } from '../../packages/client/src/index';
import { errorFromResponse } from '../../packages/client/src/errors';

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });

describe('errorFromResponse', () => {
  it.each([
    [
      'a §9 429 with Retry-After',
      json(
        429,
        { error: 'Too many requests.', errorCode: 'rate_limited', requestId: 'req-1' },
        { 'Retry-After': '30' },
      ),
      {
        status: 429,
        errorCode: 'rate_limited',
        requestId: 'req-1',
        details: undefined,
        hint: undefined,
        retryAfter: 30,
      },
    ],
    [
      'an OAuth 429 in RFC 6749 shape',
      json(
        429,
        { error: 'temporarily_unavailable', error_description: 'Slow down.' },
        { 'Retry-After': '7', 'X-Request-Id': 'req-2' },
      ),
      {
        status: 429,
        errorCode: 'temporarily_unavailable',
        requestId: 'req-2',
        details: undefined,
        hint: undefined,
        retryAfter: 7,
      },
    ],
    [
      'a validation error with details and a hint',
      json(400, {
        error: 'Some fields are invalid.',
        errorCode: 'validation_error',
        hint: 'Fix them.',
        details: { sport: 'unknown sport' },
        requestId: 'req-3',
      }),
      {
        status: 400,
        errorCode: 'validation_error',
        requestId: 'req-3',
        details: { sport: 'unknown sport' },
        hint: 'Fix them.',
        retryAfter: undefined,
      },
    ],
    [
      'a body that is not JSON',
      new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
      {
        status: 502,
        errorCode: 'http_502',
        requestId: undefined,
        details: undefined,
        hint: undefined,
        retryAfter: undefined,
      },
    ],
  ])('reads %s', async (_case, response, expected) => {
    const error = await errorFromResponse(response);
    expect(error).toBeInstanceOf(AppmetaError);
    expect({
      status: error.status,
      errorCode: error.errorCode,
      requestId: error.requestId,
      details: error.details,
      hint: error.hint,
      retryAfter: error.retryAfter,
    }).toStrictEqual(expected);
  });

  it('uses the human sentence as the message', async () => {
    const error = await errorFromResponse(
      json(404, { error: 'No such activity.', errorCode: 'not_found', requestId: 'r' }),
    );
    expect(error.message).toBe('No such activity.');
    expect(error.name).toBe('AppmetaError');
  });
});
