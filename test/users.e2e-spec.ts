import { randomUUID } from 'node:crypto';
import { http } from './support/http';
import { Platform, shape } from './support/platform';

const uniqueEmail = () => `user-${randomUUID()}@example.com`;

describe(`users through the gateway (${shape})`, () => {
  let platform: Platform;
  let baseUrl: string;

  beforeAll(async () => {
    platform = await Platform.start();
    baseUrl = platform.baseUrl;
  });

  afterAll(async () => {
    await platform?.stop();
  });

  describe('POST /v1/auth/register', () => {
    it('creates the account and returns its public view, never the password', async () => {
      const email = uniqueEmail();
      const response = await http(baseUrl, 'POST', '/v1/auth/register', {
        json: { email, password: 'correct horse battery', displayName: 'Ada' },
      });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        email,
        displayName: 'Ada',
        roles: ['user'],
        createdAt: expect.any(String),
      });
      expect(new Date(response.body.createdAt).toISOString()).toBe(response.body.createdAt);
      expect(JSON.stringify(response.body)).not.toMatch(/password|argon/i);
    });

    it('stores emails lower-cased and refuses the same address in any case with 409', async () => {
      const email = uniqueEmail();
      const first = await http(baseUrl, 'POST', '/v1/auth/register', {
        json: { email: email.toUpperCase(), password: 'password-one' },
      });
      expect(first.status).toBe(201);
      expect(first.body.email).toBe(email);
      const second = await http(baseUrl, 'POST', '/v1/auth/register', {
        json: { email, password: 'password-two' },
      });
      expect(second.status).toBe(409);
      expect(second.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(second.body).toMatchObject({
        type: 'about:blank',
        title: 'Conflict',
        status: 409,
        code: 'EMAIL_ALREADY_REGISTERED',
        instance: '/v1/auth/register',
      });
    });

    it('lets exactly one of several concurrent registrations of one email succeed', async () => {
      const email = uniqueEmail();
      const results = await Promise.all(
        Array.from({ length: 5 }, () =>
          http(baseUrl, 'POST', '/v1/auth/register', { json: { email, password: 'password-123' } }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    });

    it.each([
      ['a missing email', { password: 'password-123' }, 'email'],
      ['an invalid email', { email: 'not-an-email', password: 'password-123' }, 'email'],
      ['a short password', { email: 'short@example.com', password: 'short' }, 'password'],
      [
        'a password over 128 characters',
        { email: 'long@example.com', password: 'x'.repeat(129) },
        'password',
      ],
      [
        'a password of the wrong type',
        { email: 'type@example.com', password: 12345678 },
        'password',
      ],
      [
        'an unknown property',
        { email: 'extra@example.com', password: 'password-123', roles: ['admin'] },
        'roles',
      ],
      [
        'an empty display name',
        { email: 'name@example.com', password: 'password-123', displayName: '' },
        'displayName',
      ],
    ])('refuses %s with 400 naming the field', async (_case, json, field) => {
      const response = await http(baseUrl, 'POST', '/v1/auth/register', { json });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(response.body.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ field })]),
      );
    });

    it('writes nothing for a refused registration', async () => {
      const email = uniqueEmail();
      const refused = await http(baseUrl, 'POST', '/v1/auth/register', {
        json: { email, password: 'password-123', isAdmin: true },
      });
      expect(refused.status).toBe(400);
      const accepted = await http(baseUrl, 'POST', '/v1/auth/register', {
        json: { email, password: 'password-123' },
      });
      expect(accepted.status).toBe(201);
    });

    it.each([
      ['malformed JSON', '{"email": ', 'application/json', 400, 'MALFORMED_REQUEST'],
      ['a JSON array', '[1, 2]', 'application/json', 400, 'VALIDATION_FAILED'],
      ['JSON null', 'null', 'application/json', 400, 'VALIDATION_FAILED'],
      ['a text/plain body', 'email=a@b.c', 'text/plain', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ])('refuses %s with a clear 4xx', async (_case, body, contentType, status, code) => {
      const response = await http(baseUrl, 'POST', '/v1/auth/register', {
        body,
        headers: { 'content-type': contentType },
      });
      expect(response.status).toBe(status);
      expect(response.body).toMatchObject({ status, code, detail: expect.any(String) });
    });

    it('refuses a huge body with 413 before reading it all', async () => {
      const response = await http(baseUrl, 'POST', '/v1/auth/register', {
        json: {
          email: uniqueEmail(),
          password: 'password-123',
          displayName: 'x'.repeat(2_000_000),
        },
      });
      expect(response.status).toBe(413);
      expect(response.body.code).toBe('PAYLOAD_TOO_LARGE');
    });
  });

  describe('GET /v1/users/:id', () => {
    it('returns the user that registration created', async () => {
      const email = uniqueEmail();
      const created = await http(baseUrl, 'POST', '/v1/auth/register', {
        json: { email, password: 'password-123' },
      });
      const response = await http(baseUrl, 'GET', `/v1/users/${created.body.id}`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual(created.body);
    });

    it('answers 404 for an id that does not exist', async () => {
      const response = await http(baseUrl, 'GET', `/v1/users/${randomUUID()}`);
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    });

    it('answers 400 for an id that is not a UUID', async () => {
      const response = await http(baseUrl, 'GET', `/v1/users/not-a-uuid`);
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([{ field: 'id', messages: ['id must be a UUID'] }]);
    });
  });

  describe('errors and tracing', () => {
    it('answers unknown routes with a problem+json 404', async () => {
      const response = await http(baseUrl, 'GET', '/v1/nothing-here');
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    });

    it('echoes a client correlation id, and issues one when none is sent', async () => {
      const echoed = await http(baseUrl, 'GET', `/v1/users/${randomUUID()}`, {
        headers: { 'x-correlation-id': 'client-trace-123' },
      });
      expect(echoed.headers.get('x-correlation-id')).toBe('client-trace-123');
      expect(echoed.body.correlationId).toBe('client-trace-123');
      const issued = await http(baseUrl, 'GET', '/health/live');
      expect(issued.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('replaces a correlation id that could forge log lines', async () => {
      const response = await http(baseUrl, 'GET', '/health/live', {
        headers: { 'x-correlation-id': 'x'.repeat(500) },
      });
      expect(response.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
    });
  });
});
