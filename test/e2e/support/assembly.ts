import * as fs from 'fs';
import * as path from 'path';
import { resolveManifestString } from './cfn';
import { FakeS3 } from './fake-s3';

/** Reads a synthesized stack's template from a cloud assembly folder. */
export function readTemplate(outdir: string, stackName: string): Record<string, any> {
  return JSON.parse(fs.readFileSync(path.join(outdir, `${stackName}.template.json`), 'utf8'));
}

/**
 * Publishes the stack's file assets to the fake S3 where `cdk deploy` would put them (their
 * bucket and key from the assets manifest), and returns the published keys.
 */
export function publishAssets(outdir: string, stackName: string, s3: FakeS3): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, `${stackName}.assets.json`), 'utf8'));
  const keys: string[] = [];
  for (const asset of Object.values(manifest.files ?? {}) as any[]) {
    if (asset.source.packaging !== 'file') throw new Error(`asset ${asset.source.path} is packaged as ${asset.source.packaging}`);
    for (const d of Object.values(asset.destinations) as any[]) {
      s3.put(resolveManifestString(d.bucketName), d.objectKey, fs.readFileSync(path.join(outdir, asset.source.path)));
      keys.push(d.objectKey);
    }
  }
  return keys;
}
