/**
 * What a task writes during one attempt: `ctx.log`. Every line and chunk is secret-masked
 * (chunk-safe per stream), published as an `output` event and kept in a bounded tail.
 */
import type { RunEvent, RunInfo, TaskInstance } from '../events.js';
import type { TaskLogger } from '../plugin.js';
import type { MaskedStream, SecretMasker } from '../secrets/SecretMasker.js';

/** Characters of output kept per attempt for `logTail`. */
export const LOG_TAIL_CHARS = 4000;

type Level = 'info' | 'warn' | 'error' | 'debug';
type Stream = 'stdout' | 'stderr' | 'log';

/** The logger of one attempt. */
export class AttemptOutput implements TaskLogger {
  readonly #masker: SecretMasker;
  readonly #events: { emit(event: RunEvent): unknown };
  readonly #run: RunInfo;
  readonly #task: TaskInstance;
  readonly #attempt: number;
  #stdout: MaskedStream | undefined;
  #stderr: MaskedStream | undefined;
  #tail = '';

  constructor(masker: SecretMasker, events: { emit(event: RunEvent): unknown }, run: RunInfo, task: TaskInstance, attempt: number) {
    this.#masker = masker;
    this.#events = events;
    this.#run = run;
    this.#task = task;
    this.#attempt = attempt;
  }

  info(message: string): void {
    this.#line('info', message);
  }
  warn(message: string): void {
    this.#line('warn', message);
  }
  error(message: string): void {
    this.#line('error', message);
  }
  debug(message: string): void {
    this.#line('debug', message);
  }
  stdout(chunk: string): void {
    this.#stdout ??= this.#masker.stream();
    this.#emit('stdout', this.#stdout.write(String(chunk)));
  }
  stderr(chunk: string): void {
    this.#stderr ??= this.#masker.stream();
    this.#emit('stderr', this.#stderr.write(String(chunk)));
  }

  /** Release what the masking streams held back (end of the attempt). */
  flush(): void {
    if (this.#stdout) this.#emit('stdout', this.#stdout.flush());
    if (this.#stderr) this.#emit('stderr', this.#stderr.flush());
  }

  /** The last {@link LOG_TAIL_CHARS} characters written, masked. */
  get tail(): string {
    return this.#tail.length > LOG_TAIL_CHARS ? this.#tail.slice(-LOG_TAIL_CHARS) : this.#tail;
  }

  #line(level: Level, message: string): void {
    this.#emit('log', this.#masker.mask(String(message)), level);
  }

  #emit(stream: Stream, text: string, level?: Level): void {
    if (text.length === 0) return;
    this.#tail += stream === 'log' ? `${text}\n` : text;
    if (this.#tail.length > LOG_TAIL_CHARS * 2) this.#tail = this.#tail.slice(-LOG_TAIL_CHARS);
    const event: RunEvent = { type: 'output', run: this.#run, task: this.#task, attempt: this.#attempt, stream, text };
    if (level) event.level = level;
    this.#events.emit(event);
  }
}
