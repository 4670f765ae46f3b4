import { createSocket } from 'node:dgram';
import { newTraceId, parseDaemonMessage, XRayDaemon } from '../../../local/services/xray-daemon';

const HEADER = '{"format":"json","version":1}';
const traceId = '1-69560000-0123456789abcdef01234567';

describe('the X-Ray daemon stand-in', () => {
  it('reads segment documents as the daemon protocol sends them, flattening nested subsegments', () => {
    const spans = parseDaemonMessage(
      `${HEADER}\n${JSON.stringify({
        trace_id: traceId,
        id: 'aaaaaaaaaaaaaaaa',
        parent_id: 'ffffffffffffffff',
        type: 'subsegment',
        name: '## handler',
        start_time: 1,
        end_time: 2,
        fault: true,
        annotations: { table: 't' },
        cause: { exceptions: [{ type: 'ThrottledError', message: 'slow' }] },
        subsegments: [
          { id: 'bbbbbbbbbbbbbbbb', name: 'DynamoDB', namespace: 'aws', start_time: 1.5, aws: { operation: 'Scan' } },
        ],
      })}`,
    );

    expect(spans).toEqual([
      expect.objectContaining({
        traceId,
        id: 'aaaaaaaaaaaaaaaa',
        parentId: 'ffffffffffffffff',
        type: 'subsegment',
        fault: true,
        error: false,
        annotations: { table: 't' },
        exceptions: [{ type: 'ThrottledError', message: 'slow' }],
      }),
      expect.objectContaining({
        traceId,
        id: 'bbbbbbbbbbbbbbbb',
        parentId: 'aaaaaaaaaaaaaaaa',
        aws: { operation: 'Scan' },
      }),
    ]);
  });

  it('drops what is not a segment document', () => {
    expect(parseDaemonMessage('{"format":"json","version":1}\nnot json')).toEqual([]);
    expect(parseDaemonMessage('{"trace_id":"x","id":"y","name":"z","start_time":1}')).toEqual([]);
    expect(parseDaemonMessage(`${HEADER}\n{"id":"y","name":"no trace id","start_time":1}`)).toEqual([]);
  });

  it('receives datagrams on its loopback port and wakes whoever waits for a span', async () => {
    const daemon = await XRayDaemon.shared();
    const trace = newTraceId(Date.now());
    const [host, port] = daemon.address.split(':');
    const socket = createSocket('udp4');

    const waiting = daemon.waitForSpan(trace, (span) => span.name === 'sent', 1000);
    socket.send(
      `${HEADER}\n${JSON.stringify({ trace_id: trace, id: '1111111111111111', name: 'sent', start_time: 1 })}`,
      Number(port),
      host,
    );

    await expect(waiting).resolves.toBe(true);
    expect(daemon.spansOf(trace).map((span) => span.name)).toEqual(['sent']);
    await expect(daemon.waitForSpan(trace, (span) => span.name === 'never', 20)).resolves.toBe(false);
    socket.close();
    expect(await XRayDaemon.shared()).toBe(daemon);
  });

  it('makes trace ids in the X-Ray format, derived from a seed when given', () => {
    expect(newTraceId(Date.parse('2026-01-01T00:00:00Z'))).toMatch(/^1-6955b900-[0-9a-f]{24}$/);
    expect(newTraceId(0, 'execution-1')).toBe(newTraceId(0, 'execution-1'));
    expect(newTraceId(0, 'execution-1')).not.toBe(newTraceId(0, 'execution-2'));
  });
});
