/** The ANY methods and the catch-all: 405 with Allow for a known path, 404 naming the routes for any other. */
import { handler } from '../../../handlers/api/route-not-found';
import { apiEvent, captureOutput, fakeContext } from '../../helpers/lambda';

const ROUTES = { '/instances': ['GET'], '/circuits/{name}/open': ['POST'] };
const saved = { ...process.env };
beforeEach(() => {
  captureOutput();
  process.env.ROUTES = JSON.stringify(ROUTES);
});
afterEach(() => {
  jest.restoreAllMocks();
  process.env = { ...saved };
});

describe('route-not-found', () => {
  it('answers a known path with another method 405 METHOD_NOT_ALLOWED and the methods it takes', async () => {
    const response = await handler(apiEvent({ method: 'DELETE', path: '/instances' }), fakeContext());

    expect(response.statusCode).toBe(405);
    expect(response.headers).toMatchObject({ allow: 'GET' });
    expect(JSON.parse(response.body).error).toMatchObject({ code: 'METHOD_NOT_ALLOWED' });
  });

  it('answers an unknown path 404 NOT_FOUND listing the routes', async () => {
    const response = await handler(
      apiEvent({ method: 'GET', path: '/instance', resource: '/{proxy+}', requestId: 'r-9' }),
      fakeContext(),
    );

    expect(response.statusCode).toBe(404);
    expect(JSON.parse(response.body).error).toEqual({
      code: 'NOT_FOUND',
      message: 'No route GET /instance. The API serves: GET /instances, POST /circuits/{name}/open (docs/api.md).',
      correlationId: 'r-9',
    });
  });

  it('reports routes missing from its environment as a deployment bug (500), without details', async () => {
    delete process.env.ROUTES;

    const response = await handler(apiEvent({ method: 'GET', path: '/x', resource: '/{proxy+}' }), fakeContext());

    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body).error.message).not.toContain('ROUTES');
  });
});
