import { PipelineDocument, PolicySeverity, PolicyViolationLocation } from '../core';
import { celEnvironment, CelProgram, celValue } from './cel-engine';
import { PolicyRule } from './rule';
import { stagePath, stepPath } from './walk';

/** What a CEL rule is evaluated over. */
export enum CelRuleScope {
  /** Once over the document: variable `pipeline`; a violation points at `/pipeline`. */
  PIPELINE = 'pipeline',
  /** Once per stage: variables `pipeline` and `stage`; a violation points at the stage. */
  STAGE = 'stage',
  /** Once per step: variables `pipeline`, `stage` and `step`; a violation points at the step. */
  STEP = 'step',
}

/** An org rule written in CEL. */
export interface CelRuleProps {
  /** Rule id. */
  readonly id: string;
  /**
   * Severity.
   * @default PolicySeverity.ERROR
   */
  readonly severity?: PolicySeverity;
  /** What the rule requires. */
  readonly message: string;
  /** How to comply. */
  readonly fix: string;
  /** CEL expression over the document; `true` means compliant. */
  readonly expression: string;
  /**
   * What the expression is evaluated over.
   * @default CelRuleScope.PIPELINE
   */
  readonly forEach?: CelRuleScope;
}

// the CEL view of each document, built once and shared by every CEL rule
const views = new WeakMap<object, { [name: string]: any }>();

/**
 * A rule whose test is a CEL expression over the pipeline document (the same language as
 * Kubernetes admission policies and Tekton). The expression is compiled and type-checked once,
 * against the document's schema: a syntax error, an unknown field or a result that is not a
 * bool is an error when the rule is made, never a pass.
 */
export class CelRule extends PolicyRule {
  /** Compiles a CEL rule; throws an error naming the rule and the problem. */
  public static compile(props: CelRuleProps): CelRule {
    return new CelRule(props);
  }

  /** The expression. */
  public readonly expression: string;
  /** What it is evaluated over. */
  public readonly forEach: CelRuleScope;
  private readonly program: CelProgram;

  private constructor(props: CelRuleProps) {
    super(props);
    const forEach = props.forEach ?? CelRuleScope.PIPELINE;
    if (!Object.values(CelRuleScope).includes(forEach)) {
      throw new Error(`rule ${props.id}: forEach ${JSON.stringify(forEach)} is not pipeline, stage or step`);
    }
    if (typeof props.expression !== 'string' || props.expression.trim() === '') {
      throw new Error(`rule ${props.id}: expression is empty: write a CEL expression over \`pipeline\` that is true when compliant`);
    }
    this.expression = props.expression;
    this.forEach = forEach;
    let program: CelProgram;
    try {
      program = celEnvironment(forEach).parse(props.expression);
    } catch (e) {
      throw new Error(`rule ${props.id}: the CEL expression does not compile: ${firstLine(e)}`);
    }
    const checked = program.check();
    if (!checked.valid) {
      throw new Error(`rule ${props.id}: the CEL expression does not type-check against the pipeline document: ${firstLine(checked.error)} (see schemas/pipeline-document.schema.json for the fields)`);
    }
    if (checked.type !== 'bool' && checked.type !== 'dyn') {
      throw new Error(`rule ${props.id}: the CEL expression returns ${checked.type}, not a bool: write a condition that is true when compliant`);
    }
    this.program = program;
  }

  public evaluate(document: PipelineDocument): PolicyViolationLocation[] {
    const view = celView(document);
    const out: PolicyViolationLocation[] = [];
    const stages = document.content.pipeline.stages;
    if (this.forEach === CelRuleScope.PIPELINE) {
      if (!this.test({ pipeline: view })) out.push({ path: '/pipeline' });
    } else {
      stages.forEach((stage, i) => {
        const s = view.stages[i];
        if (this.forEach === CelRuleScope.STAGE) {
          if (!this.test({ pipeline: view, stage: s })) out.push({ path: stagePath(i), detail: `stage "${stage.name}": ${this.message}` });
          return;
        }
        stage.steps.forEach((step, j) => {
          if (!this.test({ pipeline: view, stage: s, step: s.steps[j] })) out.push({ path: stepPath(i, j), detail: `step "${stage.name}/${step.name}": ${this.message}` });
        });
      });
    }
    return out;
  }

  private test(context: { [name: string]: unknown }): boolean {
    let result: unknown;
    try {
      result = this.program(context);
    } catch (e) {
      throw new Error(`the CEL expression failed on this document: ${firstLine(e)} (guard optional fields with has(), e.g. has(s.environment) && s.environment == 'prod')`);
    }
    if (typeof result !== 'boolean') throw new Error(`the CEL expression returned ${typeof result === 'bigint' ? 'an int' : typeof result}, not a bool`);
    return result;
  }
}

function celView(document: PipelineDocument): { [name: string]: any } {
  let view = views.get(document.content);
  if (!view) {
    view = celValue(document.content.pipeline) as { [name: string]: any };
    views.set(document.content, view);
  }
  return view;
}

function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0].replace(/\s+$/, '');
}
