import * as fs from 'fs';
import * as path from 'path';
import { gzipSync } from 'zlib';
import { GATE_BUNDLE_KEY, LABEL_PREFIX } from './names';
import { DEFAULT_GATE_CLI_PATH, GateCli, readGateCli } from '../../core/gate-cli';

/** Root of the gatehouse package, from this file in `src/tekton/render` or `lib/tekton/render`. */
const PACKAGE_ROOT = path.resolve(__dirname, '..', '..', '..');

/** The bundled gatehouse CLI that synthesized pipelines run (`npx projen bundle:cli` writes it). */
export { DEFAULT_GATE_CLI_PATH };

/** Most bytes a ConfigMap may hold (the API server refuses larger ones). */
export const CONFIGMAP_MAX_BYTES = 1024 * 1024;
/**
 * Most bytes of all annotations of an object. Client-side `kubectl apply` copies the whole object
 * into its `last-applied-configuration` annotation, so a larger ConfigMap needs server-side apply.
 */
export const ANNOTATIONS_MAX_BYTES = 256 * 1024;

/** Annotation of the gate ConfigMap holding the sha256 of the uncompressed `gatehouse.js`. */
export const GATE_SHA256_ANNOTATION = `${LABEL_PREFIX}/gate-sha256`;
/** Annotation of the gate ConfigMap holding the gatehouse version that bundled the gate. */
export const GATE_VERSION_ANNOTATION = `${LABEL_PREFIX}/gate-version`;

/** `app.kubernetes.io/component` label of the gate ConfigMap (to list the old ones after an upgrade). */
export const GATE_COMPONENT = 'gatehouse-gate';

/** The bundled gate as the engine ships it. */
export interface GateBundle {
  /** sha256 (hex) of the uncompressed `gatehouse.js`: the gate step refuses anything else. */
  readonly sha256: string;
  /** The gzip-compressed file, base64-encoded (a ConfigMap `binaryData` value). */
  readonly gzipBase64: string;
  /** Size of `gatehouse.js`. */
  readonly bytes: number;
  /** Size of the compressed file. */
  readonly gzipBytes: number;
  /** The gatehouse package version. */
  readonly version: string;
}

const cache = new WeakMap<GateCli, GateBundle>();

/**
 * Reads, hashes and compresses the bundled gate (once per file and content). Throws when it is
 * missing: the pipeline must run the exact gate that synthesized it, never one fetched later.
 */
export function readGateBundle(file: string = DEFAULT_GATE_CLI_PATH): GateBundle {
  const cli = readGateCli(file);
  const known = cache.get(cli);
  if (known) return known;
  // mtime 0 in the gzip header (node's default): the same gate always compresses to the same bytes
  const gz = gzipSync(cli.content, { level: 9 });
  const bundle: GateBundle = {
    sha256: cli.sha256,
    gzipBase64: gz.toString('base64'),
    bytes: cli.content.length,
    gzipBytes: gz.length,
    version: packageVersion(),
  };
  cache.set(cli, bundle);
  return bundle;
}

/** Name of the gate ConfigMap of a pipeline: content-addressed, so a new gate is a new object. */
export function gateConfigMapName(pipelineName: string, bundle: GateBundle): string {
  return `${pipelineName}-gatehouse-${bundle.sha256.slice(0, 10)}`;
}

/**
 * The ConfigMap body (without apiVersion/kind): immutable, the compressed gate as `binaryData`,
 * its sha256 and version as annotations.
 */
export function gateConfigMap(name: string, bundle: GateBundle, labels: Record<string, string>): Record<string, any> {
  const size = bundle.gzipBase64.length;
  if (size > CONFIGMAP_MAX_BYTES - 4096) {
    throw new Error(
      `the bundled gatehouse gate compresses to ${size} bytes, too large for a ConfigMap (at most ${CONFIGMAP_MAX_BYTES} bytes): ` +
        'ship a smaller bundle (npx projen bundle:cli)',
    );
  }
  return {
    metadata: {
      name,
      labels: { ...labels, 'app.kubernetes.io/component': GATE_COMPONENT },
      annotations: { [GATE_SHA256_ANNOTATION]: bundle.sha256, [GATE_VERSION_ANNOTATION]: bundle.version },
    },
    immutable: true,
    binaryData: { [GATE_BUNDLE_KEY]: bundle.gzipBase64 },
  };
}

function packageVersion(): string {
  try {
    const v = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')).version;
    return typeof v === 'string' && v.length > 0 ? v : 'unknown';
  } catch {
    return 'unknown';
  }
}
