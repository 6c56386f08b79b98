import type { IConstruct } from 'constructs';
import { IPolicyPack, PolicyWaiver } from '../core';

// one registry per construct, found by a global symbol: two copies of this library in one app
// (a blueprint package and the app's own) see the same attachments
const SCOPE = Symbol.for('gatehouse.policy.PolicyScope');

/**
 * Policy packs and waivers attached to a construct (an App, a Chart, a Stack): every gatehouse
 * engine in its tree evaluates them, besides the packs attached to the pipeline it renders. A
 * platform team attaches its org packs to the App it hands out, so an app team that constructs
 * an engine directly, without the blueprint, is still checked.
 *
 * Attachments cannot be removed: `PolicyScope.of(app)` is fixed to the App once created.
 */
export class PolicyScope {
  /** The policy scope of a construct, created on first use. */
  public static of(scope: IConstruct): PolicyScope {
    if (scope === null || typeof scope !== 'object' || !scope.node) {
      throw new Error('PolicyScope.of takes a construct (an App, a Chart or a Stack)');
    }
    const held = (scope as any)[SCOPE];
    if (held !== undefined) return held as PolicyScope;
    const created = new PolicyScope(scope.node.path);
    // neither writable nor configurable: `delete app[symbol]` cannot take the packs away
    Object.defineProperty(scope, SCOPE, { value: created, enumerable: false, writable: false, configurable: false });
    return created;
  }

  /**
   * Every pack and waiver attached to a construct and its ancestors, the root's first.
   */
  public static collect(construct: IConstruct): PolicyScopeAttachments {
    const packs: IPolicyPack[] = [];
    const waivers: PolicyWaiver[] = [];
    for (const c of construct.node.scopes) {
      const held = (c as any)[SCOPE] as PolicyScope | undefined;
      if (!held) continue;
      for (const p of held._packs) if (!packs.includes(p)) packs.push(p);
      waivers.push(...held._waivers);
    }
    return { packs, waivers };
  }

  /** Path of the construct this scope belongs to (`''` for an App). */
  public readonly path: string;
  private readonly _packs: IPolicyPack[] = [];
  private readonly _waivers: PolicyWaiver[] = [];

  private constructor(path: string) {
    this.path = path;
  }

  /** Packs attached here, in the order attached. */
  public get packs(): IPolicyPack[] {
    return [...this._packs];
  }

  /** Waivers attached here. */
  public get waivers(): PolicyWaiver[] {
    return this._waivers.map((w) => ({ ...w }));
  }

  /** Attaches a pack (once per name); returns this scope. */
  public addPack(pack: IPolicyPack): PolicyScope {
    if (!pack || typeof pack.evaluateDocument !== 'function' || typeof pack.packName !== 'string') {
      throw new Error('PolicyScope.addPack takes a policy pack (e.g. policy.PolicyPack.fromFile("acme.yaml"))');
    }
    if (this._packs.includes(pack)) return this;
    if (this._packs.some((p) => p.packName === pack.packName)) {
      throw new Error(`the construct at "${this.path || '(app)'}" already has a policy pack named "${pack.packName}": give every pack a unique metadata.name`);
    }
    this._packs.push(pack);
    return this;
  }

  /** Attaches a waiver of a rule of a pack; returns this scope. */
  public addWaiver(waiver: PolicyWaiver): PolicyScope {
    this._waivers.push({ ...waiver });
    return this;
  }
}

/** What `PolicyScope.collect` finds. */
export interface PolicyScopeAttachments {
  /** Packs, each once. */
  readonly packs: IPolicyPack[];
  /** Waivers. */
  readonly waivers: PolicyWaiver[];
}
