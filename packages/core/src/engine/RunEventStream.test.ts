import { describe, expect, it } from 'vitest';
import type { RunEvent, RunInfo, TaskInstance } from '../events.js';
import { RunEventStream } from './RunEventStream.js';

const run = { id: 'r' } as RunInfo;
const task = { id: 't' } as TaskInstance;
const output = (text: string): RunEvent => ({ type: 'output', run, task, attempt: 1, stream: 'stdout', text });

describe('RunEventStream', () => {
  it('stops buffering output past the limit but still gives observers every chunk', async () => {
    const seen: string[] = [];
    const stream = new RunEventStream([{ onOutput: (e) => void seen.push(e.text) }], 10);
    stream.emit({ type: 'run-start', run });
    for (const t of ['aaaa', 'bbbb', 'cccc', 'dddd']) stream.emit(output(t));
    stream.emit({ type: 'task-end', run, task, result: {} as never });
    stream.close();
    const iterated: string[] = [];
    for await (const e of stream.iterate()) iterated.push(e.type === 'output' ? e.text : e.type);
    expect(seen).toEqual(['aaaa', 'bbbb', 'cccc', 'dddd']);
    expect(iterated[0]).toBe('run-start');
    expect(iterated.slice(1, 3)).toEqual(['aaaa', 'bbbb']);
    expect(iterated[3]).toMatch(/more than 10 characters of output/);
    expect(iterated[4]).toBe('task-end');
    expect(iterated).toHaveLength(5);
  });

  it('awaits an async observer before giving it the next event, and records its errors', async () => {
    const order: string[] = [];
    const stream = new RunEventStream([
      {
        onRunStart: async () => {
          await new Promise((r) => setTimeout(r, 20));
          order.push('start done');
        },
        onTaskStart: () => {
          order.push('task');
          throw new Error('nope');
        },
      },
    ]);
    void stream.emit({ type: 'run-start', run });
    void stream.emit({ type: 'task-start', run, task });
    order.push('emitted');
    await stream.drain();
    expect(order).toEqual(['emitted', 'start done', 'task']);
    expect(stream.errors).toEqual([expect.objectContaining({ code: 'PSR_OBSERVER', message: 'run observer #1 failed in onTaskStart: nope' })]);
  });
});
