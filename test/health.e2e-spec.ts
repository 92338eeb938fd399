import { http } from './support/http';
import { Platform, shape } from './support/platform';

describe(`health (${shape})`, () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await Platform.start();
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('reports liveness', async () => {
    const response = await http(platform.baseUrl, 'GET', '/health/live');
    expect(response.status).toBe(200);
    expect(response.body.status).toBe('ok');
  });

  it('reports readiness of the transport and of every database the process hosts', async () => {
    const response = await http(platform.service('users').url, 'GET', '/health/ready');
    expect(response.status).toBe(200);
    expect(response.body.details).toMatchObject({
      transport: { status: 'up', kind: shape === 'embedded' ? 'in-process' : 'nats' },
      'database:users': { status: 'up' },
    });
  });

  it('reports readiness of signing where auth is hosted', async () => {
    const response = await http(platform.service('auth').url, 'GET', '/health/ready');
    expect(response.status).toBe(200);
    expect(response.body.details).toMatchObject({
      signing: { status: 'up', kid: expect.any(String) },
    });
  });
});
