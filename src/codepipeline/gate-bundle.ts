import * as fs from 'fs';
import * as path from 'path';
import { FileAssetLocation, FileAssetPackaging, Stack, Stage } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { GateCli, readGateCli } from '../core/gate-cli';

/** The bundled gate as read at synth (shared with every engine). */
export type GateBundle = GateCli;

/** Reads and hashes the bundled gate (see `readGateCli`). */
export const readGateBundle = readGateCli;

/** Where the gate projects fetch the bundled gate from, and what it must hash to. */
export interface ShippedGate {
  /** Where `cdk deploy` publishes the file (bootstrap asset bucket, content-addressed key). */
  readonly location: FileAssetLocation;
  /** `s3://<bucket>/<key>` (tokens), what `aws s3 cp` reads. */
  readonly url: string;
  /** ARN of the one object the gate projects may read. */
  readonly objectArn: string;
  /** sha256 of the file, baked into every gate buildspec. */
  readonly sha256: string;
}

/** aws-cdk-lib's context key (cx-api `DISABLE_ASSET_STAGING_CONTEXT`): assets stay where they are. */
const DISABLE_ASSET_STAGING = 'aws:cdk:disable-asset-staging';

/**
 * Ships the bundled gate as a file asset (one per engine): staged into the cloud assembly and, on
 * `cdk deploy`, uploaded to the environment's bootstrap asset bucket under a key of its sha256;
 * the gate projects read that one object with their own role, then check its sha256 before
 * running it. This is what `aws-s3-assets.Asset` does, without its bucket import (which loads
 * aws-cdk-lib's region tables, about 130 ms per synth here) and its bucket-wide `grantRead`, and
 * without `AssetStaging`, whose fingerprinting and copying of folders load some forty modules
 * (fs-extra among them) to copy this one file, whose hash is already known.
 */
export function shipGate(scope: Construct, id: string, bundle: GateBundle): ShippedGate {
  const stack = Stack.of(scope);
  const location = stack.synthesizer.addFileAsset({
    packaging: FileAssetPackaging.FILE,
    sourceHash: bundle.sha256,
    fileName: stageFile(new Construct(scope, id), bundle.file, bundle.sha256),
    displayName: 'gatehouse gate (gatehouse.js)',
  });
  return {
    location,
    url: location.s3ObjectUrl,
    objectArn: `arn:${stack.partition}:s3:::${location.bucketName}/${location.objectKey}`,
    sha256: bundle.sha256,
  };
}

/**
 * Stages a file as aws-cdk-lib stages file assets: copied once into the assembly's asset folder as
 * `asset.<hash><extension>`, and named relative to the stack's assembly folder; left in place (its
 * absolute path) when the app disables asset staging or has no assembly folder.
 */
function stageFile(scope: Construct, file: string, hash: string): string {
  const stage = Stage.of(scope);
  if (!stage || scope.node.tryGetContext(DISABLE_ASSET_STAGING)) return file;
  const staged = path.join(stage.assetOutdir, `asset.${hash}${path.extname(file)}`);
  if (!fs.existsSync(staged)) {
    fs.mkdirSync(stage.assetOutdir, { recursive: true });
    fs.copyFileSync(file, staged);
  }
  const manifestDir = Stage.of(Stack.of(scope))?.outdir;
  if (!manifestDir) return staged;
  return path.relative(manifestDir, staged);
}
