/**
 * One run of a workflow: the DAG walk, the scheduler (concurrency, max-parallel, fail-fast,
 * skip propagation, `if:`), attempts with retries and timeouts, cancellation, events and spans.
 * The scheduler only talks to an {@link Executor}; where attempts run is not its business.
 */
import { availableParallelism } from 'node:os';
import { resolve as resolvePath } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span, type Tracer } from '@opentelemetry/api';
import type { data } from '@actions/expressions';
import { ErrorCodes, isPsrError, type Diagnostic } from '../errors.js';
import type { AttemptResult, FailureInfo, RunEvent, RunInfo, RunResult, TaskInstance, TaskResult } from '../events.js';
import type { ExecutionRequest, Executor } from '../executor.js';
import type { AttemptStatus, TaskSpec, TaskStatus, Workflow } from '../model.js';
import type { TaskContext, TaskOutputs } from '../plugin.js';
import type { PluginRegistry } from '../plugins/registry.js';
import { actionsExpressions } from '../expressions/actions-expressions.js';
import { evaluateExpression, isTruthy, toExpressionData, usesStatusFunction, type ExpressionContexts, type StatusFunctions } from '../expressions/expression.js';
import { hasTemplate, interpolateString, interpolateValue } from '../expressions/template.js';
import { SecretMasker } from '../secrets/SecretMasker.js';
import { resolveInputs } from './inputs.js';
import { expandMatrix, matrixInstanceId, type MatrixCombination } from '../workflow/matrix.js';
import { expandDynamicMatrix } from './dynamic-matrix.js';
import { decideRetry } from './RetryPolicy.js';
import { RunEventStream } from './RunEventStream.js';
import { newRunId } from './run-id.js';
import { AbandonedError, AttemptControl, abortError, executeAttempt, killAttempt, type AbortWhy } from './attempt-control.js';
import { graphPlan } from './graph-plan.js';
import { AttemptOutput } from './AttemptOutput.js';
import { AttemptContext } from './AttemptContext.js';
import { normalizeOutputs } from './outputs.js';
import {
  CICD,
  attemptResultValue,
  extractTraceContext,
  matrixAttributes,
  runResultValue,
  taskResultValue,
} from './tracing.js';
import type { EngineOptions, RunOptions } from './types.js';

type CancelMode = 'cancel' | 'fail-fast' | 'timeout';

interface TaskNode {
  spec: TaskSpec;
  /** Position in topological order. */
  index: number;
  needs: TaskNode[];
  dependents: TaskNode[];
  instances: InstanceState[];
  waitingNeeds: number;
  remaining: number;
  running: number;
  maxParallel: number;
  /** Instances held back by `max-parallel` (created on first use). */
  deferred: InstanceState[] | undefined;
  /** Aggregated result once every instance ended (what dependents and `tasks.<id>.result` see). */
  result?: TaskStatus;
  /** An instance failed (not continue-on-error). */
  failed: boolean;
  /**
   * Set when `strategy.fail-fast` cancelled the other instances (the reason they show):
   * running ones are aborted, queued ones end as cancelled when they come up.
   */
  siblingsCancelled: string | undefined;
  /** Outputs as `tasks.<id>.outputs` shows them (matrix: merged in completion order). */
  outputs: TaskOutputs | undefined;
  ancestry?: Ancestry | undefined;
  plugin?: string;
  taskType?: string;
  ifText?: string;
  /** Absolute working directory, resolved once. */
  workdir?: string;
  /**
   * A dynamic matrix not yet expanded: the node's one instance stands for the whole task
   * until its needs are done and its `if:` says it runs (see `#expandMatrix`).
   */
  matrixPending: boolean;
  ifHasStatus: boolean;
  envHasTemplate: boolean;
  withHasTemplate: boolean;
}

/** Options of the unnamed spans started when the run's spans do not record (shared: the hot path). */
const INTERNAL_SPAN = Object.freeze({ kind: SpanKind.INTERNAL });

/** Status facts about a node's ancestors (see `#ancestry`). */
interface Ancestry {
  readonly allSucceeded: boolean;
  readonly anyFailed: boolean;
}

/** The four possible ancestries, shared by all nodes rather than one object per task. */
const ANCESTRIES: readonly Ancestry[] = [
  { allSucceeded: false, anyFailed: false },
  { allSucceeded: false, anyFailed: true },
  { allSucceeded: true, anyFailed: false },
  { allSucceeded: true, anyFailed: true },
];

/** Placeholders until a node's arrays are built (shared, never written). */
const NO_NODES: TaskNode[] = [];
const NO_INSTANCES: InstanceState[] = [];

interface InstanceState {
  node: TaskNode;
  instance: TaskInstance;
  matrix?: Record<string, unknown>;
  matrixData?: data.ExpressionData;
  state: 'waiting' | 'queued' | 'running' | 'done';
  /** Index in `WorkflowRun.#running` while running, else -1. */
  runningSlot: number;
  decidedWhileCancelling: boolean;
  result?: TaskResult;
  control?: AttemptControl;
  waitAbort?: AbortController;
  /** `ctx.task` of this instance, the same object for every attempt. */
  contextTask?: TaskContext['task'];
}

let lastIsoMs = 0;
let lastIso = '';
/**
 * ISO 8601 of a `performance.now()` reading; cached per millisecond (many tasks end within
 * one). Timestamps and durations come from one clock read: on some VMs reading a clock is a
 * system call, and an attempt would otherwise read it eight times.
 */
function isoAt(t: number): string {
  const ms = Math.floor(performance.timeOrigin + t);
  if (ms !== lastIsoMs) {
    lastIsoMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}

function isoNow(): string {
  return isoAt(performance.now());
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

function isTaskFailure(error: unknown): error is { kind: string; exitCode?: number; outputs?: TaskOutputs; message: string; cause?: unknown; retryable?: boolean } {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { name?: unknown }).name === 'TaskFailure' &&
    typeof (error as { kind?: unknown }).kind === 'string'
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}



/** Executes one run; created by `engine.run`. */
export class WorkflowRun {
  readonly id: string;
  readonly stream: RunEventStream;
  readonly #workflow: Workflow;
  readonly #options: RunOptions;
  readonly #engine: EngineOptions;
  readonly #executor: Executor;
  readonly #tracer: Tracer;
  readonly #killGraceMs: number;
  readonly #masker: SecretMasker;
  readonly #mask: (s: string) => string;

  #info!: RunInfo;
  #nodes: TaskNode[] = [];
  #order: InstanceState[] = [];
  #queue: InstanceState[] = [];
  #queueHead = 0;
  #front: InstanceState[] = [];
  /**
   * Instances whose attempts run, unordered (each knows its slot). An array with swap-remove
   * rather than a Set: a Set that keeps going from one entry to none reallocates its table.
   */
  #running: InstanceState[] = [];
  #concurrency = 1;
  #failFast = false;
  #remaining = 0;
  #cancelMode: CancelMode | undefined;
  #cancelReason: string | undefined;
  #killed = false;
  #anyFailure = false;
  #pumping = false;
  #readyNodes: TaskNode[] = [];
  #deciding = false;
  #pumpAgain = false;
  #done!: () => void;
  #finished: Promise<void>;
  #rootSpan!: Span;
  #rootContext!: Context;
  /** The root span records: task and attempt spans get names and attributes. */
  #spansRecord = false;
  #baseEnv: Record<string, string> = {};
  /** The workflow's directory, absolute: the working directory of tasks without `working-directory:`. */
  #workflowDir = '';
  #workflowEnv: Record<string, string> | undefined;
  #inputsData!: data.ExpressionData;
  #secretsData!: data.ExpressionData;
  // The evaluator's own copy of the data classes (see expressions/actions-expressions.ts).
  #tasksData = new (actionsExpressions().data.Dictionary)();
  /** Nodes that ended but are not yet in `#tasksData` (filled only when an expression needs it). */
  #tasksPending: TaskNode[] = [];
  #runContext!: TaskContext['run'];
  readonly #secrets: Readonly<Record<string, string>>;
  #runTimer: ReturnType<typeof setTimeout> | undefined;
  #detachSignal: (() => void) | undefined;

  constructor(workflow: Workflow, options: RunOptions, engine: EngineOptions, executor: Executor) {
    this.#workflow = workflow;
    this.#options = options;
    this.#engine = engine;
    this.#executor = executor;
    this.#tracer = engine.tracer ?? trace.getTracer('psr');
    this.#killGraceMs = engine.killGraceMs ?? 5000;
    this.id = options.runId ?? newRunId();
    this.stream = new RunEventStream(engine.observers ?? []);
    this.#secrets = options.secrets ?? {};
    this.#masker = new SecretMasker(Object.values(this.#secrets));
    this.#mask = (s) => this.#masker.mask(s);
    this.#finished = new Promise((resolve) => (this.#done = resolve));
  }

  /** Graceful cancel (handle.cancel or RunOptions.signal); `reason` shows in the results. */
  cancel(reason?: string): void {
    if (this.#cancelMode === undefined && reason) this.#cancelReason = this.#mask(reason);
    this.#cancel('cancel');
  }

  /** Immediate stop: every running task's killSignal fires now; nothing new starts. */
  kill(): void {
    this.#killed = true;
    this.#cancel('cancel');
    for (const inst of [...this.#running]) {
      const c = inst.control;
      if (c) killAttempt(c, 'killed');
    }
  }

  /** Run to the end. Rejects only when the run cannot start (invalid inputs, inconsistent workflow). */
  async execute(): Promise<RunResult> {
    try {
      return await this.#execute();
    } catch (error) {
      this.stream.fail(error);
      throw error;
    }
  }

  async #execute(): Promise<RunResult> {
    const inputs = resolveInputs(this.#workflow, this.#options.inputs ?? {});
    const startedAt = isoNow();
    const t0 = performance.now();
    const processEnv = this.#options.env ?? process.env;
    for (const [k, v] of Object.entries(processEnv)) if (v !== undefined) this.#baseEnv[k] = v;

    const parent = extractTraceContext(processEnv);
    const runAttributes: Record<string, string | number | boolean> = {
      [CICD.PIPELINE_NAME]: this.#workflow.name,
      [CICD.PIPELINE_RUN_ID]: this.id,
      'psr.trigger': this.#options.trigger ?? 'api',
    };
    for (const [k, v] of Object.entries(this.#options.attributes ?? {})) runAttributes[k] = typeof v === 'string' ? this.#mask(v) : v;
    this.#rootSpan = this.#tracer.startSpan(`RUN ${this.#workflow.name}`, { kind: SpanKind.SERVER, attributes: runAttributes }, parent);
    this.#rootContext = trace.setSpan(parent, this.#rootSpan);
    this.#spansRecord = this.#rootSpan.isRecording();

    this.#info = {
      id: this.id,
      workflow: this.#workflow,
      trigger: this.#options.trigger ?? 'api',
      inputs,
      startedAt,
      ...(this.#rootSpan.isRecording() ? { traceId: this.#rootSpan.spanContext().traceId } : {}),
      ...(this.#options.resumedFrom ? { resumedFrom: this.#options.resumedFrom } : {}),
    };
    this.#runContext = { id: this.id, workflow: this.#workflow.name, startedAt };
    this.#inputsData = toExpressionData(inputs);
    this.#secretsData = toExpressionData(this.#secrets);
    const concurrency = this.#options.concurrency ?? this.#workflow.concurrency;
    // A nonsensical limit (0, negative, NaN) must not stall the run: fall back to the CPU count.
    this.#concurrency =
      concurrency === Number.POSITIVE_INFINITY ? concurrency : typeof concurrency === 'number' && concurrency >= 1 ? Math.floor(concurrency) : availableParallelism();
    this.#failFast = this.#options.failFast ?? this.#workflow.failFast;
    if (!Object.values(this.#workflow.env).some((v) => v.includes('${{'))) this.#workflowEnv = { ...this.#workflow.env };

    this.#workflowDir = resolvePath(this.#workflow.dir);
    this.#buildGraph();
    await this.#emitAwait({ type: 'run-start', run: this.#info });
    await this.#resolveTaskTypes();

    const signal = this.#options.signal;
    if (signal) {
      const onAbort = () => this.cancel();
      if (signal.aborted) this.#cancel('cancel');
      else {
        signal.addEventListener('abort', onAbort, { once: true });
        this.#detachSignal = () => signal.removeEventListener('abort', onAbort);
      }
    }
    if (this.#workflow.timeoutMs !== undefined) {
      this.#runTimer = setTimeout(() => this.#cancel('timeout'), this.#workflow.timeoutMs);
    }

    if (this.#remaining === 0) this.#done();
    // Roots first, collected before any of them completes (a reused root releases its
    // dependents synchronously, which must not be readied twice).
    for (const node of this.#nodes.filter((n) => n.waitingNeeds === 0)) this.#makeReady(node);
    this.#pump();
    await this.#finished;
    if (this.#runTimer) clearTimeout(this.#runTimer);
    this.#detachSignal?.();
    await this.stream.drain();

    const status =
      this.#cancelMode === 'timeout' ? 'timeout' : this.#cancelMode === 'cancel' ? 'cancelled' : this.#anyFailure ? 'failure' : 'success';
    const result: RunResult = {
      run: this.#info,
      status,
      endedAt: isoNow(),
      durationMs: performance.now() - t0,
      tasks: this.#order.map((i) => i.result!),
    };
    this.#rootSpan.setAttribute(CICD.PIPELINE_RESULT, runResultValue(status));
    if (status !== 'success' && status !== 'cancelled') {
      this.#rootSpan.setAttribute(CICD.ERROR_TYPE, status);
      this.#rootSpan.setStatus({ code: SpanStatusCode.ERROR, message: `run ${status}` });
    }
    this.#rootSpan.end();
    await this.#emitAwait({ type: 'run-end', run: this.#info, result });
    await this.stream.drain();
    if (this.stream.errors.length > 0) {
      result.observerErrors = this.stream.errors.map((d) => ({ ...d, message: this.#mask(d.message) }));
      if (result.status === 'success') result.status = 'failure';
    }
    this.stream.close();
    return result;
  }

  // ---------------------------------------------------------------- graph

  #buildGraph(): void {
    const wf = this.#workflow;
    const plan = graphPlan(wf);
    for (const spec of plan.specs) {
      const ifText = spec.if === undefined ? undefined : stripWrapper(spec.if);
      const node: TaskNode = {
        spec,
        index: this.#nodes.length,
        needs: NO_NODES,
        dependents: NO_NODES,
        instances: NO_INSTANCES,
        waitingNeeds: 0,
        remaining: 0,
        running: 0,
        maxParallel: spec.matrix?.maxParallel && spec.matrix.maxParallel > 0 ? spec.matrix.maxParallel : Number.POSITIVE_INFINITY,
        deferred: undefined,
        failed: false,
        siblingsCancelled: undefined,
        outputs: undefined,
        result: undefined,
        ancestry: undefined,
        plugin: undefined,
        taskType: undefined,
        workdir: undefined,
        matrixPending: spec.matrix?.expressions !== undefined,
        ifText: ifText === undefined || ifText === 'success()' ? undefined : ifText,
        ifHasStatus: ifText === undefined ? true : usesStatusFunction(ifText),
        envHasTemplate: hasTemplate(spec.env),
        withHasTemplate: hasTemplate(spec.with),
      };
      this.#nodes.push(node);
    }
    const nodes = this.#nodes;
    for (const node of nodes) {
      node.needs = plan.needs[node.index]!.map((n) => nodes[n]!);
      node.dependents = plan.dependents[node.index]!.map((n) => nodes[n]!);
      node.waitingNeeds = node.needs.length;
      const combos = node.spec.matrix && !node.matrixPending ? expandMatrix(node.spec.matrix) : undefined;
      if (combos) {
        for (const combo of combos) {
          const id = matrixInstanceId(node.spec.id, combo);
          this.#addInstance(node, {
            id,
            taskId: node.spec.id,
            name: node.spec.name === node.spec.id ? id : matrixInstanceId(node.spec.name, combo),
            uses: node.spec.uses,
            matrix: combo,
          });
        }
      } else {
        this.#addInstance(node, { id: node.spec.id, taskId: node.spec.id, name: node.spec.name, uses: node.spec.uses });
      }
    }
  }

  /**
   * Expand a dynamic matrix whose task is about to run: its instances replace the one that
   * stood for the task (same place in the results) and are queued at once, `if:` having been
   * decided. A failed evaluation fails the task; no combinations skip it.
   */
  #expandMatrix(standIn: InstanceState): void {
    const node = standIn.node;
    const spec = node.spec;
    node.matrixPending = false;
    let combos: MatrixCombination[];
    try {
      const ctx = this.#contexts(standIn, 1, this.#workflowEnvFor(standIn));
      combos = expandDynamicMatrix(spec.id, spec.matrix!, (e) => evaluateExpression(e, ctx));
    } catch (error) {
      this.#failBeforeRun(standIn, 'matrix', errorMessage(error), error);
      return;
    }
    if (combos.length === 0) {
      this.#finishWithoutRunning(standIn, 'skipped', 'the matrix has no combinations');
      return;
    }
    node.instances = NO_INSTANCES;
    node.remaining--;
    this.#remaining--;
    const at = this.#order.indexOf(standIn);
    const before = this.#order.length;
    for (const combo of combos) {
      const id = matrixInstanceId(spec.id, combo);
      this.#addInstance(node, { id, taskId: spec.id, name: spec.name === spec.id ? id : matrixInstanceId(spec.name, combo), uses: spec.uses, matrix: combo });
    }
    // #addInstance appends; move the new instances to where the stand-in was (topological order).
    const added = this.#order.splice(before);
    this.#order.splice(at, 1, ...added);
    for (const inst of node.instances) {
      inst.decidedWhileCancelling = standIn.decidedWhileCancelling;
      const reused = this.#options.reuse?.[inst.instance.id];
      if (reused !== undefined) this.#finishWithoutRunning(inst, 'success', undefined, this.#masker.maskValue(normalizeOutputs(reused)), true);
      else {
        inst.state = 'queued';
        this.#queue.push(inst);
      }
    }
  }

  #addInstance(node: TaskNode, instance: TaskInstance): void {
    // Every field present from the start: one object shape for all instances keeps V8 fast.
    const inst: InstanceState = {
      node,
      instance,
      matrix: instance.matrix,
      matrixData: instance.matrix ? toExpressionData(instance.matrix) : undefined,
      state: 'waiting',
      runningSlot: -1,
      decidedWhileCancelling: false,
      result: undefined,
      control: undefined,
      waitAbort: undefined,
      contextTask: undefined,
    };
    // Most tasks have one instance: a one-element array rather than one grown by push.
    if (node.instances === NO_INSTANCES) node.instances = [inst];
    else node.instances.push(inst);
    node.remaining++;
    this.#remaining++;
    this.#order.push(inst);
  }

  async #resolveTaskTypes(): Promise<void> {
    const registry: PluginRegistry = this.#engine.registry;
    const seen = new Map<string, { plugin: string; taskType: string }>();
    for (const node of this.#nodes) {
      const uses = node.spec.uses;
      let hit = seen.get(uses);
      if (!hit) {
        try {
          if (!registry.resolve(uses)) await registry.load([uses]);
        } catch {
          // The executor reports the load failure on the task itself.
        }
        const r = registry.resolve(uses);
        hit = r ? { plugin: r.source, taskType: r.name } : { plugin: '', taskType: uses.slice(uses.lastIndexOf('/') + 1) };
        seen.set(uses, hit);
      }
      node.plugin = hit.plugin;
      node.taskType = hit.taskType;
    }
  }

  // ---------------------------------------------------------------- events

  #emit(event: RunEvent): Promise<void> | undefined {
    return this.stream.emit(event);
  }

  async #emitAwait(event: RunEvent): Promise<void> {
    const p = this.stream.emit(event);
    if (p) await p;
  }

  // ---------------------------------------------------------------- scheduling

  #cancel(mode: CancelMode): void {
    // The first cancellation wins, except that the run's timeout stops everything, even
    // `always()` tasks that started after a cancel.
    if (this.#cancelMode === undefined || (mode === 'timeout' && this.#cancelMode !== 'timeout')) {
      this.#cancelMode = mode;
      const why: AbortWhy = mode === 'timeout' ? 'run-timeout' : 'cancel';
      for (const inst of [...this.#running]) this.#abortAttempt(inst, why);
    }
    for (const inst of [...this.#running]) inst.waitAbort?.abort();
    this.#pump();
  }

  #cancelMessage(): string {
    return this.#cancelMode === 'fail-fast' ? 'cancelled by fail-fast' : this.#cancelReason ? `run cancelled: ${this.#cancelReason}` : 'run cancelled';
  }

  #abortAttempt(inst: InstanceState, why: AbortWhy): void {
    const c = inst.control;
    if (!c || c.controller.aborted) return;
    c.why = why;
    const reason =
      why === 'timeout'
        ? abortError('TimeoutError', `attempt timed out after ${formatMs(inst.node.spec.timeoutMs ?? 0)}`)
        : why === 'run-timeout'
          ? abortError('TimeoutError', `the run's timeout of ${formatMs(this.#workflow.timeoutMs ?? 0)} was reached`)
          : abortError('AbortError', why === 'sibling' ? inst.node.siblingsCancelled! : this.#cancelMessage());
    c.controller.abort(reason);
    if (this.#killed) killAttempt(c, 'killed');
    else c.killTimer = setTimeout(() => killAttempt(c, `did not stop within ${this.#killGraceMs} ms of being asked`), this.#killGraceMs);
  }

  /**
   * Decide a node whose needs all ended. Iterative, not recursive: deciding can end an
   * instance at once (skipped, reused), which readies its dependents — a chain of 10,000
   * skipped tasks must not become 10,000 nested calls.
   */
  #makeReady(node: TaskNode): void {
    this.#readyNodes.push(node);
    if (this.#deciding) return;
    this.#deciding = true;
    try {
      for (let i = 0; i < this.#readyNodes.length; i++) {
        for (const inst of this.#readyNodes[i]!.instances) this.#decide(inst);
      }
    } finally {
      this.#readyNodes.length = 0;
      this.#deciding = false;
    }
  }

  /** Decide whether a ready instance runs, is skipped, or is cancelled. */
  #decide(inst: InstanceState): void {
    const node = inst.node;
    // Every node computes its ancestry when decided, so a dependent only looks one level up.
    this.#ancestry(node);
    const reused = this.#options.reuse?.[inst.instance.id];
    if (reused !== undefined) {
      this.#finishWithoutRunning(inst, 'success', undefined, this.#masker.maskValue(normalizeOutputs(reused)), true);
      return;
    }
    if (this.#killed || this.#cancelMode === 'timeout') {
      this.#finishWithoutRunning(inst, 'cancelled', this.#killed ? 'run killed' : "the run's timeout was reached");
      return;
    }
    const cancelling = this.#cancelMode !== undefined;
    inst.decidedWhileCancelling = cancelling;
    // success(): every task this one needs, directly or indirectly, succeeded (GitHub Actions).
    const needsOk = this.#ancestry(node).allSucceeded;
    let run: boolean;
    if (node.ifText === undefined) {
      run = needsOk && !cancelling;
    } else {
      try {
        const status: StatusFunctions = {
          success: () => needsOk && !cancelling,
          failure: () => this.#ancestry(node).anyFailed,
          cancelled: () => cancelling,
        };
        const value = evaluateExpression(node.ifText, this.#contexts(inst, 1, this.#workflowEnvFor(inst)), status);
        run = isTruthy(value) && (node.ifHasStatus || (needsOk && !cancelling));
      } catch (error) {
        this.#failBeforeRun(inst, 'expression', `if: ${errorMessage(error)}`, error);
        return;
      }
    }
    if (run) {
      if (node.matrixPending) this.#expandMatrix(inst);
      else {
        inst.state = 'queued';
        this.#queue.push(inst);
      }
      return;
    }
    if (cancelling && node.needs.every((n) => n.result === 'success' || n.result === 'cancelled')) {
      this.#finishWithoutRunning(inst, 'cancelled', this.#cancelMessage());
    } else if (!needsOk) {
      const bad = node.needs.filter((n) => n.result !== 'success').map((n) => `${n.spec.id} (${n.result})`);
      this.#finishWithoutRunning(
        inst,
        'skipped',
        bad.length > 0 ? `needs not successful: ${bad.join(', ')}` : 'a task it needs indirectly did not succeed',
      );
    } else {
      this.#finishWithoutRunning(inst, 'skipped', `if: ${node.ifText} was false`);
    }
  }

  /**
   * Status facts about a node's ancestors (direct and indirect needs), derived from its direct
   * needs, which all ended and were decided before it: O(needs), never a graph walk.
   */
  #ancestry(node: TaskNode): Ancestry {
    if (!node.ancestry) {
      let allSucceeded = true;
      let anyFailed = false;
      for (const n of node.needs) {
        const a = this.#ancestry(n);
        if (n.result !== 'success' || !a.allSucceeded) allSucceeded = false;
        if (n.failed || a.anyFailed) anyFailed = true;
      }
      node.ancestry = ANCESTRIES[(allSucceeded ? 2 : 0) + (anyFailed ? 1 : 0)]!;
    }
    return node.ancestry;
  }


  #pump(): void {
    if (this.#pumping) {
      this.#pumpAgain = true;
      return;
    }
    this.#pumping = true;
    try {
      do {
        this.#pumpAgain = false;
        while (this.#running.length < this.#concurrency) {
          let inst: InstanceState | undefined;
          if (this.#front.length > 0) inst = this.#front.shift();
          else if (this.#queueHead < this.#queue.length) {
            inst = this.#queue[this.#queueHead++];
            if (this.#queueHead > 1024 && this.#queueHead * 2 > this.#queue.length) {
              this.#queue = this.#queue.slice(this.#queueHead);
              this.#queueHead = 0;
            }
          }
          if (!inst) break;
          // Already ended by strategy.fail-fast (see #cancelSiblings).
          if (inst.state === 'done') continue;
          if (this.#cancelMode !== undefined && (!inst.decidedWhileCancelling || this.#killed || this.#cancelMode === 'timeout')) {
            this.#decide(inst);
            if (inst.state !== 'queued') continue;
            // Still wants to run (`always()`, `cancelled()`): fall through.
            this.#queue.pop();
          }
          if (inst.node.running >= inst.node.maxParallel) {
            (inst.node.deferred ??= []).push(inst);
            continue;
          }
          this.#start(inst);
        }
      } while (this.#pumpAgain);
    } finally {
      this.#pumping = false;
    }
  }

  #start(inst: InstanceState): void {
    inst.state = 'running';
    inst.node.running++;
    inst.runningSlot = this.#running.length;
    this.#running.push(inst);
    void this.#runInstance(inst);
  }

  /** Every instance of a node ended: publish its aggregate and release dependents. */
  #completeInstance(inst: InstanceState, result: TaskResult): void {
    const node = inst.node;
    inst.result = result;
    inst.state = 'done';
    if (inst.runningSlot >= 0) {
      const last = this.#running.pop()!;
      if (last !== inst) {
        this.#running[inst.runningSlot] = last;
        last.runningSlot = inst.runningSlot;
      }
      inst.runningSlot = -1;
      node.running--;
      const next = node.deferred?.shift();
      if (next) this.#front.push(next);
    }
    if (result.status === 'failure' && !result.continuedOnError) {
      node.failed = true;
      this.#anyFailure = true;
      if (node.spec.matrix?.failFast && node.siblingsCancelled === undefined && node.remaining > 1) this.#cancelSiblings(node, inst);
    }
    // Matrix outputs merge in completion order (last writer wins), as in GitHub Actions;
    // outputs of failed instances (a TaskFailure with outputs) are published too.
    if (node.instances.length === 1) node.outputs = result.outputs;
    else node.outputs = Object.assign(node.outputs ?? {}, result.outputs);
    node.remaining--;
    this.#remaining--;
    if (result.status === 'failure' && !result.continuedOnError && this.#failFast) this.#cancel('fail-fast');
    if (node.remaining === 0) {
      node.result = aggregate(node.instances);
      this.#tasksPending.push(node);
      for (const dep of node.dependents) {
        if (--dep.waitingNeeds === 0) this.#makeReady(dep);
      }
    }
    if (this.#remaining === 0) this.#done();
    else this.#pump();
  }

  /**
   * `strategy.fail-fast`: an instance failed, so the other instances of its task stop:
   * running attempts are aborted like on cancel (retry waits end), and queued ones (also
   * those held back by max-parallel) end as cancelled now, without waiting for a slot;
   * #pump skips them when they come up. Called before `failed` is counted as ended, so the
   * task cannot complete in between.
   */
  #cancelSiblings(node: TaskNode, failed: InstanceState): void {
    const reason = `cancelled by strategy.fail-fast: ${failed.instance.id} failed`;
    node.siblingsCancelled = reason;
    if (node.deferred) node.deferred.length = 0;
    const queued: InstanceState[] = [];
    for (const sibling of node.instances) {
      if (sibling === failed) continue;
      if (sibling.state === 'running') {
        this.#abortAttempt(sibling, 'sibling');
        sibling.waitAbort?.abort();
      } else if (sibling.state === 'queued') {
        // Marked first: ending one pumps, and the pump must not start the others.
        sibling.state = 'done';
        queued.push(sibling);
      }
    }
    for (const sibling of queued) this.#finishWithoutRunning(sibling, 'cancelled', reason);
  }

  /**
   * Whether a failed instance continues (`continue-on-error`), evaluated for this instance
   * when it is an expression. An expression that cannot be evaluated does not continue: its
   * error is returned to be shown on the task.
   */
  #continuesOnError(inst: InstanceState, attempt: number): { continued: boolean; error?: unknown } {
    const spec = inst.node.spec;
    if (spec.continueOnError) return { continued: true };
    if (spec.continueOnErrorExpression === undefined) return { continued: false };
    try {
      const value = evaluateExpression(spec.continueOnErrorExpression, this.#contexts(inst, attempt, this.#workflowEnvFor(inst)));
      return { continued: isTruthy(value) };
    } catch (error) {
      return { continued: false, error };
    }
  }

  /** Show on the task why `continue-on-error` could not be decided (a log line and the result's reason). */
  #reportContinueError(inst: InstanceState, result: TaskResult, error: unknown, attempt: number): void {
    const message = this.#mask(`continue-on-error: ${errorMessage(error)}`);
    result.reason = message;
    const code = isPsrError(error) ? ` [${error.code}]` : '';
    void this.#emit({ type: 'output', run: this.#info, task: inst.instance, attempt, stream: 'log', level: 'error', text: `${message}${code}\n` });
  }

  #finishWithoutRunning(inst: InstanceState, status: TaskStatus, reason: string | undefined, outputs: TaskOutputs = {}, reused = false): void {
    const span = this.#startTaskSpan(inst);
    span.setAttribute(CICD.TASK_RUN_RESULT, taskResultValue(status));
    if (reason) span.setAttribute('psr.reason', this.#mask(reason));
    if (reused) span.setAttribute('psr.reused', true);
    span.end();
    const now = isoNow();
    const result: TaskResult = {
      task: inst.instance,
      status,
      attempts: [],
      outputs,
      durationMs: 0,
      ...(reused ? { reused: true, startedAt: now, endedAt: now } : {}),
      ...(reason ? { reason: this.#mask(reason) } : {}),
    };
    inst.state = 'done';
    void this.#emit({ type: 'task-end', run: this.#info, task: inst.instance, result });
    this.#completeInstance(inst, result);
  }

  /** A failure found before any attempt could run (an `if:` that cannot be evaluated). */
  #failBeforeRun(inst: InstanceState, kind: string, message: string, error: unknown): void {
    const now = isoNow();
    const failure: FailureInfo = { kind, message: this.#mask(message) };
    if (isPsrError(error)) failure.diagnostic = { ...errorDiagnostic(error), message: this.#mask(error.message) };
    const attempt: AttemptResult = { attempt: 1, status: 'error', startedAt: now, endedAt: now, durationMs: 0, failure };
    const span = this.#startTaskSpan(inst);
    span.setAttributes({ [CICD.TASK_RUN_RESULT]: 'error', [CICD.ERROR_TYPE]: kind });
    span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
    span.end();
    const { continued, error: continueError } = this.#continuesOnError(inst, 1);
    const result: TaskResult = {
      task: inst.instance,
      status: 'failure',
      attempts: [attempt],
      outputs: {},
      startedAt: now,
      endedAt: now,
      durationMs: 0,
      ...(continued ? { continuedOnError: true } : {}),
    };
    if (continueError !== undefined) this.#reportContinueError(inst, result, continueError, 1);
    void this.#emit({ type: 'task-end', run: this.#info, task: inst.instance, result });
    this.#completeInstance(inst, result);
  }

  // ---------------------------------------------------------------- contexts

  /** Per-attempt timeout: a field, so arming the timer creates no closure. */
  readonly #onAttemptTimeout = (inst: InstanceState): void => this.#abortAttempt(inst, 'timeout');

  #interpolateEnv(env: Record<string, string>, ctx: ExpressionContexts): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(env)) out[k] = interpolateString(v, (e) => evaluateExpression(e, ctx), { asString: true }) as string;
    return out;
  }

  #interpolateWith(input: Record<string, unknown>, ctx: ExpressionContexts): Record<string, unknown> {
    return interpolateValue(input, (e) => evaluateExpression(e, ctx)) as Record<string, unknown>;
  }

  #workflowEnvFor(inst: InstanceState): Record<string, string> {
    if (this.#workflowEnv) return this.#workflowEnv;
    const ctx = this.#contexts(inst, 1, {});
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.#workflow.env)) {
      out[k] = interpolateString(v, (e) => evaluateExpression(e, ctx), { asString: true }) as string;
    }
    return out;
  }

  #contexts(inst: InstanceState, attempt: number, env: Record<string, string>): ExpressionContexts {
    for (const node of this.#tasksPending) this.#tasksData.add(node.spec.id, toExpressionData({ result: node.result, outputs: node.outputs ?? {} }));
    this.#tasksPending.length = 0;
    return {
      inputs: this.#inputsData,
      secrets: this.#secretsData,
      tasks: this.#tasksData,
      matrix: inst.matrixData ?? {},
      env,
      run: { id: this.id, attempt, workflow: this.#workflow.name, 'started-at': this.#info.startedAt },
    };
  }

  #startTaskSpan(inst: InstanceState): Span {
    // Names and attributes are built only when the run's spans record: a no-op span needs
    // neither (the hot path); a recording one gets them at start, where samplers see them.
    if (!this.#spansRecord) return this.#tracer.startSpan('task', INTERNAL_SPAN, this.#rootContext);
    return this.#tracer.startSpan(this.#mask(inst.instance.id), { kind: SpanKind.INTERNAL, attributes: this.#taskAttributes(inst) }, this.#rootContext);
  }

  #taskAttributes(inst: InstanceState): Record<string, string | number | boolean> {
    const node = inst.node;
    return {
      [CICD.PIPELINE_NAME]: this.#workflow.name,
      [CICD.PIPELINE_RUN_ID]: this.id,
      [CICD.TASK_NAME]: this.#mask(inst.instance.name),
      [CICD.TASK_RUN_ID]: this.#mask(`${this.id}/${inst.instance.id}`),
      'psr.task.id': node.spec.id,
      'psr.task.uses': node.spec.uses,
      'psr.plugin': node.plugin ?? '',
      ...(matrixAttributes(inst.matrix, this.#mask) as Record<string, string | number | boolean>),
    };
  }

  // ---------------------------------------------------------------- attempts

  /**
   * Run every attempt of a started instance and complete it. Never rejects: a bug in psr is
   * recorded on its task rather than hanging the run (one async function per task, not a
   * wrapper around a second one: the hot path pays for each).
   */
  async #runInstance(inst: InstanceState): Promise<void> {
    try {
      const node = inst.node;
      const spec = node.spec;
      const t0 = performance.now();
      const startedAt = isoAt(t0);
      const taskSpan = this.#startTaskSpan(inst);
      // A non-recording task span adds nothing to the context its attempts nest in.
      const taskContext = taskSpan.isRecording() ? trace.setSpan(this.#rootContext, taskSpan) : this.#rootContext;
      const started = this.#emit({ type: 'task-start', run: this.#info, task: inst.instance });
      if (started) await started;

      let attempts: AttemptResult[] | undefined;
      let outputs: TaskOutputs = {};
      let status: TaskStatus = 'failure';
      let reason: string | undefined;
      let t1 = t0;
      for (let attempt = 1; ; attempt++) {
        const { record, outputs: out, endedAt } = await this.#runAttempt(inst, attempt, taskContext, attempt === 1 ? t0 : undefined);
        t1 = endedAt;
        // Kept for the run's lifetime: sized for the usual single attempt.
        if (attempts) attempts.push(record);
        else attempts = [record];
        if (out) outputs = out;
        if (record.status === 'success') {
          status = 'success';
          break;
        }
        if (record.status === 'cancelled') {
          status = 'cancelled';
          reason = record.failure?.message;
          break;
        }
        if (this.#cancelMode !== undefined || node.siblingsCancelled !== undefined) break;
        const decision = decideRetry(spec.retry, {
          attempt,
          failure: { kind: record.failure?.kind ?? 'error', exitCode: record.exitCode ?? record.failure?.exitCode, retryable: record.failure?.retryable },
          elapsedMs: t1 - t0,
        });
        if (!decision.retry) break;
        taskSpan.addEvent('retry-wait', { 'psr.retry.delay_ms': decision.delayMs, 'psr.attempt': attempt + 1 });
        const waiting = this.#emit({ type: 'retry-wait', run: this.#info, task: inst.instance, attempt: attempt + 1, delayMs: decision.delayMs });
        if (waiting) await waiting;
        if (!(await this.#wait(inst, decision.delayMs))) {
          status = 'cancelled';
          reason =
            this.#cancelMode === 'fail-fast'
              ? 'cancelled by fail-fast while waiting to retry'
              : this.#cancelMode === undefined && node.siblingsCancelled !== undefined
                ? `${node.siblingsCancelled} (while waiting to retry)`
                : 'cancelled while waiting to retry';
          t1 = performance.now();
          break;
        }
      }
      attempts ??= [];
      const last = attempts[attempts.length - 1];
      const decision = status === 'failure' ? this.#continuesOnError(inst, attempts.length) : undefined;
      const continued = decision?.continued === true;
      const result: TaskResult = {
        task: inst.instance,
        status,
        attempts,
        outputs,
        startedAt,
        endedAt: isoAt(t1),
        durationMs: t1 - t0,
      };
      if (continued) result.continuedOnError = true;
      if (reason) result.reason = this.#mask(reason);
      if (decision?.error !== undefined) this.#reportContinueError(inst, result, decision.error, attempts.length);
      if (taskSpan.isRecording()) {
        const attributes: Attributes = { [CICD.TASK_RUN_RESULT]: taskResultValue(status, last?.status), 'psr.attempts': attempts.length };
        if (continued) attributes['psr.continued_on_error'] = true;
        if (status === 'failure') {
          attributes[CICD.ERROR_TYPE] = last?.failure?.kind ?? 'error';
          taskSpan.setStatus({ code: SpanStatusCode.ERROR, message: last?.failure?.message ?? 'failed' });
        }
        taskSpan.setAttributes(attributes);
      }
      taskSpan.end();
      const ended = this.#emit({ type: 'task-end', run: this.#info, task: inst.instance, result });
      if (ended) await ended;
      this.#completeInstance(inst, result);
    } catch (error) {
      if (inst.state !== 'done') this.#failBeforeRun(inst, 'error', `internal error: ${errorMessage(error)}`, error);
    }
  }

  #wait(inst: InstanceState, ms: number): Promise<boolean> {
    if (this.#cancelMode !== undefined || inst.node.siblingsCancelled !== undefined) return Promise.resolve(false);
    if (ms <= 0) return Promise.resolve(true);
    const abort = new AbortController();
    inst.waitAbort = abort;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        inst.waitAbort = undefined;
        resolve(true);
      }, ms);
      abort.signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          inst.waitAbort = undefined;
          resolve(false);
        },
        { once: true },
      );
    });
  }

  async #runAttempt(
    inst: InstanceState,
    attempt: number,
    taskContext: Context,
    startAt?: number,
  ): Promise<{ record: AttemptResult; outputs?: TaskOutputs; endedAt: number }> {
    const node = inst.node;
    const spec = node.spec;
    const t0 = startAt ?? performance.now();
    const startedAt = isoAt(t0);
    // Named and attributed only when the run's spans record (see #startTaskSpan).
    const span = this.#spansRecord
      ? this.#tracer.startSpan(
          this.#mask(`${inst.instance.id} (attempt ${attempt})`),
          {
            kind: SpanKind.INTERNAL,
            attributes: {
              [CICD.PIPELINE_NAME]: this.#workflow.name,
              [CICD.PIPELINE_RUN_ID]: this.id,
              [CICD.TASK_NAME]: this.#mask(inst.instance.name),
              [CICD.TASK_RUN_ID]: this.#mask(`${this.id}/${inst.instance.id}/${attempt}`),
              'psr.attempt': attempt,
              'psr.task.uses': spec.uses,
              'psr.plugin': node.plugin ?? '',
            },
          },
          taskContext,
        )
      : this.#tracer.startSpan('attempt', INTERNAL_SPAN, taskContext);
    const control = new AttemptControl();
    inst.control = control;
    if (this.#killed) killAttempt(control, 'killed');

    const started = this.#emit({ type: 'attempt-start', run: this.#info, task: inst.instance, attempt });
    if (started) await started;

    let attemptContext: AttemptContext | undefined;
    const log = new AttemptOutput(this.#masker, this.stream, this.#info, inst.instance, attempt);

    let status: AttemptStatus = 'success';
    let failure: FailureInfo | undefined;
    let outputs: TaskOutputs | undefined;
    try {
      // Expressions of this attempt: task env, then `with:` (which may read the task env).
      let workflowEnv: Record<string, string>;
      let taskEnv: Record<string, string>;
      let input: Record<string, unknown>;
      try {
        workflowEnv = this.#workflowEnvFor(inst);
        taskEnv = spec.env;
        if (node.envHasTemplate) taskEnv = this.#interpolateEnv(spec.env, this.#contexts(inst, attempt, workflowEnv));
        input = spec.with;
        if (node.withHasTemplate) input = this.#interpolateWith(spec.with, this.#contexts(inst, attempt, { ...workflowEnv, ...taskEnv }));
      } catch (error) {
        throw new AttemptSetupError(error);
      }
      const context = new AttemptContext({
        controller: control.controller,
        kill: control.kill,
        log,
        workdir: (node.workdir ??= spec.workdir === undefined ? this.#workflowDir : resolvePath(this.#workflow.dir, spec.workdir)),
        attempt,
        secrets: this.#secrets,
        baseEnv: this.#baseEnv,
        workflowEnv,
        taskEnv,
        run: this.#runContext,
        task: (inst.contextTask ??= inst.matrix
          ? { id: spec.id, instanceId: inst.instance.id, matrix: inst.matrix }
          : { id: spec.id, instanceId: inst.instance.id }),
        span,
        parentContext: taskContext,
        tracer: this.#tracer,
        mask: this.#mask,
      });
      attemptContext = context;
      const request: ExecutionRequest = {
        task: inst.instance,
        plugin: node.plugin ?? '',
        taskType: node.taskType ?? spec.uses,
        input,
        ...(spec.timeoutMs !== undefined ? { timeoutMs: spec.timeoutMs } : {}),
        context,
      };
      if (spec.timeoutMs !== undefined) control.timeoutTimer = setTimeout(this.#onAttemptTimeout, spec.timeoutMs, inst);
      if (this.#cancelMode !== undefined && !inst.decidedWhileCancelling) this.#abortAttempt(inst, this.#cancelMode === 'timeout' ? 'run-timeout' : 'cancel');
      else if (node.siblingsCancelled !== undefined) this.#abortAttempt(inst, 'sibling');

      const returned = await executeAttempt(this.#executor, request, control);
      if (returned !== undefined && returned !== null && !isPlainObject(returned)) {
        throw new Error(`task type "${spec.uses}" returned ${Array.isArray(returned) ? 'an array' : typeof returned}; outputs must be an object`);
      }
      outputs = returned ? normalizeOutputs(returned as Record<string, unknown>) : {};
    } catch (error) {
      const cause = error instanceof AttemptSetupError ? error.cause : error;
      if (error instanceof AttemptSetupError) {
        status = 'error';
        failure = { kind: 'expression', message: errorMessage(cause) };
      } else if (isTaskFailure(cause)) {
        status = 'failure';
        failure = { kind: cause.kind, message: cause.message };
        if (cause.exitCode !== undefined) failure.exitCode = cause.exitCode;
        if (cause.retryable === false) failure.retryable = false;
        if (cause.outputs && isPlainObject(cause.outputs)) outputs = normalizeOutputs(cause.outputs);
      } else if (isPsrError(cause)) {
        status = 'error';
        failure = { kind: cause.code === ErrorCodes.TASK_INPUT ? 'input' : 'error', message: cause.message };
      } else {
        status = 'error';
        failure = { kind: 'error', message: cause instanceof AbandonedError ? cause.message : errorMessage(cause) };
      }
      // A TaskFailure caused by a user mistake (a plugin's input error) keeps that error's code,
      // location and hint, as a PsrError thrown directly would.
      const diagnosed = isPsrError(cause) ? cause : isTaskFailure(cause) && isPsrError(cause.cause) ? cause.cause : undefined;
      if (diagnosed) failure.diagnostic = errorDiagnostic(diagnosed);
    } finally {
      control.clearTimers();
      control.reject = undefined;
    }
    const metrics = attemptContext?.metrics;
    // The engine, not the task, decides what an aborted attempt was.
    if (control.controller.aborted && control.why) {
      if (control.why === 'timeout') {
        status = 'timeout';
        failure = { kind: 'timeout', message: `timed out after ${formatMs(spec.timeoutMs ?? 0)}` };
      } else if (control.why === 'run-timeout') {
        status = 'cancelled';
        failure = { kind: 'timeout', message: `cancelled: the run's timeout of ${formatMs(this.#workflow.timeoutMs ?? 0)} was reached` };
      } else {
        status = 'cancelled';
        failure = { kind: 'cancelled', message: control.why === 'sibling' ? node.siblingsCancelled! : this.#cancelMessage() };
      }
      if (metrics?.exitCode !== undefined) failure.exitCode = metrics.exitCode;
    }
    log.flush();
    const tail = log.tail;
    if (failure) {
      failure.message = this.#mask(failure.message);
      if (failure.diagnostic) failure.diagnostic = { ...failure.diagnostic, message: this.#mask(failure.diagnostic.message) };
    }
    if (outputs) outputs = this.#masker.maskValue(outputs);
    const exitCode = metrics?.exitCode ?? failure?.exitCode;
    const t1 = performance.now();
    const record: AttemptResult = {
      attempt,
      status,
      startedAt,
      endedAt: isoAt(t1),
      durationMs: t1 - t0,
    };
    if (exitCode !== undefined) record.exitCode = exitCode;
    if (metrics?.cpuMs !== undefined) record.cpuMs = metrics.cpuMs;
    if (metrics?.peakRssBytes !== undefined) record.peakRssBytes = metrics.peakRssBytes;
    if (failure) record.failure = failure;
    if (tail.length > 0) record.logTail = tail;
    if (span.isRecording()) {
      const attributes: Attributes = { [CICD.TASK_RUN_RESULT]: attemptResultValue(status) };
      if (exitCode !== undefined) attributes['psr.exit_code'] = exitCode;
      if (metrics?.cpuMs !== undefined) attributes['psr.cpu_ms'] = metrics.cpuMs;
      if (metrics?.peakRssBytes !== undefined) attributes['psr.peak_rss_bytes'] = metrics.peakRssBytes;
      if (failure && status !== 'cancelled') {
        attributes[CICD.ERROR_TYPE] = failure.kind;
        span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
      }
      span.setAttributes(attributes);
    }
    span.end();
    inst.control = undefined;
    const ended = this.#emit({ type: 'attempt-end', run: this.#info, task: inst.instance, result: record });
    if (ended) await ended;
    return outputs ? { record, outputs, endedAt: t1 } : { record, endedAt: t1 };
  }
}

/** Wraps an expression error found while preparing an attempt. */
class AttemptSetupError extends Error {
  constructor(override readonly cause: unknown) {
    super(errorMessage(cause));
  }
}

function errorDiagnostic(error: { code: string; message: string; hint?: string | undefined; location?: Diagnostic['location'] }): Diagnostic {
  return {
    code: error.code,
    message: error.message,
    ...(error.hint ? { hint: error.hint } : {}),
    ...(error.location ? { location: error.location } : {}),
  };
}

function aggregate(instances: InstanceState[]): TaskStatus {
  if (instances.length === 0) return 'skipped';
  let success = false;
  let cancelled = false;
  for (const inst of instances) {
    const r = inst.result!;
    if (r.status === 'failure' && !r.continuedOnError) return 'failure';
    if (r.status === 'cancelled') cancelled = true;
    if (r.status === 'success' || r.continuedOnError) success = true;
  }
  if (cancelled) return 'cancelled';
  return success ? 'success' : 'skipped';
}

function stripWrapper(text: string): string {
  const t = text.trim();
  if (t.startsWith('${{') && t.endsWith('}}') && t.indexOf('${{', 3) < 0) return t.slice(3, -2).trim();
  return t;
}

function formatMs(ms: number): string {
  if (ms >= 1000 && ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
