import { COSIGN_BINARY, installPinnedBinary } from './pinned-binary';
import { CACHE_ROOT } from './recipe';
import { scratchDir } from './suppressions';
import { CosignKeyKind } from '../supply-chain/cosign-key';
import { CosignOptions } from '../supply-chain/cosign-options';

/** Environment of every cosign entry: TUF metadata cached in the source tree, no update nags. */
export const COSIGN_ENV = { TUF_ROOT: `${CACHE_ROOT}/sigstore`, COSIGN_YES: 'true' };

/**
 * The first command lines of every cosign entry: the image's own `cosign` when it has one on PATH,
 * else the cosign release binary checked against the sha256 the pipeline pins (COSIGN_BINARY).
 */
export function installCosign(): string[] {
  return [scratchDir('cosign'), installPinnedBinary(COSIGN_BINARY)];
}

/** Throws when the key and transparency-log settings cannot work together. */
export function assertCosign(where: string, o: CosignOptions, signing: boolean): void {
  if (!o.artifact) throw new Error(`${where} has no artifact: use SignedArtifact.image(…), imageFromFile(…) or blob(…)`);
  if (!o.key) throw new Error(`${where} has no key: use CosignKey.awsKms(…), secret(…), keyless() or publicKeyFile(…)`);
  if (signing && !o.key.canSign) {
    throw new Error(`${where} key is a public key file, which cannot sign: use CosignKey.awsKms(…), secret(…) or keyless()`);
  }
  if (o.key.kind === CosignKeyKind.KEYLESS && o.transparencyLog === false) {
    throw new Error(`${where} is keyless with transparencyLog false: keyless signatures need the Rekor log, keep it on or use a key`);
  }
}
