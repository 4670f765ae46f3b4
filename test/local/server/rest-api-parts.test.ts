/** The parts of the local REST API: route matching, the proxy event, gateway responses and throttling. */
import { VirtualClock } from '../../../local/clock';
import { renderGatewayResponse } from '../../../local/server/rest-api/gateway-response';
import { clfTime, proxyEvent } from '../../../local/server/rest-api/proxy-event';
import { ResourceTree } from '../../../local/server/rest-api/route-match';
import { TokenBuckets } from '../../../local/server/rest-api/token-buckets';

describe('ResourceTree: resources matched as API Gateway matches them', () => {
  const tree = new ResourceTree([
    '/',
    '/instances',
    '/instances/{id}',
    '/circuits/{name}/open',
    '/circuits/{name}',
    '/{proxy+}',
  ]);

  it.each([
    ['/', '/', {}],
    ['/instances', '/instances', {}],
    ['/instances/', '/instances', {}],
    ['/instances/db-a', '/instances/{id}', { id: 'db-a' }],
    ['/instances/db%2Da', '/instances/{id}', { id: 'db%2Da' }],
    ['/circuits/rds-api/open', '/circuits/{name}/open', { name: 'rds-api' }],
    ['/circuits/rds-api', '/circuits/{name}', { name: 'rds-api' }],
    ['/circuits/rds-api/explode', '/{proxy+}', { proxy: 'circuits/rds-api/explode' }],
    ['/instances/db-a/logs', '/{proxy+}', { proxy: 'instances/db-a/logs' }],
    ['/nope', '/{proxy+}', { proxy: 'nope' }],
  ])('%s -> %s', (path, resourcePath, pathParameters) => {
    expect(tree.match(path)).toEqual({ resourcePath, pathParameters });
  });

  it('prefers a literal path part over a parameter', () => {
    const withLiteral = new ResourceTree(['/instances/{id}', '/instances/count']);

    expect(withLiteral.match('/instances/count')).toEqual({ resourcePath: '/instances/count', pathParameters: {} });
    expect(withLiteral.match('/instances/x')?.resourcePath).toBe('/instances/{id}');
  });

  it('matches nothing without a catch-all', () => {
    expect(new ResourceTree(['/instances']).match('/alerts')).toBeUndefined();
  });
});

describe('proxyEvent: the REST API proxy event (payload format 1.0)', () => {
  const event = proxyEvent(
    {
      method: 'GET',
      path: '/instances/db%2Da',
      rawQuery: 'engine=postgres&status=a&status=b&q=two%20words',
      rawHeaders: ['Host', '127.0.0.1:8083', 'X-Correlation-Id', 'c-1', 'Accept', 'a', 'Accept', 'b'],
      body: Buffer.alloc(0),
      sourceIp: '127.0.0.1',
    },
    { resourcePath: '/instances/{id}', resourceId: 'r1', pathParameters: { id: 'db%2Da' } },
    {
      stage: 'api',
      apiId: 'OperationsApi',
      accountId: '000000000000',
      requestId: 'req-1',
      extendedRequestId: 'ext-1',
      now: Date.parse('2026-04-09T12:34:56Z'),
      identity: {
        accessKey: 'alice',
        caller: 'AIDALOCALALICE',
        user: 'AIDALOCALALICE',
        userArn: 'arn:aws:iam::000000000000:user/alice',
      },
    },
  );

  it('keeps header names as sent, the last value, and every value in multiValueHeaders', () => {
    expect(event.headers).toMatchObject({ Host: '127.0.0.1:8083', 'X-Correlation-Id': 'c-1', Accept: 'b' });
    expect(event.multiValueHeaders.Accept).toEqual(['a', 'b']);
  });

  it('decodes the query string (the last value wins) and keeps path parameters as sent', () => {
    expect(event.queryStringParameters).toEqual({ engine: 'postgres', status: 'b', q: 'two words' });
    expect(event.multiValueQueryStringParameters?.status).toEqual(['a', 'b']);
    expect(event.pathParameters).toEqual({ id: 'db%2Da' });
    expect(event.body).toBeNull();
  });

  it('has the request context of a REST API stage with the IAM caller', () => {
    expect(event.resource).toBe('/instances/{id}');
    expect(event.requestContext).toMatchObject({
      path: '/api/instances/db%2Da',
      stage: 'api',
      requestId: 'req-1',
      resourcePath: '/instances/{id}',
      requestTime: '09/Apr/2026:12:34:56 +0000',
      identity: { userArn: 'arn:aws:iam::000000000000:user/alice', accessKey: 'alice', sourceIp: '127.0.0.1' },
    });
  });

  it('prints request times in the Common Log Format', () => {
    expect(clfTime(Date.parse('2026-12-01T03:04:05Z'))).toBe('01/Dec/2026:03:04:05 +0000');
  });
});

describe('renderGatewayResponse', () => {
  const context = {
    requestId: 'req-9',
    extendedRequestId: 'ext-9',
    stage: 'api',
    httpMethod: 'GET',
    path: '/api/costs',
    accountId: '000000000000',
    apiId: 'Api',
  };

  it('fills the template of the type, with its own status', () => {
    const rendered = renderGatewayResponse(
      { type: 'MISSING_AUTHENTICATION_TOKEN', message: 'Missing Authentication Token' },
      {
        MISSING_AUTHENTICATION_TOKEN: {
          statusCode: '401',
          headers: {},
          template:
            '{"error":{"code":"UNAUTHORIZED","message":$context.error.messageString,"correlationId":"$context.requestId"}}',
        },
      },
      context,
    );

    expect(rendered.statusCode).toBe(401);
    expect(JSON.parse(rendered.body)).toEqual({
      error: { code: 'UNAUTHORIZED', message: 'Missing Authentication Token', correlationId: 'req-9' },
    });
  });

  it('falls back to DEFAULT_4XX with the type default status, and to API Gateway default body without it', () => {
    const fallback = {
      DEFAULT_4XX: { headers: {}, template: '{"type":"$context.error.responseType","m":$context.error.messageString}' },
    };

    const custom = renderGatewayResponse({ type: 'THROTTLED', message: 'Too Many Requests' }, fallback, context);
    const bare = renderGatewayResponse({ type: 'THROTTLED', message: 'Too Many Requests' }, {}, context);

    expect(custom).toEqual({ statusCode: 429, body: '{"type":"THROTTLED","m":"Too Many Requests"}' });
    expect(bare).toEqual({ statusCode: 429, body: '{"message":"Too Many Requests"}' });
  });
});

describe('TokenBuckets', () => {
  it('lets a burst through, refuses the next at the same instant, and refills at the rate', () => {
    const clock = new VirtualClock();
    const buckets = new TokenBuckets(clock);
    const setting = { rateLimit: 2, burstLimit: 3 };
    const take = () => buckets.take('POST /circuits/{name}/open', setting);

    expect([take(), take(), take(), take()]).toEqual([true, true, true, false]);
    clock.advance(500);
    expect([take(), take()]).toEqual([true, false]);
    clock.advance(10_000);
    expect([take(), take(), take(), take()]).toEqual([true, true, true, false]);
  });

  it('keeps one bucket per method', () => {
    const buckets = new TokenBuckets(new VirtualClock());
    const setting = { rateLimit: 1, burstLimit: 1 };

    expect(buckets.take('GET /a', setting)).toBe(true);
    expect(buckets.take('GET /b', setting)).toBe(true);
    expect(buckets.take('GET /a', setting)).toBe(false);
  });
});
