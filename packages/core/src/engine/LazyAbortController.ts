/**
 * An AbortController whose AbortSignal is only created when someone asks for it. Creating
 * AbortSignals is one of the larger fixed costs of an attempt, and in-process tasks often
 * never look at `ctx.killSignal` (or at `ctx.signal`).
 */
export class LazyAbortController {
  #controller: AbortController | undefined;
  #aborted = false;
  #reason: unknown;

  /** True once `abort` was called. */
  get aborted(): boolean {
    return this.#aborted;
  }

  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
  }
}
