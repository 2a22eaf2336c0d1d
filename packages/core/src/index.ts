// The public surface of @psr/core: named re-exports only (no `export *`).
export { ErrorCodes, PsrError, PsrAggregateError, isPsrError, formatDiagnostic, shownDiagnostics, SHOWN_PER_CODE } from './errors.js';
export type { ErrorCode, Diagnostic, SourceLocation, ShownDiagnostics } from './errors.js';
export type {
  Workflow,
  TaskSpec,
  InputSpec,
  ScheduleSpec,
  RetryPolicy,
  MatrixSpec,
  MatrixExpressions,
  PluginRef,
  TaskStatus,
  AttemptStatus,
  RunStatus,
} from './model.js';
export { PLUGIN_API_VERSION, TaskFailure, definePlugin, defineTask } from './plugin.js';
export type { Plugin, TaskType, TaskContext, TaskLogger, TaskOutputs, OutputValue, AttemptMetrics } from './plugin.js';
export type {
  RunEvent,
  RunObserver,
  RunInfo,
  RunTrigger,
  TaskInstance,
  TaskResult,
  AttemptResult,
  RunResult,
  FailureInfo,
} from './events.js';
export type { Executor, ExecutionRequest } from './executor.js';
export type { RunStore, StoredRun } from './store.js';
/** zod, re-exported so plugins use the same copy psr validates with (bundled into psr; `z.locales` holds English only). */
export { z } from 'zod';
export { PluginRegistry, validatePlugin } from './plugins/registry.js';
export type { LazyPlugin, ResolvedTaskType } from './plugins/registry.js';
export type { Engine, EngineOptions, RunOptions, RunHandle } from './engine/types.js';
export { createEngine } from './engine/engine-lazily.js';
export { createLocalExecutor } from './engine/localExecutor.js';
export { resolveInputs } from './engine/inputs.js';
export type { InputValue } from './engine/inputs.js';
export { decideRetry, retryDelayMs, matchesRetryOn } from './engine/RetryPolicy.js';
export type { RetryDecision, RetryableFailure } from './engine/RetryPolicy.js';
export { loadSecrets, SECRET_ENV_PREFIX } from './secrets/loadSecrets.js';
export type { LoadSecretsOptions } from './secrets/loadSecrets.js';
export { SecretMasker, MIN_SECRET_LENGTH } from './secrets/SecretMasker.js';
export type { MaskedStream } from './secrets/SecretMasker.js';
export { evaluateExpression, parseExpression, usesStatusFunction } from './expressions/expression.js';
export type { ExpressionContexts, StatusFunctions } from './expressions/expression.js';
export { interpolateString, interpolateValue } from './expressions/template.js';
export { loadWorkflow } from './workflow/load-lazily.js';
export type { LoadWorkflowOptions, WorkflowSource } from './workflow/load.js';
export { loadPlugins } from './plugins/load.js';
export { parseDuration } from './workflow/duration.js';
export { expandMatrix, matrixInstanceId } from './workflow/matrix.js';
export type { MatrixCombination } from './workflow/matrix.js';
export { workflowJsonSchema } from './workflow/load-lazily.js';
