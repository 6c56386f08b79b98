/**
 * `npx projen docs:images`: draws the seed pipeline (examples/django-devsecops) into
 * docs/images/django-devsecops.svg, the picture the README shows.
 */
import * as fs from 'fs';
import * as path from 'path';
import { graph } from 'gatehouse';
import { djangoDevSecOps } from '../examples/django-devsecops/pipeline';

async function main(): Promise<void> {
  const file = path.resolve(__dirname, '..', 'docs', 'images', 'django-devsecops.svg');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, await graph.renderSvg(djangoDevSecOps()));
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
