import { AssetStaging, FileAssetLocation, FileAssetPackaging, Stack } from 'aws-cdk-lib';
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

/**
 * Ships the bundled gate as a file asset (one per engine): staged into the cloud assembly and, on
 * `cdk deploy`, uploaded to the environment's bootstrap asset bucket under a content-addressed key;
 * the gate projects read that one object with their own role, then check its sha256 before
 * running it. This is what `aws-s3-assets.Asset` does, without its bucket import (which loads
 * aws-cdk-lib's region tables, about 130 ms per synth here) and its bucket-wide `grantRead`.
 */
export function shipGate(scope: Construct, id: string, bundle: GateBundle): ShippedGate {
  const stack = Stack.of(scope);
  const staging = new AssetStaging(scope, id, { sourcePath: bundle.file });
  const location = stack.synthesizer.addFileAsset({
    packaging: FileAssetPackaging.FILE,
    sourceHash: staging.assetHash,
    fileName: staging.relativeStagedPath(stack),
    displayName: 'gatehouse gate (gatehouse.js)',
  });
  return {
    location,
    url: location.s3ObjectUrl,
    objectArn: `arn:${stack.partition}:s3:::${location.bucketName}/${location.objectKey}`,
    sha256: bundle.sha256,
  };
}
