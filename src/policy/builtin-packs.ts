import { GateSeverity, ScanCategory } from '../core';
import { PolicyPack, WaiverKey } from './pack';
import {
  ApprovalBeforeDeployRule,
  BoundedTimeoutsRule,
  CatalogScannersRule,
  CategoryThreshold,
  GateBaselineRule,
  GateCanFailRule,
  GateMaxExemptionDaysRule,
  GateMaxFailOnRule,
  GateNoIgnoreRule,
  GateTrustedKeysRule,
  GateTrustedVexRule,
  ImageDigestRule,
  NoAllowFailureRule,
  NoPrivilegedRule,
  RequiredScansRule,
  SecurityAfterBuildRule,
  SecurityBeforeDeployRule,
  SecurityContextExceptionsRule,
  SignedImagesRule,
} from './rules';

/** Who may waive a built-in pack's rules. */
export interface BuiltinPackWaiverOptions {
  /**
   * Pack name.
   * @default - the built-in pack's name
   */
  readonly name?: string;
  /**
   * Waiver approvers.
   * @default - nobody: no waiver applies
   */
  readonly approvers?: string[];
  /**
   * Their public keys.
   * @default - none
   */
  readonly trustedKeys?: WaiverKey[];
  /**
   * Longest waiver in days.
   * @default 90
   */
  readonly maxWaiverDays?: number;
}

/** Options of the baseline pack. */
export interface BaselinePackOptions extends BuiltinPackWaiverOptions {
  /**
   * Categories the pipeline must scan for.
   * @default [SECRETS, SAST, SCA, SBOM] (and IMAGE when an image is pushed)
   */
  readonly requiredCategories?: ScanCategory[];
  /**
   * Weakest gate threshold.
   * @default GateSeverity.HIGH
   */
  readonly maxFailOn?: GateSeverity;
  /**
   * Per-category thresholds.
   * @default - none
   */
  readonly categoryThresholds?: CategoryThreshold[];
  /**
   * Categories whose gates may not ignore failures.
   * @default - every category with findings
   */
  readonly noIgnoreCategories?: ScanCategory[];
  /**
   * Environments whose deploys need a group approval and a verified signature.
   * @default ['prod']
   */
  readonly protectedEnvironments?: string[];
  /**
   * Groups that may approve those deploys.
   * @default - any group
   */
  readonly approverGroups?: string[];
  /**
   * Longest step, in minutes.
   * @default 120
   */
  readonly maxStepMinutes?: number;
  /**
   * Longest approval wait, in minutes.
   * @default 4320
   */
  readonly maxApprovalMinutes?: number;
}

/** Options of the gate-integrity pack (what the run-time gate must enforce). */
export interface GateIntegrityPackOptions extends BuiltinPackWaiverOptions {
  /**
   * Whether trusted keys written in the definition count as platform-owned.
   * @default false
   */
  readonly allowInlineKeys?: boolean;
  /**
   * Longest exemption a gate may accept, in days.
   * @default 30
   */
  readonly maxExemptionDays?: number;
  /**
   * Allow only stored baselines.
   * @default false
   */
  readonly storedBaselineOnly?: boolean;
  /**
   * Scanner ids allowed.
   * @default CATALOG_SCANNERS
   */
  readonly scanners?: string[];
}

/** The packs this library ships. */
export class BuiltinPacks {
  /**
   * `gatehouse-baseline`: security after build and before deploy, required scans, strict gates
   * that can fail (a warning when a threshold is above anything the scanner reports) and do not
   * ignore failures, no allowFailure on scans, group approval and verified
   * signatures before protected deploys, images pinned by digest, no privileged steps (and a
   * warning for every typed security-context exception), bounded timeouts.
   */
  public static baseline(options: BaselinePackOptions = {}): PolicyPack {
    const environments = options.protectedEnvironments ?? ['prod'];
    return new PolicyPack({
      name: options.name ?? 'gatehouse-baseline',
      approvers: options.approvers,
      trustedKeys: options.trustedKeys,
      maxWaiverDays: options.maxWaiverDays,
      rules: [
        new SecurityAfterBuildRule(),
        new SecurityBeforeDeployRule(),
        new RequiredScansRule({ categories: options.requiredCategories }),
        new GateMaxFailOnRule({ failOn: options.maxFailOn, categories: options.categoryThresholds }),
        new GateCanFailRule(),
        new GateNoIgnoreRule({ categories: options.noIgnoreCategories }),
        new NoAllowFailureRule(),
        new ApprovalBeforeDeployRule({ environments, groups: options.approverGroups }),
        new ImageDigestRule(),
        new NoPrivilegedRule(),
        new SecurityContextExceptionsRule(),
        new BoundedTimeoutsRule({ maxStepMinutes: options.maxStepMinutes, maxApprovalMinutes: options.maxApprovalMinutes }),
        new SignedImagesRule({ environments }),
      ],
    });
  }

  /**
   * `gatehouse-gate-integrity`: what the run-time gate must enforce: trusted keys from a
   * platform-owned store, a maximum exemption length, trusted VEX only, catalog scanners only,
   * stored or signed baselines.
   */
  public static gateIntegrity(options: GateIntegrityPackOptions = {}): PolicyPack {
    return new PolicyPack({
      name: options.name ?? 'gatehouse-gate-integrity',
      approvers: options.approvers,
      trustedKeys: options.trustedKeys,
      maxWaiverDays: options.maxWaiverDays,
      rules: [
        new GateTrustedKeysRule({ allowInline: options.allowInlineKeys }),
        new GateMaxExemptionDaysRule({ maxDays: options.maxExemptionDays }),
        new GateTrustedVexRule(),
        new CatalogScannersRule({ scanners: options.scanners }),
        new GateBaselineRule({ storedOnly: options.storedBaselineOnly, allowInlineKeys: options.allowInlineKeys }),
      ],
    });
  }
}
