import { newAccount, TestAccount } from './support/accounts';
import { eventually } from './support/eventually';
import { http } from './support/http';
import { Platform, shape } from './support/platform';

interface LogLine {
  level: number;
  msg: string;
  correlationId?: string;
  method?: string;
  url?: string;
  statusCode?: number;
  subject?: string;
}

describe(`logs (${shape})`, () => {
  let platform: Platform;
  let user: TestAccount;

  beforeAll(async () => {
    platform = await Platform.start(shape, { LOG_LEVEL: 'info' });
    user = await newAccount(platform.baseUrl);
  });

  afterAll(async () => {
    await platform?.stop();
  });

  const linesOf = (service: string): LogLine[] =>
    platform
      .service(service)
      .logs()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine);

  it('writes a line for the request and for the message it caused, in each service, under its correlation id', async () => {
    const response = await http(platform.baseUrl, 'GET', '/v1/users/me', {
      headers: { ...user.authorization, 'x-correlation-id': 'trace-users-me' },
    });
    expect(response.status).toBe(200);
    const traced = (service: string, msg: string) =>
      linesOf(service).filter(
        (line) => line.correlationId === 'trace-users-me' && line.msg === msg,
      );
    await eventually(
      () =>
        traced('gateway', 'request completed').length > 0 &&
        traced('users', 'message handled').length > 0,
    );
    expect(traced('gateway', 'request completed')).toEqual([
      expect.objectContaining({ level: 30, method: 'GET', url: '/v1/users/me', statusCode: 200 }),
    ]);
    expect(traced('users', 'message handled')).toEqual([
      expect.objectContaining({ level: 30, subject: 'users.user.get' }),
    ]);
  });

  it("logs a client's mistake as routine, and never a credential", async () => {
    const refused = await http(platform.baseUrl, 'POST', '/v1/auth/login', {
      headers: { 'x-correlation-id': 'trace-bad-login' },
      json: { email: user.email, password: 'not-the-password' },
    });
    expect(refused.status).toBe(401);
    const completed = () =>
      linesOf('gateway').filter(
        (line) => line.correlationId === 'trace-bad-login' && line.msg === 'request completed',
      );
    await eventually(() => completed().length > 0);
    expect(completed()).toEqual([expect.objectContaining({ level: 30, statusCode: 401 })]);
    const everything = ['gateway', 'auth', 'users'].map((name) => platform.service(name).logs());
    for (const secret of [user.password, user.accessToken, user.refreshToken, 'not-the-password']) {
      for (const logs of everything) expect(logs).not.toContain(secret);
    }
  });
});
