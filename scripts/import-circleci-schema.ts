/**
 * Copies the CircleCI config schema (CircleCI-Public/circleci-yaml-language-server schema.json,
 * Apache-2.0) into src/circleci/schemas unchanged, and writes its precompiled ajv validator.
 * Usage: npx tsx --tsconfig tsconfig.dev.json scripts/import-circleci-schema.ts [path/to/circleci-config.json]
 */
import * as fs from 'fs';
import * as path from 'path';
import { precompiledValidatorSource } from '../src/circleci/validation/precompile';

const dir = path.join(__dirname, '..', 'src', 'circleci', 'schemas');
const source = process.argv[2];
if (source) fs.copyFileSync(source, path.join(dir, 'circleci-config.json'));
const schema = JSON.parse(fs.readFileSync(path.join(dir, 'circleci-config.json'), 'utf8'));
fs.writeFileSync(path.join(dir, 'config-validator.generated.ts'), precompiledValidatorSource(schema));
console.log('import-circleci-schema: wrote src/circleci/schemas/config-validator.generated.ts');
