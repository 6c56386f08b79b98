/**
 * Resolves the CloudFormation intrinsics of a synthesized template to plain strings, the way a
 * deployment in one account and region would, with placeholder values for what only a deployment
 * knows: pseudo parameters (`PLACEHOLDER_ENV`), a resource's `Ref` (`ref-<logical id in lowercase>`,
 * a valid bucket name) and `Fn::GetAtt` (`arn:placeholder:<logical id>.<attribute>`).
 */

/** The account and region the placeholders stand for. */
export const PLACEHOLDER_ENV: Record<string, string> = {
  'AWS::AccountId': '123456789012',
  'AWS::Region': 'us-east-1',
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'placeholder-stack',
  'AWS::NoValue': '',
};

function ref(name: string): string {
  return PLACEHOLDER_ENV[name] ?? `ref-${name.toLowerCase()}`;
}

/** A template value with its intrinsics resolved. */
export function resolve(value: any): any {
  if (Array.isArray(value)) return value.map(resolve);
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 1) {
      const [k] = keys;
      const v = value[k];
      if (k === 'Ref') return ref(v);
      if (k === 'Fn::GetAtt') return `arn:placeholder:${(Array.isArray(v) ? v : String(v).split('.')).join('.')}`;
      if (k === 'Fn::Join') return (resolve(v[1]) as string[]).join(v[0]);
      if (k === 'Fn::Sub') {
        const [text, vars] = Array.isArray(v) ? [v[0], resolve(v[1] ?? {})] : [v, {}];
        return String(text).replace(/\$\{([^}]+)\}/g, (_, n: string) => (n in vars ? vars[n] : n.includes('.') ? `arn:placeholder:${n}` : ref(n)));
      }
      if (k === 'Fn::Select') return resolve(v[1])[Number(v[0])];
      if (k === 'Fn::Split') return String(resolve(v[1])).split(v[0]);
      if (k.startsWith('Fn::')) throw new Error(`intrinsic ${k} is not resolved by this test helper`);
    }
    return Object.fromEntries(keys.map((k) => [k, resolve(value[k])]));
  }
  return value;
}

/** A `${AWS::…}` string of a cloud assembly manifest, with the placeholder environment. */
export function resolveManifestString(s: string): string {
  return s.replace(/\$\{([^}]+)\}/g, (_, n: string) => {
    if (!(n in PLACEHOLDER_ENV)) throw new Error(`manifest placeholder \${${n}} is not resolved by this test helper`);
    return PLACEHOLDER_ENV[n];
  });
}
