import { createPublicKey, KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseYaml } from './lazy-yaml';
import { GateSeverity, IPolicyPack, PipelineDocument, PolicyRuleOutcome, PolicySeverity, ScanCategory } from '../core';
import { BuiltinPacks } from './builtin-packs';
import { CelRule, CelRuleScope } from './cel-rule';
import { EVALUATION_FAILED, PolicyRule, policyRuleProblems } from './rule';
import { waiverIdentity } from './waiver-identity';

/** `apiVersion` of a policy pack. */
export const POLICY_PACK_API_VERSION = 'gatehouse.dev/v1';

/** A public key the pack trusts for one of its approvers. */
export interface WaiverKey {
  /** Approver id. */
  readonly approver: string;
  /** ed25519 public key (PEM, SPKI). */
  readonly publicKeyPem: string;
}

/** Properties of a policy pack. */
export interface PolicyPackProps {
  /** Pack name (lowercase letters, digits, `-` and `.`). */
  readonly name: string;
  /** Rules of the pack (ids unique). */
  readonly rules: PolicyRule[];
  /**
   * Who may approve waivers of this pack's rules.
   * @default - nobody: no waiver applies
   */
  readonly approvers?: string[];
  /**
   * The approvers' public keys; a waiver applies only when its approver's key signed it.
   * @default - none: no waiver applies
   */
  readonly trustedKeys?: WaiverKey[];
  /**
   * Longest waiver, in days from its approval to its expiry.
   * @default 90
   */
  readonly maxWaiverDays?: number;
}

const PACK_NAME = /^[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?$/;

/**
 * A named set of policy rules with the people who may waive them. Attach it to a pipeline
 * (`pipeline.addPolicyPack(pack)`) and every engine evaluates it before rendering; or check
 * documents centrally with `gatehouse policy check --policy pack.yaml`.
 */
export class PolicyPack implements IPolicyPack {
  /** Reads a `kind: PolicyPack` YAML; throws one error listing every problem. */
  public static fromYaml(text: string, source: string = 'policy pack'): PolicyPack {
    let doc: any;
    try {
      doc = parseYaml(text);
    } catch (e) {
      throw new Error(`${source} is not YAML: ${(e as Error).message.split('\n')[0]}`);
    }
    const problems: string[] = [];
    const fail = (): never => {
      throw new Error(`${source} is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    };
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
      problems.push('it is not a map with apiVersion, kind, metadata and spec');
      fail();
    }
    if (doc.apiVersion !== POLICY_PACK_API_VERSION) problems.push(`apiVersion ${JSON.stringify(doc.apiVersion)} is not supported: use ${POLICY_PACK_API_VERSION}`);
    if (doc.kind !== 'PolicyPack') problems.push(`kind ${JSON.stringify(doc.kind)} is not PolicyPack`);
    unknownKeys(doc, ['apiVersion', 'kind', 'metadata', 'spec'], '', problems);
    const meta = doc.metadata ?? {};
    unknownKeys(meta, ['name', 'description'], 'metadata.', problems);
    const spec = doc.spec;
    if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
      problems.push('spec is missing: give spec.rules');
      fail();
    }
    unknownKeys(spec, ['approvers', 'trustedKeys', 'maxWaiverDays', 'builtin', 'rules'], 'spec.', problems);
    if (spec.approvers !== undefined && (!Array.isArray(spec.approvers) || spec.approvers.some((a: unknown) => typeof a !== 'string'))) {
      problems.push('spec.approvers is not a list of approver ids');
    }
    const keys: WaiverKey[] = [];
    if (spec.trustedKeys !== undefined) {
      if (spec.trustedKeys === null || typeof spec.trustedKeys !== 'object' || Array.isArray(spec.trustedKeys)) problems.push('spec.trustedKeys is not a map approver → PEM public key');
      else for (const [approver, pem] of Object.entries(spec.trustedKeys)) keys.push({ approver, publicKeyPem: String(pem) });
    }
    const rules: PolicyRule[] = builtinRules(spec.builtin, problems);
    if (spec.rules !== undefined && !Array.isArray(spec.rules)) problems.push('spec.rules is not a list of rules');
    if (rules.length === 0 && (!Array.isArray(spec.rules) || spec.rules.length === 0)) problems.push('spec.rules is empty: give at least one rule (or spec.builtin)');
    (Array.isArray(spec.rules) ? spec.rules : []).forEach((r: any, i: number) => {
      const where = `spec.rules[${i}]${r && typeof r.id === 'string' ? ` (${r.id})` : ''}`;
      if (r === null || typeof r !== 'object' || Array.isArray(r)) {
        problems.push(`${where} is not a map`);
        return;
      }
      unknownKeys(r, ['id', 'severity', 'message', 'fix', 'expression', 'forEach'], `${where}.`, problems);
      const ruleProblems = policyRuleProblems(r);
      if (typeof r.expression !== 'string') ruleProblems.push('expression is missing: write a CEL expression that is true when compliant');
      if (ruleProblems.length > 0) {
        problems.push(...ruleProblems.map((p) => `${where}: ${p}`));
        return;
      }
      try {
        const props = { id: r.id, severity: r.severity as PolicySeverity, message: r.message, fix: r.fix, expression: r.expression };
        rules.push(CelRule.compile({ ...props, forEach: r.forEach as CelRuleScope }));
      } catch (e) {
        problems.push(`${where}: ${(e as Error).message.replace(/^rule \S+: /, '')}`);
      }
    });
    let pack: PolicyPack | undefined;
    if (problems.length === 0) {
      try {
        pack = new PolicyPack({ name: meta.name, rules, approvers: spec.approvers, trustedKeys: keys, maxWaiverDays: spec.maxWaiverDays });
      } catch (e) {
        problems.push(...(e as Error).message.replace(/^policy pack [^:]*: /, '').split('; '));
      }
    } else {
      problems.push(...packProblems({ name: meta.name, rules: [], approvers: spec.approvers, trustedKeys: keys, maxWaiverDays: spec.maxWaiverDays }).filter((p) => !p.startsWith('it has no rules')));
    }
    if (!pack) return fail();
    return pack;
  }

  /** Reads a policy pack YAML file. */
  public static fromFile(path: string): PolicyPack {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw new Error(`policy pack ${path} cannot be read: ${(e as Error).message}`);
    }
    return PolicyPack.fromYaml(text, `policy pack ${path}`);
  }

  /** Pack name. */
  public readonly packName: string;
  /** Rules. */
  public readonly rules: PolicyRule[];
  /** Who may approve waivers. */
  public readonly approvers: string[];
  /** Longest waiver in days. */
  public readonly maxWaiverDays: number;
  private readonly keys = new Map<string, KeyObject>();

  constructor(props: PolicyPackProps) {
    const problems = packProblems(props);
    if (problems.length > 0) throw new Error(`policy pack ${JSON.stringify(props.name)}: ${problems.join('; ')}`);
    this.packName = props.name;
    this.rules = [...props.rules];
    this.approvers = [...(props.approvers ?? [])];
    this.maxWaiverDays = props.maxWaiverDays ?? 90;
    for (const k of props.trustedKeys ?? []) this.keys.set(waiverIdentity(k.approver), createPublicKey(k.publicKeyPem));
  }

  /** The rule with this id, if any. */
  public rule(id: string): PolicyRule | undefined {
    return this.rules.find((r) => r.id === id);
  }

  /** Whether `id` is one of the pack's waiver approvers. */
  public isApprover(id: string): boolean {
    const me = waiverIdentity(id);
    return this.approvers.some((a) => waiverIdentity(a) === me);
  }

  /**
   * The public key the pack trusts for an approver.
   * @internal
   */
  public _keyOf(approver: string): KeyObject | undefined {
    return this.keys.get(waiverIdentity(approver));
  }

  /** Evaluates every rule; a rule that cannot be evaluated is a violation at `/pipeline`, never a pass. */
  public evaluateDocument(document: PipelineDocument): PolicyRuleOutcome[] {
    return this.rules.map((rule) => {
      try {
        return { ruleId: rule.id, severity: rule.severity, message: rule.message, fix: rule.fix, violations: rule.evaluate(document) };
      } catch (e) {
        return {
          ruleId: rule.id,
          severity: PolicySeverity.ERROR,
          message: rule.message,
          fix: rule.fix,
          violations: [{ path: '/pipeline', detail: `${EVALUATION_FAILED}: ${(e as Error).message}` }],
        };
      }
    });
  }
}

function packProblems(props: PolicyPackProps): string[] {
  const problems: string[] = [];
  if (typeof props.name !== 'string' || !PACK_NAME.test(props.name)) {
    problems.push(`metadata.name ${JSON.stringify(props.name)} is not a pack name: use lowercase letters, digits, "-" and "." (e.g. acme-baseline)`);
  }
  if (!Array.isArray(props.rules) || props.rules.length === 0) problems.push('it has no rules: give at least one');
  const ids = new Set<string>();
  for (const r of props.rules ?? []) {
    if (!(r instanceof PolicyRule)) problems.push('a rule is not a PolicyRule');
    else if (ids.has(r.id)) problems.push(`rule id ${r.id} is used twice: give each rule its own id`);
    else ids.add(r.id);
  }
  for (const a of props.approvers ?? []) {
    if (typeof a !== 'string' || !/^[^\s,]+$/u.test(a)) problems.push(`approver ${JSON.stringify(a)} is not an approver id`);
  }
  const days = props.maxWaiverDays ?? 90;
  if (!Number.isInteger(days) || days < 1 || days > 365) problems.push(`maxWaiverDays ${JSON.stringify(days)} is out of range: use a whole number from 1 to 365`);
  const approvers = new Set((props.approvers ?? []).filter((a) => typeof a === 'string').map(waiverIdentity));
  for (const k of props.trustedKeys ?? []) {
    if (!approvers.has(waiverIdentity(k.approver))) problems.push(`trustedKeys names "${k.approver}", who is not in approvers: add them or remove the key`);
    const problem = publicKeyProblem(k.publicKeyPem);
    if (problem) problems.push(`trustedKeys "${k.approver}" ${problem}`);
  }
  return problems;
}

function publicKeyProblem(pem: string): string | undefined {
  if (/PRIVATE KEY-----/.test(pem)) return 'is a private key: trust public keys only (the approver keeps the private key)';
  try {
    const key = createPublicKey(pem);
    return key.asymmetricKeyType === 'ed25519' ? undefined : `is a ${key.asymmetricKeyType} key: waiver signatures use ed25519`;
  } catch {
    return 'is not a PEM public key';
  }
}

type OptionKind = 'bool' | 'int' | 'strings' | 'severity' | 'categories' | 'thresholds';
const BUILTIN_OPTIONS: { [pack: string]: { [option: string]: OptionKind } } = {
  'baseline': {
    requiredCategories: 'categories',
    maxFailOn: 'severity',
    categoryThresholds: 'thresholds',
    noIgnoreCategories: 'categories',
    protectedEnvironments: 'strings',
    approverGroups: 'strings',
    maxStepMinutes: 'int',
    maxApprovalMinutes: 'int',
  },
  'gate-integrity': { allowInlineKeys: 'bool', maxExemptionDays: 'int', storedBaselineOnly: 'bool', scanners: 'strings' },
};

/** The rules of `spec.builtin: [{ pack: baseline | gate-integrity, options: {...} }]`. */
function builtinRules(list: unknown, problems: string[]): PolicyRule[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) {
    problems.push('spec.builtin is not a list of { pack, options }');
    return [];
  }
  const rules: PolicyRule[] = [];
  list.forEach((entry: any, i: number) => {
    const where = `spec.builtin[${i}]`;
    const known = BUILTIN_OPTIONS[entry?.pack];
    if (!known) {
      problems.push(`${where}: pack ${JSON.stringify(entry?.pack)} is not a built-in pack (${Object.keys(BUILTIN_OPTIONS).join(', ')})`);
      return;
    }
    unknownKeys(entry, ['pack', 'options'], `${where}.`, problems);
    const options: { [k: string]: unknown } = {};
    for (const [k, v] of Object.entries(entry.options ?? {})) {
      const kind = known[k];
      const value = kind ? builtinOption(kind, v) : undefined;
      if (!kind) problems.push(`${where}: unknown option "${k}" (allowed: ${Object.keys(known).join(', ')})`);
      else if (value === undefined) problems.push(`${where}: option ${k} ${JSON.stringify(v)} is not ${OPTION_TEXT[kind]}`);
      else options[k] = value;
    }
    try {
      rules.push(...(entry.pack === 'baseline' ? BuiltinPacks.baseline(options) : BuiltinPacks.gateIntegrity(options)).rules);
    } catch (e) {
      problems.push(`${where}: ${(e as Error).message}`);
    }
  });
  return rules;
}

const OPTION_TEXT: { [k in OptionKind]: string } = {
  bool: 'true or false',
  int: 'a whole number',
  strings: 'a list of names',
  severity: 'one of critical, high, medium, low, info, none',
  categories: 'a list of scan categories (sast, sca, sbom, secrets, image, iac, dast, compliance, policy, supply-chain)',
  thresholds: 'a list of { category, failOn }',
};

function builtinOption(kind: OptionKind, v: any): unknown {
  const category = (x: unknown) => {
    const c = typeof x === 'string' ? x.toUpperCase().replace(/-/g, '_') : '';
    return Object.values(ScanCategory).includes(c as ScanCategory) ? (c as ScanCategory) : undefined;
  };
  const severity = (x: unknown) => (Object.values(GateSeverity).includes(x as GateSeverity) ? (x as GateSeverity) : undefined);
  switch (kind) {
    case 'bool':
      return typeof v === 'boolean' ? v : undefined;
    case 'int':
      return Number.isInteger(v) ? v : undefined;
    case 'strings':
      return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : undefined;
    case 'severity':
      return severity(v);
    case 'categories':
      return Array.isArray(v) && v.every((x) => category(x)) ? v.map(category) : undefined;
    default:
      return Array.isArray(v) && v.every((t) => t && category(t.category) && severity(t.failOn) && Object.keys(t).length === 2)
        ? v.map((t) => ({ category: category(t.category), failOn: severity(t.failOn) }))
        : undefined;
  }
}

function unknownKeys(obj: any, allowed: string[], prefix: string, problems: string[]): void {
  if (obj === null || typeof obj !== 'object') return;
  for (const k of Object.keys(obj)) if (!allowed.includes(k)) problems.push(`unknown field "${prefix}${k}" (allowed: ${allowed.join(', ')})`);
}
