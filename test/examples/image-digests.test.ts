import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { CODEBUILD_GATE_IMAGE } from '../../src/codepipeline/images';
import { CODEBUILD_DOCKER_IMAGE } from '../../src/security/build/image-build';

const EXAMPLES = path.resolve(__dirname, '../../examples');
const DIGEST = /@sha256:[a-f0-9]{64}$/;
/**
 * CodeBuild's managed images the examples run, named one by one: AWS maintains them and CodeBuild
 * serves them from its own cache; CodeBuild references them by name only and takes no digest.
 */
const AWS_MANAGED: { [image: string]: string } = {
  [CODEBUILD_GATE_IMAGE]: 'the CodePipeline gates\' default image (Node.js and the AWS CLI v2 the gate script uses)',
  [CODEBUILD_DOCKER_IMAGE]: 'the CodeBuild image builds and pushes (Docker, in privileged mode)',
};
/**
 * Images with no published digest found that the examples still run (docs/security-steps.md,
 * "Images"): listed here so that a new unpinned image fails the test, and a pinned one must leave
 * the list. Empty: Syft, Grype and cosign run in the pinned Python image with their release
 * binaries checked by sha256, and so does the container-image example's kubectl.
 */
const KNOWN_UNPINNED: string[] = [];

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

/** Every file under `dir`, at any depth (GitHub Actions and CircleCI write theirs under .github/ and .circleci/). */
function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? files(path.join(dir, d.name)) : [path.join(dir, d.name)]));
}

const ENGINES = ['tekton', 'codepipeline', 'github', 'circleci'];
const examples = fs.readdirSync(EXAMPLES, { withFileTypes: true })
  .filter((d) => d.isDirectory() && fs.existsSync(path.join(EXAMPLES, d.name, 'pipeline.ts')))
  .flatMap((d) => ENGINES.filter((e) => fs.existsSync(path.join(EXAMPLES, d.name, `${e}.ts`))).map((e) => [d.name, e] as const));

test('every example renders on every engine (the test below reads each output)', () => {
  const names = [...new Set(examples.map(([name]) => name))];
  expect(names.length).toBeGreaterThanOrEqual(5);
  expect(examples).toHaveLength(names.length * ENGINES.length);
});

describe('every image in every example\'s rendered output is pinned by digest', () => {
  const unpinned = new Set<string>();
  const managed = new Set<string>();
  afterAll(() => {
    // the lists of exceptions hold exactly what the examples still use
    expect([...unpinned].sort()).toEqual([...KNOWN_UNPINNED].sort());
    expect([...managed].sort()).toEqual(Object.keys(AWS_MANAGED).sort());
  });

  test.each(examples)('%s on %s', async (example, engine) => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `gatehouse-digests-${example}-${engine}-`));
    try {
      // run the example as the demo does (examples/demo.ts)
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      await require(path.join(EXAMPLES, example, `${engine}.ts`)).synth(outdir);
      const found = new Set<string>();
      for (const file of files(outdir)) {
        const f = path.basename(file);
        if (f.endsWith('.yaml') || f.endsWith('.yml')) YAML.parseAllDocuments(fs.readFileSync(file, 'utf8')).forEach((d) => images(d.toJSON(), found));
        if (f.endsWith('.template.json')) images(JSON.parse(fs.readFileSync(file, 'utf8')).Resources, found);
      }
      expect(found.size).toBeGreaterThan(0);
      const bad = [...found].filter((i) => !DIGEST.test(i) && !(i in AWS_MANAGED));
      bad.forEach((i) => unpinned.add(i));
      [...found].filter((i) => i in AWS_MANAGED).forEach((i) => managed.add(i));
      expect(bad.filter((i) => !KNOWN_UNPINNED.includes(i))).toEqual([]);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
