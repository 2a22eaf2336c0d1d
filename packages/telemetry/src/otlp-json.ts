/**
 * OTLP JSON encoding of finished spans, written straight into strings.
 *
 * The output is what `JsonTraceSerializer` of @opentelemetry/otlp-transformer produces (the
 * same fields in the same order: hex ids, decimal-string nanosecond times, OTLP kind numbers),
 * but without building the intermediate request object graph and a BigInt per timestamp: on a
 * traced run of no-op tasks that generic transform cost more than recording the spans.
 */
import type { Attributes, AttributeValue, HrTime } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

// OTLP span flags: the low byte is the W3C trace flags; bit 8 says whether bit 9 (the parent
// is remote) is known, which it always is here.
const HAS_IS_REMOTE = 0x100;
const IS_REMOTE = 0x200;

/**
 * Encode one span as an OTLP JSON `Span` object.
 *
 * @example
 * ```ts
 * const json = encodeSpan(readableSpan); // '{"traceId":"…","spanId":"…",…}'
 * ```
 */
export function encodeSpan(span: ReadableSpan): string {
  const ctx = span.spanContext();
  const parent = span.parentSpanContext;
  const traceState = ctx.traceState?.serialize();
  const status = span.status;
  let out = `{"traceId":"${ctx.traceId}","spanId":"${ctx.spanId}"`;
  if (parent?.spanId) out += `,"parentSpanId":"${parent.spanId}"`;
  if (traceState !== undefined) out += `,"traceState":${JSON.stringify(traceState)}`;
  out += `,"name":${JSON.stringify(span.name)},"kind":${span.kind == null ? 0 : span.kind + 1}`;
  out += `,"startTimeUnixNano":"${nanos(span.startTime)}","endTimeUnixNano":"${nanos(span.endTime)}"`;
  out += `,"attributes":${encodeAttributes(span.attributes)},"droppedAttributesCount":${span.droppedAttributesCount}`;
  out += ',"events":[';
  for (let i = 0; i < span.events.length; i++) {
    const e = span.events[i]!;
    if (i > 0) out += ',';
    out += `{"attributes":${e.attributes ? encodeAttributes(e.attributes) : '[]'},"name":${JSON.stringify(e.name)}`;
    out += `,"timeUnixNano":"${nanos(e.time)}","droppedAttributesCount":${e.droppedAttributesCount || 0}}`;
  }
  out += `],"droppedEventsCount":${span.droppedEventsCount},"status":{"code":${status.code}`;
  if (status.message !== undefined) out += `,"message":${JSON.stringify(status.message)}`;
  out += '},"links":[';
  for (let i = 0; i < span.links.length; i++) {
    const l = span.links[i]!;
    if (i > 0) out += ',';
    const linkState = l.context.traceState?.serialize();
    out += `{"attributes":${l.attributes ? encodeAttributes(l.attributes) : '[]'},"spanId":"${l.context.spanId}","traceId":"${l.context.traceId}"`;
    if (linkState !== undefined) out += `,"traceState":${JSON.stringify(linkState)}`;
    out += `,"droppedAttributesCount":${l.droppedAttributesCount || 0},"flags":${flags(l.context.traceFlags, l.context.isRemote)}}`;
  }
  out += `],"droppedLinksCount":${span.droppedLinksCount},"flags":${flags(ctx.traceFlags, parent?.isRemote)}}`;
  return out;
}

/**
 * The text around the spans of one OTLP JSON `ExportTraceServiceRequest` whose spans share a
 * resource and an instrumentation scope: `open` + spans joined by `,` + `close` is one request.
 */
export interface RequestFrame {
  readonly open: string;
  readonly close: string;
}

// Resources and scopes are long-lived objects (one per SDK and per tracer), so their JSON is
// built once per pair rather than per span or per batch.
const frames = new WeakMap<object, Map<string, RequestFrame>>();

/**
 * The request frame of spans of `resource` and `scope`, as the OTLP JSON serializer writes it.
 *
 * @example
 * ```ts
 * const { open, close } = requestFrame(span.resource, span.instrumentationScope);
 * const line = open + spans.map(encodeSpan).join(',') + close;
 * ```
 */
export function requestFrame(resource: ReadableSpan['resource'], scope: ReadableSpan['instrumentationScope']): RequestFrame {
  let byScope = frames.get(resource);
  if (!byScope) frames.set(resource, (byScope = new Map()));
  const key = `${scope.name}@${scope.version ?? ''}:${scope.schemaUrl ?? ''}`;
  let frame = byScope.get(key);
  if (frame) return frame;
  const resourceSchema = resource.schemaUrl ? `,"schemaUrl":${JSON.stringify(resource.schemaUrl)}` : '';
  let scopeJson = `{"name":${JSON.stringify(scope.name)}`;
  if (scope.version !== undefined) scopeJson += `,"version":${JSON.stringify(scope.version)}`;
  const scopeAttributes = (scope as { attributes?: Attributes }).attributes;
  if (scopeAttributes && Object.keys(scopeAttributes).length > 0) {
    scopeJson += `,"attributes":${encodeAttributes(scopeAttributes)},"droppedAttributesCount":0`;
  }
  scopeJson += '}';
  frame = {
    open: `{"resourceSpans":[{"resource":{"attributes":${encodeAttributes(resource.attributes)},"droppedAttributesCount":0${resourceSchema}},"scopeSpans":[{"scope":${scopeJson},"spans":[`,
    close: `]${scope.schemaUrl !== undefined ? `,"schemaUrl":${JSON.stringify(scope.schemaUrl)}` : ''}}]${resourceSchema}}]}`,
  };
  byScope.set(key, frame);
  return frame;
}

/** `HrTime` as nanoseconds since the epoch, in decimal, without BigInt. */
function nanos(time: HrTime): string {
  const seconds = Math.trunc(time[0]);
  const ns = Math.trunc(time[1]);
  if (seconds === 0) return String(ns);
  const frac = String(ns);
  return `${seconds}${'000000000'.slice(frac.length)}${frac}`;
}

function flags(traceFlags: number, isRemote: boolean | undefined): number {
  return (traceFlags & 0xff) | HAS_IS_REMOTE | (isRemote ? IS_REMOTE : 0);
}

// Attribute keys are few and repeat on every span (`cicd.pipeline.name`, …): their encoded
// prefix is kept rather than built per attribute; bounded in case a plugin invents keys.
const keyPrefixes = new Map<string, string>();

function encodeAttributes(attributes: Attributes): string {
  let out = '[';
  let first = true;
  for (const key in attributes) {
    if (!Object.prototype.hasOwnProperty.call(attributes, key)) continue;
    let prefix = keyPrefixes.get(key);
    if (prefix === undefined) {
      prefix = `{"key":${JSON.stringify(key)},"value":`;
      if (keyPrefixes.size < 1024) keyPrefixes.set(key, prefix);
    }
    out += `${first ? '' : ','}${prefix}${encodeValue(attributes[key])}}`;
    first = false;
  }
  return out + ']';
}

function encodeValue(value: AttributeValue | undefined | null | Uint8Array): string {
  switch (typeof value) {
    case 'string':
      return `{"stringValue":${JSON.stringify(value)}}`;
    case 'number':
      return Number.isInteger(value) ? `{"intValue":${value}}` : `{"doubleValue":${JSON.stringify(value)}}`;
    case 'boolean':
      return `{"boolValue":${value}}`;
  }
  if (value instanceof Uint8Array) return `{"bytesValue":"${Buffer.from(value).toString('base64')}"}`;
  if (Array.isArray(value)) {
    let out = '{"arrayValue":{"values":[';
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + encodeValue(value[i]);
    return out + ']}}';
  }
  return '{}';
}

