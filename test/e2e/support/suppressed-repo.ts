import * as fs from 'fs';
import * as path from 'path';

/**
 * Turns a copy of the bandit sample into what a developer would commit to silence its HIGH finding
 * without an exemption: a `# nosec` marker on the line, a `.bandit` file and a pyproject
 * `[tool.bandit]` table that skip B602.
 */
export function suppressInSource(repo: string): void {
  const views = path.join(repo, 'app/views.py');
  const text = fs.readFileSync(views, 'utf8');
  const marked = text.replace(/(check_output\("ping -c 1 " \+ host, shell=True\))$/m, '$1  # nosec B602');
  if (marked === text) throw new Error('the bandit sample no longer has the shell=True line this test marks');
  fs.writeFileSync(views, marked);
  fs.writeFileSync(path.join(repo, '.bandit'), '[bandit]\nskips: B602,B404\n');
  fs.writeFileSync(path.join(repo, 'pyproject.toml'), '[tool.bandit]\nskips = ["B602", "B404"]\n');
}
