import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { AssetStaging, FileAssetLocation, FileAssetPackaging, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { GATE_CLI_FILE } from '../core';

/** The bundled gatehouse CLI (`npx projen bundle:cli` writes it), from `src/codepipeline` or `lib/codepipeline`. */
export const DEFAULT_GATE_CLI_PATH = path.resolve(__dirname, '..', '..', 'assets', GATE_CLI_FILE);

/** The bundled gate as synthesized: where it is and what it must hash to. */
export interface GateBundle {
  /** Absolute path of `gatehouse.js`. */
  readonly file: string;
  /** sha256 (hex) of the file: the gate refuses to run anything else. */
  readonly sha256: string;
  /** Size in bytes. */
  readonly bytes: number;
}

const cache = new Map<string, GateBundle>();

/**
 * Reads and hashes the bundled gate (once per file and content). Throws when it is missing or
 * empty: a pipeline runs the exact gate that synthesized it, never one fetched later.
 */
export function readGateBundle(file: string = DEFAULT_GATE_CLI_PATH): GateBundle {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new Error(
      `the bundled gatehouse gate ${file} is missing, and pipelines with gated scans ship it: run "npx projen bundle:cli" to build it, then synthesize again`,
    );
  }
  const key = `${file}\n${stat.size}\n${stat.mtimeMs}`;
  const known = cache.get(key);
  if (known) return known;
  const js = fs.readFileSync(file);
  if (js.length === 0) {
    throw new Error(`the bundled gatehouse gate ${file} is empty: run "npx projen bundle:cli" to build it again`);
  }
  const bundle: GateBundle = { file, sha256: createHash('sha256').update(js).digest('hex'), bytes: js.length };
  cache.set(key, bundle);
  return bundle;
}

/** Where the gate projects fetch the bundled gate from, and what it must hash to. */
export interface ShippedGate {
  /** Where `cdk deploy` publishes the file (bootstrap asset bucket, content-addressed key). */
  readonly location: FileAssetLocation;
  /** `https://<bucket>.s3.<region>.<url suffix>/<key>` (tokens). */
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
    url: `https://${location.bucketName}.s3.${stack.region}.${stack.urlSuffix}/${location.objectKey}`,
    objectArn: `arn:${stack.partition}:s3:::${location.bucketName}/${location.objectKey}`,
    sha256: bundle.sha256,
  };
}
