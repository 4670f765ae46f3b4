/**
 * X-Ray daemon stand-in: what the daemon next to every Lambda function is to the X-Ray SDK. Handlers' SDK
 * (through the Powertools Tracer) sends segment documents over UDP to AWS_XRAY_DAEMON_ADDRESS, exactly as on
 * Lambda; this listens on a loopback port, parses them into spans and keeps them by trace id. One per process:
 * the SDK reads the daemon address once, when a handler module is first loaded.
 */

import { createHash, randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';

/** One X-Ray segment or subsegment, flattened (children point at their parent). Times in epoch seconds. */
export interface XRaySpan {
  readonly traceId: string;
  readonly id: string;
  readonly parentId?: string;
  readonly name: string;
  readonly type: 'segment' | 'subsegment';
  /** `aws` for AWS SDK calls, `remote` for other HTTP calls. */
  readonly namespace?: string;
  /** `AWS::Lambda::Function` for the function segment the local Lambda binding records. */
  readonly origin?: string;
  readonly startTime: number;
  readonly endTime?: number;
  readonly error: boolean;
  readonly fault: boolean;
  readonly throttle: boolean;
  readonly annotations: Readonly<Record<string, string | number | boolean>>;
  /** For AWS SDK calls: `operation`, `table_name`, `retries`, `request_id`, ... as the SDK records them. */
  readonly aws?: Readonly<Record<string, unknown>>;
  readonly httpStatus?: number;
  /** The exceptions recorded on the span (`cause.exceptions[].type` and `message`). */
  readonly exceptions?: readonly { readonly type?: string; readonly message?: string }[];
}

const PROTOCOL_HEADER = '{"format":"json","version":1}';
/** Traces kept (oldest dropped first) and spans kept per trace: a long local run stays bounded. */
const MAX_TRACES = 2_000;
const MAX_SPANS_PER_TRACE = 1_000;

interface SegmentDocument {
  readonly trace_id?: string;
  readonly id?: string;
  readonly parent_id?: string;
  readonly name?: string;
  readonly type?: string;
  readonly namespace?: string;
  readonly origin?: string;
  readonly start_time?: number;
  readonly end_time?: number;
  readonly in_progress?: boolean;
  readonly error?: boolean;
  readonly fault?: boolean;
  readonly throttle?: boolean;
  readonly annotations?: Record<string, string | number | boolean>;
  readonly aws?: Record<string, unknown>;
  readonly http?: { readonly response?: { readonly status?: number } };
  readonly cause?: { readonly exceptions?: { readonly type?: string; readonly message?: string }[] };
  readonly subsegments?: SegmentDocument[];
}

/** Turns one daemon datagram (protocol header, newline, segment JSON) into spans; malformed ones give none. */
export function parseDaemonMessage(message: string): XRaySpan[] {
  const newline = message.indexOf('\n');
  if (newline < 0 || message.slice(0, newline) !== PROTOCOL_HEADER) return [];
  let document: SegmentDocument;
  try {
    document = JSON.parse(message.slice(newline + 1)) as SegmentDocument;
  } catch {
    return [];
  }
  return flatten(document, document.trace_id, document.parent_id);
}

function flatten(document: SegmentDocument, traceId: string | undefined, parentId: string | undefined): XRaySpan[] {
  if (!traceId || !document.id || !document.name || typeof document.start_time !== 'number') return [];
  const span: XRaySpan = {
    traceId,
    id: document.id,
    ...(parentId && { parentId }),
    name: document.name,
    type: document.type === 'subsegment' ? 'subsegment' : 'segment',
    ...(document.namespace && { namespace: document.namespace }),
    ...(document.origin && { origin: document.origin }),
    startTime: document.start_time,
    ...(typeof document.end_time === 'number' && { endTime: document.end_time }),
    error: document.error === true,
    fault: document.fault === true,
    throttle: document.throttle === true,
    annotations: document.annotations ?? {},
    ...(document.aws && { aws: document.aws }),
    ...(typeof document.http?.response?.status === 'number' && { httpStatus: document.http.response.status }),
    ...(document.cause?.exceptions && { exceptions: document.cause.exceptions }),
  };
  const children = (document.subsegments ?? []).flatMap((child) => flatten(child, traceId, document.id));
  return [span, ...children];
}

/** A new X-Ray trace id: `1-<epoch seconds, 8 hex>-<96 random bits, 24 hex>`. */
export function newTraceId(epochMs: number, seed?: string): string {
  const random = seed ? createHash('sha256').update(seed).digest('hex').slice(0, 24) : randomBytes(12).toString('hex');
  return `1-${Math.floor(epochMs / 1000)
    .toString(16)
    .padStart(8, '0')}-${random}`;
}

/** A new segment id: 64 random bits, 16 hex. */
export function newSegmentId(): string {
  return randomBytes(8).toString('hex');
}

interface Waiter {
  readonly matches: (span: XRaySpan) => boolean;
  readonly resolve: (found: boolean) => void;
}

export class XRayDaemon {
  private static started?: Promise<XRayDaemon>;
  private readonly traces = new Map<string, Map<string, XRaySpan>>();
  private readonly waiters = new Map<string, Set<Waiter>>();

  /** @param address `127.0.0.1:<port>`, the value of AWS_XRAY_DAEMON_ADDRESS. */
  private constructor(readonly address: string) {}

  /** The process's daemon, listening from the first call on. */
  static shared(): Promise<XRayDaemon> {
    XRayDaemon.started ??= XRayDaemon.listen();
    return XRayDaemon.started;
  }

  private static listen(): Promise<XRayDaemon> {
    return new Promise((resolve, reject) => {
      const socket = createSocket('udp4');
      socket.once('error', reject);
      socket.bind(0, '127.0.0.1', () => {
        socket.off('error', reject);
        // A datagram that cannot be read is dropped, as the real daemon drops it.
        socket.on('error', () => undefined);
        // The daemon never keeps a process (a CLI run, a test worker) alive on its own.
        socket.unref();
        const daemon = new XRayDaemon(`127.0.0.1:${socket.address().port}`);
        socket.on('message', (message) => daemon.receive(message.toString('utf8')));
        resolve(daemon);
      });
    });
  }

  /** Records spans that did not come over UDP (the function segment Lambda itself records). */
  record(spans: readonly XRaySpan[]): void {
    for (const span of spans) this.store(span);
  }

  /** Every span of a trace received so far, in arrival order. */
  spansOf(traceId: string): XRaySpan[] {
    return [...(this.traces.get(traceId)?.values() ?? [])];
  }

  /** The span and all its descendants in the trace. */
  descendantsOf(traceId: string, rootId: string): XRaySpan[] {
    const spans = this.spansOf(traceId);
    const included = new Set([rootId]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const span of spans) {
        if (span.parentId && included.has(span.parentId) && !included.has(span.id)) {
          included.add(span.id);
          grew = true;
        }
      }
    }
    return spans.filter((span) => included.has(span.id));
  }

  /** Resolves true as soon as a span of the trace matches, false after `timeoutMs` of real time. */
  waitForSpan(traceId: string, matches: (span: XRaySpan) => boolean, timeoutMs: number): Promise<boolean> {
    if (this.spansOf(traceId).some(matches)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiters = this.waiters.get(traceId) ?? new Set<Waiter>();
      this.waiters.set(traceId, waiters);
      const timer = setTimeout(() => settle(false), timeoutMs);
      timer.unref();
      const waiter: Waiter = { matches, resolve: (found) => settle(found) };
      const settle = (found: boolean) => {
        clearTimeout(timer);
        waiters.delete(waiter);
        if (waiters.size === 0) this.waiters.delete(traceId);
        resolve(found);
      };
      waiters.add(waiter);
    });
  }

  private receive(message: string): void {
    for (const span of parseDaemonMessage(message)) this.store(span);
  }

  private store(span: XRaySpan): void {
    let trace = this.traces.get(span.traceId);
    if (!trace) {
      trace = new Map();
      this.traces.set(span.traceId, trace);
      if (this.traces.size > MAX_TRACES) this.traces.delete(this.traces.keys().next().value!);
    }
    // A span sent again (in progress, then closed) replaces the earlier document.
    if (trace.size < MAX_SPANS_PER_TRACE || trace.has(span.id)) trace.set(span.id, span);
    for (const waiter of [...(this.waiters.get(span.traceId) ?? [])]) {
      if (waiter.matches(span)) waiter.resolve(true);
    }
  }
}
