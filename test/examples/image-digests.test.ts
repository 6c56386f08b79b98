import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';

const EXAMPLES = path.resolve(__dirname, '../../examples');
const DIGEST = /@sha256:[a-f0-9]{64}$/;
/** CodeBuild curated images are managed by CodeBuild, which takes no digest for them. */
const CURATED = /^aws\/codebuild\//;
/**
 * Catalog images with no published digest found (docs/security-steps.md, "Images"): listed here
 * so that a new unpinned image fails the test, and a pinned one must leave the list.
 */
const KNOWN_UNPINNED = ['anchore/syft:v1.45.1-debug', 'anchore/grype:v0.114.0-debug', 'gcr.io/projectsigstore/cosign:v2.4.1-dev', 'alpine/k8s:1.31.5'];

/** Every `image` value in a JSON-like tree. */
function images(node: unknown, out: Set<string>): Set<string> {
  if (Array.isArray(node)) {node.forEach((n) => images(n, out));} else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if ((k === 'image' || k === 'Image') && typeof v === 'string') out.add(v);
      else images(v, out);
    }
  }
  return out;
}

const examples = fs.readdirSync(EXAMPLES, { withFileTypes: true })
  .filter((d) => d.isDirectory() && fs.existsSync(path.join(EXAMPLES, d.name, 'pipeline.ts')))
  .flatMap((d) => ['tekton', 'codepipeline'].filter((e) => fs.existsSync(path.join(EXAMPLES, d.name, `${e}.ts`))).map((e) => [d.name, e] as const));

describe('every image in every example\'s rendered output is pinned by digest', () => {
  const unpinned = new Set<string>();
  afterAll(() => {
    // the list of exceptions holds nothing the examples no longer use
    expect([...unpinned].sort()).toEqual([...KNOWN_UNPINNED].filter((i) => unpinned.has(i)).sort());
  });

  test.each(examples)('%s on %s', async (example, engine) => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `gatehouse-digests-${example}-${engine}-`));
    try {
      // run the example as the demo does (examples/demo.ts)
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      await require(path.join(EXAMPLES, example, `${engine}.ts`)).synth(outdir);
      const found = new Set<string>();
      for (const f of fs.readdirSync(outdir)) {
        const file = path.join(outdir, f);
        if (f.endsWith('.yaml')) YAML.parseAllDocuments(fs.readFileSync(file, 'utf8')).forEach((d) => images(d.toJSON(), found));
        if (f.endsWith('.template.json')) images(JSON.parse(fs.readFileSync(file, 'utf8')).Resources, found);
      }
      expect(found.size).toBeGreaterThan(0);
      const bad = [...found].filter((i) => !DIGEST.test(i) && !CURATED.test(i));
      bad.forEach((i) => unpinned.add(i));
      expect(bad.filter((i) => !KNOWN_UNPINNED.includes(i))).toEqual([]);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
