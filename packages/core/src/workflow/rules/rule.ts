/**
 * The contract of a semantic rule: a small named check that reads the workflow and pushes
 * every problem it finds (with a path into the YAML for the position), never throwing on
 * the first one.
 */
import type { ErrorCode, SourceLocation } from '../../errors.js';
import type { Workflow } from '../../model.js';
import type { PluginRegistry } from '../../plugins/registry.js';
import type { PathSegment, WorkflowDocument } from '../document.js';
import type { UserWorkflow } from '../schema.js';

/** One problem found by a rule. */
export interface RuleProblem {
  code: ErrorCode;
  message: string;
  hint?: string;
  /** Path into the YAML document; its position becomes the diagnostic's location. */
  path?: readonly PathSegment[];
  /** Point at the key (`needs:`) rather than its value. */
  at?: 'key' | 'value';
  /** An exact location, when the rule knows better than the path (inside a string). */
  location?: SourceLocation;
}

/** What every rule gets. */
export interface RuleContext {
  /** The workflow as written (schema defaults applied). */
  user: UserWorkflow;
  /** The normalised workflow. */
  workflow: Workflow;
  document: WorkflowDocument;
  /** Present when task types can be checked. */
  registry: PluginRegistry | undefined;
  report(problem: RuleProblem): void;
}

/** A named semantic rule. */
export interface WorkflowRule {
  name: string;
  /** Rules that need a heavy module (croner, the expression parser) import it only when there is something to check. */
  check(ctx: RuleContext): void | Promise<void>;
}
