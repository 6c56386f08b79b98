import { generateKeyPairSync } from 'node:crypto';
import {
  Approver,
  CommandStep,
  GatePolicy,
  GateSeverity,
  Pipeline,
  PipelineDocument,
  PipelineDocumentJson,
  Source,
  Stage,
  TrustSource,
} from '../../src/core';
import * as security from '../../src/security';

/** Python, pinned by digest. */
export const PY = 'python:3.12.7-slim-bookworm@sha256:032c52613401895aa3d418a4c563d2d05f993bc3ecc065c8f4e2280978acd249';
/** Syft with a (test) digest. */
export const SYFT = security.ScannerImage.of('anchore/syft', 'v1.45.1-debug', `sha256:${'a'.repeat(64)}`, '/busybox/sh');

/** A gate every built-in pack accepts. */
export function strictGate(): GatePolicy {
  return new GatePolicy({
    failOn: GateSeverity.HIGH,
    exemptionsFile: '.gatehouse/exemptions.yaml',
    exemptionApprovers: ['sec.priya'],
    trustedKeys: TrustSource.ssmParameter('/platform/gatehouse/trusted-keys'),
    maxExemptionDays: 30,
  });
}

/** build → test → security (secrets, sast, sca, sbom) → approval by a group → prod. */
export function compliantPipeline(name = 'shop'): Pipeline {
  const gate = strictGate();
  return new Pipeline({
    name,
    source: Source.gitHub({ owner: 'acme', repository: name }),
    defaults: { image: PY, timeoutMinutes: 30 },
    stages: [
      Stage.buildStage('build', { steps: [new CommandStep({ name: 'build', commands: ['make build'] })] }),
      Stage.testStage('test', { steps: [new CommandStep({ name: 'test', commands: ['make test'] })] }),
      Stage.securityStage('oast', {
        gate,
        steps: [
          new security.Gitleaks({ gate }),
          new security.Semgrep({ gate }),
          new security.OsvScanner({ gate }),
          new security.Syft({ image: SYFT }),
        ],
      }),
      Stage.approvalStage('approval', { approvers: [Approver.group('release-managers')] }),
      Stage.deployStage('prod', { environment: 'prod', steps: [new CommandStep({ name: 'deploy', commands: ['./deploy.sh prod'] })] }),
    ],
  });
}

/** The document of `compliantPipeline`, changed by `change` (on a deep copy). */
export function mutated(change: (doc: any) => void, base: Pipeline = compliantPipeline()): PipelineDocument {
  const json = base.toDocument().toJson() as PipelineDocumentJson;
  change(json);
  return PipelineDocument.fromJson(json);
}

/** A fresh ed25519 key pair (PEM). */
export function keyPair(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
