/**
 * The YAML parser, loaded on first use: only policy packs and waivers read from files need it, and
 * loading it costs about 30 ms at startup (every synthesis loads the policy layer).
 */
type YamlModule = typeof import('yaml');

let yamlModule: YamlModule | undefined;

/** `yaml`'s `parse`, the package loaded when first called. */
export function parseYaml(text: string): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  yamlModule ??= require('yaml') as YamlModule;
  return yamlModule.parse(text);
}
