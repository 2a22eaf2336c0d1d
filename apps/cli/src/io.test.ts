import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readFileSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { directOutput } from './io.js';

const dirs: string[] = [];
const fds: number[] = [];
afterEach(() => {
  for (const fd of fds.splice(0)) closeSync(fd);
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'psr-io-'));
  dirs.push(dir);
  return dir;
}

/** A stream that records what it is given, standing in for process.stderr. */
function recorder(): { stream: NodeJS.WriteStream; bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  return { stream: stream as unknown as NodeJS.WriteStream, bytes: () => Buffer.concat(chunks) };
}

describe('directOutput', () => {
  it('writes text, in any script, straight to the descriptor without opening the stream', () => {
    const path = join(tempDir(), 'out.txt');
    const fd = openSync(path, 'w');
    fds.push(fd);
    let opened = false;
    const out = directOutput(fd, () => {
      opened = true;
      return recorder().stream;
    });
    expect(out.write('wrote report.json\n')).toBe(true);
    out.write('Déni de service — サービス拒否 🔥\n');
    expect(readFileSync(path, 'utf8')).toBe('wrote report.json\nDéni de service — サービス拒否 🔥\n');
    expect(opened).toBe(false);
  });

  it('hands the rest to the stream when a non-blocking pipe is full, losing and repeating nothing', () => {
    const fifo = join(tempDir(), 'fifo');
    execFileSync('mkfifo', [fifo]);
    // Read-write and non-blocking: nobody reads, so the pipe fills and write reports EAGAIN.
    const fd = openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK);
    fds.push(fd);
    const rest = recorder();
    const out = directOutput(fd, () => rest.stream);
    const text = 'x'.repeat(200_000) + 'é'.repeat(100_000) + '\n';
    out.write(text);
    out.write('after\n');
    const inPipe: Buffer[] = [];
    const buffer = Buffer.alloc(65_536);
    for (;;) {
      let n = 0;
      try {
        n = readSync(fd, buffer);
      } catch {
        break; // EAGAIN: the pipe is empty
      }
      if (n === 0) break;
      inPipe.push(Buffer.from(buffer.subarray(0, n)));
    }
    expect(rest.bytes().length).toBeGreaterThan(0);
    expect(Buffer.concat([...inPipe, rest.bytes()]).toString('utf8')).toBe(`${text}after\n`);
  });

  it('drops output once the reader has gone (EPIPE), without throwing', () => {
    const fifo = join(tempDir(), 'fifo');
    execFileSync('mkfifo', [fifo]);
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const fd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    fds.push(fd);
    closeSync(reader);
    const out = directOutput(fd, () => recorder().stream);
    expect(out.write('nobody reads this\n')).toBe(false);
    expect(out.write('nor this\n')).toBe(false);
  });
});
