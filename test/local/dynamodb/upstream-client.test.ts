import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LocalDynamoDbError } from '../../../local/dynamodb';
import { UpstreamClient } from '../../../local/dynamodb/upstream-client';

/** An endpoint that answers every request with the given status and body. */
async function answering(statusCode: number, body: string): Promise<{ server: Server; endpoint: string }> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(statusCode, { 'content-type': 'application/json' }).end(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('UpstreamClient answers', () => {
  let server: Server | undefined;
  let client: UpstreamClient | undefined;
  afterEach(async () => {
    client?.close();
    await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  });

  async function callWith(statusCode: number, body: string, operation = 'GetItem') {
    const upstream = await answering(statusCode, body);
    server = upstream.server;
    client = new UpstreamClient(upstream.endpoint);
    return client.call(operation, { TableName: 'Orders', Key: { pk: { S: 'a' } } });
  }

  it('returns the parsed object of a JSON answer', async () => {
    await expect(callWith(200, '{"Item":{"pk":{"S":"a"}}}')).resolves.toEqual({ Item: { pk: { S: 'a' } } });
  });

  it.each([
    ['text that is not JSON', 200, 'Service Unavailable'],
    ['JSON that is not an object', 200, '[]'],
    ['an error answer that is not JSON', 500, '<html>bad gateway</html>'],
  ])('refuses %s, naming the operation, instead of an empty success', async (_what, status, body) => {
    const call = callWith(status, body, 'UpdateItem');

    await expect(call).rejects.toThrow(LocalDynamoDbError);
    await expect(call).rejects.toThrow(/^The answer to UpdateItem \(http:\/\/127\.0\.0\.1:\d+\) is not a JSON object/);
  });
});
