"""A task script that continues psr's trace, using only the standard library.

psr gives every task TRACEPARENT (W3C trace context) in its environment. Any OpenTelemetry
SDK picks it up; this script shows the mechanism by hand: it reads TRACEPARENT, does some
work, and sends one span whose parent is the task's attempt span to the OTLP/HTTP JSON
endpoint in OTEL_EXPORTER_OTLP_ENDPOINT. Without an endpoint it only prints the context.
"""
import json
import os
import secrets
import time
import urllib.request

traceparent = os.environ.get("TRACEPARENT", "")
print(f"TRACEPARENT={traceparent or '(none: tracing is off)'}")
parts = traceparent.split("-")
if len(parts) != 4:
    raise SystemExit(0)
_, trace_id, parent_span_id, flags = parts

start = time.time_ns()
total = sum(i * i for i in range(200_000))  # the "work"
end = time.time_ns()

endpoint = os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT")
if not endpoint:
    raise SystemExit(0)

span = {
    "traceId": trace_id,
    "spanId": secrets.token_hex(8),
    "parentSpanId": parent_span_id,
    "name": "python: sum of squares",
    "kind": 1,
    "startTimeUnixNano": str(start),
    "endTimeUnixNano": str(end),
    "attributes": [{"key": "example.total", "value": {"stringValue": str(total)}}],
}
body = {
    "resourceSpans": [{
        "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "example-python-task"}}]},
        "scopeSpans": [{"scope": {"name": "child_span.py"}, "spans": [span]}],
    }]
}
request = urllib.request.Request(
    endpoint.rstrip("/") + "/v1/traces",
    data=json.dumps(body).encode(),
    headers={"Content-Type": "application/json"},
)
urllib.request.urlopen(request, timeout=5).read()
print(f"sent span {span['spanId']} as a child of {parent_span_id}")
